package kernel

import (
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine/planner/expr"
)

func TestLikeShapes(t *testing.T) {
	for _, tc := range []struct {
		pat  string
		kind likeKind
		lit  string
	}{
		{"abc", likeExact, "abc"},
		{"", likeExact, ""},
		{"abc%", likePrefix, "abc"},
		{"abc%%", likePrefix, "abc"},
		{"%abc", likeSuffix, "abc"},
		{"%abc%", likeContains, "abc"},
		{"%%abc%%%", likeContains, "abc"},
		{"%", likeAny, ""},
		{"%%", likeAny, ""},
		{`50\%%`, likePrefix, "50%"},
		{`%a\_b%`, likeContains, "a_b"},
		{`a\\b`, likeExact, `a\b`},
		{"a_c", likeGeneral, ""},
		{"a%c", likeGeneral, ""},
		{"%a%b%", likeGeneral, ""},
		{"_", likeGeneral, ""},
	} {
		m, err := compileLike(tc.pat)
		if err != nil {
			t.Fatalf("compileLike(%q): %v", tc.pat, err)
		}
		if m.kind != tc.kind || (tc.kind != likeGeneral && m.lit != tc.lit) {
			t.Errorf("compileLike(%q) = kind %d lit %q, want kind %d lit %q", tc.pat, m.kind, m.lit, tc.kind, tc.lit)
		}
	}
	if _, err := compileLike(`ab\`); err == nil {
		t.Errorf("a trailing escape must be rejected")
	}
}

func TestLike(t *testing.T) {
	ts := types(tS)
	rows := rowsOf(ts, "abc", "", "a", "abcabc", "xabcx", "a_c", "a%c", "日本語", "héllo", "NULL", "forest green puff", "ab", "aXbXc")
	var cases []tcase
	for _, pat := range []string{
		"abc", "", "abc%", "%abc", "%abc%", "%", "a_c", "a%c", "_", "__", "___", "%_", "_%_", `a\_c`, `a\%c`,
		"日_語", "_本_", "h_llo", "%b%c", "%a%b%c%", "a%b%c", "%green%", "forest%", "%puff", "f%n%f", "%ab%ab%",
		"%bc", "_b%", "%c_", "a%%c", "%X%X%",
	} {
		cases = append(cases,
			tcase{name: "like " + pat, types: ts, rows: rows, e: like(col(0, tS), pat, false)},
			tcase{name: "not like " + pat, types: ts, rows: rows, e: like(col(0, tS), pat, true)})
	}
	cases = append(cases,
		tcase{name: "like on expression", types: ts, rows: rows, e: like(fn(expr.OpUpper, tS, col(0, tS)), "%ABC%", false)},
		tcase{name: "explicit", types: ts, rows: rowsOf(ts, "abc", "abd", "NULL", "日本語"), e: like(col(0, tS), "ab_", false),
			want: strs("true", "true", "NULL", "false")},
		tcase{name: "utf8 underscore", types: ts, rows: rowsOf(ts, "日本語", "日本", "日x語"), e: like(col(0, tS), "日_語", false),
			want: strs("true", "false", "true")},
		tcase{name: "null const", types: ts, rows: rowsOf(ts, "abc"), e: like(null(tS), "%", false), want: strs("NULL")},
	)
	runCases(t, cases)
}

// FuzzLike compares the matcher with a regexp translation of the pattern.
func FuzzLike(f *testing.F) {
	for _, s := range [][2]string{
		{"abc", "a%"}, {"abcabc", "%b_a%"}, {"日本語", "_本%"}, {"a_c", `a\_c`}, {"", "%"}, {"xx", "%x%x%"},
		{"mississippi", "%iss%ss%p_"}, {"aaa", "%a%a%a%a"}, {"ab", "_%_%"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, s, pat string) {
		// regexp only speaks UTF-8; repairing rather than skipping keeps the
		// fuzzer's random bytes useful.
		s, pat = strings.ToValidUTF8(s, "\uFFFD"), strings.ToValidUTF8(pat, "\uFFFD")
		m, err := compileLike(pat)
		re, rerr := likeRegexp(pat)
		if (err != nil) != (rerr != nil) {
			t.Fatalf("pattern %q: kernel error %v, regexp error %v", pat, err, rerr)
		}
		if err != nil {
			return
		}
		if got, want := m.match(s), re.MatchString(s); got != want {
			t.Fatalf("%q LIKE %q: got %v, want %v", s, pat, got, want)
		}
		dst := make([]int32, 1)
		if k := m.selectRows([]string{s}, nil, 1, dst, true); (k == 1) != re.MatchString(s) {
			t.Fatalf("%q LIKE %q: selectRows disagrees", s, pat)
		}
	})
}
