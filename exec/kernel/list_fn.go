package kernel

import (
	"math"
	"sort"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// Kernels that take lists apart: comparisons of elements, aggregates over
// a row's elements, position, string joining and splitting.

// cmpAt orders a[i] and b[j] (both non-NULL, of one type) reading the typed
// slices; nested values compare as DuckDB orders them.
func cmpAt(t coldata.Type, a *coldata.Vec, i int, b *coldata.Vec, j int) int {
	switch t.ID {
	case coldata.Bool:
		return cmp3(b2i(a.B[i]), b2i(b.B[j]))
	case coldata.Int32, coldata.Date:
		return cmp3(a.I32[i], b.I32[j])
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		return cmp3(a.I64[i], b.I64[j])
	case coldata.Float64:
		return cmpFloat(a.F64[i], b.F64[j])
	case coldata.String:
		return strings.Compare(a.Str[i], b.Str[j])
	case coldata.Hugeint:
		return a.I128[i].Cmp(b.I128[j])
	}
	return coldata.Compare(t, a.Get(i), b.Get(j))
}

func cmp3[T int | int32 | int64](x, y T) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// cmpFloat orders NaN above every number, as DuckDB does.
func cmpFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	case x == y:
		return 0
	case math.IsNaN(x) && math.IsNaN(y):
		return 0
	case math.IsNaN(x):
		return 1
	}
	return -1
}

// sortedPositions appends lo..hi-1 ordered by the elements of src.
func sortedPositions(dst []int32, src *coldata.Vec, lo, hi int32, desc, nullsFirst bool) []int32 {
	start := len(dst)
	for j := lo; j < hi; j++ {
		dst = append(dst, j)
	}
	p := dst[start:]
	t := src.Type
	sort.SliceStable(p, func(x, y int) bool {
		i, j := int(p[x]), int(p[y])
		ni, nj := src.IsNull(i), src.IsNull(j)
		if ni || nj {
			return ni && !nj && nullsFirst || nj && !ni && !nullsFirst
		}
		c := cmpAt(t, src, i, src, j)
		if desc {
			return c > 0
		}
		return c < 0
	})
	return dst
}

// appendDistinct appends the first of each run of equal non-NULL
// elements of the sorted positions p.
func appendDistinct(dst, p []int32, src *coldata.Vec) []int32 {
	last := -1
	for _, j := range p {
		if src.IsNull(int(j)) {
			continue
		}
		if last >= 0 && cmpAt(src.Type, src, last, src, int(j)) == 0 {
			continue
		}
		dst = append(dst, j)
		last = int(j)
	}
	return dst
}

// listScalarNode computes one value per row from a list's elements:
// list_unique, list_position, list aggregates, array_to_string.
type listScalarNode struct {
	argv []*coldata.Vec // the arguments of the batch (evalArgs)
	op   expr.Op
	args []node
	agg  string // list_aggregate: sum, min, max, avg, count
	// nullEmpty: array_to_string as list_aggregate's string_agg, NULL
	// when no element is joined.
	nullEmpty bool
	t         coldata.Type
	out       coldata.Vec
	perm      []int32
	sb        strings.Builder
}

func (n *listScalarNode) typ() coldata.Type { return n.t }

func (n *listScalarNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	vs, err := evalArgs(n.args, b, sel, &n.argv)
	if err != nil {
		return nil, err
	}
	l := vs[0]
	src := l.Child[0]
	n.out.Type = n.t
	n.out.Resize(b.N)
	each(sel, b.N, func(i int) {
		if l.IsNull(i) || n.op != expr.OpListPosition && len(vs) > 1 && vs[1].IsNull(i) {
			n.out.SetNull(i)
			return
		}
		lo, hi := l.Offsets[i], l.Offsets[i+1]
		switch n.op {
		case expr.OpListUnique:
			n.perm = sortedPositions(n.perm[:0], src, lo, hi, false, false)
			k := len(n.perm)
			n.perm = appendDistinct(n.perm, n.perm, src)
			n.out.I64[i] = int64(len(n.perm) - k)
		case expr.OpListPosition:
			n.position(i, src, lo, hi, vs[1])
		case expr.OpListToString:
			n.sb.Reset()
			first := true
			for j := lo; j < hi; j++ {
				if src.IsNull(int(j)) {
					continue
				}
				if !first {
					n.sb.WriteString(vs[1].Str[i])
				}
				first = false
				n.sb.WriteString(coldata.Format(src.Type, src.Get(int(j))))
			}
			n.out.Str[i] = n.sb.String()
			// DuckDB: NULL when only NULLs were there to join (an empty
			// list joins to '', except as list_aggregate's string_agg).
			if first && (n.nullEmpty || hi > lo) {
				n.out.SetNull(i)
			}
		case expr.OpListAggregate:
			if e := n.aggregate(i, src, lo, hi); e != nil {
				err = e
			}
		}
	})
	return &n.out, err
}

// position finds the first element equal to x[i] (NULL finds a NULL, as
// in DuckDB); none is NULL.
func (n *listScalarNode) position(i int, src *coldata.Vec, lo, hi int32, x *coldata.Vec) {
	for j := lo; j < hi; j++ {
		nj, nx := src.IsNull(int(j)), x.IsNull(i)
		if nj && nx || !nj && !nx && cmpAt(src.Type, src, int(j), x, i) == 0 {
			n.out.I32[i] = j - lo + 1
			return
		}
	}
	n.out.SetNull(i)
}

// aggregate folds the non-NULL elements of one row; an empty fold is NULL
// (count: 0).
func (n *listScalarNode) aggregate(i int, src *coldata.Vec, lo, hi int32) error {
	cnt, best := 0, int32(-1)
	var isum int64
	var hsum coldata.Int128
	var fsum float64
	for j := lo; j < hi; j++ {
		k := int(j)
		if src.IsNull(k) {
			continue
		}
		cnt++
		switch n.agg {
		case "min", "max":
			if best < 0 {
				best = j
			} else if c := cmpAt(src.Type, src, k, src, int(best)); n.agg == "min" && c < 0 || n.agg == "max" && c > 0 {
				best = j
			}
		case "sum", "avg":
			switch src.Type.ID {
			case coldata.Int32:
				hsum, _ = hsum.Add(coldata.Int128From(int64(src.I32[k])))
				fsum += float64(src.I32[k])
			case coldata.Int64:
				hsum, _ = hsum.Add(coldata.Int128From(src.I64[k]))
				fsum += float64(src.I64[k])
			case coldata.Decimal:
				var ovf bool
				if isum, ovf = addOverflow(isum, src.I64[k]); ovf {
					return rangeErrorf("Overflow in list_sum of DECIMAL")
				}
				fsum += float64(src.I64[k]) / float64(coldata.Pow10[src.Type.Scale])
			case coldata.Float64:
				fsum += src.F64[k]
			case coldata.Hugeint:
				hsum, _ = hsum.Add(src.I128[k])
				fsum += src.I128[k].Float64()
			}
		}
	}
	if n.agg == "count" {
		n.out.I64[i] = int64(cnt)
		return nil
	}
	if cnt == 0 {
		n.out.SetNull(i)
		return nil
	}
	switch {
	case n.agg == "min" || n.agg == "max":
		n.out.Set(i, src.Get(int(best)))
	case n.agg == "avg":
		n.out.F64[i] = fsum / float64(cnt)
	case n.t.ID == coldata.Hugeint:
		n.out.I128[i] = hsum
	case n.t.ID == coldata.Decimal:
		n.out.I64[i] = isum
	default:
		n.out.F64[i] = fsum
	}
	return nil
}

func addOverflow(a, b int64) (int64, bool) {
	s := a + b
	return s, (a > 0 && b > 0 && s < 0) || (a < 0 && b < 0 && s >= 0)
}

// splitNode is string_split(s, sep): VARCHAR[]; an empty separator splits
// into characters.
type splitNode struct {
	s, sep node
	o      listOut
	parts  coldata.Vec
}

func (n *splitNode) typ() coldata.Type { return coldata.ListType(coldata.TypeString) }

func (n *splitNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	s, err := n.s.eval(b, sel)
	if err != nil {
		return nil, err
	}
	sep, err := n.sep.eval(b, sel)
	if err != nil {
		return nil, err
	}
	n.o.reset(b.N)
	strs := n.parts.Str[:0]
	each(sel, b.N, func(i int) {
		if s.IsNull(i) {
			n.o.null(i)
			return
		}
		n.o.start(i)
		var ps []string
		if sep.IsNull(i) {
			ps = []string{s.Str[i]}
		} else {
			ps = strings.Split(s.Str[i], sep.Str[i])
		}
		for _, p := range ps {
			n.o.idx = append(n.o.idx, int32(len(strs)))
			strs = append(strs, p)
		}
		n.o.end(i)
	})
	n.parts = coldata.Vec{Type: coldata.TypeString, Str: strs}
	return n.o.finish(n.typ(), &n.parts, b.N), nil
}
