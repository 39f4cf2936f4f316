package kernel

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// bytesCastNode casts between VARCHAR and the kinds over String storage
// (BLOB, UUID): blob text to bytes and back with DuckDB's \xNN escapes,
// UUID text validated into canonical form. A UUID already is its
// canonical text, so UUID -> VARCHAR only retypes the vector.
type bytesCastNode struct {
	x        node
	from, to coldata.Type
	try      bool
	res      result
	a        strArena
}

func (c *compiler) compileBytesCast(x node, from, to coldata.Type, try bool) (node, error) {
	text := from.ID == coldata.String && from.Kind == coldata.KindNone
	switch {
	case from.Kind == coldata.KindUUID && to == coldata.TypeString:
		return &retypeNode{x: x, t: to}, nil
	case text && to.IsBytes(), from.Kind == coldata.KindBlob && to == coldata.TypeString,
		from.Kind == coldata.KindBlob && to.Kind == coldata.KindUUID, from.Kind == coldata.KindUUID && to.Kind == coldata.KindBlob:
	default:
		if try {
			return newConst(to, coldata.NullDatum), nil
		}
		return nil, conversionErrorf("Unimplemented type for cast (%s -> %s)", from, to)
	}
	return fold(&bytesCastNode{x: x, from: from, to: to, try: try}, x), nil
}

func (n *bytesCastNode) typ() coldata.Type { return n.to }

func (n *bytesCastNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	v, err := n.x.eval(b, sel)
	if err != nil {
		return nil, err
	}
	rows := b.N
	out := n.res.reset(n.to, rows)
	var nulls []bool
	if n.try {
		nulls = n.res.copyNulls(sel, rows, v)
	} else {
		n.res.shareNulls(sel, rows, v, nil)
	}
	n.a.reset(rows)
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		if v.Nulls != nil && v.Nulls[i] {
			n.a.skip(int32(i))
			continue
		}
		start := len(n.a.buf)
		s := v.Str[i]
		var err error
		switch {
		case n.to.Kind == coldata.KindNone:
			n.a.buf = coldata.AppendBlobText(n.a.buf, s)
		case n.from.Kind == coldata.KindUUID:
			// the 16 bytes of the value, most significant first
			n.a.buf, _ = coldata.AppendUUIDBytes(n.a.buf, s)
		case n.to.Kind == coldata.KindBlob:
			n.a.buf, err = coldata.AppendBlobParse(n.a.buf, s)
		default:
			var ok bool
			if n.from.Kind == coldata.KindBlob {
				ok = len(s) == 16
				n.a.buf = coldata.AppendUUIDText(n.a.buf, s)
			} else {
				n.a.buf, ok = coldata.AppendUUIDParse(n.a.buf, s)
			}
			if !ok {
				err = conversionErrorf("Could not convert string '%s' to INT128", s)
			}
		}
		if err != nil {
			if !n.try {
				if n.to.Kind == coldata.KindBlob {
					return nil, conversionErrorf("%s", err)
				}
				return nil, err
			}
			n.a.buf = n.a.buf[:start]
			nulls[i] = true
			n.a.skip(int32(i))
			continue
		}
		n.a.mark(int32(i), start)
	}
	n.a.finish(out.Str, sel, rows)
	return out, nil
}
