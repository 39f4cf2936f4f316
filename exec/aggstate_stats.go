package exec

import (
	"math"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// statAggs are the moment statistics over DOUBLE arguments.
var statAggs = map[string]bool{
	"var_samp": true, "var_pop": true, "variance": true, "stddev": true, "stddev_samp": true,
	"stddev_pop": true, "skewness": true, "kurtosis": true, "kurtosis_pop": true, "sem": true,
}

// moments is one group's state. Variances keep Welford's running mean and
// sum of squared deviations (a, b), which stay exact for constant inputs
// and merge with Chan's formula; skewness and kurtosis keep the power sums
// a..d (Σx, Σx², Σx³, Σx⁴), from which DuckDB's formulas start.
type moments struct {
	n          float64
	a, b, c, d float64
}

type momentsAcc struct {
	fn string
	st []moments
}

func (m *momentsAcc) powers() bool {
	return m.fn == "skewness" || m.fn == "kurtosis" || m.fn == "kurtosis_pop"
}

func (m *momentsAcc) resize(g int) { m.st = growZero(m.st, g) }
func (m *momentsAcc) reset()       { m.st = emptied(m.st) }

func (m *momentsAcc) update(gids []int32, arg *coldata.Vec, n int) {
	if arg.Type.ID != coldata.Float64 {
		return
	}
	vals, nulls := arg.F64[:n], argNulls(arg, n)
	gids = gids[:n]
	if m.powers() {
		for k, g := range gids {
			if nulls != nil && nulls[k] {
				continue
			}
			x, s := vals[k], &m.st[g]
			x2 := x * x
			s.n++
			s.a += x
			s.b += x2
			s.c += x2 * x
			s.d += x2 * x2
		}
		return
	}
	for k, g := range gids {
		if nulls != nil && nulls[k] {
			continue
		}
		x, s := vals[k], &m.st[g]
		s.n++
		diff := x - s.a
		s.a += diff / s.n
		s.b += diff * (x - s.a)
	}
}

func (m *momentsAcc) merge(src accumulator, rows, gmap []int32) {
	ss := src.(*momentsAcc).st
	pow := m.powers()
	for x, g := range gmap {
		s, d := ss[srcRow(rows, x)], &m.st[g]
		switch {
		case s.n == 0:
		case d.n == 0:
			*d = s
		case pow:
			d.n += s.n
			d.a += s.a
			d.b += s.b
			d.c += s.c
			d.d += s.d
		default:
			n := d.n + s.n
			delta := s.a - d.a
			d.b += s.b + delta*delta*d.n*s.n/n
			d.a += delta * s.n / n
			d.n = n
		}
	}
}

func (m *momentsAcc) finalize(out *coldata.Vec, from, to int) error {
	for i, s := range m.st[from:to] {
		v, ok := m.value(s)
		if !ok {
			out.SetNull(i)
			continue
		}
		out.F64[i] = v
	}
	return nil
}

// value is the statistic of one group; false for NULL (too few values, or
// a constant input where the statistic divides by zero).
func (m *momentsAcc) value(s moments) (float64, bool) {
	n := s.n
	switch m.fn {
	case "var_pop":
		return s.b / n, n > 0
	case "stddev_pop":
		return math.Sqrt(s.b / n), n > 0
	case "sem": // the standard error of the mean: stddev_pop / sqrt(n)
		return math.Sqrt(s.b/n) / math.Sqrt(n), n > 0
	case "var_samp", "variance":
		return s.b / (n - 1), n > 1
	case "stddev_samp", "stddev":
		return math.Sqrt(s.b / (n - 1)), n > 1
	case "skewness":
		if n <= 2 {
			return 0, false
		}
		t := 1 / n
		div := math.Sqrt(math.Pow(t*(s.b-s.a*s.a*t), 3))
		if div == 0 {
			return math.NaN(), true // a constant input: 0/0, as DuckDB
		}
		t1 := math.Sqrt(n*(n-1)) / (n - 2)
		return t1 * t * (s.c - 3*s.b*s.a*t + 2*math.Pow(s.a, 3)*t*t) / div, true
	}
	// kurtosis, kurtosis_pop
	if n <= 3 && m.fn == "kurtosis" || n < 1 {
		return 0, false
	}
	t := 1 / n
	m4 := t * (s.d - 4*s.c*s.a*t + 6*s.b*s.a*s.a*t*t - 3*math.Pow(s.a, 4)*math.Pow(t, 3))
	m2 := t * (s.b - s.a*s.a*t)
	if m2 <= 0 {
		return 0, false
	}
	if m.fn == "kurtosis_pop" {
		return m4/(m2*m2) - 3, true
	}
	return (n - 1) * ((n+1)*m4/(m2*m2) - 3*(n-1)) / ((n - 2) * (n - 3)), true
}

func (m *momentsAcc) bytes() int64 { return 40 * int64(cap(m.st)) }

func (m *momentsAcc) stateTypes(coldata.Type) []coldata.Type {
	f := coldata.TypeFloat64
	return []coldata.Type{f, f, f, f, f}
}

func (m *momentsAcc) store(dst []*coldata.Vec, rows []int32) {
	for k, r := range rows {
		s := m.st[r]
		dst[0].F64[k], dst[1].F64[k], dst[2].F64[k], dst[3].F64[k], dst[4].F64[k] = s.n, s.a, s.b, s.c, s.d
	}
}

func (m *momentsAcc) load(src []*coldata.Vec, n int) {
	m.st = coldata.Grow(m.st[:0], n)
	for k := range m.st {
		m.st[k] = moments{n: src[0].F64[k], a: src[1].F64[k], b: src[2].F64[k], c: src[3].F64[k], d: src[4].F64[k]}
	}
}

// kahan is a compensated DOUBLE sum: c holds the low-order bits the
// running sum lost (Kahan's summation, as DuckDB's fsum).
type kahan struct {
	sum, c float64
	n      int64
}

func (k *kahan) add(x float64) {
	y := x - k.c
	t := k.sum + y
	k.c = (t - k.sum) - y
	k.sum = t
}

// kahanAcc is fsum (kahan_sum, sumkahan) or favg over DOUBLE values.
type kahanAcc struct {
	avg bool
	st  []kahan
}

func (a *kahanAcc) resize(g int) { a.st = growZero(a.st, g) }
func (a *kahanAcc) reset()       { a.st = emptied(a.st) }

func (a *kahanAcc) update(gids []int32, arg *coldata.Vec, n int) {
	if arg.Type.ID != coldata.Float64 {
		return
	}
	vals, nulls := arg.F64[:n], argNulls(arg, n)
	for i, g := range gids[:n] {
		if nulls != nil && nulls[i] {
			continue
		}
		s := &a.st[g]
		s.add(vals[i])
		s.n++
	}
}

// merge adds the other sum and then its lost bits.
func (a *kahanAcc) merge(src accumulator, rows, gmap []int32) {
	ss := src.(*kahanAcc).st
	for x, g := range gmap {
		s, d := ss[srcRow(rows, x)], &a.st[g]
		if s.n == 0 {
			continue
		}
		d.add(s.sum)
		d.add(-s.c)
		d.n += s.n
	}
}

func (a *kahanAcc) finalize(out *coldata.Vec, from, to int) error {
	for i, s := range a.st[from:to] {
		switch {
		case s.n == 0:
			out.SetNull(i)
		case a.avg:
			out.F64[i] = s.sum / float64(s.n)
		default:
			out.F64[i] = s.sum
		}
	}
	return nil
}

func (a *kahanAcc) bytes() int64 { return 24 * int64(cap(a.st)) }

func (a *kahanAcc) stateTypes(coldata.Type) []coldata.Type {
	return []coldata.Type{coldata.TypeFloat64, coldata.TypeFloat64, coldata.TypeInt64}
}

func (a *kahanAcc) store(dst []*coldata.Vec, rows []int32) {
	for k, r := range rows {
		s := a.st[r]
		dst[0].F64[k], dst[1].F64[k], dst[2].I64[k] = s.sum, s.c, s.n
	}
}

func (a *kahanAcc) load(src []*coldata.Vec, n int) {
	a.st = coldata.Grow(a.st[:0], n)
	for k := range a.st {
		a.st[k] = kahan{sum: src[0].F64[k], c: src[1].F64[k], n: src[2].I64[k]}
	}
}
