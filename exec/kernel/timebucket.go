package kernel

import (
	"math"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// timeBucketNode is time_bucket: the start of the width-wide bucket, counted
// from origin, that holds ts - offset, plus offset. Month widths count
// calendar months from the origin's month.
type timeBucketNode struct {
	ts, origin node
	months     int64 // width in months, or 0
	us         int64 // width in microseconds when months is 0
	off        [3]int64
	res        result
}

func (c *compiler) compileTimeBucket(e *expr.Func, args []node) (node, error) {
	if len(args) != 7 || e.Typ.ID != coldata.Timestamp {
		return nil, errorf("time_bucket takes 7 arguments")
	}
	if isNullConst(args[0]) || isNullConst(args[1]) {
		return newConst(e.Typ, coldata.NullDatum), nil
	}
	n := &timeBucketNode{ts: args[0], origin: args[1]}
	var ks [5]int64
	for i, a := range args[2:] {
		k, ok := a.(*constNode)
		if !ok || a.typ().ID != coldata.Int64 {
			return nil, errorf("time_bucket needs constant widths")
		}
		ks[i] = k.d.I
	}
	n.months, n.us, n.off = ks[0], ks[1], [3]int64{ks[2], ks[3], ks[4]}
	if n.months <= 0 && n.us <= 0 {
		return nil, errorf("Period must be greater than 0")
	}
	return fold(n, n.ts, n.origin), nil
}

func (n *timeBucketNode) typ() coldata.Type { return coldata.TypeTimestamp }

func (n *timeBucketNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	tv, err := n.ts.eval(b, sel)
	if err != nil {
		return nil, err
	}
	ov, err := n.origin.eval(b, sel)
	if err != nil {
		return nil, err
	}
	rows := b.N
	out := n.res.reset(coldata.TypeTimestamp, rows)
	nulls := n.res.copyNulls(sel, rows, tv, ov)
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		if nulls[i] {
			continue
		}
		ts := tv.I64[i]
		if ts == math.MaxInt64 || ts == -math.MaxInt64 {
			out.I64[i] = ts
			continue
		}
		r, ok := n.bucket(ts, ov.I64[i])
		if !ok {
			return nil, conversionErrorf("Date and time not in timestamp range")
		}
		out.I64[i] = r
	}
	return out, nil
}

func (n *timeBucketNode) bucket(ts, origin int64) (int64, bool) {
	ts, ok := TimestampAddInterval(ts, -n.off[0], -n.off[1], -n.off[2])
	if !ok {
		return 0, false
	}
	if n.months == 0 {
		d, ok := addInt64(ts, -origin)
		if !ok {
			return 0, false
		}
		ts = origin + floorDiv(d, n.us)*n.us
	} else {
		y, m, _ := civil(floorDiv(ts, usPerDay))
		oy, om, _ := civil(floorDiv(origin, usPerDay))
		diff := (y*12 + m - 1) - (oy*12 + om - 1)
		total := oy*12 + om - 1 + floorDiv(diff, n.months)*n.months
		ts = daysFromCivil(floorDiv(total, 12), floorMod(total, 12)+1, 1) * usPerDay
	}
	return TimestampAddInterval(ts, n.off[0], n.off[1], n.off[2])
}
