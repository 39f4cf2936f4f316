package tpch

import (
	"strings"
	"testing"
)

func TestQueriesAndAnswersEmbedded(t *testing.T) {
	for q := 1; q <= 22; q++ {
		text, err := Query(q)
		if err != nil || !strings.Contains(strings.ToLower(text), "select") {
			t.Errorf("Q%d: %v", q, err)
		}
		for _, sf := range AnswerSFs {
			a, err := ReferenceAnswer(sf, q)
			if err != nil || len(a.Columns) == 0 {
				t.Errorf("Q%d SF%s: %v", q, sf, err)
			}
		}
	}
	if _, err := Query(23); err == nil {
		t.Error("Q23 exists")
	}
}

func TestCheck(t *testing.T) {
	want, _ := ParseAnswer("a|b|c\nx|1.50|0.3333333333333333\ny|2.00|1\n")
	cases := []struct {
		got [][]string
		ok  bool
	}{
		{[][]string{{"x", "1.50", "0.3333333333333333"}, {"y", "2.00", "1"}}, true},
		{[][]string{{"x", "1.5", "0.33333333333333331"}, {"y", "2", "1.0"}}, true},    // formatting differs, values equal
		{[][]string{{"y", "2.00", "1"}, {"x", "1.50", "0.3333333333333333"}}, true},   // a permutation (ties)
		{[][]string{{"x", "1.51", "0.3333333333333333"}, {"y", "2.00", "1"}}, false},  // value differs
		{[][]string{{"x ", "1.50", "0.3333333333333333"}, {"y", "2.00", "1"}}, false}, // text is exact
		{[][]string{{"x", "1.50", "0.3333333333333333"}}, false},                      // row missing
	}
	for i, c := range cases {
		if err := Check(want, c.got); (err == nil) != c.ok {
			t.Errorf("case %d: Check = %v, want ok=%v", i, err, c.ok)
		}
	}
}

func TestParseQueryList(t *testing.T) {
	got, err := ParseQueryList("1,3-5,22")
	if err != nil || len(got) != 5 || got[1] != 3 || got[3] != 5 || got[4] != 22 {
		t.Errorf("got %v %v", got, err)
	}
	for _, bad := range []string{"0", "23", "5-3", "x"} {
		if _, err := ParseQueryList(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
