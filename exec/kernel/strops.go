package kernel

import (
	"crypto/md5"
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// strOpSig is the signature of one of DuckDB's everyday string functions:
// argument kinds ('s' VARCHAR, 'i' an integer) and the result type.
type strOpSig struct {
	args string
	opt  int // trailing arguments that may be left out
	res  coldata.TypeID
}

// check checks a call against the signature: the result type, the
// number of arguments, and each argument by its code (argOK). A NULL
// argument makes the call a NULL constant, returned as null.
func (sig strOpSig) check(e *expr.Func, args []node, argOK func(i int, code byte, t coldata.Type) error) (null node, err error) {
	if e.Typ.ID != sig.res {
		return nil, errorf("%s returns %s, not %s", e.Op, coldata.Type{ID: sig.res}, e.Typ)
	}
	if len(args) < len(sig.args)-sig.opt || len(args) > len(sig.args) {
		return nil, errorf("%s takes %d to %d arguments, got %d", e.Op, len(sig.args)-sig.opt, len(sig.args), len(args))
	}
	for i, a := range args {
		t := a.typ()
		if t.ID == coldata.Unknown || isNullConst(a) {
			return newConst(e.Typ, coldata.NullDatum), nil
		}
		if err := argOK(i, sig.args[i], t); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

var strOpSigs = map[expr.Op]strOpSig{
	expr.OpLTrim: {"ss", 1, coldata.String}, expr.OpRTrim: {"ss", 1, coldata.String},
	expr.OpTrimChars: {"ss", 0, coldata.String}, expr.OpReplace: {"sss", 0, coldata.String},
	expr.OpReverse: {"s", 0, coldata.String}, expr.OpRepeat: {"si", 0, coldata.String},
	expr.OpLeft: {"si", 0, coldata.String}, expr.OpRight: {"si", 0, coldata.String},
	expr.OpLpad: {"sis", 0, coldata.String}, expr.OpRpad: {"sis", 0, coldata.String},
	expr.OpSplitPart: {"ssi", 0, coldata.String}, expr.OpEndsWith: {"ss", 0, coldata.Bool},
	expr.OpStrpos: {"ss", 0, coldata.Int64}, expr.OpAscii: {"s", 0, coldata.Int32},
	expr.OpChr: {"i", 0, coldata.String}, expr.OpMD5: {"s", 0, coldata.String},
}

// maxStringSize is DuckDB's limit on a string's bytes.
const maxStringSize = 4294967295

// strOpNode evaluates one of strOpSigs' functions: a NULL argument gives
// NULL; new strings are built in the node's arena (one allocation a batch).
type strOpNode struct {
	op      expr.Op
	args    []node
	t       coldata.Type
	res     result
	arena   strArena
	vs      []*coldata.Vec
	md5     [2 * md5.Size]byte
	scratch []byte
}

func (c *compiler) compileStrOp(e *expr.Func, args []node) (node, error) {
	sig, ok := strOpSigs[e.Op]
	if !ok {
		return nil, errorf("unsupported operator %s", e.Op)
	}
	if null, err := sig.check(e, args, func(i int, code byte, t coldata.Type) error {
		if code == 'i' && t.ID != coldata.Int32 && t.ID != coldata.Int64 {
			return errorf("%s needs an INTEGER or BIGINT argument %d, got %s", e.Op, i+1, t)
		}
		if code == 's' && t.ID != coldata.String {
			return errorf("%s needs a VARCHAR argument %d, got %s", e.Op, i+1, t)
		}
		return nil
	}); null != nil || err != nil {
		return null, err
	}
	n := &strOpNode{op: e.Op, args: args, t: e.Typ}
	return fold(n, args...), nil
}

func (n *strOpNode) typ() coldata.Type { return n.t }

func (n *strOpNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	rows := b.N
	vs, err := evalArgs(n.args, b, sel, &n.vs)
	if err != nil {
		return nil, err
	}
	out := n.res.reset(n.t, rows)
	nulls := n.res.copyNulls(sel, rows, vs...)
	switch n.op {
	case expr.OpEndsWith:
		s, p := vs[0].Str, vs[1].Str
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			out.B[i] = strings.HasSuffix(s[i], p[i])
		}
	case expr.OpStrpos:
		s, p := vs[0].Str, vs[1].Str
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			out.I64[i] = strpos(s[i], p[i])
		}
	case expr.OpAscii:
		s := vs[0].Str
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			out.I32[i] = ascii(s[i])
		}
	default:
		if err := n.build(out.Str, vs, nulls, sel, rows); err != nil {
			return nil, err
		}
	}
	dropEmptyNulls(out, sel, rows)
	return out, nil
}

// build computes the functions with a VARCHAR result. Values that are
// pieces of an input are shared; built ones go through the arena.
func (n *strOpNode) build(out []string, vs []*coldata.Vec, nulls []bool, sel []int32, rows int) error {
	a := &n.arena
	a.reset(rows)
	s := vs[0].Str
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		a.skip(int32(i))
		if nulls[i] {
			continue
		}
		start := len(a.buf)
		switch n.op {
		case expr.OpLTrim, expr.OpRTrim, expr.OpTrimChars:
			out[i] = n.trim(s[i], vs, i)
			continue
		case expr.OpLeft:
			out[i] = left(s[i], intAt(vs[1], i))
			continue
		case expr.OpRight:
			out[i] = right(s[i], intAt(vs[1], i))
			continue
		case expr.OpSplitPart:
			out[i] = splitPart(s[i], vs[1].Str[i], intAt(vs[2], i))
			continue
		case expr.OpReplace:
			from, to := vs[1].Str[i], vs[2].Str[i]
			if from == "" || !strings.Contains(s[i], from) {
				out[i] = s[i]
				continue
			}
			a.buf = appendReplace(a.buf, s[i], from, to)
		case expr.OpReverse:
			a.buf = appendReverse(a.buf, s[i])
		case expr.OpRepeat:
			c := intAt(vs[1], i)
			if c <= 0 || s[i] == "" {
				out[i] = ""
				continue
			}
			if size := int64(len(s[i])) * c; size/c != int64(len(s[i])) || size > maxStringSize {
				return rangeErrorf("Cannot create a string of size: '%d', the maximum supported string size is: '%d'", uint64(len(s[i]))*uint64(c), uint64(maxStringSize))
			}
			for ; c > 0; c-- {
				a.buf = append(a.buf, s[i]...)
			}
		case expr.OpLpad, expr.OpRpad:
			var err error
			if a.buf, err = appendPad(a.buf, s[i], intAt(vs[1], i), vs[2].Str[i], n.op == expr.OpLpad); err != nil {
				return err
			}
		case expr.OpChr:
			c := intAt(vs[0], i)
			if c < 0 || c > utf8.MaxRune || (c >= 0xD800 && c <= 0xDFFF) { // surrogates are no characters
				return invalidInputf("Invalid UTF8 Codepoint %d", c)
			}
			a.buf = utf8.AppendRune(a.buf, rune(c))
		case expr.OpMD5:
			n.scratch = append(n.scratch[:0], s[i]...)
			sum := md5.Sum(n.scratch)
			hex.Encode(n.md5[:], sum[:])
			a.buf = append(a.buf, n.md5[:]...)
		}
		a.mark(int32(i), start)
	}
	a.finish(out, sel, rows)
	return nil
}

func (n *strOpNode) trim(s string, vs []*coldata.Vec, i int) string {
	chars := " "
	if len(vs) == 2 {
		chars = vs[1].Str[i]
	}
	switch n.op {
	case expr.OpLTrim:
		return strings.TrimLeft(s, chars)
	case expr.OpRTrim:
		return strings.TrimRight(s, chars)
	}
	return strings.Trim(s, chars)
}

// left is DuckDB's left(s, n): the first n characters, or all but the last
// -n when n is negative.
func left(s string, n int64) string {
	if n >= 0 {
		return s[:advance(s, 0, n)]
	}
	size := int64(utf8.RuneCountInString(s))
	return s[:charOffset(s, max(size+n, 0))]
}

// right is DuckDB's right(s, n): the last n characters, or all but the
// first -n when n is negative.
func right(s string, n int64) string {
	if n < 0 {
		return s[advance(s, 0, -n):]
	}
	size := int64(utf8.RuneCountInString(s))
	return s[charOffset(s, max(size-n, 0)):]
}

// splitPart is split_part: the index-th field (1-based; negative counts
// from the end) of s split at sep, ” when out of range. An empty separator
// splits into characters.
func splitPart(s, sep string, index int64) string {
	if index == 0 {
		return ""
	}
	if sep == "" {
		if index > 0 {
			p := advance(s, 0, index-1)
			return s[p:advance(s, p, 1)]
		}
		size := int64(utf8.RuneCountInString(s))
		if size+index < 0 {
			return ""
		}
		p := charOffset(s, size+index)
		return s[p:advance(s, p, 1)]
	}
	if index > 0 {
		for ; index > 1; index-- {
			j := strings.Index(s, sep)
			if j < 0 {
				return ""
			}
			s = s[j+len(sep):]
		}
		if j := strings.Index(s, sep); j >= 0 {
			return s[:j]
		}
		return s
	}
	for ; index < -1; index++ {
		j := strings.LastIndex(s, sep)
		if j < 0 {
			return ""
		}
		s = s[:j]
	}
	if j := strings.LastIndex(s, sep); j >= 0 {
		return s[j+len(sep):]
	}
	return s
}

// strpos is the 1-based character position of needle in s (0: absent).
func strpos(s, needle string) int64 {
	j := strings.Index(s, needle)
	if j < 0 {
		return 0
	}
	return int64(utf8.RuneCountInString(s[:j])) + 1
}

// ascii is the code point of the first character (0 for ”).
func ascii(s string) int32 {
	if s == "" {
		return 0
	}
	if s[0] < utf8.RuneSelf {
		return int32(s[0])
	}
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func appendReplace(buf []byte, s, from, to string) []byte {
	for {
		j := strings.Index(s, from)
		if j < 0 {
			return append(buf, s...)
		}
		buf = append(buf, s[:j]...)
		buf = append(buf, to...)
		s = s[j+len(from):]
	}
}

// appendReverse appends s with its characters in reverse order.
func appendReverse(buf []byte, s string) []byte {
	for j := len(s); j > 0; {
		if s[j-1] < utf8.RuneSelf {
			buf = append(buf, s[j-1])
			j--
			continue
		}
		_, size := utf8.DecodeLastRuneInString(s[:j])
		buf = append(buf, s[j-size:j]...)
		j -= size
	}
	return buf
}

// appendPad appends s padded with fill (repeated from its start) to width
// characters on the left or right, or cut to width characters.
func appendPad(buf []byte, s string, width int64, fill string, leftSide bool) ([]byte, error) {
	if width <= 0 {
		return buf, nil
	}
	size := int64(utf8.RuneCountInString(s))
	if size >= width {
		return append(buf, s[:charOffset(s, width)]...), nil
	}
	need := width - size
	if fill == "" {
		side := "RPAD"
		if leftSide {
			side = "LPAD"
		}
		return buf, invalidInputf("Insufficient padding in %s.", side)
	}
	if width > maxStringSize {
		return buf, rangeErrorf("Cannot create a string of size: '%d', the maximum supported string size is: '%d'", width, uint64(maxStringSize))
	}
	if !leftSide {
		buf = append(buf, s...)
	}
	for p := 0; need > 0; need-- {
		q := advance(fill, p, 1)
		buf = append(buf, fill[p:q]...)
		if p = q; p == len(fill) {
			p = 0
		}
	}
	if leftSide {
		buf = append(buf, s...)
	}
	return buf, nil
}

// concatWSNode is concat_ws(sep, s...): the non-NULL arguments joined by
// sep; NULL only when sep is.
type concatWSNode struct {
	args  []node
	res   result
	arena strArena
	vs    []*coldata.Vec
}

func (c *compiler) compileConcatWS(e *expr.Func, args []node) (node, error) {
	if e.Typ.ID != coldata.String {
		return nil, errorf("%s returns VARCHAR, not %s", e.Op, e.Typ)
	}
	if len(args) < 2 {
		return nil, errorf("%s takes at least 2 arguments, got %d", e.Op, len(args))
	}
	if isNullConst(args[0]) {
		return newConst(e.Typ, coldata.NullDatum), nil
	}
	kept := args[:1:1]
	for _, a := range args {
		if t := a.typ().ID; t != coldata.String && t != coldata.Unknown {
			return nil, errorf("%s needs VARCHAR arguments, got %s", e.Op, a.typ())
		}
	}
	for _, a := range args[1:] {
		if !isNullConst(a) && a.typ().ID != coldata.Unknown {
			kept = append(kept, a)
		}
	}
	return fold(&concatWSNode{args: kept}, kept...), nil
}

func (n *concatWSNode) typ() coldata.Type { return coldata.TypeString }

func (n *concatWSNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	rows := b.N
	vs, err := evalArgs(n.args, b, sel, &n.vs)
	if err != nil {
		return nil, err
	}
	out := n.res.reset(coldata.TypeString, rows)
	n.res.shareNulls(sel, rows, vs[0], nil)
	sepNulls, seps := vs[0].Nulls, vs[0].Str
	a := &n.arena
	a.reset(rows)
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		a.skip(int32(i))
		if sepNulls != nil && sepNulls[i] {
			continue
		}
		start, first := len(a.buf), true
		for _, v := range vs[1:] {
			if v.Nulls != nil && v.Nulls[i] {
				continue
			}
			if !first {
				a.buf = append(a.buf, seps[i]...)
			}
			first = false
			a.buf = append(a.buf, v.Str[i]...)
		}
		a.mark(int32(i), start)
	}
	a.finish(out.Str, sel, rows)
	return out, nil
}
