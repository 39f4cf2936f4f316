package storage

import (
	"math"
	"unsafe"

	"github.com/axiomhq/hyperloglog"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/scan"
)

// Distinct values across row groups. A dictionary page holds exactly its
// chunk's distinct values, but counts per chunk do not add up: whether
// two chunks share values (a date column cut into row groups by order
// number) or not (a sorted key) decides between their maximum and their
// sum, and min/max ranges only guess which. A HyperLogLog sketch of each
// sampled chunk's dictionary values answers it: the sketches merge into
// the union's count (within about 1%) whatever the layout. Sketches are
// cached with the file's other statistics, so each chunk is read once per
// process; a dictionary page is small (its chunk's distinct values), so
// this costs a fraction of a millisecond per chunk.
//
// The sketch library is github.com/axiomhq/hyperloglog (HyperLogLog++ with
// a sparse representation for small sets and mergeable sketches; pinned in
// go.mod); approx_count_distinct can use the same sketches.

// chunkSketch returns the sketch of the dictionary values of column col
// in row group rg, nil when the chunk has no dictionary page.
func (s *fileStats) chunkSketch(f *scan.File, rg, col int) *hyperloglog.Sketch {
	key := [2]int{col, rg}
	s.mu.Lock()
	sk, ok := s.sketches[key]
	s.mu.Unlock()
	if ok {
		return sk
	}
	sk = nil
	if dict, ok, err := f.ChunkDictionary(rg, col); ok && err == nil {
		sk = sketchVec(dict)
	}
	s.mu.Lock()
	s.sketches[key] = sk
	s.mu.Unlock()
	return sk
}

// sketchPrecision is the sketches' precision: 2^12 registers of a byte,
// a standard error of 1.6%, plenty for join estimates, and dense (no
// sparse mode) because inserting into the sparse form costs ten times
// more and a chunk's dictionary fills most registers anyway.
const sketchPrecision = 12

// sketchVec adds every non-null value of v to a new sketch.
func sketchVec(v *coldata.Vec) *hyperloglog.Sketch {
	sk := NewSketch()
	if !AddToSketch(sk, v, nil, v.Len()) {
		return nil
	}
	return sk
}

// NewSketch returns an empty distinct-value sketch of the precision the
// planner's statistics use.
func NewSketch() *hyperloglog.Sketch {
	sk, _ := hyperloglog.NewSketch(sketchPrecision, false)
	return sk
}

// AddToSketch adds the non-null values of v's live rows to sk: rows sel[k]
// for k < n, or rows 0..n-1 when sel is nil. It returns false for types
// it cannot hash (nested values).
func AddToSketch(sk *hyperloglog.Sketch, v *coldata.Vec, sel []int32, n int) bool {
	for k := 0; k < n; k++ {
		i := k
		if sel != nil {
			i = int(sel[k])
		}
		if v.Nulls != nil && v.Nulls[i] {
			continue
		}
		switch v.Type.ID {
		case coldata.Bool:
			b := uint64(0)
			if v.B[i] {
				b = 1
			}
			sk.InsertHash(mix64(b))
		case coldata.Int32, coldata.Date:
			sk.InsertHash(mix64(uint64(int64(v.I32[i]))))
		case coldata.Int64, coldata.Decimal, coldata.Timestamp:
			sk.InsertHash(mix64(uint64(v.I64[i])))
		case coldata.Float64:
			sk.InsertHash(mix64(math.Float64bits(v.F64[i])))
		case coldata.String:
			s := v.Str[i]
			sk.Insert(unsafe.Slice(unsafe.StringData(s), len(s)))
		default:
			return false
		}
	}
	return true
}

// mix64 is a 64-bit finalizer (MurmurHash3's fmix64): HyperLogLog needs
// well-spread bits, and integer keys are anything but.
func mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// sketchedNDV estimates a column's distinct values from its sampled
// chunks' dictionary sketches: exact (to the sketch's error) when every
// chunk of the table was sampled; otherwise the union of the sample is
// extrapolated along the growth it shows. If the union of half the
// chunks has D/2^α of the union D of all of them, the whole table, k
// times the sampled rows, is taken to have D·k^α (α = 1: chunks share no
// values; α = 0: every chunk saw the whole domain). ok is false when some
// sampled chunk has no complete dictionary: its values are unknown.
func sketchedNDV(sks []*hyperloglog.Sketch, sampledRows, tableRows float64) (float64, bool) {
	if len(sks) == 0 || sampledRows <= 0 {
		return 0, false
	}
	all, half := NewSketch(), NewSketch()
	for i, sk := range sks {
		if sk == nil {
			return 0, false
		}
		if err := all.Merge(sk); err != nil {
			return 0, false
		}
		if i%2 == 0 {
			if err := half.Merge(sk); err != nil {
				return 0, false
			}
		}
	}
	d := float64(all.Estimate())
	if k := tableRows / sampledRows; k > 1.01 && len(sks) > 1 {
		h := math.Max(float64(half.Estimate()), 1)
		// The half holds ⌈n/2⌉ of n chunks.
		frac := math.Ceil(float64(len(sks))/2) / float64(len(sks))
		alpha := 0.0
		if d > h && frac < 1 {
			alpha = math.Log(d/h) / math.Log(1/frac)
		}
		alpha = math.Max(0, math.Min(1, alpha))
		d *= math.Pow(k, alpha)
	}
	return math.Max(1, math.Min(d, tableRows)), true
}

// ValuesRepeat reports, from the sampled chunks' footers and dictionary
// page headers only (no sketching), whether some chunk of column col holds
// fewer distinct values than rows: the column is then not a key.
func ValuesRepeat(t *Table, col int) bool {
	if col < 0 || col >= len(t.Columns) || len(t.Files) == 0 {
		return false
	}
	rgs := make([]int, len(t.Files))
	for i, f := range t.Files {
		rgs[i] = f.NumRowGroups()
	}
	for _, p := range sampleChunks(rgs, maxNDVChunks) {
		f := t.Files[p.file]
		fc := col
		if p.file < len(t.DataFiles) && t.DataFiles[p.file].ColumnMap != nil {
			if fc = t.DataFiles[p.file].ColumnMap[col]; fc < 0 {
				continue
			}
		}
		c := statsOf(f).chunkNDV(f, p.rg, fc)
		if (c.Source == scan.NDVDictionary || c.Source == scan.NDVFooter) && float64(c.NDV) < 0.9*float64(c.Rows) {
			return true
		}
	}
	return false
}

// maxFooterOnlyNDV bounds the per-chunk distinct count remoteFootersSuffice
// trusts without a sketch when chunks share min and max.
const maxFooterOnlyNDV = 64

// remoteFootersSuffice reports whether the footers of a remote table
// already answer what sketching the chunks' dictionaries would, which
// would cost planning a round trip per column over an object store:
//
//   - every sampled chunk has the same exact distinct count, at most
//     maxFooterOnlyNDV, and the same min and max (TPC-H's l_returnflag: A,
//     N, R in every row group): the chunks draw from one small domain;
//   - or the column is integer-valued (integers, dates, decimals) and the
//     values its min..max range can hold are at most half again the
//     largest chunk's distinct count (o_orderdate: 2406 days, all in every
//     chunk): the table cannot have many more values than that chunk.
//
// Local files are sketched as before: there a dictionary read is cheap.
func remoteFootersSuffice(t *Table, samples []ndvSample, typ coldata.Type) bool {
	for _, f := range t.Files {
		if !f.Remote() {
			return false
		}
	}
	if len(samples) < 2 {
		return false
	}
	first := samples[0]
	same := true
	var maxD float64
	lo, hi := first.lo, first.hi
	for _, s := range samples {
		exact := s.source == scan.NDVFooter || s.source == scan.NDVDictionary
		if !exact || !s.hasRange {
			return false
		}
		maxD = math.Max(maxD, s.ndv)
		if s.ndv != first.ndv || coldata.Compare(typ, s.lo, first.lo) != 0 || coldata.Compare(typ, s.hi, first.hi) != 0 {
			same = false
		}
		if coldata.Compare(typ, s.lo, lo) < 0 {
			lo = s.lo
		}
		if coldata.Compare(typ, s.hi, hi) > 0 {
			hi = s.hi
		}
	}
	if same && first.ndv <= maxFooterOnlyNDV {
		return true
	}
	switch typ.ID {
	case coldata.Int32, coldata.Int64, coldata.Date, coldata.Decimal:
		span := float64(hi.I) - float64(lo.I) + 1
		return span > 0 && span <= 1.5*math.Max(maxD, 1)
	}
	return false
}
