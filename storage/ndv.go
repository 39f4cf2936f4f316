package storage

import (
	"math"
	"slices"
	"sync"

	"github.com/axiomhq/hyperloglog"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/scan"
)

// maxNDVChunks bounds the column chunks looked at for one column of one
// table: at most one dictionary page header is read per chunk, so planning
// over 10,000 files reads at most this many small headers per column the
// planner asks about (and none for columns whose footers carry
// distinct_count). Chunks are spread evenly over the files and over the
// row groups within them, and the result is extrapolated to the table.
const maxNDVChunks = 64

// fileStats caches what the planner derives from one opened file. Files
// are cached by the catalog across queries (by path, size and mtime), so
// this is computed at most once per file, column and row group; the
// catalog drops it with the file (forgetStats).
type fileStats struct {
	mu       sync.Mutex
	ranges   map[int]colRange
	chunks   map[[2]int]scan.ChunkNDV       // (column, row group) → NDV
	sketches map[[2]int]*hyperloglog.Sketch // (column, row group) → dictionary sketch
}

var statsCache sync.Map // *scan.File → *fileStats

func statsOf(f *scan.File) *fileStats {
	if v, ok := statsCache.Load(f); ok {
		return v.(*fileStats)
	}
	v, _ := statsCache.LoadOrStore(f, &fileStats{ranges: map[int]colRange{}, chunks: map[[2]int]scan.ChunkNDV{}, sketches: map[[2]int]*hyperloglog.Sketch{}})
	return v.(*fileStats)
}

// forgetStats drops a file's cached statistics (the catalog calls it when
// the file is closed or replaced).
func forgetStats(f *scan.File) { statsCache.Delete(f) }

func (s *fileStats) chunkNDV(f *scan.File, rg, col int) scan.ChunkNDV {
	key := [2]int{col, rg}
	s.mu.Lock()
	c, ok := s.chunks[key]
	s.mu.Unlock()
	if ok {
		return c
	}
	c = f.ChunkNDV(rg, col) // I/O outside the lock
	s.mu.Lock()
	s.chunks[key] = c
	s.mu.Unlock()
	return c
}

// ColumnNDV estimates the distinct non-null values of table column col
// from the files' footers (distinct_count) and dictionary page headers,
// extrapolated from a sample of at most maxNDVChunks column chunks. ok is
// false when no sampled chunk says anything (no statistic, no dictionary):
// the caller then falls back to value ranges or row counts.
func ColumnNDV(t *Table, col int) (ndv float64, ok bool) {
	if col < 0 || col >= len(t.Columns) || len(t.Files) == 0 || t.NumRows <= 0 {
		return 0, false
	}
	if d, ok := partitionNDV(t, col); ok {
		return d, true
	}
	typ := t.Columns[col].Type
	var samples []ndvSample
	type sketchable struct {
		f       *scan.File
		rg, col int
		rows    float64
	}
	var dicts []sketchable
	rgs := make([]int, len(t.Files))
	for i, f := range t.Files {
		rgs[i] = f.NumRowGroups()
	}
	type ref struct {
		f      *scan.File
		rg, fc int
	}
	var refs []ref
	for _, p := range sampleChunks(rgs, maxNDVChunks) {
		fc := col
		if p.file < len(t.DataFiles) && t.DataFiles[p.file].ColumnMap != nil {
			if fc = t.DataFiles[p.file].ColumnMap[col]; fc < 0 {
				continue // the file lacks the column: all NULL
			}
		}
		refs = append(refs, ref{t.Files[p.file], p.rg, fc})
	}
	// Dictionary headers of remote files cost a round trip each: read the
	// sample's in parallel so that planning waits for about one.
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for _, r := range refs {
		if r.f.Remote() {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				statsOf(r.f).chunkNDV(r.f, r.rg, r.fc)
			}()
		}
	}
	wg.Wait()
	for _, p := range refs {
		f, fc := p.f, p.fc
		c := statsOf(f).chunkNDV(f, p.rg, fc)
		s := ndvSample{source: c.Source, ndv: float64(c.NDV), rows: float64(c.Rows)}
		if c.Rows > 0 {
			ok := c.Source == scan.NDVDictionary || c.Source == scan.NDVFooter
			dicts = append(dicts, sketchable{f: f, rg: p.rg, col: fc, rows: float64(c.Rows)})
			if !ok {
				dicts[len(dicts)-1].f = nil
			}
		}
		if st, has := f.ColumnStats(p.rg, fc); has && st.HasMinMax && f.Columns()[fc].Type == typ {
			s.lo, s.hi, s.hasRange = st.Min, st.Max, true
		}
		samples = append(samples, s)
	}
	d, ok := combineNDV(samples, typ, float64(t.NumRows))
	if ok && (!ambiguous(samples, float64(t.NumRows)) || remoteFootersSuffice(t, samples, typ)) {
		return d, true
	}
	// Sketch up to maxSketchChunks of the chunks, spread evenly: planning
	// pays for each dictionary read in every new process.
	var picked []sketchable
	step := max(1, (len(dicts)+maxSketchChunks-1)/maxSketchChunks)
	for i := 0; i < len(dicts); i += step {
		picked = append(picked, dicts[i])
		if dicts[i].f == nil {
			break // no complete dictionary: no sketch
		}
	}
	// Remote dictionaries, like the headers above, are read in parallel
	// (two round trips each, 16 chunks of a query's GROUP BY keys read one
	// after the other cost TPC-H Q1 over S3 half a second).
	for _, c := range picked {
		if c.f != nil && c.f.Remote() {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				statsOf(c.f).chunkSketch(c.f, c.rg, c.col)
			}()
		}
	}
	wg.Wait()
	var sks []*hyperloglog.Sketch
	var rows float64
	for _, c := range picked {
		if c.f == nil {
			sks = append(sks, nil)
			break
		}
		sks = append(sks, statsOf(c.f).chunkSketch(c.f, c.rg, c.col))
		rows += c.rows
	}
	if ds, sok := sketchedNDV(sks, rows, float64(t.NumRows)); sok {
		return ds, true
	}
	return d, ok
}

// maxSketchChunks bounds the dictionary pages sketched per column.
const maxSketchChunks = 8

// ambiguous reports whether per-chunk distinct counts leave the table's
// open: between the largest chunk's count and their scaled sum lies more
// than half again. A single chunk, or chunks holding nearly all their
// rows' values at once, need no sketch.
func ambiguous(samples []ndvSample, tableRows float64) bool {
	if len(samples) < 2 {
		return false
	}
	var maxD, sumD, sumR float64
	for _, c := range samples {
		maxD = math.Max(maxD, math.Min(c.ndv, c.rows))
		sumD += math.Min(c.ndv, c.rows)
		sumR += c.rows
	}
	if sumR <= 0 {
		return false
	}
	upper := math.Min(sumD*tableRows/sumR, tableRows)
	return upper > 1.5*math.Max(maxD, 1)
}

// partitionNDV counts the distinct values of a hive partition column over
// the table's files: exact, and free (the values are in the paths).
func partitionNDV(t *Table, col int) (float64, bool) {
	d := t.Dataset
	if d == nil || col < len(d.Columns) || col-len(d.Columns) >= len(d.PartitionCols) || len(t.DataFiles) != len(t.Files) {
		return 0, false
	}
	p := col - len(d.Columns)
	typ := d.PartitionCols[p].Type
	var vals []coldata.Datum
	for _, df := range t.DataFiles {
		if p >= len(df.Partition) {
			return 0, false
		}
		if v := df.Partition[p]; !v.Null {
			vals = append(vals, v)
		}
	}
	slices.SortFunc(vals, func(a, b coldata.Datum) int { return coldata.Compare(typ, a, b) })
	n := 0
	for i := range vals {
		if i == 0 || coldata.Compare(typ, vals[i-1], vals[i]) != 0 {
			n++
		}
	}
	return math.Max(float64(n), 1), true
}

type chunkRef struct{ file, rg int }

// sampleChunks picks at most max (file, row group) pairs spread evenly
// over the table: every row group when there are few, else an even stride
// over files and, within a file, over its row groups.
// rowGroups[i] is the number of row groups of file i.
func sampleChunks(rowGroups []int, max int) []chunkRef {
	total := 0
	for _, n := range rowGroups {
		total += n
		if total > max {
			break
		}
	}
	var out []chunkRef
	if total <= max {
		for i, n := range rowGroups {
			for rg := 0; rg < n; rg++ {
				out = append(out, chunkRef{i, rg})
			}
		}
		return out
	}
	nf := len(rowGroups)
	if nf >= max {
		// One row group from each of max evenly spaced files, rotating
		// which row group so that files with many are not always sampled
		// at their start.
		for k := 0; k < max; k++ {
			i := k * nf / max
			if n := rowGroups[i]; n > 0 {
				out = append(out, chunkRef{i, k % n})
			}
		}
		return out
	}
	per := max / nf
	for i, n := range rowGroups {
		m := min(per, n)
		for k := 0; k < m; k++ {
			out = append(out, chunkRef{i, k * n / m})
		}
	}
	return out
}

// ndvSample is one column chunk's evidence about distinct values.
type ndvSample struct {
	source    scan.NDVSource
	ndv, rows float64
	lo, hi    coldata.Datum
	hasRange  bool
}

// combineNDV turns per-chunk distinct counts into a table estimate.
//
// The table's NDV lies between the largest chunk's NDV (every chunk drew
// from one shared domain that the biggest chunk saw whole) and the sum of
// the chunks' NDVs (disjoint domains), scaled from the sampled rows to the
// table's rows and capped by the row count. Which end is right depends on
// how values are laid out:
//
//   - Clustered columns (sorted keys, dates of an append-only table) give
//     chunks whose min/max ranges barely overlap: their values are
//     disjoint, so the NDVs add up (scaled to the whole table).
//   - Otherwise the chunks are taken to draw independently and uniformly
//     from one domain of D values. A chunk of r rows then shows
//     d = D·(1 − e^(−r/D)) distinct values; solving that for D from the
//     average chunk gives the domain. When d ≪ r (each value repeats many
//     times per chunk, e.g. 10,000 suppliers over 120K lineitems) the chunk
//     saw the whole domain and D ≈ d, the max; when d ≈ r (nearly unique
//     values) D is unbounded and the estimate goes to the upper bound; in
//     between it grows smoothly (d = r/2 gives D ≈ 0.63·r per chunk).
//
// Chunk evidence: footer distinct_count and complete dictionaries are
// exact. A dictionary that overflowed into plain pages bounds the chunk's
// NDV from below only; the overflow itself says the values are diverse, so
// the chunk counts as nearly all-distinct (its rows). A chunk written
// without a dictionary, when other chunks of the same column have one,
// means the writer declined a dictionary there for the same reason and
// counts the same way. Chunks with no usable evidence (unreadable headers)
// are left out; if no chunk has a dictionary or a distinct_count there is
// no estimate.
func combineNDV(samples []ndvSample, typ coldata.Type, tableRows float64) (float64, bool) {
	type chunk struct {
		d, r     float64
		lo, hi   coldata.Datum
		hasRange bool
	}
	var cs []chunk
	evidence := false
	for _, s := range samples {
		if s.rows <= 0 {
			continue
		}
		c := chunk{r: s.rows, lo: s.lo, hi: s.hi, hasRange: s.hasRange}
		switch s.source {
		case scan.NDVFooter, scan.NDVDictionary:
			c.d = math.Min(s.ndv, s.rows)
			evidence = true
		case scan.NDVDictionaryFallback:
			c.d = s.rows
			evidence = true
		case scan.NDVPlain:
			c.d = s.rows
		default:
			continue
		}
		cs = append(cs, c)
	}
	if !evidence || tableRows <= 0 {
		return 0, false
	}
	var sumD, sumR, maxD float64
	for _, c := range cs {
		sumD += c.d
		sumR += c.r
		maxD = math.Max(maxD, c.d)
	}
	lower := maxD
	upper := math.Min(sumD*tableRows/sumR, tableRows)
	if upper <= lower {
		return math.Max(lower, 1), true
	}
	if disjointRanges(cs, typ, func(c chunk) (coldata.Datum, coldata.Datum, bool) { return c.lo, c.hi, c.hasRange }) {
		return upper, true
	}
	d := sharedDomain(sumD/float64(len(cs)), sumR/float64(len(cs)))
	return math.Max(lower, math.Min(d, upper)), true
}

// disjointRanges reports whether at least two chunks have min/max ranges
// and, sorted by min, at most a tenth of neighbours overlap.
func disjointRanges[C any](cs []C, typ coldata.Type, rng func(C) (coldata.Datum, coldata.Datum, bool)) bool {
	type iv struct{ lo, hi coldata.Datum }
	var ivs []iv
	for _, c := range cs {
		lo, hi, ok := rng(c)
		if !ok {
			return false
		}
		ivs = append(ivs, iv{lo, hi})
	}
	if len(ivs) < 2 {
		return false
	}
	slices.SortFunc(ivs, func(a, b iv) int { return coldata.Compare(typ, a.lo, b.lo) })
	overlaps := 0
	hi := ivs[0].hi
	for _, v := range ivs[1:] {
		if coldata.Compare(typ, v.lo, hi) <= 0 {
			overlaps++
		}
		if coldata.Compare(typ, v.hi, hi) > 0 {
			hi = v.hi
		}
	}
	return overlaps*10 <= len(ivs)-1
}

// sharedDomain solves d = D·(1 − e^(−r/D)) for D: the domain size from
// which r uniform draws show d distinct values. It is +Inf when d ≥ r.
func sharedDomain(d, r float64) float64 {
	if d <= 0 || r <= 0 {
		return 0
	}
	t := d / r
	if t >= 0.999 {
		return math.Inf(1)
	}
	// g(x) = (1 − e^(−x))/x falls from 1 to 0 as x = r/D grows; find
	// g(x) = t by bisection on x.
	lo, hi := 1e-9, 1.0
	for (1-math.Exp(-hi))/hi > t {
		hi *= 2
	}
	for i := 0; i < 100; i++ {
		mid := (lo + hi) / 2
		if (1-math.Exp(-mid))/mid > t {
			lo = mid
		} else {
			hi = mid
		}
	}
	return r / ((lo + hi) / 2)
}
