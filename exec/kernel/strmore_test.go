package kernel

import (
	"testing"

	"github.com/peregrinedb/peregrine/planner/expr"
)

func TestStrMoreOps(t *testing.T) {
	ts := types(tS, tS, tI64, tS)
	rows := rowsOf(ts,
		"kitten|sitting|2|xy", "ca|abc|-1|é", "héllo|hello|0| ", "|abc|1|x", "NULL|x|1|x", "日本語|本|-2|語",
		"abcdef|badcfe|3|-", "🤦🏼‍♂️ab|🦆|1|", "a\r\nb|xy|2|ab", "abc||-9|z", "aaa|aa|NULL|a", "abc|NULL|2|NULL")
	s, u, n, f := col(0, tS), col(1, tS), col(2, tI64), col(3, tS)
	runCases(t, []tcase{
		{name: "levenshtein", types: ts, rows: rows, e: fn(expr.OpLevenshtein, tI64, s, u),
			want: strs("3", "3", "2", "3", "NULL", "6", "4", "16", "4", "3", "1", "NULL")},
		{name: "damerau", types: ts, rows: rows, e: fn(expr.OpDamerauLev, tI64, s, u),
			want: strs("3", "2", "2", "3", "NULL", "6", "3", "16", "4", "3", "1", "NULL")},
		{name: "levenshtein const", types: ts, rows: rows, e: fn(expr.OpLevenshtein, tI64, s, lit(tS, "abc"))},
		{name: "hamming", types: ts, rows: rows[6:7], e: fn(expr.OpHamming, tI64, s, u), want: strs("6")},
		{name: "hamming unequal", types: ts, rows: rows[:1], e: fn(expr.OpHamming, tI64, s, u), err: "Strings must be of equal length!"},
		{name: "jaccard", types: ts, rows: rows[:3], e: fn(expr.OpJaccard, tF, s, u)},
		{name: "jaccard empty", types: ts, rows: rows[3:4], e: fn(expr.OpJaccard, tF, s, u), err: "An argument too short!"},
		{name: "translate", types: ts, rows: rows, e: fn(expr.OpTranslate, tS, s, u, f)},
		{name: "unicode", types: ts, rows: rows, e: fn(expr.OpUnicode, tI32, s)},
		{name: "bit_length", types: ts, rows: rows, e: fn(expr.OpBitLength, tI64, s)},
		{name: "element", types: ts, rows: rows, e: fn(expr.OpStrElement, tS, s, n),
			want: strs("i", "a", "", "", "NULL", "本", "c", "🤦", "\r", "", "NULL", "b")},
		{name: "slice", types: ts, rows: rows, e: fn(expr.OpStrSlice, tS, s, n, lit(tI64, "-2"))},
		{name: "slice to end", types: ts, rows: rows, e: fn(expr.OpStrSlice, tS, s, lit(tI64, "2"), lit(tI64, "9223372036854775807"))},
		{name: "length_grapheme", types: ts, rows: rows, e: fn(expr.OpLengthGrapheme, tI64, s),
			want: strs("6", "2", "5", "0", "NULL", "3", "6", "3", "3", "3", "3", "3")},
		{name: "left_grapheme", types: ts, rows: rows, e: fn(expr.OpLeftGrapheme, tS, s, n)},
		{name: "right_grapheme", types: ts, rows: rows, e: fn(expr.OpRightGrapheme, tS, s, n)},
		{name: "printf", types: ts, rows: rows, e: fn(expr.OpPrintf, tS, lit(tS, "%-5s|%4d|%o|%6.2f|%s"), s, n, lit(tI64, "8"), lit(tF, "3.14159"), f)},
	})
}
