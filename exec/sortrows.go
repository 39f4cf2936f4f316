package exec

import (
	"cmp"
	"encoding/binary"
	"math"
	"slices"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// The sorting algorithms of the sort and top-N operators: typed row
// comparators, and an index sort that orders (64-bit key prefix, row) pairs
// one key at a time by radix sort.

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
	case coldata.Hugeint:
		base = func(a, b int32) int { return v.I128[a].Cmp(v.I128[b]) }
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
	return sortRange(cols, 0, n, keys)
}

// sortRange returns rows [from,to) of cols ordered by keys.
func sortRange(cols []*coldata.Vec, from, to int, keys []SortKey) []int32 {
	n := to - from
	pairs := make([]sortPair, n)
	for i := range pairs {
		pairs[i].i = int32(from + i)
	}
	st := sorter{cols: cols, keys: keys, scratch: make([]sortPair, n)}
	st.sort(pairs, st.scratch, 0)
	perm := make([]int32, n)
	for x, p := range pairs {
		perm[x] = p.i
	}
	return perm
}

// sorter orders (prefix, row) pairs one key at a time: rows are sorted on
// the current key's 64-bit prefix, then each run of equal prefixes is sorted
// on the next key. Only strings, whose prefix is 8 bytes, fall back to full
// comparisons, and only within runs of equal prefixes.
type sorter struct {
	cols    []*coldata.Vec
	keys    []SortKey
	scratch []sortPair
}

// sort orders p (rows equal on keys[:ki]) by keys[ki:]; tmp is scratch of
// the same length.
func (st *sorter) sort(p, tmp []sortPair, ki int) {
	if ki >= len(st.keys) || len(p) < 2 {
		return
	}
	k := st.keys[ki]
	v := st.cols[k.Col]
	if v.Type.ID == coldata.Unknown {
		st.sort(p, tmp, ki+1)
		return
	}
	// NULLs tie on this key: move them to their end, sort them by the rest.
	if nl := v.Nulls; nl != nil {
		live, nulls := partitionNulls(p, tmp, nl, k.NullsFirst)
		if len(nulls) > 0 {
			st.sort(nulls, tmp[:len(nulls)], ki+1)
			if k.NullsFirst {
				tmp = tmp[len(nulls):]
			} else {
				tmp = tmp[:len(live)]
			}
			p = live
		}
	}
	complete := encodePrefix(p, v, k.Desc)
	radixSort(p, tmp)
	for lo := 0; lo < len(p); {
		hi := lo + 1
		for hi < len(p) && p[hi].k == p[lo].k {
			hi++
		}
		if hi-lo > 1 {
			if complete {
				st.sort(p[lo:hi], tmp[lo:hi], ki+1)
			} else {
				rest := comparator(st.cols, st.keys[ki:])
				slices.SortFunc(p[lo:hi], func(a, b sortPair) int { return rest(a.i, b.i) })
			}
		}
		lo = hi
	}
}

// partitionNulls stably splits p into rows whose nl is false and true,
// NULLs first or last, returning the two sub-slices of p.
func partitionNulls(p, tmp []sortPair, nl []bool, nullsFirst bool) (live, nulls []sortPair) {
	nn := 0
	for _, x := range p {
		if nl[x.i] {
			nn++
		}
	}
	if nn == 0 {
		return p, nil
	}
	li, ni := nn, 0
	if !nullsFirst {
		li, ni = 0, len(p)-nn
	}
	for _, x := range p {
		if nl[x.i] {
			tmp[ni] = x
			ni++
		} else {
			tmp[li] = x
			li++
		}
	}
	copy(p, tmp)
	if nullsFirst {
		return p[nn:], p[:nn]
	}
	return p[:len(p)-nn], p[len(p)-nn:]
}

type sortPair struct {
	k uint64
	i int32
}

// encodePrefix sets each pair's k to the order-preserving 64-bit prefix of
// its row's (non-NULL) value in v. It reports whether the prefix decides the
// order completely (every type but strings).
func encodePrefix(pairs []sortPair, v *coldata.Vec, desc bool) bool {
	var flip uint64
	if desc {
		flip = math.MaxUint64
	}
	switch v.Type.ID {
	case coldata.Int32, coldata.Date:
		for x := range pairs {
			pairs[x].k = (uint64(int64(v.I32[pairs[x].i])) ^ 1<<63) ^ flip
		}
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		for x := range pairs {
			pairs[x].k = (uint64(v.I64[pairs[x].i]) ^ 1<<63) ^ flip
		}
	case coldata.Float64:
		for x := range pairs {
			pairs[x].k = floatKey(v.F64[pairs[x].i]) ^ flip
		}
	case coldata.Bool:
		for x := range pairs {
			var u uint64
			if v.B[pairs[x].i] {
				u = 1
			}
			pairs[x].k = u ^ flip
		}
	case coldata.String:
		for x := range pairs {
			pairs[x].k = stringPrefix(v.Str[pairs[x].i]) ^ flip
		}
		return false
	case coldata.Hugeint:
		// The high word orders; ties fall to the full comparison.
		for x := range pairs {
			pairs[x].k = (uint64(v.I128[pairs[x].i].Hi) ^ 1<<63) ^ flip
		}
		return false
	}
	return true
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

// radixSort sorts pairs by k using tmp (same length) as scratch. Large
// inputs take one most-significant-byte pass so that the buckets, sorted
// next by LSD passes, fit in cache; bytes on which all keys agree (the high
// bytes of small integers) are skipped.
func radixSort(pairs, tmp []sortPair) {
	n := len(pairs)
	if n < 256 {
		slices.SortFunc(pairs, func(a, b sortPair) int { return cmp.Compare(a.k, b.k) })
		return
	}
	var counts [8][256]int
	histogram(pairs, &counts)
	hi := -1
	for d := 7; d >= 0; d-- {
		if counts[d][byte(pairs[0].k>>(8*d))] != n {
			hi = d
			break
		}
	}
	if hi < 0 {
		return
	}
	if n <= 1<<16 || hi == 0 {
		if out := lsd(pairs, tmp, &counts, hi); &out[0] != &pairs[0] {
			copy(pairs, out)
		}
		return
	}
	var offs [257]int
	for b := 0; b < 256; b++ {
		offs[b+1] = offs[b] + counts[hi][b]
	}
	next := offs
	shift := uint(8 * hi)
	for _, p := range pairs {
		b := byte(p.k >> shift)
		tmp[next[b]] = p
		next[b]++
	}
	for b := 0; b < 256; b++ {
		lo, up := offs[b], offs[b+1]
		switch {
		case up-lo < 2:
			copy(pairs[lo:up], tmp[lo:up])
		case up-lo < 256:
			copy(pairs[lo:up], tmp[lo:up])
			slices.SortFunc(pairs[lo:up], func(a, b sortPair) int { return cmp.Compare(a.k, b.k) })
		default:
			var c [8][256]int
			histogram(tmp[lo:up], &c)
			if out := lsd(tmp[lo:up], pairs[lo:up], &c, hi-1); &out[0] != &pairs[lo] {
				copy(pairs[lo:up], out)
			}
		}
	}
}

func histogram(pairs []sortPair, c *[8][256]int) {
	for _, p := range pairs {
		k := p.k
		c[0][byte(k)]++
		c[1][byte(k>>8)]++
		c[2][byte(k>>16)]++
		c[3][byte(k>>24)]++
		c[4][byte(k>>32)]++
		c[5][byte(k>>40)]++
		c[6][byte(k>>48)]++
		c[7][byte(k>>56)]++
	}
}

// lsd sorts src by bytes [0, top] of k, least significant first, ping-
// ponging with buf; it returns whichever of the two holds the result.
func lsd(src, buf []sortPair, counts *[8][256]int, top int) []sortPair {
	n := len(src)
	for d := 0; d <= top; d++ {
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
			buf[offs[b]] = p
			offs[b]++
		}
		src, buf = buf, src
	}
	return src
}
