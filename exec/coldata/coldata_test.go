package coldata

import (
	"math"
	"testing"
)

func TestFormat(t *testing.T) {
	cases := []struct {
		t    Type
		d    Datum
		want string
	}{
		{DecimalType(15, 2), Datum{I: 12345}, "123.45"},
		{DecimalType(15, 2), Datum{I: -5}, "-0.05"},
		{DecimalType(15, 4), Datum{I: 0}, "0.0000"},
		{DecimalType(10, 0), Datum{I: 42}, "42"},
		{TypeFloat64, Datum{F: 25.575154611454693}, "25.575154611454693"},
		{TypeFloat64, Datum{F: 3}, "3.0"},
		{TypeFloat64, Datum{F: math.Inf(-1)}, "-inf"},
		{TypeDate, Datum{I: 0}, "1970-01-01"},
		{TypeDate, Datum{I: -1}, "1969-12-31"},
		{TypeDate, Datum{I: 9568}, "1996-03-13"},
		{TypeTimestamp, Datum{I: 1_500_000}, "1970-01-01 00:00:01.5"},
		{TypeBool, Datum{B: true}, "true"},
		{TypeString, Datum{Null: true}, "NULL"},
	}
	for _, c := range cases {
		if got := Format(c.t, c.d); got != c.want {
			t.Errorf("Format(%s, %+v) = %q, want %q", c.t, c.d, got, c.want)
		}
	}
}

func TestParseDecimal(t *testing.T) {
	cases := []struct {
		s     string
		scale int
		want  int64
		err   bool
	}{
		{"12.345", 2, 1235, false},
		{"-12.345", 2, -1235, false},
		{"0.05", 2, 5, false},
		{"7", 3, 7000, false},
		{".5", 1, 5, false},
		{"1x", 0, 0, true},
		{"1.234x", 2, 0, true},
		{"99999999999999999999", 0, 0, true},
	}
	for _, c := range cases {
		got, err := ParseDecimal(c.s, c.scale)
		if (err != nil) != c.err || (!c.err && got != c.want) {
			t.Errorf("ParseDecimal(%q,%d) = %d, %v", c.s, c.scale, got, err)
		}
	}
	if p, s := DecimalDigits("0.05"); p != 3 || s != 2 { // DuckDB: DECIMAL(3,2)
		t.Errorf("DecimalDigits(0.05) = %d,%d", p, s)
	}
}

func TestParseDate(t *testing.T) {
	d, err := ParseDate("1998-12-01")
	if err != nil || FormatDate(d) != "1998-12-01" {
		t.Errorf("round trip: %d %v", d, err)
	}
	if _, err := ParseDate("1998-13-01"); err == nil {
		t.Error("month 13 accepted")
	}
}

func TestCompactAndCopy(t *testing.T) {
	b := NewBatch([]Type{TypeInt64, TypeString}, 5)
	for i := 0; i < 5; i++ {
		b.Vecs[0].I64[i] = int64(i * 10)
		b.Vecs[1].Str[i] = string(rune('a' + i))
	}
	b.Vecs[1].SetNull(3)
	b.Sel = []int32{1, 3, 4}
	d := b.Compact(nil)
	if d.N != 3 || d.Sel != nil {
		t.Fatalf("compact: N=%d sel=%v", d.N, d.Sel)
	}
	if d.Vecs[0].I64[0] != 10 || d.Vecs[0].I64[2] != 40 || !d.Vecs[1].IsNull(1) || d.Vecs[1].IsNull(0) || d.Vecs[1].Str[2] != "e" {
		t.Errorf("compact contents: %v %v %v", d.Vecs[0].I64, d.Vecs[1].Str, d.Vecs[1].Nulls)
	}
	if r := b.Row(1); !r[1].Null || r[0].I != 30 {
		t.Errorf("Row(1) = %+v", r)
	}
	// Reuse: a second compaction into the same destination.
	b.Sel = []int32{0}
	d2 := b.Compact(d)
	if d2 != d || d2.N != 1 || d2.Vecs[0].I64[0] != 0 || d2.Vecs[1].IsNull(0) {
		t.Errorf("reuse: %+v", d2.Vecs[0].I64)
	}
}

func TestResizeDropsNulls(t *testing.T) {
	v := NewVec(TypeInt64, 4)
	v.SetNull(2)
	shared := v.Nulls
	v.Resize(3)
	if v.HasNulls() {
		t.Fatal("Resize must drop the mask")
	}
	v.SetNull(0)
	// A mask another vector may alias must never be reused and cleared.
	if !shared[2] || shared[0] {
		t.Fatalf("old mask was modified: %v", shared)
	}
}
