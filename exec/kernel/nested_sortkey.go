package kernel

import (
	"encoding/binary"
	"math"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Sort keys of nested values: a VARCHAR whose byte order is DuckDB's order
// of LIST and STRUCT values, so that ORDER BY sorts them as strings.
// Lists compare element by element, a shorter prefix first; structs field
// by field; a NULL element or field sorts after every value (in both
// directions of the sort, which reverses the whole key). Integers are
// big-endian with the sign bit flipped, doubles their bits made
// monotonic, strings escaped (0x00 as 0x00 0xFF) and ended by 0x00 0x00.

// SortKeyable reports whether t's values have sort keys.
func SortKeyable(t coldata.Type) bool {
	switch t.ID {
	case coldata.Bool, coldata.Int32, coldata.Int64, coldata.Decimal, coldata.Date, coldata.Timestamp,
		coldata.Float64, coldata.String:
		return true
	case coldata.List:
		return SortKeyable(t.Nest.Elem)
	case coldata.Struct:
		for _, f := range t.Nest.Fields {
			if !SortKeyable(f.Type) {
				return false
			}
		}
		return true
	}
	return false
}

type sortKeyNode struct {
	arg node
	out coldata.Vec
	buf []byte
}

func (n *sortKeyNode) typ() coldata.Type { return coldata.TypeString }

func (n *sortKeyNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	v, err := n.arg.eval(b, sel)
	if err != nil {
		return nil, err
	}
	n.out.Type = coldata.TypeString
	n.out.Resize(b.N)
	out := n.out.Str
	each(sel, b.N, func(i int) {
		if v.IsNull(i) {
			n.out.SetNull(i)
			return
		}
		n.buf = sortKey(n.buf[:0], v.Type, v.Get(i))
		out[i] = string(n.buf)
	})
	return &n.out, nil
}

// sortKey appends the key of the non-NULL value d of type t.
func sortKey(buf []byte, t coldata.Type, d coldata.Datum) []byte {
	switch t.ID {
	case coldata.Bool:
		if d.B {
			return append(buf, 1)
		}
		return append(buf, 0)
	case coldata.Float64:
		f := d.F
		if f == 0 {
			f = 0 // -0 sorts as 0
		}
		bits := math.Float64bits(f)
		if bits>>63 == 1 {
			bits = ^bits
		} else {
			bits ^= 1 << 63
		}
		return binary.BigEndian.AppendUint64(buf, bits)
	case coldata.String:
		for k := 0; k < len(d.S); k++ {
			buf = append(buf, d.S[k])
			if d.S[k] == 0 {
				buf = append(buf, 0xFF)
			}
		}
		return append(buf, 0, 0)
	case coldata.List:
		if d.N != nil {
			for _, e := range d.N.Elems {
				buf = sortKeyElem(buf, t.Nest.Elem, e)
			}
		}
		return append(buf, 0)
	case coldata.Struct:
		for k, f := range t.Nest.Fields {
			e := coldata.NullDatum
			if d.N != nil && k < len(d.N.Elems) {
				e = d.N.Elems[k]
			}
			buf = sortKeyElem(buf, f.Type, e)
		}
		return buf
	}
	return binary.BigEndian.AppendUint64(buf, uint64(d.I)^1<<63)
}

// sortKeyElem appends an element or field: 0x01 and its key, or 0x02 for
// NULL (after every value; 0x00 ends a list).
func sortKeyElem(buf []byte, t coldata.Type, d coldata.Datum) []byte {
	if d.Null {
		return append(buf, 2)
	}
	return sortKey(append(buf, 1), t, d)
}
