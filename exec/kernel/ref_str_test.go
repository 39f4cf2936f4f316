package kernel

import (
	"crypto/md5"
	"fmt"
	"regexp"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// refStrOp is the oracle for strops.go's functions (no NULL arguments):
// it works on rune slices and the strings package, row by row.
func refStrOp(op expr.Op, args []coldata.Datum) (coldata.Datum, bool, error) {
	str := func(s string) (coldata.Datum, bool, error) { return coldata.Datum{S: s}, true, nil }
	var r []rune
	if len(args) > 0 {
		r = []rune(args[0].S)
	}
	switch op {
	case expr.OpLTrim, expr.OpRTrim, expr.OpTrimChars:
		cut := " "
		if len(args) == 2 {
			cut = args[1].S
		}
		in := func(c rune) bool { return strings.ContainsRune(cut, c) }
		lo, hi := 0, len(r)
		for op != expr.OpRTrim && lo < hi && in(r[lo]) {
			lo++
		}
		for op != expr.OpLTrim && hi > lo && in(r[hi-1]) {
			hi--
		}
		return str(string(r[lo:hi]))
	case expr.OpReplace:
		if args[1].S == "" {
			return str(args[0].S)
		}
		return str(strings.Join(strings.Split(args[0].S, args[1].S), args[2].S))
	case expr.OpReverse:
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
		return str(string(r))
	case expr.OpRepeat:
		if args[1].I <= 0 {
			return str("")
		}
		if int64(len(args[0].S))*args[1].I > maxStringSize || args[1].I > maxStringSize {
			return coldata.Datum{}, true, fmt.Errorf("too long")
		}
		return str(strings.Repeat(args[0].S, int(args[1].I)))
	case expr.OpLeft, expr.OpRight:
		n, size := args[1].I, int64(len(r))
		if n < 0 {
			n = max(size+n, 0)
		}
		n = min(n, size)
		if op == expr.OpLeft {
			return str(string(r[:n]))
		}
		return str(string(r[size-n:]))
	case expr.OpLpad, expr.OpRpad:
		w, fill := args[1].I, []rune(args[2].S)
		if w <= 0 {
			return str("")
		}
		if int64(len(r)) >= w {
			return str(string(r[:w]))
		}
		if len(fill) == 0 {
			return coldata.Datum{}, true, fmt.Errorf("insufficient padding")
		}
		var pad []rune
		for int64(len(pad)+len(r)) < w {
			pad = append(pad, fill[len(pad)%len(fill)])
		}
		if op == expr.OpLpad {
			return str(string(pad) + string(r))
		}
		return str(string(r) + string(pad))
	case expr.OpSplitPart:
		var parts []string
		if args[1].S == "" {
			for _, c := range r {
				parts = append(parts, string(c))
			}
		} else {
			parts = strings.Split(args[0].S, args[1].S)
		}
		i := args[2].I
		if i < 0 {
			i += int64(len(parts)) + 1
		}
		if i < 1 || i > int64(len(parts)) {
			return str("")
		}
		return str(parts[i-1])
	case expr.OpEndsWith:
		return coldata.Datum{B: strings.HasSuffix(args[0].S, args[1].S)}, true, nil
	case expr.OpStrpos:
		for i := 0; i+len([]rune(args[1].S)) <= len(r); i++ {
			if strings.HasPrefix(string(r[i:]), args[1].S) {
				return coldata.Datum{I: int64(i + 1)}, true, nil
			}
		}
		return coldata.Datum{I: 0}, true, nil
	case expr.OpAscii:
		if len(r) == 0 {
			return coldata.Datum{I: 0}, true, nil
		}
		return coldata.Datum{I: int64(r[0])}, true, nil
	case expr.OpChr:
		if c := args[0].I; c < 0 || c > 0x10FFFF || (c >= 0xD800 && c < 0xE000) {
			return coldata.Datum{}, true, fmt.Errorf("invalid code point")
		}
		return str(string(rune(args[0].I)))
	case expr.OpRegexpMatches, expr.OpRegexpFullMatch, expr.OpRegexpReplace, expr.OpRegexpExtract:
		return refRegexp(op, args)
	case expr.OpMD5:
		return str(fmt.Sprintf("%x", md5.Sum([]byte(args[0].S))))
	}
	return coldata.Datum{}, false, nil
}

// refConcatWS joins the non-NULL arguments; NULL for a NULL separator.
func refConcatWS(e *expr.Func, row []coldata.Datum) (coldata.Datum, error) {
	var parts []string
	for i, a := range e.Args {
		v, err := refEval(a, row)
		if err != nil {
			return v, err
		}
		if i == 0 && v.Null {
			return coldata.NullDatum, nil
		}
		if !v.Null {
			parts = append(parts, v.S)
		}
	}
	return coldata.Datum{S: strings.Join(parts[1:], parts[0])}, nil
}

// refRegexp matches with the pattern wrapped by the oracle's own means
// (Go's regexp with a (?i) flag, ^...$ anchors, Find/Replace calls).
func refRegexp(op expr.Op, args []coldata.Datum) (coldata.Datum, bool, error) {
	opts := args[len(args)-1].S
	p := args[1].S
	if op == expr.OpRegexpFullMatch {
		p = "^(?:" + p + ")$"
	}
	if strings.Contains(opts, "i") {
		p = "(?i)" + p
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return coldata.Datum{}, true, err
	}
	s := args[0].S
	switch op {
	case expr.OpRegexpMatches, expr.OpRegexpFullMatch:
		return coldata.Datum{B: re.MatchString(s)}, true, nil
	case expr.OpRegexpExtract:
		m := re.FindStringSubmatch(s)
		g := int(args[2].I)
		if m == nil || g >= len(m) {
			return coldata.Datum{S: ""}, true, nil
		}
		return coldata.Datum{S: m[g]}, true, nil
	}
	// Replacement: \N is group N, \\ a backslash; anything else leaves s as is.
	repl := args[2].S
	expand := func(m []string) (string, bool) {
		var b strings.Builder
		for i := 0; i < len(repl); i++ {
			if repl[i] != '\\' {
				b.WriteByte(repl[i])
				continue
			}
			if i+1 == len(repl) {
				return "", false
			}
			i++
			switch d := repl[i]; {
			case d == '\\':
				b.WriteByte(d)
			case d >= '0' && d <= '9' && int(d-'0') < len(m):
				b.WriteString(m[d-'0'])
			default:
				return "", false
			}
		}
		return b.String(), true
	}
	if strings.Contains(opts, "g") {
		idx := re.FindAllStringSubmatchIndex(s, -1)
		var b strings.Builder
		last := 0
		for _, loc := range idx {
			m := make([]string, len(loc)/2)
			for k := range m {
				if loc[2*k] >= 0 {
					m[k] = s[loc[2*k]:loc[2*k+1]]
				}
			}
			r, ok := expand(m)
			if !ok {
				return coldata.Datum{S: s}, true, nil
			}
			b.WriteString(s[last:loc[0]] + r)
			last = loc[1]
		}
		b.WriteString(s[last:])
		return coldata.Datum{S: b.String()}, true, nil
	}
	m := re.FindStringSubmatchIndex(s)
	if m == nil {
		return coldata.Datum{S: s}, true, nil
	}
	sub := re.FindStringSubmatch(s)
	r, ok := expand(sub)
	if !ok {
		return coldata.Datum{S: s}, true, nil
	}
	return coldata.Datum{S: s[:m[0]] + r + s[m[1]:]}, true, nil
}
