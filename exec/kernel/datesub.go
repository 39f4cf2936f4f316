package kernel

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// dateSubNode is date_sub(part, start, end): the whole parts elapsed, the
// largest n with start + n parts <= end (negative when end is earlier).
type dateSubNode struct {
	a, z node
	part int
	res  result
}

func (c *compiler) compileDateSub(e *expr.Func, args []node) (node, error) {
	if len(args) != 3 || e.Typ.ID != coldata.Int64 {
		return nil, errorf("date_sub takes 3 arguments")
	}
	for _, a := range args {
		if isNullConst(a) || a.typ().ID == coldata.Unknown {
			return newConst(e.Typ, coldata.NullDatum), nil
		}
	}
	k, ok := args[0].(*constNode)
	if !ok || args[1].typ().ID != coldata.Timestamp || args[2].typ().ID != coldata.Timestamp {
		return nil, errorf("date_sub takes (constant part, TIMESTAMP, TIMESTAMP)")
	}
	canon, known := expr.DatePart(k.d.S)
	if !known {
		return nil, conversionErrorf("extract specifier \"%s\" not recognized", k.d.S)
	}
	part, ok := calPart(partCodes[canon])
	if !ok {
		return nil, errorf("Specifier type not implemented for DATESUB")
	}
	if part == partISOYear {
		part = partYear
	}
	n := &dateSubNode{a: args[1], z: args[2], part: part}
	return fold(n, n.a, n.z), nil
}

func (n *dateSubNode) typ() coldata.Type { return coldata.TypeInt64 }

func (n *dateSubNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	av, err := n.a.eval(b, sel)
	if err != nil {
		return nil, err
	}
	zv, err := n.z.eval(b, sel)
	if err != nil {
		return nil, err
	}
	rows := b.N
	out := n.res.reset(coldata.TypeInt64, rows)
	n.res.shareNulls(sel, rows, av, zv)
	nullInfinite(&n.res, sel, rows, av, zv)
	per := map[int]int64{partMicrosecond: 1, partMillisecond: usPerMs, partSecond: usPerSec, partMinute: usPerMin,
		partHour: usPerHour, partDay: usPerDay, partWeek: 7 * usPerDay}[n.part]
	months := map[int]int64{partMonth: 1, partQuarter: 3, partYear: 12, partDecade: 120, partCentury: 1200, partMillennium: 12000}[n.part]
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		if per != 0 {
			out.I64[i] = (zv.I64[i] - av.I64[i]) / per
		} else {
			out.I64[i] = monthsElapsed(av.I64[i], zv.I64[i]) / months
		}
	}
	return out, nil
}

// monthsElapsed is the largest n with a + n months <= z (the day clamped
// to the month's length), negated when z is before a.
func monthsElapsed(a, z int64) int64 {
	if z < a {
		return -monthsElapsed(z, a)
	}
	da, dz := floorDiv(a, usPerDay), floorDiv(z, usPerDay)
	ya, ma, dayA := civil(da)
	yz, mz, dayZ := civil(dz)
	n := (yz*12 + mz) - (ya*12 + ma)
	dayA = min(dayA, daysInMonth(yz, mz))
	if dayZ < dayA || dayZ == dayA && z-dz*usPerDay < a-da*usPerDay {
		n--
	}
	return n
}
