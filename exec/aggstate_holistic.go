package exec

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
	"unsafe"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// holisticAggs need every value of a group: quantiles, mode, entropy,
// string_agg and list. Their state is the group's values; it merges by
// concatenation, and spills as one VARCHAR column holding the values'
// bytes, so a spilled partition merges groups exactly like the in-memory
// merge does.
var holisticAggs = map[string]bool{
	"median": true, "quantile_cont": true, "quantile_disc": true, "mode": true, "entropy": true,
	"string_agg": true, "approx_quantile": true, "list": true, "mad": true,
}

// holisticAcc keeps the values of each group in argument order. conv maps
// a value to the int64 that continuous quantiles interpolate in (DECIMAL's
// unscaled value, a DATE's microseconds); flt maps it to a DOUBLE.
type holisticAcc[T cmp.Ordered] struct {
	fn    string
	in    coldata.Type
	fracs []float64 // quantile fractions; several make a LIST result
	list  bool
	sep   string // string_agg's separator
	noSep bool   // string_agg's separator is NULL: every result is NULL
	get   func(*coldata.Vec) []T
	conv  func(T) int64
	flt   func(T) float64
	vals  [][]T
	nulls [][]bool // list's: which values were NULL (their vals are zero)
	size  int64    // bytes held by the values
}

func newHolisticAcc(s AggSpec, in coldata.Type) (accumulator, error) {
	switch in.ID {
	case coldata.Int32:
		return holisticOf(s, in, func(v *coldata.Vec) []int32 { return v.I32 }, func(x int32) int64 { return int64(x) })
	case coldata.Date:
		return holisticOf(s, in, func(v *coldata.Vec) []int32 { return v.I32 }, func(x int32) int64 { return int64(x) * 86_400_000_000 })
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		return holisticOf(s, in, func(v *coldata.Vec) []int64 { return v.I64 }, func(x int64) int64 { return x })
	case coldata.Float64:
		return holisticOf(s, in, func(v *coldata.Vec) []float64 { return v.F64 }, func(x float64) int64 { return int64(x) })
	case coldata.String:
		return holisticOf(s, in, func(v *coldata.Vec) []string { return v.Str }, func(string) int64 { return 0 })
	}
	return nil, fmt.Errorf("Not implemented Error: %s of %s is not supported", s.Name, in)
}

func holisticOf[T cmp.Ordered](s AggSpec, in coldata.Type, get func(*coldata.Vec) []T, conv func(T) int64) (accumulator, error) {
	a := &holisticAcc[T]{fn: s.Name, in: in, get: get, conv: conv, list: s.Out.ID == coldata.List && s.Name != "list"}
	a.flt = func(x T) float64 {
		switch v := any(x).(type) {
		case float64:
			return v
		case int32:
			return float64(v)
		case int64:
			return float64(v)
		}
		return 0
	}
	for _, p := range s.Params {
		switch {
		case s.Name == "string_agg":
			a.sep, a.noSep = p.S, p.Null
		case p.N != nil:
			for _, e := range p.N.Elems {
				a.fracs = append(a.fracs, e.F)
			}
		default:
			a.fracs = append(a.fracs, p.F)
		}
	}
	if s.Name == "median" {
		a.fracs = []float64{0.5}
	}
	return a, nil
}

func (a *holisticAcc[T]) resize(g int) {
	a.vals = growZero(a.vals, g)
	if a.fn == "list" {
		a.nulls = growZero(a.nulls, g)
	}
}

func (a *holisticAcc[T]) reset() {
	a.vals = emptied(a.vals)
	a.nulls = emptied(a.nulls)
	a.size = 0
}

func (a *holisticAcc[T]) valueBytes(v T) int64 {
	if s, ok := any(v).(string); ok {
		return int64(len(s)) + 16
	}
	return int64(unsafe.Sizeof(v))
}

func (a *holisticAcc[T]) update(gids []int32, arg *coldata.Vec, n int) {
	if arg.Type.ID == coldata.Unknown {
		return
	}
	vals, nulls := a.get(arg)[:n], argNulls(arg, n)
	if a.fn == "list" {
		a.updateList(gids, vals, nulls)
		return
	}
	var size int64
	for k, g := range gids[:n] {
		if nulls != nil && nulls[k] {
			continue
		}
		v := vals[k]
		a.vals[g] = append(a.vals[g], v)
		size += a.valueBytes(v)
	}
	a.size += size
}

// updateList keeps NULLs too: list(x) has one element per row.
func (a *holisticAcc[T]) updateList(gids []int32, vals []T, nulls []bool) {
	for k, g := range gids[:len(vals)] {
		null := nulls != nil && nulls[k]
		a.vals[g] = append(a.vals[g], vals[k])
		a.nulls[g] = append(a.nulls[g], null)
		a.size += a.valueBytes(vals[k]) + 1
	}
}

func (a *holisticAcc[T]) merge(src accumulator, rows, gmap []int32) {
	sa := src.(*holisticAcc[T])
	sv := sa.vals
	for x, g := range gmap {
		s := sv[srcRow(rows, x)]
		if len(s) == 0 {
			continue
		}
		if a.fn == "list" {
			a.nulls[g] = append(a.nulls[g], sa.nulls[srcRow(rows, x)]...)
		}
		for _, v := range s {
			a.size += a.valueBytes(v)
		}
		a.vals[g] = append(a.vals[g], s...)
	}
}

func (a *holisticAcc[T]) bytes() int64 { return 24*int64(cap(a.vals)) + a.size }

func (a *holisticAcc[T]) finalize(out *coldata.Vec, from, to int) error {
	for i, vals := range a.vals[from:to] {
		switch {
		case a.fn == "entropy" && len(vals) == 0:
			out.F64[i] = 0
			continue
		case a.noSep:
			out.SetNull(i)
			continue
		}
		if len(vals) == 0 {
			if a.fn == "list" || a.list {
				out.Set(i, coldata.NullDatum)
			} else {
				out.SetNull(i)
			}
			continue
		}
		if err := a.finalizeGroup(out, i, from+i, vals); err != nil {
			return err
		}
	}
	return nil
}

func (a *holisticAcc[T]) finalizeGroup(out *coldata.Vec, i, g int, vals []T) error {
	switch a.fn {
	case "mode":
		a.get(out)[i] = modeOf(vals)
		return nil
	case "entropy":
		out.F64[i] = entropyOf(vals)
		return nil
	case "mad":
		a.mad(out, i, vals)
		return nil
	case "string_agg":
		var sb strings.Builder
		for k, v := range vals {
			if k > 0 {
				sb.WriteString(a.sep)
			}
			sb.WriteString(any(v).(string))
		}
		out.Str[i] = sb.String()
		return nil
	case "list":
		elems := make([]coldata.Datum, len(vals))
		for k, v := range vals {
			elems[k] = datumOf(v)
			if a.nulls[g][k] {
				elems[k] = coldata.NullDatum
			}
		}
		out.Set(i, coldata.ListDatum(elems...))
		return nil
	}
	if a.list {
		slices.Sort(vals[:nanLast(vals)])
		elems := make([]coldata.Datum, len(a.fracs))
		elemType := out.Type.Nest.Elem
		tmp := coldata.NewVec(elemType, 1)
		for k, q := range a.fracs {
			a.quantile(tmp, 0, vals, q)
			elems[k] = tmp.Get(0)
		}
		out.Set(i, coldata.ListDatum(elems...))
		return nil
	}
	a.quantile(out, i, vals, a.fracs[0])
	return nil
}

// quantile writes fraction q of vals at out[i]: the value at DuckDB's
// discrete index, or the interpolation between the two around the
// continuous one. vals is sorted, or put in order only around the
// indexes read (selection: linear, where sorting is n log n).
func (a *holisticAcc[T]) quantile(out *coldata.Vec, i int, vals []T, q float64) {
	n := len(vals)
	var z T
	_, str := any(z).(string)
	m := nanLast(vals) // NaN sorts after every number, as in DuckDB
	if a.fn == "quantile_disc" || str {
		idx := min(max(0, int(math.Ceil(float64(n)*q))-1), n-1)
		if idx < m {
			selectKth(vals[:m], idx)
		}
		a.get(out)[i] = vals[idx]
		return
	}
	rn := float64(n-1) * q
	lo := int(math.Floor(rn))
	hi := int(math.Ceil(rn))
	d := rn - float64(lo)
	if lo < m {
		selectKth(vals[:m], lo)
	}
	vlo, vhi := vals[lo], vals[lo]
	switch {
	case hi > lo && hi < m:
		vhi = slices.Min(vals[hi:m])
	case hi > lo:
		vhi = vals[hi]
	}
	switch out.Type.ID {
	case coldata.Float64:
		x, y := a.flt(vlo), a.flt(vhi)
		out.F64[i] = x
		if lo != hi {
			out.F64[i] = x + (y-x)*d
		}
	case coldata.Int32, coldata.Int64:
		// approx_quantile keeps an integer argument's type.
		x, y := a.flt(vlo), a.flt(vhi)
		r := math.Round(x + (y-x)*d)
		if out.Type.ID == coldata.Int32 {
			out.I32[i] = int32(r)
		} else {
			out.I64[i] = int64(r)
		}
	default: // DECIMAL, TIMESTAMP: interpolated in the unscaled integers
		x, y := a.conv(vlo), a.conv(vhi)
		out.I64[i] = x
		if lo != hi {
			out.I64[i] = x + int64(float64(y-x)*d)
		}
	}
}

// modeOf is the most frequent value; of equally frequent ones the first
// seen, as DuckDB does.
func modeOf[T cmp.Ordered](vals []T) T {
	counts := make(map[T]int, min(len(vals), 1024))
	best, bestN := vals[0], 0
	for _, v := range vals {
		counts[v]++
	}
	for _, v := range vals {
		if c := counts[v]; c > bestN {
			best, bestN = v, c
		}
	}
	return best
}

// entropyOf is the base-2 entropy of the values' frequencies, summed in
// the values' order (a map's order would change the last bits run to run).
func entropyOf[T cmp.Ordered](vals []T) float64 {
	slices.Sort(vals)
	n := float64(len(vals))
	var e float64
	for i := 0; i < len(vals); {
		j := i + 1
		for j < len(vals) && vals[j] == vals[i] {
			j++
		}
		p := float64(j-i) / n
		e -= p * math.Log2(p)
		i = j
	}
	return e
}

func datumOf[T cmp.Ordered](v T) coldata.Datum {
	switch x := any(v).(type) {
	case int32:
		return coldata.Datum{I: int64(x)}
	case int64:
		return coldata.Datum{I: x}
	case float64:
		return coldata.Datum{F: x}
	case string:
		return coldata.Datum{S: x}
	}
	return coldata.NullDatum
}

// The state is one VARCHAR per group: the values' bytes (fixed-width
// values as they lie in memory, strings each after its uvarint length).
// list adds a second VARCHAR: one byte per value, 1 for NULL.
func (a *holisticAcc[T]) stateTypes(coldata.Type) []coldata.Type {
	if a.fn == "list" {
		return []coldata.Type{coldata.TypeString, coldata.TypeString}
	}
	return []coldata.Type{coldata.TypeString}
}

func (a *holisticAcc[T]) store(dst []*coldata.Vec, rows []int32) {
	var buf []byte
	for k, r := range rows {
		vals := a.vals[r]
		buf = buf[:0]
		switch x := any(vals).(type) {
		case []string:
			for _, s := range x {
				buf = binary.AppendUvarint(buf, uint64(len(s)))
				buf = append(buf, s...)
			}
		default:
			if len(vals) > 0 {
				buf = append(buf, unsafe.Slice((*byte)(unsafe.Pointer(&vals[0])), len(vals)*int(unsafe.Sizeof(vals[0])))...)
			}
		}
		dst[0].Str[k] = string(buf)
		if a.fn == "list" {
			nl := a.nulls[r]
			dst[1].Str[k] = string(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(nl))), len(nl)))
		}
	}
}

func (a *holisticAcc[T]) load(src []*coldata.Vec, n int) {
	a.reset()
	a.vals = growZero(a.vals, n)
	var z T
	_, str := any(z).(string)
	for k, s := range src[0].Str[:n] {
		var vals []T
		if str {
			for len(s) > 0 {
				l, w := binary.Uvarint([]byte(s[:min(len(s), binary.MaxVarintLen64)]))
				v := s[w : w+int(l)]
				vals = append(vals, any(v).(T))
				s = s[w+int(l):]
			}
		} else if len(s) > 0 {
			w := int(unsafe.Sizeof(z))
			vals = make([]T, len(s)/w)
			copy(unsafe.Slice((*byte)(unsafe.Pointer(&vals[0])), len(s)), s)
		}
		for _, v := range vals {
			a.size += a.valueBytes(v)
		}
		a.vals[k] = vals
		if a.fn == "list" {
			nl := src[1].Str[k]
			a.nulls = growZero(a.nulls, n)
			a.nulls[k] = make([]bool, len(nl))
			for j := range nl {
				a.nulls[k][j] = nl[j] != 0
			}
		}
	}
}

// selectKth reorders vals so that vals[k] is the value a sort would put
// there, none before it larger and none after it smaller (Hoare's
// selection with a median-of-three pivot; a sort past a depth bound keeps
// the worst case n log n).
func selectKth[T cmp.Ordered](vals []T, k int) {
	lo, hi := 0, len(vals)-1
	for depth := 2 * bits.Len(uint(len(vals))); hi > lo; depth-- {
		if depth == 0 || hi-lo < 16 {
			slices.Sort(vals[lo : hi+1])
			return
		}
		mid := lo + (hi-lo)/2
		if vals[mid] < vals[lo] {
			vals[mid], vals[lo] = vals[lo], vals[mid]
		}
		if vals[hi] < vals[lo] {
			vals[hi], vals[lo] = vals[lo], vals[hi]
		}
		if vals[hi] < vals[mid] {
			vals[hi], vals[mid] = vals[mid], vals[hi]
		}
		p := vals[mid]
		i, j := lo, hi
		for i <= j {
			for vals[i] < p {
				i++
			}
			for p < vals[j] {
				j--
			}
			if i <= j {
				vals[i], vals[j] = vals[j], vals[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return
		}
	}
}

// nanLast moves the NaNs of a DOUBLE group's values after the others
// (DuckDB orders NaN above every number; Go's < would scatter them) and
// returns how many others there are: the selections then run over those.
func nanLast[T cmp.Ordered](vals []T) int {
	fs, ok := any(vals).([]float64)
	if !ok {
		return len(vals)
	}
	m := 0
	for k, f := range fs {
		if f == f {
			fs[m], fs[k] = fs[k], fs[m]
			m++
		}
	}
	return m
}
