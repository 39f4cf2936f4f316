package kernel

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Nested values travel through operators that only know flat vectors (the
// hash join's build side) as VARCHARs holding a binary form: a null byte,
// then the value (integers as varints, doubles as bits, strings and lists
// length-prefixed, structs field by field). Equal values encode equally.

type encodeNode struct {
	arg node
	out coldata.Vec
	buf []byte
}

func (n *encodeNode) typ() coldata.Type { return coldata.TypeString }

func (n *encodeNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
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
		n.buf = encodeDatum(n.buf[:0], v.Type, v.Get(i))
		out[i] = string(n.buf)
	})
	return &n.out, nil
}

func encodeDatum(buf []byte, t coldata.Type, d coldata.Datum) []byte {
	if d.Null {
		return append(buf, 0)
	}
	buf = append(buf, 1)
	switch t.ID {
	case coldata.Bool:
		if d.B {
			return append(buf, 1)
		}
		return append(buf, 0)
	case coldata.Float64:
		return binary.LittleEndian.AppendUint64(buf, math.Float64bits(d.F))
	case coldata.String:
		buf = binary.AppendUvarint(buf, uint64(len(d.S)))
		return append(buf, d.S...)
	case coldata.List, coldata.Map, coldata.Struct:
		var nd coldata.Nested
		if d.N != nil {
			nd = *d.N
		}
		switch t.ID {
		case coldata.Struct:
			for k, f := range t.Nest.Fields {
				e := coldata.NullDatum
				if k < len(nd.Elems) {
					e = nd.Elems[k]
				}
				buf = encodeDatum(buf, f.Type, e)
			}
		case coldata.List:
			buf = binary.AppendUvarint(buf, uint64(len(nd.Elems)))
			for _, e := range nd.Elems {
				buf = encodeDatum(buf, t.Nest.Elem, e)
			}
		default:
			buf = binary.AppendUvarint(buf, uint64(len(nd.Keys)))
			for k := range nd.Keys {
				buf = encodeDatum(buf, t.Nest.Key, nd.Keys[k])
				buf = encodeDatum(buf, t.Nest.Value, nd.Elems[k])
			}
		}
		return buf
	}
	return binary.AppendVarint(buf, d.I)
}

var errBadEncoding = errors.New("kernel: corrupt nested value encoding")

func decodeDatum(b []byte, t coldata.Type) (coldata.Datum, []byte, error) {
	if len(b) == 0 {
		return coldata.Datum{}, nil, errBadEncoding
	}
	if b[0] == 0 {
		return coldata.NullDatum, b[1:], nil
	}
	b = b[1:]
	var d coldata.Datum
	switch t.ID {
	case coldata.Bool:
		if len(b) < 1 {
			return d, nil, errBadEncoding
		}
		return coldata.Datum{B: b[0] == 1}, b[1:], nil
	case coldata.Float64:
		if len(b) < 8 {
			return d, nil, errBadEncoding
		}
		return coldata.Datum{F: math.Float64frombits(binary.LittleEndian.Uint64(b))}, b[8:], nil
	case coldata.String:
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return d, nil, errBadEncoding
		}
		return coldata.Datum{S: string(b[k : k+int(n)])}, b[k+int(n):], nil
	case coldata.Struct:
		elems := make([]coldata.Datum, len(t.Nest.Fields))
		for k, f := range t.Nest.Fields {
			var err error
			if elems[k], b, err = decodeDatum(b, f.Type); err != nil {
				return d, nil, err
			}
		}
		return coldata.StructDatum(elems...), b, nil
	case coldata.List, coldata.Map:
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)) {
			return d, nil, errBadEncoding
		}
		b = b[k:]
		var keys []coldata.Datum
		elems := make([]coldata.Datum, n)
		if t.ID == coldata.Map {
			keys = make([]coldata.Datum, n)
		}
		for j := range elems {
			var err error
			if t.ID == coldata.Map {
				if keys[j], b, err = decodeDatum(b, t.Nest.Key); err != nil {
					return d, nil, err
				}
				if elems[j], b, err = decodeDatum(b, t.Nest.Value); err != nil {
					return d, nil, err
				}
				continue
			}
			if elems[j], b, err = decodeDatum(b, t.Nest.Elem); err != nil {
				return d, nil, err
			}
		}
		if t.ID == coldata.Map {
			return coldata.MapDatum(keys, elems), b, nil
		}
		return coldata.ListDatum(elems...), b, nil
	}
	x, k := binary.Varint(b)
	if k <= 0 {
		return d, nil, errBadEncoding
	}
	return coldata.Datum{I: x}, b[k:], nil
}

type decodeNode struct {
	arg  node
	t    coldata.Type
	out  coldata.Vec
	live []bool
}

func (n *decodeNode) typ() coldata.Type { return n.t }

func (n *decodeNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	v, err := n.arg.eval(b, sel)
	if err != nil {
		return nil, err
	}
	n.live = coldata.Grow(n.live, b.N)
	if sel == nil {
		for i := range n.live {
			n.live[i] = true
		}
	} else {
		clear(n.live)
		for _, i := range sel {
			n.live[i] = true
		}
	}
	n.out = coldata.Vec{Type: n.t}
	n.out.Resize(b.N)
	// Lists are filled in row order, so every row is set.
	for i := 0; i < b.N; i++ {
		if !n.live[i] || v.IsNull(i) {
			n.out.Set(i, coldata.NullDatum)
			continue
		}
		d, rest, err := decodeDatum([]byte(v.Str[i]), n.t)
		if err != nil || len(rest) != 0 {
			return nil, errBadEncoding
		}
		n.out.Set(i, d)
	}
	return &n.out, nil
}
