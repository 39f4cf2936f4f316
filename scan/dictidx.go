package scan

import (
	"fmt"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Predicates on dictionary-encoded columns are evaluated once per
// dictionary entry (pushdown.go); rows are then matched by their
// dictionary index, one byte lookup per row instead of a comparison (a
// string compare, for strings). For that the reader keeps the indices of
// the batch it decoded for predicate columns.

// decodeDictIdx is decodeDict that also records each value's index.
func decodeDictIdx[T any](d *hybrid, dst []T, dict []T, idx []uint32) error {
	idx = idx[:len(dst)]
	for len(dst) > 0 {
		run, v, n, err := d.chunk(d.scratch[:], len(dst))
		if err != nil {
			return err
		}
		if run {
			if int64(v) >= int64(len(dict)) {
				return fmt.Errorf("dictionary index %d out of range (dictionary has %d values)", v, len(dict))
			}
			fill(dst[:n], dict[v])
			fill(idx[:n], v)
		} else {
			out := dst[:n]
			copy(idx[:n], d.scratch[:n])
			for i, ix := range d.scratch[:n] {
				if int64(ix) >= int64(len(dict)) {
					return fmt.Errorf("dictionary index %d out of range (dictionary has %d values)", ix, len(dict))
				}
				out[i] = dict[ix]
			}
		}
		dst, idx = dst[n:], idx[n:]
	}
	return nil
}

func decodeDictVecIdx(d *hybrid, v, dict *coldata.Vec, off, cnt int, idx []uint32) error {
	switch v.Type.ID {
	case coldata.Bool:
		return decodeDictIdx(d, v.B[off:off+cnt], dict.B, idx)
	case coldata.Int32, coldata.Date:
		return decodeDictIdx(d, v.I32[off:off+cnt], dict.I32, idx)
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		return decodeDictIdx(d, v.I64[off:off+cnt], dict.I64, idx)
	case coldata.Float64:
		return decodeDictIdx(d, v.F64[off:off+cnt], dict.F64, idx)
	case coldata.String:
		return decodeDictIdx(d, v.Str[off:off+cnt], dict.Str, idx)
	}
	return fmt.Errorf("internal: dictionary decode into %s", v.Type)
}

// filterIdx keeps the selected non-null rows whose dictionary entry
// matches.
func filterIdx(out, sel []int32, n int, idx []uint32, nulls []bool, match []bool) []int32 {
	idx = idx[:n]
	// Without a branch per row (see cmpDense); an index past the
	// dictionary matches nothing.
	m := 0
	if sel == nil {
		out = coldata.Grow(out[:0], n)
		for i, x := range idx {
			if int(x) >= len(match) {
				continue
			}
			out[m] = int32(i)
			m += b2i(match[x])
		}
	} else {
		out = coldata.Grow(out[:0], len(sel))
		for _, i := range sel {
			x := idx[i]
			if int(x) >= len(match) {
				continue
			}
			out[m] = i
			m += b2i(match[x])
		}
	}
	out = out[:m]
	if nulls == nil {
		return out
	}
	m = 0
	for _, i := range out {
		if !nulls[i] {
			out[m] = i
			m++
		}
	}
	return out[:m]
}

// dictMatches evaluates p on every dictionary entry.
func dictMatches(p *Predicate, dict *coldata.Vec) []bool {
	m := make([]bool, dict.Len())
	for _, i := range filterVec(p, dict.Type, dict, dict.Len(), nil, nil, nil) {
		m[i] = true
	}
	return m
}
