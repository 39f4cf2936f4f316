package kernel

import (
	"math/bits"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// String similarity measures (levenshtein, damerau_levenshtein, jaro,
// jaro_winkler, jaccard, hamming). Like DuckDB they compare bytes, not
// characters. simScratch holds the dynamic-programming rows so that a batch
// allocates only when a longer string than before comes along.

type simScratch struct {
	a, b, c []int
	flags   []bool
}

// levenshtein is the edit distance with unit-cost insertions, deletions
// and substitutions, over two rows of the matrix.
func (sc *simScratch) levenshtein(s, t string) int64 {
	if len(s) == 0 {
		return int64(len(t))
	}
	if len(t) == 0 {
		return int64(len(s))
	}
	prev, cur := coldata.Grow(sc.a, len(t)+1), coldata.Grow(sc.b, len(t)+1)
	sc.a, sc.b = prev, cur
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(s); i++ {
		cur[0] = i
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return int64(prev[len(t)])
}

// damerau is the unrestricted Damerau-Levenshtein distance (a transposed
// pair may be edited again afterwards), the Lowrance-Wagner recurrence with
// the last row each byte was seen in.
func (sc *simScratch) damerau(s, t string) int64 {
	if len(s) == 0 {
		return int64(len(t))
	}
	if len(t) == 0 {
		return int64(len(s))
	}
	w := len(t) + 2
	d := coldata.Grow(sc.c, (len(s)+2)*w)
	sc.c = d
	inf := len(s) + len(t)
	var last [256]int
	d[0] = inf
	for i := 0; i <= len(s); i++ {
		d[(i+1)*w] = inf
		d[(i+1)*w+1] = i
	}
	for j := 0; j <= len(t); j++ {
		d[j+1] = inf
		d[w+j+1] = j
	}
	for i := 1; i <= len(s); i++ {
		db := 0
		for j := 1; j <= len(t); j++ {
			k, l := last[t[j-1]], db
			cost := 1
			if s[i-1] == t[j-1] {
				cost, db = 0, j
			}
			d[(i+1)*w+j+1] = min(d[i*w+j]+cost, d[(i+1)*w+j]+1, d[i*w+j+1]+1,
				d[k*w+l]+(i-k-1)+1+(j-l-1))
		}
		last[s[i-1]] = i
	}
	return int64(d[(len(s)+1)*w+len(t)+1])
}

// jaro is the Jaro similarity: matches within half the longer length,
// less half the transpositions among them.
func (sc *simScratch) jaro(s, t string) float64 {
	if len(s) == 0 || len(t) == 0 {
		return 0
	}
	window := max(len(s), len(t))/2 - 1
	window = max(window, 0)
	sc.flags = coldata.Grow(sc.flags, len(s)+len(t))
	fs, ft := sc.flags[:len(s)], sc.flags[len(s):]
	clear(sc.flags)
	m := 0
	for i := 0; i < len(s); i++ {
		lo, hi := max(0, i-window), min(len(t), i+window+1)
		for j := lo; j < hi; j++ {
			if !ft[j] && s[i] == t[j] {
				fs[i], ft[j] = true, true
				m++
				break
			}
		}
	}
	if m == 0 {
		return 0
	}
	trans, j := 0, 0
	for i := 0; i < len(s); i++ {
		if !fs[i] {
			continue
		}
		for !ft[j] {
			j++
		}
		if s[i] != t[j] {
			trans++
		}
		j++
	}
	mf := float64(m)
	return (mf/float64(len(s)) + mf/float64(len(t)) + (mf-float64(trans/2))/mf) / 3
}

// jaroWinkler boosts a Jaro similarity above 0.7 by the common prefix (at
// most 4 bytes, weight 0.1).
func (sc *simScratch) jaroWinkler(s, t string) float64 {
	sim := sc.jaro(s, t)
	if sim <= 0.7 {
		return sim
	}
	p := 0
	for p < 4 && p < len(s) && p < len(t) && s[p] == t[p] {
		p++
	}
	return sim + float64(p)*0.1*(1-sim)
}

// jaccard is |A∩B| / |A∪B| over the sets of bytes of the two strings.
func jaccard(s, t string) (float64, error) {
	if len(s) == 0 || len(t) == 0 {
		return 0, invalidInputf("Jaccard Function: An argument too short!")
	}
	var a, b [4]uint64
	for i := 0; i < len(s); i++ {
		a[s[i]>>6] |= 1 << (s[i] & 63)
	}
	for i := 0; i < len(t); i++ {
		b[t[i]>>6] |= 1 << (t[i] & 63)
	}
	inter, union := 0, 0
	for k := range a {
		inter += bits.OnesCount64(a[k] & b[k])
		union += bits.OnesCount64(a[k] | b[k])
	}
	return float64(inter) / float64(union), nil
}

// hamming counts the positions at which two equally long strings differ.
func hamming(s, t string) (int64, error) {
	if len(s) != len(t) {
		return 0, invalidInputf("Mismatch Function: Strings must be of equal length!")
	}
	if len(s) == 0 {
		return 0, invalidInputf("Mismatch Function: Strings must be of length > 0!")
	}
	n := int64(0)
	for i := 0; i < len(s); i++ {
		if s[i] != t[i] {
			n++
		}
	}
	return n, nil
}
