package kernel

import (
	"math"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// The parts date_part has beyond those date_trunc and date_diff share
// (datefn.go numbers those).
const (
	partDow = partMillennium + 1 + iota
	partISODow
	partDoy
	partISOYear
	partYearWeek
	partEpoch
	partEra
	partJulian
	partTimezone
	partTimezoneHour
	partTimezoneMinute
)

func init() {
	for name, code := range map[string]int{"dow": partDow, "isodow": partISODow, "doy": partDoy,
		"isoyear": partISOYear, "yearweek": partYearWeek, "epoch": partEpoch, "era": partEra,
		"julian": partJulian, "timezone": partTimezone, "timezone_hour": partTimezoneHour,
		"timezone_minute": partTimezoneMinute} {
		partCodes[name] = code
	}
}

// julianEpoch is the Julian day number of 1970-01-01.
const julianEpoch = 2440588

// calPart maps a part to the one date_trunc and date_diff compute with:
// DuckDB treats the day-valued parts as days, yearweek as weeks and epoch as
// seconds; ok is false for the parts those functions refuse.
func calPart(code int) (int, bool) {
	switch code {
	case partDow, partISODow, partDoy, partJulian:
		return partDay, true
	case partYearWeek:
		return partWeek, true
	case partEpoch:
		return partSecond, true
	case partEra, partTimezone, partTimezoneHour, partTimezoneMinute:
		return 0, false
	}
	return code, true
}

// isoYearStart is the Monday starting ISO year y.
func isoYearStart(y int64) int64 {
	jan4 := daysFromCivil(y, 1, 4)
	return jan4 - floorMod(jan4+3, 7)
}

// intPart is an integer-valued date part of the day number days and the
// microseconds tod since that day's midnight.
func intPart(days, tod int64, part int) int64 {
	switch part {
	case partMicrosecond:
		return tod % (60 * usPerSec)
	case partMillisecond:
		return tod % (60 * usPerSec) / usPerMs
	case partSecond:
		return tod / usPerSec % 60
	case partMinute:
		return tod / usPerMin % 60
	case partHour:
		return tod / usPerHour
	case partDow:
		return floorMod(days+4, 7)
	case partISODow:
		return floorMod(days+3, 7) + 1
	case partWeek:
		return isoWeek(days)
	case partISOYear:
		return isoYear(days)
	case partYearWeek:
		y, w := isoYear(days), isoWeek(days)
		if y < 0 {
			w = -w
		}
		return y*100 + w
	case partEpoch:
		return floorDiv(days*usPerDay+tod, usPerSec)
	case partJulian:
		return days + julianEpoch
	case partTimezone, partTimezoneHour, partTimezoneMinute:
		return 0
	}
	y, m, d := civilFast(days)
	switch part {
	case partDay:
		return d
	case partMonth:
		return m
	case partQuarter:
		return (m-1)/3 + 1
	case partYear:
		return y
	case partDecade:
		return y / 10
	case partCentury:
		if y > 0 {
			return (y-1)/100 + 1
		}
		return y/100 - 1
	case partMillennium:
		if y > 0 {
			return (y-1)/1000 + 1
		}
		return y/1000 - 1
	case partEra:
		return int64(b2i(y > 0))
	case partDoy:
		return days - daysFromCivil(y, 1, 1) + 1
	}
	return 0
}

// datePartNode is date_part(part, x) over a DATE or TIMESTAMP: with a
// constant part (code >= 0) or a part per row (parts).
type datePartNode struct {
	x, parts node
	code     int
	ts       bool
	t        coldata.Type
	res      result
}

func (c *compiler) compileDatePart(e *expr.Func, args []node) (node, error) {
	if len(args) != 2 {
		return nil, errorf("date_part takes 2 arguments, got %d", len(args))
	}
	x, p := args[0], args[1]
	if isNullConst(x) || isNullConst(p) || x.typ().ID == coldata.Unknown {
		return newConst(e.Typ, coldata.NullDatum), nil
	}
	if x.typ() == coldata.TypeTime {
		// µs since midnight are the µs of that time on 1970-01-01, so the
		// TIMESTAMP parts of the day (hour ... microsecond, epoch) apply.
		x = &retypeNode{x: x, t: coldata.TypeTimestamp}
	}
	if id := x.typ().ID; (id != coldata.Date && id != coldata.Timestamp) || p.typ().ID != coldata.String {
		return nil, errorf("date_part takes (DATE|TIMESTAMP, VARCHAR), got (%s, %s)", x.typ(), p.typ())
	}
	n := &datePartNode{x: x, code: -1, ts: x.typ().ID == coldata.Timestamp, t: e.Typ}
	if k, ok := p.(*constNode); ok {
		code, err := partCode(k.d.S, n.ts)
		if err != nil {
			return nil, err
		}
		n.code = code
	} else {
		n.parts = p
	}
	if float := code2float(n.code); float != (e.Typ.ID == coldata.Float64) || (!float && e.Typ.ID != coldata.Int64) {
		return nil, errorf("date_part('%d') cannot return %s", n.code, e.Typ)
	}
	if n.parts != nil {
		return fold(n, x, n.parts), nil
	}
	return fold(n, x), nil
}

func code2float(code int) bool { return code == partEpoch || code == partJulian }

// partCode resolves a specifier, with DuckDB's errors for an unknown one and
// for a time zone part of a DATE.
func partCode(s string, ts bool) (int, error) {
	canon, ok := expr.DatePart(s)
	if !ok {
		return 0, conversionErrorf("extract specifier \"%s\" not recognized", s)
	}
	code := partCodes[canon]
	if !ts && (code == partTimezone || code == partTimezoneHour || code == partTimezoneMinute) {
		return 0, errorf("\"date\" units \"%s\" not recognized", s)
	}
	return code, nil
}

func (n *datePartNode) typ() coldata.Type { return n.t }

func (n *datePartNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	xv, err := n.x.eval(b, sel)
	if err != nil {
		return nil, err
	}
	rows := b.N
	var pv *coldata.Vec
	if n.parts != nil {
		if pv, err = n.parts.eval(b, sel); err != nil {
			return nil, err
		}
	}
	out := n.res.reset(n.t, rows)
	nulls := n.res.copyNulls(sel, rows, xv, pv)
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		var days, tod int64
		if n.ts {
			days = floorDiv(xv.I64[i], usPerDay)
			tod = xv.I64[i] - days*usPerDay
			nulls[i] = nulls[i] || xv.I64[i] == math.MaxInt64 || xv.I64[i] == -math.MaxInt64
		} else {
			days = int64(xv.I32[i])
			nulls[i] = nulls[i] || days == math.MaxInt32 || days == -math.MaxInt32
		}
		code := n.code
		if pv != nil {
			if nulls[i] {
				continue
			}
			if code, err = partCode(pv.Str[i], n.ts); err != nil {
				return nil, err
			}
			if code2float(code) { // DuckDB has no per-row DOUBLE parts
				return nil, errorf("Specifier type not implemented for DATEPART")
			}
		}
		switch {
		case n.t.ID == coldata.Int64:
			out.I64[i] = intPart(days, tod, code)
		case code == partEpoch && n.ts:
			out.F64[i] = float64(xv.I64[i]) / usPerSec
		case code == partEpoch:
			out.F64[i] = float64(days * 86400)
		default: // julian
			out.F64[i] = float64(days+julianEpoch) + float64(tod)/usPerDay
		}
	}
	return out, nil
}

// epochUnitsNode is epoch_ms/epoch_us/epoch_ns of a DATE or TIMESTAMP, and
// the reverse (epoch_ms(n), make_timestamp(n)) from a BIGINT.
type epochUnitsNode struct {
	x       node
	from    coldata.TypeID
	per     int64 // units per second
	t       coldata.Type
	res     result
	errText string
}

func (c *compiler) compileEpochUnits(e *expr.Func, args []node) (node, error) {
	if len(args) != 2 {
		return nil, errorf("epoch_units takes 2 arguments")
	}
	k, ok := args[1].(*constNode)
	x := args[0]
	if isNullConst(x) || x.typ().ID == coldata.Unknown {
		return newConst(e.Typ, coldata.NullDatum), nil
	}
	n := &epochUnitsNode{x: x, from: x.typ().ID, t: e.Typ}
	switch {
	case !ok || (k.d.I != 1000 && k.d.I != 1_000_000 && k.d.I != 1_000_000_000):
		return nil, errorf("epoch_units needs a constant unit")
	case n.from == coldata.Int64 && e.Typ.ID == coldata.Timestamp && k.d.I <= usPerSec:
	case (n.from == coldata.Date || n.from == coldata.Timestamp) && e.Typ.ID == coldata.Int64:
	default:
		return nil, errorf("epoch_units(%s) -> %s is not supported", x.typ(), e.Typ)
	}
	n.per = k.d.I
	return fold(n, x), nil
}

func (n *epochUnitsNode) typ() coldata.Type { return n.t }

func (n *epochUnitsNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	xv, err := n.x.eval(b, sel)
	if err != nil {
		return nil, err
	}
	rows := b.N
	out := n.res.reset(n.t, rows)
	n.res.shareNulls(sel, rows, xv, nil)
	if n.from != coldata.Int64 {
		nullInfinite(&n.res, sel, rows, xv)
	}
	if n.from == coldata.Int64 { // units to a timestamp
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			v, ov := mul64(xv.I64[i], usPerSec/n.per)
			if ov != 0 && !xv.IsNull(i) {
				return nil, conversionErrorf("Could not convert Timestamp(MS) to Timestamp(US)")
			}
			out.I64[i] = v
		}
		return out, nil
	}
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		us := int64(0)
		if n.from == coldata.Timestamp {
			us = xv.I64[i]
		} else {
			us = int64(xv.I32[i]) * usPerDay
		}
		if n.per <= usPerSec {
			out.I64[i] = us / (usPerSec / n.per) // toward zero, as DuckDB
			continue
		}
		v, ov := mul64(us, n.per/usPerSec)
		if ov != 0 && !xv.IsNull(i) && !isInfinite(xv, i) {
			if n.from == coldata.Date {
				return nil, conversionErrorf("Could not convert DATE (%s) to nanoseconds", coldata.FormatDate(xv.I32[i]))
			}
			return nil, conversionErrorf("Could not convert Timestamp(US) to Timestamp(NS)")
		}
		out.I64[i] = v
	}
	return out, nil
}

// makeTSNode is make_timestamp(year, month, day, hour, minute, seconds).
type makeTSNode struct {
	args []node
	vs   []*coldata.Vec
	res  result
}

func (c *compiler) compileMakeTS(e *expr.Func, args []node) (node, error) {
	if len(args) != 6 || e.Typ.ID != coldata.Timestamp {
		return nil, errorf("make_timestamp takes 6 arguments")
	}
	if null, err := checkArgTypes("make_timestamp", e, args, func(i int) coldata.TypeID {
		return map[bool]coldata.TypeID{true: coldata.Float64, false: coldata.Int64}[i == 5]
	}); null != nil || err != nil {
		return null, err
	}
	n := &makeTSNode{args: args}
	return fold(n, args...), nil
}

func (n *makeTSNode) typ() coldata.Type { return coldata.TypeTimestamp }

func (n *makeTSNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	vs, err := evalArgs(n.args, b, sel, &n.vs)
	if err != nil {
		return nil, err
	}
	rows := b.N
	out := n.res.reset(coldata.TypeTimestamp, rows)
	nulls := n.res.copyNulls(sel, rows, vs...)
	y, m, d, h, mi, s := vs[0].I64, vs[1].I64, vs[2].I64, vs[3].I64, vs[4].I64, vs[5].F64
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		if nulls[i] {
			continue
		}
		days, ok := makeDate(y[i], m[i], d[i])
		if !ok {
			return nil, conversionErrorf("Date out of range: %d-%d-%d", y[i], m[i], d[i])
		}
		us, ok := secondsToMicros(s[i])
		sec, frac := us/usPerSec, us%usPerSec
		if !ok || h[i] < 0 || h[i] > 24 || mi[i] < 0 || mi[i] > 59 || us < 0 || sec > 59 ||
			(h[i] == 24 && (mi[i] != 0 || us != 0)) {
			return nil, conversionErrorf("Time out of range: %d:%d:%d.%d", h[i], mi[i], sec, frac)
		}
		ts, ok := addChecked(int64(days)*usPerDay, (h[i]*60+mi[i])*usPerMin+us)
		if !ok {
			return nil, conversionErrorf("Date and time not in timestamp range")
		}
		out.I64[i] = ts
	}
	return out, nil
}

// secondsToMicros converts a DOUBLE number of seconds, rounding to the
// nearest microsecond; ok is false outside the TIMESTAMP range.
func secondsToMicros(s float64) (int64, bool) {
	us := math.Round(s * usPerSec)
	if math.IsNaN(us) || us >= math.MaxInt64 || us <= math.MinInt64 {
		return 0, false
	}
	return int64(us), true
}

// tsAddNode is timestamp + (months, days, microseconds), DuckDB's
// TIMESTAMP + INTERVAL; ±infinity stays as it is.
type tsAddNode struct {
	args []node
	vs   []*coldata.Vec
	res  result
}

func (c *compiler) compileTSAdd(e *expr.Func, args []node) (node, error) {
	if len(args) != 4 || e.Typ.ID != coldata.Timestamp {
		return nil, errorf("timestamp + interval takes 4 arguments")
	}
	if null, err := checkArgTypes("timestamp + interval", e, args, func(i int) coldata.TypeID {
		return map[bool]coldata.TypeID{true: coldata.Timestamp, false: coldata.Int64}[i == 0]
	}); null != nil || err != nil {
		return null, err
	}
	n := &tsAddNode{args: args}
	return fold(n, args...), nil
}

func (n *tsAddNode) typ() coldata.Type { return coldata.TypeTimestamp }

func (n *tsAddNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	vs, err := evalArgs(n.args, b, sel, &n.vs)
	if err != nil {
		return nil, err
	}
	rows := b.N
	out := n.res.reset(coldata.TypeTimestamp, rows)
	nulls := n.res.copyNulls(sel, rows, vs...)
	ts, mo, d, us := vs[0].I64, vs[1].I64, vs[2].I64, vs[3].I64
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		if nulls[i] {
			continue
		}
		if ts[i] == math.MaxInt64 || ts[i] == -math.MaxInt64 {
			out.I64[i] = ts[i]
			continue
		}
		r, ok := TimestampAddInterval(ts[i], mo[i], d[i], us[i])
		if !ok || r == math.MaxInt64 || r == -math.MaxInt64 {
			return nil, conversionErrorf("Date and time not in timestamp range")
		}
		out.I64[i] = r
	}
	return out, nil
}

// isInfinite reports whether row i of a DATE or TIMESTAMP vector holds
// ±infinity.
func isInfinite(v *coldata.Vec, i int) bool {
	if v.Type.ID == coldata.Date {
		return v.I32[i] == math.MaxInt32 || v.I32[i] == -math.MaxInt32
	}
	return v.I64[i] == math.MaxInt64 || v.I64[i] == -math.MaxInt64
}

// nullInfinite makes the output NULL where a DATE or TIMESTAMP input is
// ±infinity (which has no parts), copying the null mask only when one is.
func nullInfinite(r *result, sel []int32, rows int, vs ...*coldata.Vec) {
	for _, v := range vs {
		for k := 0; k < liveLen(sel, rows); k++ {
			if isInfinite(v, rowAt(sel, k)) {
				nulls := r.copyNulls(sel, rows, vs...)
				for k := 0; k < liveLen(sel, rows); k++ {
					i := rowAt(sel, k)
					for _, w := range vs {
						nulls[i] = nulls[i] || isInfinite(w, i)
					}
				}
				return
			}
		}
	}
}

// truncRowsNode is date_trunc with a part per row.
type truncRowsNode struct {
	x, parts node
	res      result
}

func (n *truncRowsNode) typ() coldata.Type { return coldata.TypeTimestamp }

func (n *truncRowsNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	xv, err := n.x.eval(b, sel)
	if err != nil {
		return nil, err
	}
	pv, err := n.parts.eval(b, sel)
	if err != nil {
		return nil, err
	}
	rows := b.N
	out := n.res.reset(coldata.TypeTimestamp, rows)
	nulls := n.res.copyNulls(sel, rows, xv, pv)
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		if nulls[i] {
			continue
		}
		code, err := partCode(pv.Str[i], true)
		if err != nil {
			return nil, err
		}
		part, ok := calPart(code)
		if !ok {
			return nil, errorf("Specifier type not implemented for DATETRUNC")
		}
		out.I64[i] = truncMicros(xv.I64[i], part)
		if isInfinite(xv, i) {
			out.I64[i] = xv.I64[i]
		}
	}
	return out, nil
}

// checkArgTypes checks each argument's storage type against want(i); a
// NULL argument makes the call a NULL constant (returned as null).
func checkArgTypes(name string, e *expr.Func, args []node, want func(i int) coldata.TypeID) (null node, err error) {
	for i, a := range args {
		if isNullConst(a) || a.typ().ID == coldata.Unknown {
			return newConst(e.Typ, coldata.NullDatum), nil
		}
		if w := want(i); a.typ().ID != w {
			return nil, errorf("%s argument %d must be %s, got %s", name, i+1, coldata.Type{ID: w}, a.typ())
		}
	}
	return nil, nil
}
