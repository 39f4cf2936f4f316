package exec

import (
	"cmp"
	"fmt"
	"math"
	"unsafe"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Two-argument aggregates: the update's vector is a STRUCT whose children
// are the two argument columns (aggPartial.pair).

func newPairAccumulator(s AggSpec, in coldata.Type) (accumulator, error) {
	if in.ID != coldata.Struct || len(in.Nest.Fields) != 2 {
		return nil, fmt.Errorf("Internal Error: %s of %s", s.Name, in)
	}
	a, b := in.Nest.Fields[0].Type, in.Nest.Fields[1].Type
	if v, ok := argMinMaxVariants[s.Name]; ok {
		if s.Out != a {
			return nil, fmt.Errorf("Internal Error: %s of %s returning %s", s.Name, in, s.Out)
		}
		return newArgMinMax(v, a, b)
	}
	if a.ID != coldata.Float64 || b.ID != coldata.Float64 {
		return nil, fmt.Errorf("Internal Error: %s of %s", s.Name, in)
	}
	if s.Name == "weighted_avg" {
		return &wavgAcc{}, nil
	}
	return &regrAcc{fn: s.Name}, nil
}

// getter picks a typed slice out of a vector of one physical type.
type getter[T any] func(*coldata.Vec) []T

func newArgMinMax(max argVariant, arg, by coldata.Type) (accumulator, error) {
	switch by.ID {
	case coldata.Int32, coldata.Date:
		return argMinMaxFor(max, arg, func(v *coldata.Vec) []int32 { return v.I32 })
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		return argMinMaxFor(max, arg, func(v *coldata.Vec) []int64 { return v.I64 })
	case coldata.Float64:
		return argMinMaxFor(max, arg, func(v *coldata.Vec) []float64 { return v.F64 })
	case coldata.String:
		return argMinMaxFor(max, arg, func(v *coldata.Vec) []string { return v.Str })
	}
	return nil, fmt.Errorf("Not implemented Error: arg_min/arg_max ordered by %s", by)
}

func argMinMaxFor[K cmp.Ordered](max argVariant, arg coldata.Type, key getter[K]) (accumulator, error) {
	switch arg.ID {
	case coldata.Bool:
		return &argMinMaxAcc[bool, K]{argVariant: max, val: func(v *coldata.Vec) []bool { return v.B }, key: key}, nil
	case coldata.Int32, coldata.Date:
		return &argMinMaxAcc[int32, K]{argVariant: max, val: func(v *coldata.Vec) []int32 { return v.I32 }, key: key}, nil
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		return &argMinMaxAcc[int64, K]{argVariant: max, val: func(v *coldata.Vec) []int64 { return v.I64 }, key: key}, nil
	case coldata.Float64:
		return &argMinMaxAcc[float64, K]{argVariant: max, val: func(v *coldata.Vec) []float64 { return v.F64 }, key: key}, nil
	case coldata.String:
		return &argMinMaxAcc[string, K]{argVariant: max, val: func(v *coldata.Vec) []string { return v.Str }, key: key}, nil
	}
	return nil, fmt.Errorf("Not implemented Error: arg_min/arg_max of %s", arg)
}

type argState[T any, K cmp.Ordered] struct {
	v            T
	k            K
	seen         bool
	vnull, knull bool // the kept row's value or key is NULL (argVariant)
}

// argMinMaxAcc is arg_min or arg_max: the value of the row with the least
// (greatest) key; rows where either is NULL are skipped, and of equal keys
// the first seen wins, as in DuckDB.
type argMinMaxAcc[T any, K cmp.Ordered] struct {
	argVariant
	val getter[T]
	key getter[K]
	st  []argState[T, K]
}

func (a *argMinMaxAcc[T, K]) resize(g int) { a.st = growZero(a.st, g) }
func (a *argMinMaxAcc[T, K]) reset()       { a.st = emptied(a.st) }

// better reports whether a row with key k (knull: NULL) replaces s: a
// NULL key only ever comes last, so it replaces nothing seen.
func (a *argMinMaxAcc[T, K]) better(k K, knull bool, s *argState[T, K]) bool {
	switch {
	case !s.seen:
		return true
	case knull:
		return false
	case s.knull:
		return true
	}
	return a.max && k > s.k || !a.max && k < s.k
}

func (a *argMinMaxAcc[T, K]) update(gids []int32, arg *coldata.Vec, n int) {
	va, vk := arg.Child[0], arg.Child[1]
	vals, keys := a.val(va)[:n], a.key(vk)[:n]
	na, nk := argNulls(va, n), argNulls(vk, n)
	for i, g := range gids[:n] {
		vnull, knull := na != nil && na[i], nk != nil && nk[i]
		if vnull && !a.keepNullArg || knull && !a.nullsLast {
			continue
		}
		if s := &a.st[g]; a.better(keys[i], knull, s) {
			*s = argState[T, K]{v: vals[i], k: keys[i], seen: true, vnull: vnull, knull: knull}
		}
	}
}

func (a *argMinMaxAcc[T, K]) merge(src accumulator, rows, gmap []int32) {
	ss := src.(*argMinMaxAcc[T, K]).st
	for x, g := range gmap {
		s := ss[srcRow(rows, x)]
		if s.seen && a.better(s.k, s.knull, &a.st[g]) {
			a.st[g] = s
		}
	}
}

func (a *argMinMaxAcc[T, K]) finalize(out *coldata.Vec, from, to int) error {
	dst := a.val(out)
	for i, s := range a.st[from:to] {
		if !s.seen || s.vnull {
			out.SetNull(i)
			continue
		}
		dst[i] = s.v
	}
	return nil
}

func (a *argMinMaxAcc[T, K]) bytes() int64 {
	var z argState[T, K]
	return int64(unsafe.Sizeof(z)) * int64(cap(a.st))
}

// The state is the value and the key, both NULL before a row is seen;
// the variants that keep NULLs add whether a row was seen.
func (a *argMinMaxAcc[T, K]) stateTypes(out coldata.Type) []coldata.Type {
	if a.keepNullArg || a.nullsLast {
		return []coldata.Type{out, a.keyType(), coldata.TypeBool}
	}
	return []coldata.Type{out, a.keyType()}
}

// keyType is the state column type of K (a DECIMAL or DATE key spills as
// its physical integer).
func (a *argMinMaxAcc[T, K]) keyType() coldata.Type {
	var k K
	switch any(k).(type) {
	case int32:
		return coldata.TypeInt32
	case int64:
		return coldata.TypeInt64
	case float64:
		return coldata.TypeFloat64
	}
	return coldata.TypeString
}

func (a *argMinMaxAcc[T, K]) store(dst []*coldata.Vec, rows []int32) {
	vals, keys := a.val(dst[0]), a.key(dst[1])
	for k, r := range rows {
		s := a.st[r]
		vals[k], keys[k] = s.v, s.k
		if !s.seen || s.vnull {
			dst[0].SetNull(k)
		}
		if !s.seen || s.knull {
			dst[1].SetNull(k)
		}
		if len(dst) == 3 {
			dst[2].B[k] = s.seen
		}
	}
}

func (a *argMinMaxAcc[T, K]) load(src []*coldata.Vec, n int) {
	a.st = coldata.Grow(a.st[:0], n)
	vals, keys, vnulls, knulls := a.val(src[0])[:n], a.key(src[1])[:n], argNulls(src[0], n), argNulls(src[1], n)
	for k := range a.st {
		knull := knulls != nil && knulls[k]
		seen := !knull
		if len(src) == 3 {
			seen = src[2].B[k] && (src[2].Nulls == nil || !src[2].Nulls[k])
		}
		a.st[k] = argState[T, K]{v: vals[k], k: keys[k], seen: seen, vnull: vnulls != nil && vnulls[k], knull: knull}
	}
}

// comoments is a (y, x) pair's running state: counts, means, sums of
// squared deviations and the co-moment (Welford's update, Chan's merge).
type comoments struct {
	n, mx, my, sxx, syy, sxy float64
}

// regrAcc is covar_pop/covar_samp, corr and the regr_* family over DOUBLE
// (y, x) pairs; a row with either NULL is skipped.
type regrAcc struct {
	fn string
	st []comoments
}

func (a *regrAcc) resize(g int) { a.st = growZero(a.st, g) }
func (a *regrAcc) reset()       { a.st = emptied(a.st) }

func (a *regrAcc) update(gids []int32, arg *coldata.Vec, n int) {
	vy, vx := arg.Child[0], arg.Child[1]
	ys, xs := vy.F64[:n], vx.F64[:n]
	ny, nx := argNulls(vy, n), argNulls(vx, n)
	for i, g := range gids[:n] {
		if ny != nil && ny[i] || nx != nil && nx[i] {
			continue
		}
		s, x, y := &a.st[g], xs[i], ys[i]
		s.n++
		dx := x - s.mx
		s.mx += dx / s.n
		dy := y - s.my
		s.my += dy / s.n
		s.sxx += dx * (x - s.mx)
		s.syy += dy * (y - s.my)
		s.sxy += dx * (y - s.my)
	}
}

func (a *regrAcc) merge(src accumulator, rows, gmap []int32) {
	ss := src.(*regrAcc).st
	for x, g := range gmap {
		s, d := ss[srcRow(rows, x)], &a.st[g]
		switch {
		case s.n == 0:
		case d.n == 0:
			*d = s
		default:
			n := d.n + s.n
			dx, dy := s.mx-d.mx, s.my-d.my
			f := d.n * s.n / n
			d.sxx += s.sxx + dx*dx*f
			d.syy += s.syy + dy*dy*f
			d.sxy += s.sxy + dx*dy*f
			d.mx += dx * s.n / n
			d.my += dy * s.n / n
			d.n = n
		}
	}
}

func (a *regrAcc) finalize(out *coldata.Vec, from, to int) error {
	for i, s := range a.st[from:to] {
		if a.fn == "regr_count" {
			out.I64[i] = int64(s.n)
			continue
		}
		v, ok := a.value(s)
		if !ok {
			out.SetNull(i)
			continue
		}
		out.F64[i] = v
	}
	return nil
}

// value is the statistic of one group; false for NULL.
func (a *regrAcc) value(s comoments) (float64, bool) {
	n := s.n
	switch a.fn {
	case "covar_pop":
		return s.sxy / n, n > 0
	case "covar_samp":
		return s.sxy / (n - 1), n > 1
	case "corr":
		// DuckDB's form: the population covariance over the product of
		// the population standard deviations (exactly 1 for corr(x, x)).
		if n == 0 {
			return 0, false
		}
		return (s.sxy / n) / (math.Sqrt(s.sxx/n) * math.Sqrt(s.syy/n)), true
	case "regr_avgx":
		return s.mx, n > 0
	case "regr_avgy":
		return s.my, n > 0
	case "regr_sxx":
		return s.sxx, n > 0
	case "regr_syy":
		return s.syy, n > 0
	case "regr_sxy":
		return s.sxy, n > 0
	case "regr_slope":
		// A constant x divides 0 by 0: NaN, as in DuckDB.
		return (s.sxy / n) / (s.sxx / n), n > 0
	case "regr_intercept":
		return s.my - (s.sxy/n)/(s.sxx/n)*s.mx, n > 0 && s.sxx != 0
	}
	// regr_r2
	switch {
	case n == 0 || s.sxx == 0:
		return 0, false
	case s.syy == 0:
		return 1, true
	}
	r := s.sxy / math.Sqrt(s.sxx*s.syy)
	return r * r, true
}

func (a *regrAcc) bytes() int64 { return 48 * int64(cap(a.st)) }

func (a *regrAcc) stateTypes(coldata.Type) []coldata.Type {
	f := coldata.TypeFloat64
	return []coldata.Type{f, f, f, f, f, f}
}

func (a *regrAcc) store(dst []*coldata.Vec, rows []int32) {
	for k, r := range rows {
		s := a.st[r]
		for c, v := range [...]float64{s.n, s.mx, s.my, s.sxx, s.syy, s.sxy} {
			dst[c].F64[k] = v
		}
	}
}

func (a *regrAcc) load(src []*coldata.Vec, n int) {
	a.st = coldata.Grow(a.st[:0], n)
	for k := range a.st {
		a.st[k] = comoments{n: src[0].F64[k], mx: src[1].F64[k], my: src[2].F64[k],
			sxx: src[3].F64[k], syy: src[4].F64[k], sxy: src[5].F64[k]}
	}
}
