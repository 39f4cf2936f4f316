package kernel

import (
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// strMoreSigs are the argument kinds ('s' VARCHAR, 'i' BIGINT, 'd' DOUBLE)
// and result types of planner/expr/strmore.go's operators.
var strMoreSigs = map[expr.Op]strOpSig{
	expr.OpLevenshtein: {"ss", 0, coldata.Int64}, expr.OpDamerauLev: {"ss", 0, coldata.Int64},
	expr.OpJaro: {"ssd", 1, coldata.Float64}, expr.OpJaroWinkler: {"ssd", 1, coldata.Float64},
	expr.OpJaccard: {"ss", 0, coldata.Float64}, expr.OpHamming: {"ss", 0, coldata.Int64},
	expr.OpTranslate: {"sss", 0, coldata.String}, expr.OpUnicode: {"s", 0, coldata.Int32},
	expr.OpBitLength: {"s", 0, coldata.Int64}, expr.OpRegexpEscape: {"s", 0, coldata.String},
	expr.OpFormatBytes: {"ii", 0, coldata.String}, expr.OpToBase: {"iii", 0, coldata.String},
	expr.OpBar: {"dddi", 0, coldata.String}, expr.OpStrElement: {"si", 0, coldata.String},
	expr.OpStrSlice: {"sii", 0, coldata.String}, expr.OpParseDirname: {"ss", 0, coldata.String},
	expr.OpParseDirpath: {"ss", 0, coldata.String}, expr.OpParseFilename: {"ssi", 0, coldata.String},
	expr.OpLengthGrapheme: {"s", 0, coldata.Int64}, expr.OpSubstringGrapheme: {"sii", 0, coldata.String},
	expr.OpLeftGrapheme: {"si", 0, coldata.String}, expr.OpRightGrapheme: {"si", 0, coldata.String},
	expr.OpStrlen: {"s", 0, coldata.Int64}, expr.OpReverseGrapheme: {"s", 0, coldata.String},
}

// strMoreNode evaluates one of strMoreSigs' functions; a NULL argument
// gives NULL. Built strings go through the arena, one allocation a batch.
type strMoreNode struct {
	op    expr.Op
	args  []node
	t     coldata.Type
	res   result
	arena strArena
	vs    []*coldata.Vec
	sim   simScratch
	gr    graphemes
	runes []rune
}

func (c *compiler) compileStrMore(e *expr.Func, args []node) (node, error) {
	if e.Op == expr.OpPrintf || e.Op == expr.OpFormat {
		return c.compilePrintf(e, args)
	}
	sig, ok := strMoreSigs[e.Op]
	if !ok {
		return nil, errorf("unsupported operator %s", e.Op)
	}
	if null, err := sig.check(e, args, func(i int, code byte, t coldata.Type) error {
		want := map[byte]coldata.TypeID{'s': coldata.String, 'i': coldata.Int64, 'd': coldata.Float64}[code]
		if t.ID != want {
			return errorf("%s needs a %s argument %d, got %s", e.Op, coldata.Type{ID: want}, i+1, t)
		}
		return nil
	}); null != nil || err != nil {
		return null, err
	}
	n := &strMoreNode{op: e.Op, args: args, t: e.Typ}
	return fold(n, args...), nil
}

func (n *strMoreNode) typ() coldata.Type { return n.t }

func (n *strMoreNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	rows := b.N
	vs, err := evalArgs(n.args, b, sel, &n.vs)
	if err != nil {
		return nil, err
	}
	out := n.res.reset(n.t, rows)
	nulls := n.res.copyNulls(sel, rows, vs...)
	live := liveLen(sel, rows)
	switch n.op {
	case expr.OpLevenshtein, expr.OpDamerauLev, expr.OpHamming:
		s, t := vs[0].Str, vs[1].Str
		for k := 0; k < live; k++ {
			i := rowAt(sel, k)
			if nulls[i] {
				continue
			}
			switch n.op {
			case expr.OpLevenshtein:
				out.I64[i] = n.sim.levenshtein(s[i], t[i])
			case expr.OpDamerauLev:
				out.I64[i] = n.sim.damerau(s[i], t[i])
			default:
				if out.I64[i], err = hamming(s[i], t[i]); err != nil {
					return nil, err
				}
			}
		}
	case expr.OpJaro, expr.OpJaroWinkler, expr.OpJaccard:
		s, t := vs[0].Str, vs[1].Str
		for k := 0; k < live; k++ {
			i := rowAt(sel, k)
			if nulls[i] {
				continue
			}
			var sim float64
			switch n.op {
			case expr.OpJaro:
				sim = n.sim.jaro(s[i], t[i])
			case expr.OpJaroWinkler:
				sim = n.sim.jaroWinkler(s[i], t[i])
			default:
				if sim, err = jaccard(s[i], t[i]); err != nil {
					return nil, err
				}
			}
			if len(vs) == 3 && sim < vs[2].F64[i] { // below the score cutoff
				sim = 0
			}
			out.F64[i] = sim
		}
	case expr.OpUnicode, expr.OpBitLength, expr.OpStrlen:
		s := vs[0].Str
		for k := 0; k < live; k++ {
			i := rowAt(sel, k)
			if n.op == expr.OpStrlen {
				out.I64[i] = int64(len(s[i]))
			} else if n.op == expr.OpBitLength {
				out.I64[i] = int64(len(s[i])) * 8
			} else if s[i] == "" {
				out.I32[i] = -1
			} else {
				r, _ := utf8.DecodeRuneInString(s[i])
				out.I32[i] = r
			}
		}
	case expr.OpParseDirname, expr.OpParseDirpath, expr.OpParseFilename:
		s, seps := vs[0].Str, vs[1].Str
		for k := 0; k < live; k++ {
			i := rowAt(sel, k)
			if nulls[i] {
				continue
			}
			switch n.op {
			case expr.OpParseDirname:
				out.Str[i] = parseDirname(s[i], seps[i])
			case expr.OpParseDirpath:
				out.Str[i] = parseDirpath(s[i], seps[i])
			default:
				out.Str[i] = parseFilename(s[i], seps[i], vs[2].I64[i] != 0)
			}
		}
	case expr.OpLengthGrapheme:
		s := vs[0].Str
		for k := 0; k < live; k++ {
			i := rowAt(sel, k)
			out.I64[i] = n.gr.count(s[i])
		}
	case expr.OpSubstringGrapheme, expr.OpLeftGrapheme, expr.OpRightGrapheme:
		n.graphemeSlices(out.Str, vs, nulls, sel, rows)
	case expr.OpStrElement, expr.OpStrSlice:
		s := vs[0].Str
		for k := 0; k < live; k++ {
			i := rowAt(sel, k)
			if nulls[i] {
				continue
			}
			if n.op == expr.OpStrElement {
				j := vs[1].I64[i]
				if j == 0 {
					out.Str[i] = ""
					continue
				}
				out.Str[i] = charSlice(s[i], j, j)
			} else {
				out.Str[i] = charSlice(s[i], vs[1].I64[i], vs[2].I64[i])
			}
		}
	default:
		if err := n.build(out.Str, vs, nulls, sel, rows); err != nil {
			return nil, err
		}
	}
	dropEmptyNulls(out, sel, rows)
	return out, nil
}

// build computes the functions with a VARCHAR result.
func (n *strMoreNode) build(out []string, vs []*coldata.Vec, nulls []bool, sel []int32, rows int) error {
	a := &n.arena
	a.reset(rows)
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		a.skip(int32(i))
		if nulls[i] {
			continue
		}
		start := len(a.buf)
		var err error
		switch n.op {
		case expr.OpTranslate:
			a.buf = n.translate(a.buf, vs[0].Str[i], vs[1].Str[i], vs[2].Str[i])
		case expr.OpRegexpEscape:
			a.buf = appendQuoteMeta(a.buf, vs[0].Str[i])
		case expr.OpReverseGrapheme:
			a.buf = n.gr.appendReverse(a.buf, vs[0].Str[i])
		case expr.OpFormatBytes:
			a.buf = appendFormatBytes(a.buf, vs[0].I64[i], vs[1].I64[i])
		case expr.OpToBase:
			a.buf, err = appendToBase(a.buf, vs[0].I64[i], vs[1].I64[i], vs[2].I64[i])
		case expr.OpBar:
			a.buf, err = appendBar(a.buf, vs[0].F64[i], vs[1].F64[i], vs[2].F64[i], vs[3].I64[i])
		}
		if err != nil {
			return err
		}
		a.mark(int32(i), start)
	}
	a.finish(out, sel, rows)
	return nil
}

// translate replaces each character of s found in from by the character
// at the same position of to, or drops it when to is shorter; the first
// occurrence in from wins.
func (n *strMoreNode) translate(buf []byte, s, from, to string) []byte {
	n.runes = n.runes[:0]
	for _, r := range to {
		n.runes = append(n.runes, r)
	}
	for _, r := range s {
		k := 0
		found := false
		for _, f := range from {
			if f == r {
				found = true
				break
			}
			k++
		}
		switch {
		case !found:
			buf = utf8.AppendRune(buf, r)
		case k < len(n.runes):
			buf = utf8.AppendRune(buf, n.runes[k])
		}
	}
	return buf
}

// appendQuoteMeta escapes every ASCII byte but letters, digits and '_'
// with a backslash (NUL as \x00); other bytes pass unchanged, as RE2's
// QuoteMeta, which DuckDB's regexp_escape is.
func appendQuoteMeta(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80 || c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
		case c == 0:
			buf = append(buf, `\x00`...)
			continue
		default:
			buf = append(buf, '\\')
		}
		buf = append(buf, c)
	}
	return buf
}

// appendFormatBytes writes v bytes with one decimal in the largest unit
// of base (1024: KiB..PiB, 1000: kB..PB) it reaches, truncating.
func appendFormatBytes(buf []byte, v, base int64) []byte {
	u := uint64(v)
	if v < 0 {
		buf = append(buf, '-')
		u = uint64(-v) // -MinInt64 wraps to its own magnitude as uint64
	}
	if u < uint64(base) {
		buf = strconv.AppendUint(buf, u, 10)
		if u == 1 {
			return append(buf, " byte"...)
		}
		return append(buf, " bytes"...)
	}
	units := [...]string{"KiB", "MiB", "GiB", "TiB", "PiB"}
	if base == 1000 {
		units = [...]string{"kB", "MB", "GB", "TB", "PB"}
	}
	k, div := 0, uint64(base)
	for k < len(units)-1 && u/div >= uint64(base) {
		k++
		div *= uint64(base)
	}
	whole, tenths := u/div, (u%div)*10/div // div <= 1024^5: no overflow
	buf = strconv.AppendUint(buf, whole, 10)
	buf = append(buf, '.')
	buf = strconv.AppendUint(buf, tenths, 10)
	buf = append(buf, ' ')
	return append(buf, units[k]...)
}

// appendToBase writes v in radix r, zero-padded to minLen digits.
func appendToBase(buf []byte, v, r, minLen int64) ([]byte, error) {
	if v < 0 {
		return buf, invalidInputf("'to_base' number must be greater than or equal to 0")
	}
	if r < 2 || r > 36 {
		return buf, invalidInputf("'to_base' radix must be between 2 and 36")
	}
	if minLen < 0 || minLen > 64 {
		return buf, invalidInputf("'to_base' min_length must be between 0 and 64")
	}
	var digits [64]byte
	s := strconv.AppendInt(digits[:0], v, int(r))
	for k := int64(len(s)); k < minLen; k++ {
		buf = append(buf, '0')
	}
	for _, c := range s {
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf, nil
}

// barBlocks are the partial blocks of 1/8 to 7/8 of a character.
var barBlocks = [...]string{"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"}

// appendBar draws x between lo and hi as a bar of width characters:
// full blocks, one partial block, then spaces.
func appendBar(buf []byte, x, lo, hi float64, width int64) ([]byte, error) {
	if width < 1 {
		return buf, rangeErrorf("Max bar width must be >= 1")
	}
	if width > 1000 {
		return buf, rangeErrorf("Max bar width must be <= 1000")
	}
	var w float64
	switch {
	case math.IsNaN(x) || math.IsNaN(lo) || math.IsNaN(hi) || x <= lo:
		w = 0
	case x >= hi:
		w = float64(width)
	default:
		w = (x - lo) / (hi - lo) * float64(width)
		if math.IsNaN(w) || math.IsInf(w, 0) {
			return buf, rangeErrorf("Bar width must not be NaN or infinity")
		}
	}
	full := int64(w)
	for k := int64(0); k < full; k++ {
		buf = append(buf, "█"...)
	}
	used := full
	if p := int((w - float64(full)) * 8); p > 0 && full < width {
		buf = append(buf, barBlocks[p]...)
		used++
	}
	for ; used < width; used++ {
		buf = append(buf, ' ')
	}
	return buf, nil
}

// charSlice is characters begin..end of s (1-based, inclusive; negative
// counts from the end; 0 is the start), sharing s's bytes.
func charSlice(s string, begin, end int64) string {
	if begin < 0 || end < 0 {
		size := int64(utf8.RuneCountInString(s))
		if begin < 0 {
			begin += size + 1
		}
		if end < 0 {
			end += size + 1
		}
	}
	begin = max(begin, 1)
	if begin > end {
		return ""
	}
	// Walk to the byte offsets of characters begin and end+1.
	from, to := len(s), len(s)
	c := int64(1)
	for off := range s {
		if c == begin {
			from = off
		}
		if c == end+1 {
			to = off
			break
		}
		c++
	}
	if from > to {
		return ""
	}
	return s[from:to]
}

// graphemeSlices computes substring_grapheme, left_grapheme and
// right_grapheme; results share the input's bytes.
func (n *strMoreNode) graphemeSlices(out []string, vs []*coldata.Vec, nulls []bool, sel []int32, rows int) {
	s := vs[0].Str
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		if nulls[i] {
			continue
		}
		a := vs[1].I64[i]
		switch n.op {
		case expr.OpSubstringGrapheme:
			l := vs[2].I64[i]
			out[i] = n.gr.apply(s[i], func(x string) string { return substring(x, a, l) })
		case expr.OpLeftGrapheme:
			out[i] = n.gr.apply(s[i], func(x string) string { return left(x, a) })
		default:
			out[i] = n.gr.apply(s[i], func(x string) string { return right(x, a) })
		}
	}
}
