package exec

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// SortKey orders by one column. NullsFirst places NULLs before all values
// whatever the direction.
type SortKey struct {
	Col        int
	Desc       bool
	NullsFirst bool
}

// NewSort materialises child and emits its rows ordered by keys (not stable).
//
// Rows are sorted as an index permutation. The first key is encoded into a
// 64-bit prefix whose unsigned order is the requested order, so most
// comparisons are one integer compare; a lone fixed-width key is sorted
// entirely by an LSD radix sort of (prefix, index) pairs. Ties (and strings
// longer than the 8-byte prefix) fall back to typed per-column comparators.
func NewSort(child Operator, keys []SortKey) Operator {
	s := &sortOp{child: child, keys: keys}
	s.err = checkSortKeys("sort", keys, len(child.Types()))
	return s
}

type sortOp struct {
	opStats
	child  Operator
	keys   []SortKey
	err    error
	cols   []*coldata.Vec
	n      int
	perm   []int32
	sorted bool
	emit   int
	out    *coldata.Batch
	closed bool
}

func checkSortKeys(what string, keys []SortKey, width int) error {
	for _, k := range keys {
		if k.Col < 0 || k.Col >= width {
			return errors.New(what + ": sort column out of range")
		}
	}
	return nil
}

func (s *sortOp) Types() []coldata.Type { return s.child.Types() }

func (s *sortOp) Open(ctx context.Context) error {
	if s.err != nil {
		return s.err
	}
	return s.child.Open(ctx)
}

func (s *sortOp) Next(ctx context.Context) (*coldata.Batch, error) {
	if s.err != nil {
		return nil, s.err
	}
	if s.closed {
		return nil, errors.New("sort: Next after Close")
	}
	t0 := time.Now()
	if !s.sorted {
		if err := s.consume(ctx); err != nil {
			s.err = err
			return nil, err
		}
		s.perm = sortRows(s.cols, s.n, s.keys)
		s.sorted = true
		s.peak(vecsBytes(s.cols) + 4*int64(cap(s.perm)))
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.emit >= s.n {
		s.cols, s.perm = nil, nil
		return nil, io.EOF
	}
	b := emitPerm(&s.out, s.cols, s.perm[s.emit:min(s.n, s.emit+coldata.DefaultBatchSize)])
	s.emit += b.N
	s.done(t0, b.N)
	return b, nil
}

// consume materialises the whole input and closes the child early.
func (s *sortOp) consume(ctx context.Context) error {
	s.cols = newVecs(s.child.Types())
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		b, err := s.child.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		appendBatch(s.cols, b, nil)
		s.n += b.Len()
	}
	// Close is idempotent, so Close closing the child again is harmless.
	return s.child.Close()
}

// emitPerm gathers rows perm of cols into *out (allocated on first use).
func emitPerm(out **coldata.Batch, cols []*coldata.Vec, perm []int32) *coldata.Batch {
	if *out == nil {
		ts := make([]coldata.Type, len(cols))
		for i, c := range cols {
			ts[i] = c.Type
		}
		*out = coldata.NewBatch(ts, 0)
	}
	b := *out
	n := len(perm)
	b.Reset(n)
	for i, c := range cols {
		if c.Type.ID != coldata.Unknown {
			b.Vecs[i].CopyFrom(c, perm, n, 0)
		}
	}
	return b
}

func (s *sortOp) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	s.cols, s.perm, s.out = nil, nil, nil
	return s.child.Close()
}

// rowCmp compares rows a and b of a column set by the sort keys.
type rowCmp func(a, b int32) int

// keyComparator returns a typed comparator for one key over v. It reads v's
// slices at call time, so it stays valid while v grows.
func keyComparator(v *coldata.Vec, k SortKey) rowCmp {
	var base rowCmp
	switch v.Type.ID {
	case coldata.Int32, coldata.Date:
		base = func(a, b int32) int { return cmp.Compare(v.I32[a], v.I32[b]) }
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		base = func(a, b int32) int { return cmp.Compare(v.I64[a], v.I64[b]) }
	case coldata.Float64:
		base = func(a, b int32) int { return cmpFloat(v.F64[a], v.F64[b]) }
	case coldata.String:
		base = func(a, b int32) int { return strings.Compare(v.Str[a], v.Str[b]) }
	case coldata.Bool:
		base = func(a, b int32) int {
			x, y := v.B[a], v.B[b]
			switch {
			case x == y:
				return 0
			case !x:
				return -1
			}
			return 1
		}
	default:
		return func(int32, int32) int { return 0 }
	}
	sign, nullSign := 1, 1
	if k.Desc {
		sign = -1
	}
	if k.NullsFirst {
		nullSign = -1
	}
	return func(a, b int32) int {
		if nl := v.Nulls; nl != nil {
			an, bn := nl[a], nl[b]
			if an || bn {
				switch {
				case an && bn:
					return 0
				case an:
					return nullSign
				}
				return -nullSign
			}
		}
		return sign * base(a, b)
	}
}

// cmpFloat orders NaN after every number, as DuckDB does, and -0 = +0.
func cmpFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	case x == y:
		return 0
	case x != x && y != y:
		return 0
	case x != x:
		return 1
	}
	return -1
}

func comparator(cols []*coldata.Vec, keys []SortKey) rowCmp {
	cs := make([]rowCmp, len(keys))
	for i, k := range keys {
		cs[i] = keyComparator(cols[k.Col], k)
	}
	switch len(cs) {
	case 0:
		return func(int32, int32) int { return 0 }
	case 1:
		return cs[0]
	}
	return func(a, b int32) int {
		for _, c := range cs {
			if r := c(a, b); r != 0 {
				return r
			}
		}
		return 0
	}
}

// sortRows returns the permutation of rows [0,n) of cols ordered by keys.
func sortRows(cols []*coldata.Vec, n int, keys []SortKey) []int32 {
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	if len(keys) == 0 || n < 2 {
		return perm
	}
	first := cols[keys[0].Col]
	if first.Type.ID == coldata.Unknown {
		slices.SortFunc(perm, comparator(cols, keys[1:]))
		return perm
	}
	// Split NULLs of the first key out; they tie on it and sort by the rest.
	var nulls []int32
	if nl := first.Nulls; nl != nil {
		live := perm[:0]
		for _, r := range perm {
			if nl[r] {
				nulls = append(nulls, r)
			} else {
				live = append(live, r)
			}
		}
		perm = live
	}
	pairs := make([]sortPair, len(perm))
	complete := encodePrefix(pairs, perm, first, keys[0].Desc)
	if complete && len(keys) == 1 {
		radixSort(pairs)
	} else {
		rest := comparator(cols, keys[1:])
		if !complete {
			rest = comparator(cols, keys)
		}
		slices.SortFunc(pairs, func(a, b sortPair) int {
			if a.k != b.k {
				if a.k < b.k {
					return -1
				}
				return 1
			}
			return rest(a.i, b.i)
		})
	}
	if len(nulls) > 1 && len(keys) > 1 {
		slices.SortFunc(nulls, comparator(cols, keys[1:]))
	}
	out := make([]int32, 0, n)
	if keys[0].NullsFirst {
		out = append(out, nulls...)
	}
	for _, p := range pairs {
		out = append(out, p.i)
	}
	if !keys[0].NullsFirst {
		out = append(out, nulls...)
	}
	return out
}

type sortPair struct {
	k uint64
	i int32
}

// encodePrefix fills pairs with rows and their order-preserving 64-bit
// prefix of v (non-NULL rows only). It reports whether the prefix decides
// the order completely (every type but strings).
func encodePrefix(pairs []sortPair, rows []int32, v *coldata.Vec, desc bool) bool {
	var flip uint64
	if desc {
		flip = math.MaxUint64
	}
	complete := true
	for x, r := range rows {
		var u uint64
		switch v.Type.ID {
		case coldata.Int32, coldata.Date:
			u = uint64(int64(v.I32[r])) ^ 1<<63
		case coldata.Int64, coldata.Decimal, coldata.Timestamp:
			u = uint64(v.I64[r]) ^ 1<<63
		case coldata.Float64:
			u = floatKey(v.F64[r])
		case coldata.Bool:
			if v.B[r] {
				u = 1
			}
		case coldata.String:
			u = stringPrefix(v.Str[r])
			complete = false
		}
		pairs[x] = sortPair{k: u ^ flip, i: r}
	}
	return complete
}

// floatKey maps a double to a uint64 with the same order (NaN last, -0 = 0).
func floatKey(f float64) uint64 {
	if f == 0 {
		f = 0
	}
	if f != f {
		return math.MaxUint64
	}
	b := math.Float64bits(f)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}

func stringPrefix(s string) uint64 {
	if len(s) >= 8 {
		return binary.BigEndian.Uint64([]byte(s[:8]))
	}
	var buf [8]byte
	copy(buf[:], s)
	return binary.BigEndian.Uint64(buf[:])
}

// radixSort sorts pairs by k with an LSD radix sort over bytes, skipping
// bytes on which every key agrees (the high bytes of small integers).
func radixSort(pairs []sortPair) {
	if len(pairs) < 256 {
		slices.SortFunc(pairs, func(a, b sortPair) int { return cmp.Compare(a.k, b.k) })
		return
	}
	var counts [8][256]int
	for _, p := range pairs {
		k := p.k
		for d := 0; d < 8; d++ {
			counts[d][byte(k>>(8*d))]++
		}
	}
	src, dst := pairs, make([]sortPair, len(pairs))
	n := len(pairs)
	for d := 0; d < 8; d++ {
		c := &counts[d]
		if c[byte(src[0].k>>(8*d))] == n {
			continue
		}
		var offs [256]int
		sum := 0
		for b := 0; b < 256; b++ {
			offs[b] = sum
			sum += c[b]
		}
		shift := uint(8 * d)
		for _, p := range src {
			b := byte(p.k >> shift)
			dst[offs[b]] = p
			offs[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &pairs[0] {
		copy(pairs, src)
	}
}
