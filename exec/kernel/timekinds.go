package kernel

import (
	"math"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// Casts that involve TIME or TIMESTAMPTZ (kinds over Int64 and Timestamp
// storage, see coldata/timekinds.go). VARCHAR goes through castNode, whose
// string paths know the kinds; TIMESTAMPTZ converts to and from TIMESTAMP
// unchanged because the session time zone is UTC, so it is a relabelling
// of the same vector around the TIMESTAMP casts; TIMESTAMP to TIME keeps
// the time of day (TIMESTAMPTZ to TIME is not implemented, as in DuckDB
// without ICU). Anything else is DuckDB's "Unimplemented type for cast".
func (c *compiler) compileTimeCast(e *expr.Cast, x node, from, to coldata.Type) (node, error) {
	src := ""
	if col, ok := e.Arg.(*expr.Column); ok {
		src = col.Name
	}
	if from.ID == coldata.String || to.ID == coldata.String {
		return fold(&castNode{x: x, from: from, to: to, try: e.Try, source: src}, x), nil
	}
	orig := from
	if from == coldata.TypeTimestampTZ {
		x, from = fold(&retypeNode{x: x, t: coldata.TypeTimestamp}, x), coldata.TypeTimestamp
	}
	switch {
	case to == from:
		return x, nil
	case to == coldata.TypeTimestampTZ && (from.ID == coldata.Date || from.ID == coldata.Timestamp) && from.Kind == coldata.KindNone:
		if from.ID == coldata.Date {
			x = fold(&castNode{x: x, from: from, to: coldata.TypeTimestamp, try: e.Try, source: src}, x)
		}
		return fold(&retypeNode{x: x, t: to}, x), nil
	case to == coldata.TypeTime && orig == coldata.TypeTimestamp:
		// TIMESTAMPTZ to TIME needs a time zone library DuckDB loads
		// separately (ICU); without it the cast is unimplemented, as here.
		return fold(&timeOfDayNode{x: x}, x), nil
	case to.Kind == coldata.KindNone && from == coldata.TypeTimestamp && castable(from.ID, to.ID):
		return fold(&castNode{x: x, from: from, to: to, try: e.Try, source: src}, x), nil
	}
	if e.Try {
		return newConst(to, coldata.NullDatum), nil
	}
	return nil, conversionErrorf("Unimplemented type for cast (%s -> %s)", orig, to)
}

// retypeNode hands on its argument's vector under another type with the
// same storage.
type retypeNode struct {
	x   node
	t   coldata.Type
	hdr coldata.Vec
}

func (n *retypeNode) typ() coldata.Type { return n.t }

func (n *retypeNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	v, err := n.x.eval(b, sel)
	if err != nil {
		return nil, err
	}
	n.hdr = *v
	n.hdr.Type = n.t
	return &n.hdr, nil
}

// timeOfDayNode is TIMESTAMP to TIME: the microseconds since the midnight
// before the instant (infinite timestamps have none and are an error).
type timeOfDayNode struct {
	x   node
	res result
}

func (n *timeOfDayNode) typ() coldata.Type { return coldata.TypeTime }

func (n *timeOfDayNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	v, err := n.x.eval(b, sel)
	if err != nil {
		return nil, err
	}
	out := n.res.reset(coldata.TypeTime, b.N)
	n.res.shareNulls(sel, b.N, v, nil)
	for k := 0; k < liveLen(sel, b.N); k++ {
		i := rowAt(sel, k)
		us := v.I64[i]
		if (us == math.MaxInt64 || us == -math.MaxInt64) && !v.IsNull(i) {
			return nil, invalidInputf("Type INT64 with value %s can't be cast to the destination type INT64", coldata.FormatTimestamp(us))
		}
		out.I64[i] = us - floorDiv(us, usPerDay)*usPerDay
	}
	return out, nil
}
