package kernel

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/bits"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// digestNode is the hashing and encoding functions: sha1, sha256,
// md5_number, hash, to_base64/from_base64, hex/unhex, bin/unbin. Text
// results are built in one arena per batch.
type digestNode struct {
	op   expr.Op
	args []node
	vs   []*coldata.Vec
	t    coldata.Type
	res  result
	a    strArena
	tmp  []byte
}

func compileEncode(e *expr.Func, args []node) (node, error) {
	if len(args) == 0 || len(args) > 1 && e.Op != expr.OpHash {
		return nil, errorf("%s takes 1 argument, got %d", e.Op, len(args))
	}
	if e.Op != expr.OpHash {
		if isNullConst(args[0]) || args[0].typ().ID == coldata.Unknown {
			return newConst(e.Typ, coldata.NullDatum), nil
		}
		t := args[0].typ().ID
		intOK := (e.Op == expr.OpToHex || e.Op == expr.OpToBinary) &&
			(t == coldata.Int32 || t == coldata.Int64 || t == coldata.Hugeint)
		if t != coldata.String && !intOK {
			return nil, errorf("%s(%s) is not supported", e.Op, args[0].typ())
		}
	} else {
		for _, a := range args {
			if p := physOf(a.typ()); p == physNone && a.typ().ID != coldata.Unknown {
				return nil, errorf("hash(%s) is not supported", a.typ())
			}
		}
	}
	return fold(&digestNode{op: e.Op, args: args, t: e.Typ}, args...), nil
}

func (n *digestNode) typ() coldata.Type { return n.t }

func (n *digestNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	vs, err := evalArgs(n.args, b, sel, &n.vs)
	if err != nil {
		return nil, err
	}
	rows := b.N
	out := n.res.reset(n.t, rows)
	if n.op == expr.OpHash {
		n.res.vec.Nulls = nil
		hashRows(out.I128, vs, sel, rows)
		return out, nil
	}
	n.res.shareNulls(sel, rows, vs[0], nil)
	x := vs[0]
	if n.op == expr.OpMD5Number {
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			n.tmp = append(n.tmp[:0], x.Str[i]...)
			sum := md5.Sum(n.tmp)
			out.I128[i] = coldata.Int128{Lo: binary.LittleEndian.Uint64(sum[:8]), Hi: int64(binary.LittleEndian.Uint64(sum[8:]))}
		}
		return out, nil
	}
	n.a.reset(rows)
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		if x.Nulls != nil && x.Nulls[i] {
			n.a.skip(int32(i))
			continue
		}
		start := len(n.a.buf)
		if err := n.encode(x, i); err != nil {
			return nil, err
		}
		n.a.mark(int32(i), start)
	}
	n.a.finish(out.Str, sel, rows)
	return out, nil
}

// encode appends row i's result to the arena.
func (n *digestNode) encode(x *coldata.Vec, i int) error {
	a := &n.a
	switch x.Type.ID {
	case coldata.Int32:
		a.buf = appendIntDigits(a.buf, uint64(int64(x.I32[i])), 0, n.op == expr.OpToHex)
		return nil
	case coldata.Int64:
		a.buf = appendIntDigits(a.buf, uint64(x.I64[i]), 0, n.op == expr.OpToHex)
		return nil
	case coldata.Hugeint:
		h := x.I128[i]
		a.buf = appendIntDigits(a.buf, h.Lo, uint64(h.Hi), n.op == expr.OpToHex)
		return nil
	}
	s := x.Str[i]
	switch n.op {
	case expr.OpSHA1:
		n.tmp = append(n.tmp[:0], s...)
		sum := sha1.Sum(n.tmp)
		a.buf = hex.AppendEncode(a.buf, sum[:])
	case expr.OpSHA256:
		n.tmp = append(n.tmp[:0], s...)
		sum := sha256.Sum256(n.tmp)
		a.buf = hex.AppendEncode(a.buf, sum[:])
	case expr.OpToBase64:
		n.tmp = append(n.tmp[:0], s...)
		a.buf = base64.StdEncoding.AppendEncode(a.buf, n.tmp)
	case expr.OpFromBase64:
		if len(s)%4 != 0 {
			return conversionErrorf("Could not decode string \"%s\" as base64: length must be a multiple of 4", s)
		}
		n.tmp = append(n.tmp[:0], s...)
		var err error
		if a.buf, err = base64.StdEncoding.AppendDecode(a.buf, n.tmp); err != nil {
			return conversionErrorf("Could not decode string \"%s\" as base64", s)
		}
	case expr.OpToHex:
		for j := 0; j < len(s); j++ {
			a.buf = append(a.buf, upperHex[s[j]>>4], upperHex[s[j]&15])
		}
	case expr.OpToBinary:
		for j := 0; j < len(s); j++ {
			for bit := 7; bit >= 0; bit-- {
				a.buf = append(a.buf, '0'+s[j]>>bit&1)
			}
		}
	case expr.OpFromHex:
		return n.unhex(s)
	case expr.OpFromBinary:
		return n.unbin(s)
	}
	return nil
}

const upperHex = "0123456789ABCDEF"

// unhex decodes hex digits; an odd count reads as a leading zero.
func (n *digestNode) unhex(s string) error {
	a := &n.a
	j := 0
	if len(s)%2 == 1 {
		d, ok := hexDigit(s[0])
		if !ok {
			return invalidInputf("Invalid input for hex digit: %c", s[0])
		}
		a.buf = append(a.buf, d)
		j = 1
	}
	for ; j < len(s); j += 2 {
		hi, ok1 := hexDigit(s[j])
		lo, ok2 := hexDigit(s[j+1])
		if !ok1 {
			return invalidInputf("Invalid input for hex digit: %c", s[j])
		}
		if !ok2 {
			return invalidInputf("Invalid input for hex digit: %c", s[j+1])
		}
		a.buf = append(a.buf, hi<<4|lo)
	}
	return nil
}

// unbin decodes binary digits, the first byte taking the leftover bits.
func (n *digestNode) unbin(s string) error {
	a := &n.a
	var cur byte
	bitsLeft := len(s) % 8
	if bitsLeft == 0 {
		bitsLeft = 8
	}
	for j := 0; j < len(s); j++ {
		c := s[j]
		if c != '0' && c != '1' {
			return invalidInputf("Invalid input for binary digit: %c", c)
		}
		cur = cur<<1 | (c - '0')
		if bitsLeft--; bitsLeft == 0 {
			a.buf = append(a.buf, cur)
			cur, bitsLeft = 0, 8
		}
	}
	return nil
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// appendIntDigits prints the two's-complement bits of an integer (hi:lo)
// in upper-case hex or binary without leading zeros, as DuckDB's hex(int)
// and bin(int).
func appendIntDigits(dst []byte, lo, hi uint64, hexa bool) []byte {
	shift, mask := uint(1), uint64(1)
	if hexa {
		shift, mask = 4, 15
	}
	started := false
	for _, w := range [2]uint64{hi, lo} {
		for s := int(64 - shift); s >= 0; s -= int(shift) {
			d := w >> uint(s) & mask
			if d == 0 && !started {
				continue
			}
			started = true
			dst = append(dst, upperHex[d])
		}
	}
	if !started {
		dst = append(dst, '0')
	}
	return dst
}

// hashRows hashes each row's arguments into 64 bits, stored unsigned in a
// HUGEINT (DuckDB's hash is a UBIGINT; its values are its own and are not
// reproduced, only the properties: deterministic, equal values hash alike,
// NULL has a hash).
func hashRows(out []coldata.Int128, vs []*coldata.Vec, sel []int32, rows int) {
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		h := uint64(0x2545f4914f6cdd1d)
		for _, v := range vs {
			h = mix64(h ^ hashValue(v, i))
		}
		out[i] = coldata.Int128{Lo: h}
	}
}

func hashValue(v *coldata.Vec, i int) uint64 {
	if v.Nulls != nil && v.Nulls[i] || v.Type.ID == coldata.Unknown {
		return 0xbf58476d1ce4e5b9
	}
	switch physOf(v.Type) {
	case physBool:
		if v.B[i] {
			return 1
		}
		return 2
	case physI32:
		return mix64(uint64(v.I32[i]))
	case physI64:
		return mix64(uint64(v.I64[i]))
	case physF64:
		f := v.F64[i]
		if f == 0 {
			f = 0 // -0 hashes as 0
		}
		return mix64(math.Float64bits(f))
	case physI128:
		return mix64(v.I128[i].Lo ^ bits.RotateLeft64(uint64(v.I128[i].Hi), 32))
	case physStr:
		// FNV-1a over the bytes, then mixed.
		h := uint64(14695981039346656037)
		s := v.Str[i]
		for j := 0; j < len(s); j++ {
			h = (h ^ uint64(s[j])) * 1099511628211
		}
		return mix64(h)
	}
	return 0
}

// mix64 is the splitmix64 finalizer.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}
