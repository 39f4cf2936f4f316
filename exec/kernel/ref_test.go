package kernel

import (
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// refEval is the test oracle: a row-at-a-time evaluator written without the
// kernel's code. It leans on math/big for exact arithmetic, on package time
// for the calendar, on regexp for LIKE and on coldata for parsing and
// formatting, so an agreement between the two is evidence, not tautology.
func refEval(e expr.Expr, row []coldata.Datum) (coldata.Datum, error) {
	switch e := e.(type) {
	case *expr.Column:
		return row[e.Index], nil
	case *expr.Const:
		return e.Val, nil
	case *expr.Func:
		return refFunc(e, row)
	case *expr.Cast:
		x, err := refEval(e.Arg, row)
		if err != nil || x.Null {
			return coldata.NullDatum, err
		}
		v, err := refCast(e.Arg.Type(), e.Typ, x)
		if err != nil && e.Try {
			return coldata.NullDatum, nil
		}
		return v, err
	case *expr.Case:
		for _, w := range e.Whens {
			c, err := refEval(w.Cond, row)
			if err != nil {
				return c, err
			}
			if !c.Null && c.B {
				return refEval(w.Then, row)
			}
		}
		if e.Else == nil {
			return coldata.NullDatum, nil
		}
		return refEval(e.Else, row)
	case *expr.In:
		x, err := refEval(e.Arg, row)
		if err != nil || x.Null {
			return coldata.NullDatum, err
		}
		null := e.HasNull
		for _, d := range e.List {
			if d.Null {
				null = true
			} else if refCompare(e.Arg.Type(), x, d) == 0 {
				return coldata.Datum{B: !e.Not}, nil
			}
		}
		if null {
			return coldata.NullDatum, nil
		}
		return coldata.Datum{B: e.Not}, nil
	case *expr.Like:
		x, err := refEval(e.Arg, row)
		if err != nil || x.Null {
			return coldata.NullDatum, err
		}
		re, err := likeRegexp(e.Pattern)
		if err != nil {
			return x, err
		}
		return coldata.Datum{B: re.MatchString(x.S) != e.Not}, nil
	case *expr.IsNull:
		x, err := refEval(e.Arg, row)
		return coldata.Datum{B: x.Null != e.Not}, err
	}
	return coldata.Datum{}, fmt.Errorf("ref: unsupported %T", e)
}

// likeRegexp translates a LIKE pattern into an anchored regexp.
func likeRegexp(p string) (*regexp.Regexp, error) {
	var sb strings.Builder
	sb.WriteString(`(?s)\A`)
	rs := []rune(p)
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '\\':
			if i+1 == len(rs) {
				return nil, fmt.Errorf("pattern ends with escape")
			}
			i++
			sb.WriteString(regexp.QuoteMeta(string(rs[i])))
		case '%':
			sb.WriteString(`.*`)
		case '_':
			sb.WriteString(`.`)
		default:
			sb.WriteString(regexp.QuoteMeta(string(rs[i])))
		}
	}
	sb.WriteString(`\z`)
	return regexp.Compile(sb.String())
}

func refCompare(t coldata.Type, a, b coldata.Datum) int {
	if t.ID == coldata.Float64 {
		an, bn := math.IsNaN(a.F), math.IsNaN(b.F)
		switch {
		case an && bn:
			return 0
		case an:
			return 1
		case bn:
			return -1
		}
	}
	return coldata.Compare(t, a, b)
}

// bigOf and bigDatum move integer values of any width through big.Int.
func bigOf(t coldata.Type, d coldata.Datum) *big.Int {
	if t.ID == coldata.Hugeint {
		b := new(big.Int).SetInt64(d.I2)
		b.Lsh(b, 64)
		return b.Add(b, new(big.Int).SetUint64(uint64(d.I)))
	}
	return big.NewInt(d.I)
}

func bigDatum(b *big.Int) coldata.Datum {
	lo := new(big.Int).And(b, new(big.Int).SetUint64(math.MaxUint64))
	hi := new(big.Int).Rsh(b, 64)
	return coldata.Datum{I: int64(lo.Uint64()), I2: hi.Int64()}
}

func resultDatum(t coldata.Type, b *big.Int) coldata.Datum {
	if t.ID == coldata.Hugeint {
		return bigDatum(b)
	}
	return coldata.Datum{I: b.Int64()}
}

// refRange is the inclusive range of a type's values.
func refRange(t coldata.Type, bounded bool) (*big.Int, *big.Int) {
	switch {
	case t.ID == coldata.Hugeint:
		lim := new(big.Int).Lsh(big.NewInt(1), 127)
		return new(big.Int).Neg(lim), new(big.Int).Sub(lim, big.NewInt(1))
	case t.ID == coldata.Int32:
		return big.NewInt(math.MinInt32), big.NewInt(math.MaxInt32)
	case t.ID == coldata.Decimal && (bounded || t.Precision <= 18):
		p := int64(min(int(t.Precision), 18))
		lim := new(big.Int).Sub(new(big.Int).Exp(big.NewInt(10), big.NewInt(p), nil), big.NewInt(1))
		return new(big.Int).Neg(lim), lim
	}
	return big.NewInt(math.MinInt64), big.NewInt(math.MaxInt64)
}

func fits(v *big.Int, lo, hi *big.Int) bool { return v.Cmp(lo) >= 0 && v.Cmp(hi) <= 0 }

func refFunc(e *expr.Func, row []coldata.Datum) (coldata.Datum, error) {
	if e.Op >= expr.OpListValue {
		return refList(e, row)
	}
	switch e.Op {
	case expr.OpAnd, expr.OpOr:
		and := e.Op == expr.OpAnd
		null := false
		for _, a := range e.Args {
			v, err := refEval(a, row)
			if err != nil {
				return v, err
			}
			if v.Null {
				null = true
			} else if v.B != and {
				return coldata.Datum{B: !and}, nil
			}
		}
		if null {
			return coldata.NullDatum, nil
		}
		return coldata.Datum{B: and}, nil
	case expr.OpConcatWS:
		return refConcatWS(e, row)
	case expr.OpGreatest, expr.OpLeast:
		return refExtreme(e, row)
	case expr.OpCoalesce:
		for _, a := range e.Args {
			v, err := refEval(a, row)
			if err != nil || !v.Null {
				return v, err
			}
		}
		return coldata.NullDatum, nil
	}
	args := make([]coldata.Datum, len(e.Args))
	for i, a := range e.Args {
		v, err := refEval(a, row)
		if err != nil {
			return v, err
		}
		args[i] = v
	}
	for _, a := range args {
		if a.Null {
			return coldata.NullDatum, nil
		}
	}
	if d, ok, err := refStrOp(e.Op, args); ok {
		return d, err
	}
	if d, ok, err := refMathOp(e, args); ok {
		return d, err
	}
	if d, ok, err := refCalOp(e, args); ok {
		return d, err
	}
	if d, ok, err := refDatePartOp(e, args); ok {
		return d, err
	}
	at := e.Args[0].Type()
	x := args[0]
	switch e.Op {
	case expr.OpEq, expr.OpNe, expr.OpLt, expr.OpLe, expr.OpGt, expr.OpGe:
		c := refCompare(at, x, args[1])
		r := map[expr.Op]bool{expr.OpEq: c == 0, expr.OpNe: c != 0, expr.OpLt: c < 0,
			expr.OpLe: c <= 0, expr.OpGt: c > 0, expr.OpGe: c >= 0}[e.Op]
		return coldata.Datum{B: r}, nil
	case expr.OpNot:
		return coldata.Datum{B: !x.B}, nil
	case expr.OpAdd, expr.OpSub, expr.OpMul, expr.OpDiv, expr.OpMod, expr.OpIntDiv:
		return refArith(e, at, x, args[1])
	case expr.OpNeg, expr.OpAbs:
		if at.ID == coldata.Float64 {
			if e.Op == expr.OpAbs {
				return coldata.Datum{F: math.Abs(x.F)}, nil
			}
			return coldata.Datum{F: -x.F}, nil
		}
		v := bigOf(at, x)
		if e.Op == expr.OpNeg || v.Sign() < 0 {
			v.Neg(v)
		}
		if lo, hi := refRange(at, false); !fits(v, lo, hi) {
			return x, fmt.Errorf("overflow in %s", e.Op)
		}
		return resultDatum(at, v), nil
	case expr.OpRound:
		d := int64(0)
		if len(args) > 1 {
			d = args[1].I
		}
		return refRound(at, x, d)
	case expr.OpConcat:
		var sb strings.Builder
		for _, a := range args {
			sb.WriteString(a.S)
		}
		return coldata.Datum{S: sb.String()}, nil
	case expr.OpSubstring:
		length := int64(math.MaxInt64)
		if len(args) == 3 {
			length = args[2].I
		}
		return coldata.Datum{S: refSubstring(x.S, args[1].I, length)}, nil
	case expr.OpUpper:
		return coldata.Datum{S: strings.ToUpper(x.S)}, nil
	case expr.OpLower:
		return coldata.Datum{S: strings.ToLower(x.S)}, nil
	case expr.OpLength:
		return coldata.Datum{I: int64(len([]rune(x.S)))}, nil
	case expr.OpTrim:
		return coldata.Datum{S: strings.Trim(x.S, " ")}, nil
	case expr.OpStartsWith:
		return coldata.Datum{B: strings.HasPrefix(x.S, args[1].S)}, nil
	case expr.OpContains:
		return coldata.Datum{B: strings.Contains(x.S, args[1].S)}, nil
	case expr.OpExtractYear, expr.OpExtractMonth, expr.OpExtractDay:
		t := refTime(at, x)
		v := map[expr.Op]int{expr.OpExtractYear: t.Year(), expr.OpExtractMonth: int(t.Month()), expr.OpExtractDay: t.Day()}[e.Op]
		return coldata.Datum{I: int64(v)}, nil
	case expr.OpDateAddDays:
		v := new(big.Int).Add(big.NewInt(x.I), big.NewInt(args[1].I))
		if !fits(v, big.NewInt(-math.MaxInt32+1), big.NewInt(math.MaxInt32-1)) {
			return x, fmt.Errorf("date out of range")
		}
		return coldata.Datum{I: v.Int64()}, nil
	case expr.OpDateAddMonths:
		n := args[1].I
		if n > 1e9 || n < -1e9 {
			return x, fmt.Errorf("date out of range")
		}
		t := coldata.DateToTime(int32(x.I))
		total := int64(t.Year())*12 + int64(t.Month()) - 1 + n
		y, m := total/12, total%12
		if m < 0 {
			y, m = y-1, m+12
		}
		last := time.Date(int(y), time.Month(m+2), 0, 0, 0, 0, 0, time.UTC).Day()
		res := time.Date(int(y), time.Month(m+1), min(t.Day(), last), 0, 0, 0, 0, time.UTC)
		days := res.Unix() / 86400
		if days < -math.MaxInt32+1 || days > math.MaxInt32-1 {
			return x, fmt.Errorf("date out of range")
		}
		return coldata.Datum{I: days}, nil
	}
	return coldata.Datum{}, fmt.Errorf("ref: unsupported op %s", e.Op)
}

func refTime(t coldata.Type, d coldata.Datum) time.Time {
	if t.ID == coldata.Timestamp {
		return time.UnixMicro(d.I).UTC()
	}
	return coldata.DateToTime(int32(d.I))
}

func refArith(e *expr.Func, at coldata.Type, x, y coldata.Datum) (coldata.Datum, error) {
	if at.ID == coldata.Float64 {
		var r float64
		switch e.Op {
		case expr.OpAdd:
			r = x.F + y.F
		case expr.OpSub:
			r = x.F - y.F
		case expr.OpMul:
			r = x.F * y.F
		case expr.OpDiv:
			r = x.F / y.F
		case expr.OpMod:
			r = math.Mod(x.F, y.F)
		}
		return coldata.Datum{F: r}, nil
	}
	a, b := bigOf(at, x), bigOf(at, y)
	var r big.Int
	switch e.Op {
	case expr.OpAdd:
		r.Add(a, b)
	case expr.OpSub:
		r.Sub(a, b)
	case expr.OpMul:
		r.Mul(a, b)
	case expr.OpMod, expr.OpIntDiv:
		if b.Sign() == 0 {
			return coldata.NullDatum, nil
		}
		if lo, _ := refRange(e.Typ, false); (e.Typ.IsInteger() || e.Typ.ID == coldata.Hugeint) && b.Cmp(big.NewInt(-1)) == 0 && a.Cmp(lo) == 0 {
			return x, fmt.Errorf("Overflow in division")
		}
		if e.Op == expr.OpIntDiv {
			r.Quo(a, b)
		} else {
			r.Rem(a, b)
		}
	}
	if lo, hi := refRange(e.Typ, e.Typ.Precision > 18); !fits(&r, lo, hi) {
		return x, fmt.Errorf("Overflow in %s", e.Op)
	}
	return resultDatum(e.Typ, &r), nil
}

// refRoundHalfAway returns v/p rounded half away from zero.
func refRoundHalfAway(v, p *big.Int) *big.Int {
	q, r := new(big.Int).QuoRem(v, p, new(big.Int))
	twice := new(big.Int).Mul(new(big.Int).Abs(r), big.NewInt(2))
	if twice.Cmp(p) >= 0 {
		q.Add(q, big.NewInt(int64(v.Sign())))
	}
	return q
}

func pow10(n int64) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(n), nil) }

func refRound(t coldata.Type, x coldata.Datum, d int64) (coldata.Datum, error) {
	if t.ID == coldata.Float64 {
		if d < 0 {
			m := math.Pow(10, float64(-d))
			r := math.Round(x.F/m) * m
			if math.IsInf(r, 0) || math.IsNaN(r) {
				r = 0
			}
			return coldata.Datum{F: r}, nil
		}
		m := math.Pow(10, float64(d))
		r := math.Round(x.F*m) / m
		if math.IsInf(r, 0) || math.IsNaN(r) {
			r = x.F
		}
		return coldata.Datum{F: r}, nil
	}
	drop := int64(t.Scale) - d
	if drop <= 0 {
		return x, nil
	}
	drop = min(drop, 40) // 10^40 already rounds every int64 to 0
	p := pow10(drop)
	r := new(big.Int).Mul(refRoundHalfAway(big.NewInt(x.I), p), p)
	// A rounded decimal may gain a digit (99.9 -> 100.0, or past 18 digits);
	// only the int64 storage bounds it, the declared precision is CAST's
	// business.
	lo, hi := refRange(t, true)
	if t.ID == coldata.Decimal {
		lo, hi = big.NewInt(math.MinInt64), big.NewInt(math.MaxInt64)
	}
	if !fits(r, lo, hi) {
		return x, fmt.Errorf("overflow in round")
	}
	return coldata.Datum{I: r.Int64()}, nil
}

// refSubstring implements DuckDB's substring on a slice of characters.
func refSubstring(s string, start, length int64) string {
	rs := []rune(s)
	n := int64(len(rs))
	var from, to int64
	switch {
	case length == 0:
		return ""
	case start > 0:
		from = min(start-1, n)
	case start < 0:
		from = max(n+start, 0)
	default:
		if length <= 1 && length > 0 {
			return ""
		}
		if length > 0 {
			length--
		}
	}
	if length > 0 {
		to = n
		if length < n-from {
			to = from + length
		}
	} else {
		to = from
		from = max(0, from+length)
	}
	if from >= to {
		return ""
	}
	return string(rs[from:to])
}

var (
	refIntRE  = regexp.MustCompile(`^[+-]?(\d+(_\d+)*\.?(\d+(_\d+)*)?|\.\d+(_\d+)*)([eE][+-]?\d{1,5})?$`)
	refDateRE = regexp.MustCompile(`^(\d{1,9})([-/])(\d{1,2})([-/])(\d{1,2})$`)
	refTSRE   = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$`)
)

func refCast(from, to coldata.Type, x coldata.Datum) (coldata.Datum, error) {
	if to.ID == coldata.String {
		return coldata.Datum{S: coldata.Format(from, x)}, nil
	}
	fail := func() (coldata.Datum, error) {
		return x, fmt.Errorf("cast %s %s to %s failed", from, coldata.Format(from, x), to)
	}
	// Exact rational value of the source, for every numeric target.
	var r *big.Rat
	switch from.ID {
	case coldata.String:
		s := strings.TrimSpace(x.S)
		switch to.ID {
		case coldata.Bool:
			switch strings.ToLower(s) {
			case "true", "t", "1":
				return coldata.Datum{B: true}, nil
			case "false", "f", "0":
				return coldata.Datum{B: false}, nil
			}
			return fail()
		case coldata.Float64:
			f, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return fail()
			}
			return coldata.Datum{F: f}, nil
		case coldata.Date:
			s, bc := refCutBC(s)
			m := refDateRE.FindStringSubmatch(s)
			if m == nil || m[2] != m[4] {
				return fail()
			}
			y, _ := strconv.Atoi(m[1])
			if bc {
				y = 1 - y
			}
			mo, _ := strconv.Atoi(m[3])
			d, _ := strconv.Atoi(m[5])
			t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
			if t.Year() != y || int(t.Month()) != mo || t.Day() != d {
				return fail()
			}
			days := t.Unix() / 86400
			if t.Unix()%86400 < 0 {
				days--
			}
			if days < math.MinInt32 || days > math.MaxInt32 {
				return fail()
			}
			return coldata.Datum{I: days}, nil
		case coldata.Timestamp:
			s, bc := refCutBC(s)
			m := refTSRE.FindStringSubmatch(s)
			if m == nil {
				return fail()
			}
			num := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
			frac := (m[7] + "000000")[:6]
			us, _ := strconv.Atoi(frac)
			y := num(1)
			if bc {
				y = 1 - y
			}
			t := time.Date(y, time.Month(num(2)), num(3), num(4), num(5), num(6), us*1000, time.UTC)
			if t.Day() != num(3) || num(4) > 23 || num(5) > 59 || num(6) > 59 {
				return fail()
			}
			return coldata.Datum{I: t.UnixMicro()}, nil
		}
		if !refIntRE.MatchString(s) {
			return fail()
		}
		if e := strings.IndexAny(s, "eE"); e >= 0 {
			if x, _ := strconv.Atoi(s[e+1:]); x < -32768 || x > 32767 {
				return fail()
			}
		}
		r, _ = new(big.Rat).SetString(strings.ReplaceAll(s, "_", ""))
	case coldata.Bool:
		r = new(big.Rat)
		if x.B {
			r.SetInt64(1)
		}
	case coldata.Int32, coldata.Int64:
		r = new(big.Rat).SetInt64(x.I)
	case coldata.Hugeint:
		r = new(big.Rat).SetInt(bigOf(from, x))
	case coldata.Decimal:
		r = new(big.Rat).SetFrac(big.NewInt(x.I), pow10(int64(from.Scale)))
	case coldata.Float64:
		if math.IsNaN(x.F) || math.IsInf(x.F, 0) {
			if to.ID == coldata.Bool {
				return coldata.Datum{B: true}, nil
			}
			return fail()
		}
		r = new(big.Rat).SetFloat64(x.F)
	case coldata.Date:
		if to.ID == coldata.Timestamp {
			return coldata.Datum{I: x.I * 86400_000_000}, nil
		}
	case coldata.Timestamp:
		if to.ID == coldata.Date {
			return coldata.Datum{I: int64(coldata.DaysFromTime(time.UnixMicro(x.I).UTC()))}, nil
		}
	}
	if r == nil {
		return fail()
	}
	switch to.ID {
	case coldata.Bool:
		return coldata.Datum{B: r.Sign() != 0}, nil
	case coldata.Float64:
		if from.ID == coldata.Decimal {
			f, _ := strconv.ParseFloat(coldata.FormatDecimal(x.I, int(from.Scale)), 64)
			return coldata.Datum{F: f}, nil
		}
		f, _ := r.Float64()
		return coldata.Datum{F: f}, nil
	case coldata.Int32, coldata.Int64, coldata.Decimal, coldata.Hugeint:
		scale := int64(0)
		if to.ID == coldata.Decimal {
			scale = int64(to.Scale)
		}
		scaled := new(big.Rat).Mul(r, new(big.Rat).SetInt(pow10(scale)))
		var v *big.Int
		if from.ID == coldata.Float64 && to.ID != coldata.Decimal {
			// DuckDB rounds doubles to integers half to even (nearbyint).
			f, _ := scaled.Float64()
			v, _ = big.NewFloat(math.RoundToEven(f)).Int(nil)
		} else if from.ID == coldata.Float64 {
			f := x.F * math.Pow10(int(scale))
			f += math.Copysign(1e-9, f) * float64(b2i(f != 0))
			v, _ = big.NewFloat(math.RoundToEven(f)).Int(nil)
		} else {
			v = refRoundHalfAway(new(big.Int).Mul(scaled.Num(), big.NewInt(1)), scaled.Denom())
		}
		if lo, hi := refRange(to, true); !fits(v, lo, hi) {
			return fail()
		}
		return resultDatum(to, v), nil
	}
	return fail()
}

// validUTF8 reports whether every string datum in rows is valid UTF-8 (the
// reference's rune-based string functions only agree on valid text).
func validUTF8(rows [][]coldata.Datum) bool {
	for _, r := range rows {
		for _, d := range r {
			if !utf8.ValidString(d.S) {
				return false
			}
		}
	}
	return true
}

// refCutBC removes DuckDB's " (BC)" era mark, which follows the date.
func refCutBC(s string) (string, bool) {
	i := strings.Index(s, " (BC)")
	if i < 0 {
		return s, false
	}
	return s[:i] + s[i+5:], true
}
