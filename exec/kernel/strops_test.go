package kernel

import (
	"testing"

	"github.com/peregrinedb/peregrine/planner/expr"
)

func TestStringOps(t *testing.T) {
	ts := types(tS, tS, tI64, tS)
	rows := rowsOf(ts,
		"hello|l|2|xy", "héllo wörld|ö|-3|é", "  pad  | |0| ", "||1|x", "NULL|x|1|x", "日本語|本|-1|語",
		"a,b,,c|,|3|-", "a,b,,c|,|-2|", "xyx|xy|9|ab", "abc||-9|z", "aaa|aa|NULL|a", "abc|NULL|2|NULL")
	s, p, n, f := col(0, tS), col(1, tS), col(2, tI64), col(3, tS)
	runCases(t, []tcase{
		{name: "ltrim", types: ts, rows: rows, e: fn(expr.OpLTrim, tS, s)},
		{name: "rtrim chars", types: ts, rows: rows, e: fn(expr.OpRTrim, tS, s, p)},
		{name: "trim chars", types: ts, rows: rows, e: fn(expr.OpTrimChars, tS, s, p),
			want: strs("hello", "héllo wörld", "pad", "", "NULL", "日本語", "a,b,,c", "a,b,,c", "", "abc", "", "NULL")},
		{name: "ltrim const", types: ts, rows: rows, e: fn(expr.OpLTrim, tS, s, lit(tS, "ah "))},
		{name: "replace", types: ts, rows: rows, e: fn(expr.OpReplace, tS, s, p, f),
			want: strs("hexyxyo", "héllo wérld", "  pad  ", "", "NULL", "日語語", "a-b--c", "abc", "abx", "abc", "aa", "NULL")},
		{name: "replace const", types: ts, rows: rows, e: fn(expr.OpReplace, tS, s, lit(tS, "l"), lit(tS, ""))},
		{name: "reverse", types: ts, rows: rows, e: fn(expr.OpReverse, tS, s)},
		{name: "repeat", types: ts, rows: rows, e: fn(expr.OpRepeat, tS, p, n)},
		{name: "left", types: ts, rows: rows, e: fn(expr.OpLeft, tS, s, n),
			want: strs("he", "héllo wö", "", "", "NULL", "日本", "a,b", "a,b,", "xyx", "", "NULL", "ab")},
		{name: "right", types: ts, rows: rows, e: fn(expr.OpRight, tS, s, n),
			want: strs("lo", "lo wörld", "", "", "NULL", "本語", ",,c", "b,,c", "xyx", "", "NULL", "bc")},
		{name: "lpad", types: ts, rows: rows[:7], e: fn(expr.OpLpad, tS, p, lit(tI64, "4"), f)},
		{name: "rpad", types: ts, rows: rows[:7], e: fn(expr.OpRpad, tS, s, lit(tI64, "13"), f)},
		{name: "lpad no fill", types: ts, rows: rows[7:8], e: fn(expr.OpLpad, tS, s, lit(tI64, "9"), f), err: "Insufficient padding in LPAD."},
		{name: "split_part", types: ts, rows: rows, e: fn(expr.OpSplitPart, tS, s, p, n),
			want: strs("", "", "", "", "NULL", "語", "", "", "", "", "NULL", "NULL")},
		{name: "split_part const", types: ts, rows: rows, e: fn(expr.OpSplitPart, tS, s, lit(tS, ","), lit(tI64, "2"))},
		{name: "ends_with", types: ts, rows: rows, e: fn(expr.OpEndsWith, tB, s, p)},
		{name: "not ends_with", types: ts, rows: rows, e: fn(expr.OpNot, tB, fn(expr.OpEndsWith, tB, s, lit(tS, "c")))},
		{name: "strpos", types: ts, rows: rows, e: fn(expr.OpStrpos, tI64, s, p),
			want: strs("3", "8", "1", "1", "NULL", "2", "2", "2", "1", "1", "1", "NULL")},
		{name: "ascii", types: ts, rows: rows, e: fn(expr.OpAscii, tI32, s)},
		{name: "chr", types: ts, rows: rows[:4], e: fn(expr.OpChr, tS, fn(expr.OpAdd, tI64, n, lit(tI64, "100"))),
			want: strs("f", "a", "d", "e")},
		{name: "chr invalid", types: ts, rows: rows[1:2], e: fn(expr.OpChr, tS, n), err: "Invalid UTF8 Codepoint -3"},
		{name: "chr surrogate", types: ts, rows: rows[:1], e: fn(expr.OpChr, tS, lit(tI64, "55296")), err: "Invalid UTF8 Codepoint 55296"},
		{name: "md5", types: ts, rows: rows, e: fn(expr.OpMD5, tS, s)},
		{name: "concat_ws", types: ts, rows: rows, e: fn(expr.OpConcatWS, tS, f, s, p, null(tS), s)},
		{name: "concat_ws const sep", types: ts, rows: rows, e: fn(expr.OpConcatWS, tS, lit(tS, "+"), p, f)},
	})
}

func TestRepeatTooLong(t *testing.T) {
	ts := types(tS, tI64)
	runCases(t, []tcase{{name: "repeat", types: ts, rows: rowsOf(ts, "ab|10000000000"),
		e: fn(expr.OpRepeat, tS, col(0, tS), col(1, tI64)), err: "Out of Range Error: Cannot create a string of size: '20000000000'"}})
}

func TestRegexpOps(t *testing.T) {
	ts := types(tS, tS, tS)
	rows := rowsOf(ts,
		"hello world|o|0", "héllo wörld|(l+)(o)|[\\2\\1]", "ABC abc|b|x", "|^|<>", "NULL|a|b", "a1b22c333|[0-9]+|#",
		"aaa|a*|x", "abc||-", "abc|NULL|y", "abc|(b)|\\9", "abc|b|\\q", "path/to/file|([^/]+)$|\\\\\\1", "x$y|\\$|$1")
	s, p, r := col(0, tS), col(1, tS), col(2, tS)
	opts := func(o string) *expr.Const { return lit(tS, o) }
	runCases(t, []tcase{
		{name: "matches", types: ts, rows: rows, e: fn(expr.OpRegexpMatches, tB, s, p, opts("")),
			want: strs("true", "true", "true", "true", "NULL", "true", "true", "true", "NULL", "true", "true", "true", "true")},
		{name: "matches i", types: ts, rows: rows, e: fn(expr.OpRegexpMatches, tB, s, p, opts("i"))},
		{name: "matches literal", types: ts, rows: rows, e: fn(expr.OpRegexpMatches, tB, s, lit(tS, "wor"), opts(""))},
		{name: "matches const", types: ts, rows: rows, e: fn(expr.OpRegexpMatches, tB, s, lit(tS, "[a-c]{2}"), opts("i"))},
		{name: "not matches", types: ts, rows: rows, e: fn(expr.OpNot, tB, fn(expr.OpRegexpMatches, tB, s, lit(tS, "l+"), opts("")))},
		{name: "full match", types: ts, rows: rows, e: fn(expr.OpRegexpFullMatch, tB, s, p, opts(""))},
		{name: "full match const", types: ts, rows: rows, e: fn(expr.OpRegexpFullMatch, tB, s, lit(tS, "a.*|"), opts("c"))},
		{name: "replace", types: ts, rows: rows, e: fn(expr.OpRegexpReplace, tS, s, p, r, opts("")),
			want: strs("hell0 world", "hé[oll] wörld", "ABC axc", "<>", "NULL", "a#b22c333", "x", "-abc", "NULL", "abc", "abc", "path/to/\\file", "x$1y")},
		{name: "replace g", types: ts, rows: rows, e: fn(expr.OpRegexpReplace, tS, s, p, r, opts("g"))},
		{name: "replace gi const", types: ts, rows: rows, e: fn(expr.OpRegexpReplace, tS, s, lit(tS, "([a-c])"), lit(tS, "<\\1>"), opts("gi"))},
		{name: "extract", types: ts, rows: rows, e: fn(expr.OpRegexpExtract, tS, s, p, lit(tI64, "0"), opts(""))},
		{name: "extract group", types: ts, rows: rows, e: fn(expr.OpRegexpExtract, tS, s, p, lit(tI64, "2"), opts(""))},
		{name: "extract const", types: ts, rows: rows, e: fn(expr.OpRegexpExtract, tS, s, lit(tS, "([a-z])([0-9]+)"), lit(tI64, "2"), opts("")),
			want: strs("", "", "", "", "NULL", "1", "", "", "", "", "", "", "")},
		{name: "bad pattern", types: ts, rows: rowsOf(ts, "a|(|x"), e: fn(expr.OpRegexpMatches, tB, s, p, opts("")), err: "Invalid Input Error: missing ): ("},
	})
}
