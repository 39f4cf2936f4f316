package exec

import (
	"fmt"
	"math"

	"github.com/axiomhq/hyperloglog"
	"github.com/cespare/xxhash/v2"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// hllAcc is approx_count_distinct: a HyperLogLog sketch per group
// (github.com/axiomhq/hyperloglog, precision 14: its sparse form while a
// group has few values, 16 KiB of dense registers after; a well-kept
// library with HyperLogLog++'s sparse mode and bias correction, and a
// binary form to spill and merge). Values are hashed
// here, by their bits (mix64, xxhash for strings), so that partial states from
// other workers and spill files merge: the hash is the same everywhere.
type hllAcc struct {
	sk []*hyperloglog.Sketch
	// cnt counts each group's inserts up to the point where its sketch is
	// surely dense; size is the bytes the sketches are charged: a sparse
	// one grows by a few bytes per value, a dense one holds 2^14 registers.
	cnt  []int32
	size int64
}

const (
	hllValueBytes = 16
	hllDenseBytes = 1 << 14
	hllMaxCount   = hllDenseBytes / hllValueBytes
)

func newHLLAcc(in coldata.Type) (accumulator, error) {
	switch in.ID {
	case coldata.Unknown, coldata.Bool, coldata.Int32, coldata.Date, coldata.Int64, coldata.Decimal,
		coldata.Timestamp, coldata.Float64, coldata.String, coldata.Hugeint:
		return &hllAcc{}, nil
	}
	return nil, fmt.Errorf("Not implemented Error: approx_count_distinct of %s is not supported", in)
}

func (a *hllAcc) resize(g int) {
	a.sk = growZero(a.sk, g)
	a.cnt = growZero(a.cnt, g)
}

func (a *hllAcc) reset() {
	a.sk, a.cnt = emptied(a.sk), emptied(a.cnt)
	a.size = 0
}

func (a *hllAcc) sketch(g int32) *hyperloglog.Sketch {
	s := a.sk[g]
	if s == nil {
		s = hyperloglog.New14()
		a.sk[g] = s
	}
	if a.cnt[g] == hllMaxCount-1 {
		// Past a thousand values a sparse sketch costs more to keep
		// sorted (axiomhq merges its insert buffer into the compressed
		// list every 163 values) than its registers take.
		d := hyperloglog.NewNoSparse()
		_ = d.Merge(s)
		s, a.sk[g] = d, d
	}
	a.grow(g, 1)
	return s
}

// grow charges group g for n more values.
func (a *hllAcc) grow(g int32, n int32) {
	if c := a.cnt[g]; c < hllMaxCount {
		n = min(n, hllMaxCount-c)
		a.cnt[g] = c + n
		a.size += int64(n) * hllValueBytes
	}
}

func (a *hllAcc) update(gids []int32, arg *coldata.Vec, n int) {
	nulls := argNulls(arg, n)
	gids = gids[:n]
	switch arg.Type.ID {
	case coldata.Bool:
		for k, g := range gids {
			if nulls == nil || !nulls[k] {
				b := uint64(0)
				if arg.B[k] {
					b = 1
				}
				a.sketch(g).InsertHash(mix64(b))
			}
		}
	case coldata.Int32, coldata.Date:
		hllInts(a, gids, arg.I32[:n], nulls)
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		hllInts(a, gids, arg.I64[:n], nulls)
	case coldata.Float64:
		for k, g := range gids {
			if nulls == nil || !nulls[k] {
				f := arg.F64[k]
				if f == 0 {
					f = 0 // -0 and 0 are one value
				}
				a.sketch(g).InsertHash(mix64(math.Float64bits(f)))
			}
		}
	case coldata.String:
		for k, g := range gids {
			if nulls == nil || !nulls[k] {
				a.sketch(g).InsertHash(xxhash.Sum64String(arg.Str[k]))
			}
		}
	case coldata.Hugeint:
		for k, g := range gids {
			if nulls == nil || !nulls[k] {
				v := arg.I128[k]
				a.sketch(g).InsertHash(mix64(v.Lo ^ mix64(uint64(v.Hi))))
			}
		}
	}
}

func hllInts[T int32 | int64](a *hllAcc, gids []int32, vals []T, nulls []bool) {
	vals = vals[:len(gids)]
	for k, g := range gids {
		if nulls == nil || !nulls[k] {
			a.sketch(g).InsertHash(mix64(uint64(vals[k])))
		}
	}
}

func (a *hllAcc) merge(src accumulator, rows, gmap []int32) {
	ss := src.(*hllAcc).sk
	for x, g := range gmap {
		s := ss[srcRow(rows, x)]
		if s == nil {
			continue
		}
		a.grow(g, src.(*hllAcc).cnt[srcRow(rows, x)])
		if a.sk[g] == nil {
			a.sk[g] = s.Clone()
			continue
		}
		_ = a.sk[g].Merge(s) // same precision: cannot fail
	}
}

func (a *hllAcc) finalize(out *coldata.Vec, from, to int) error {
	for i, s := range a.sk[from:to] {
		if s == nil {
			out.I64[i] = 0
			continue
		}
		out.I64[i] = int64(s.Estimate())
	}
	return nil
}

func (a *hllAcc) bytes() int64 { return 12*int64(cap(a.sk)) + a.size }

// The state is the sketch's binary form, NULL for a group without values.
func (a *hllAcc) stateTypes(coldata.Type) []coldata.Type { return []coldata.Type{coldata.TypeString} }

func (a *hllAcc) store(dst []*coldata.Vec, rows []int32) {
	for k, r := range rows {
		s := a.sk[r]
		if s == nil {
			dst[0].SetNull(k)
			continue
		}
		b, _ := s.MarshalBinary()
		dst[0].Str[k] = string(b)
	}
}

func (a *hllAcc) load(src []*coldata.Vec, n int) {
	a.reset()
	a.resize(n)
	nulls := argNulls(src[0], n)
	for k, b := range src[0].Str[:n] {
		if nulls != nil && nulls[k] {
			continue
		}
		s := hyperloglog.New14()
		if s.UnmarshalBinary([]byte(b)) == nil {
			a.sk[k] = s
			// The binary form is about as large as the sketch.
			a.grow(int32(k), int32(min(len(b)/4+1, hllMaxCount)))
		}
	}
}
