package scan

import (
	"context"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"slices"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// ReaderOptions tune a Reader. The zero value reads every row.
type ReaderOptions struct {
	// Preds is a conjunction over file column indexes (the same predicates
	// RowGroupMayMatch takes). The reader then returns only rows that may
	// satisfy all of them: never fewer, possibly more, so the caller still
	// applies its own filter. Predicates on columns that cannot be read
	// are ignored.
	Preds []Predicate
	// Context bounds the reader's fetches (nil: never cancelled).
	Context context.Context
	// Fetched holds byte ranges read ahead (File.Fetch, a Prefetcher):
	// reads they cover cost no I/O.
	Fetched *Fetched
}

// ReaderStats describe the work a Reader did, for EXPLAIN ANALYZE. They are
// cumulative and final once Next has returned io.EOF.
type ReaderStats struct {
	RowsTotal int64 // rows in the row group
	// Rows eliminated before the caller saw them, by mechanism.
	RowsSkippedPageIndex int64 // pages whose min/max rule the predicates out
	RowsSkippedDict      int64 // no dictionary entry matches
	RowsSkippedBloom     int64 // the bloom filter excludes every constant
	RowsSkippedLate      int64 // evaluated on decoded predicate columns
	// Values of the other projected columns never decoded because the
	// predicate columns ruled their rows out: whole batches without a
	// survivor, and the rows between a few survivors.
	ValuesSkippedLate int64
	batchesByRow      int64 // batches finished by readSelected (for tests)
	PagesRead         int64 // data pages decompressed and decoded
	PagesSkipped      int64 // data pages stepped over or never fetched
	BytesRead         int64 // column chunk, page index and bloom bytes fetched
	DecodeTime        time.Duration
}

// PagesTotal is the number of data pages the reader dealt with.
func (s ReaderStats) PagesTotal() int64 { return s.PagesRead + s.PagesSkipped }

// Stats returns what the reader has done so far.
func (r *Reader) Stats() ReaderStats {
	s := r.stats
	s.BytesRead = r.bytesRead
	return s
}

// pushdown is the per-reader state of predicate evaluation.
type pushdown struct {
	preds   []boundPred
	nOut    int   // r.cs[:nOut] are the projected columns, the rest only filter
	predCol []int // distinct indexes into r.cs of predicate columns
	nOther  int   // projected columns that are not predicate columns
	own     []*coldata.Vec

	prepared bool
	ranges   []rowRange // rows that may match, from the page index
	ri       int
	pos      int64 // next row of the row group

	late             bool // still evaluating predicates on decoded rows
	lateIn, lateKept int64
	sel, tmp         []int32
}

type boundPred struct {
	p     Predicate
	cs    int     // index into r.cs
	match []bool  // per dictionary entry, when evaluated on the dictionary
	inSet *intSet // a long integer IN list, hashed once (inSetFor)
}

// lateMinRows and lateKeepFrac decide when late filtering stops paying: once
// this many rows were evaluated and more than this fraction survived, the
// reader stops filtering and just decodes (the caller filters anyway).
// Filtering is kept on while it drops rows, even when every batch has a
// survivor and so every column is decoded: evaluating a predicate on a
// decoded vector costs little next to decoding, and the selection spares
// the caller's filter and everything downstream the dropped rows.
const (
	lateMinRows  = 16 << 10
	lateKeepFrac = 0.9
)

// NewReaderWith is NewReader with options. With predicates the reader
// prunes by the bloom filters, the dictionaries and the page index of the
// predicate columns, decodes the predicate columns first and the others
// only for batches where some row survives, and returns the survivors
// through b.Sel (see nextPush).
func (f *File) NewReaderWith(rg int, cols []int, opts ReaderOptions) (*Reader, error) {
	r, err := f.NewReader(rg, cols)
	if err != nil {
		return r, err
	}
	if opts.Context != nil {
		r.ctx = opts.Context
	}
	r.fetched = opts.Fetched
	if len(opts.Preds) == 0 {
		return r, nil
	}
	pd := &pushdown{nOut: len(r.cs), late: true}
	for _, p := range opts.Preds {
		if p.Col < 0 || p.Col >= len(f.cols) || f.cols[p.Col].Unsupported != "" || f.nested[p.Col] != nil {
			continue
		}
		k := -1
		for i, c := range r.cols {
			if c == p.Col {
				k = i
			}
		}
		if k < 0 {
			extra, err := f.NewReader(rg, []int{p.Col})
			if err != nil {
				continue
			}
			c := extra.cs[0]
			c.stats = &r.stats
			r.cs = append(r.cs, c)
			r.cols = append(r.cols, p.Col)
			k = len(r.cs) - 1
		}
		pd.preds = append(pd.preds, boundPred{p: p, cs: k, inSet: inSetFor(&p, r.cs[k].typ)})
	}
	if len(pd.preds) == 0 {
		return r, nil
	}
	seen := map[int]bool{}
	for _, bp := range pd.preds {
		if !seen[bp.cs] {
			seen[bp.cs] = true
			pd.predCol = append(pd.predCol, bp.cs)
		}
	}
	pd.nOther = pd.nOut
	for _, i := range pd.predCol {
		if i < pd.nOut {
			pd.nOther--
		}
	}
	pd.own = make([]*coldata.Vec, len(r.cs))
	for i := pd.nOut; i < len(r.cs); i++ {
		pd.own[i] = &coldata.Vec{Type: r.cs[i].typ}
	}
	r.push = pd
	return r, nil
}

// prepare runs the chunk- and page-level pruning and fetches what is left.
func (r *Reader) prepare() error {
	pd := r.push
	pd.prepared = true
	f := r.f
	rows := r.rows
	pd.ranges = []rowRange{{0, rows}}
	if rows == 0 {
		pd.ranges = nil
		return nil
	}
	for _, bp := range pd.preds {
		ex, err := f.bloomExcludes(r.rg, r.cols[bp.cs], &bp.p)
		if err != nil {
			return r.fail(r.cs[bp.cs], fmt.Errorf("bloom filter: %w", err))
		}
		if ex {
			r.stats.RowsSkippedBloom = rows
			pd.ranges = nil
			return nil
		}
	}
	locs, err := r.pageIndexRanges()
	if err != nil {
		return err
	}
	kept := int64(0)
	for _, rr := range pd.ranges {
		kept += rr.to - rr.from
	}
	r.stats.RowsSkippedPageIndex = rows - kept
	if kept == 0 {
		return nil
	}
	if kept == rows {
		if err := r.load(); err != nil {
			return err
		}
	} else if err := r.loadPages(locs); err != nil {
		return err
	}
	for j := range pd.preds {
		bp := &pd.preds[j]
		c := r.cs[bp.cs]
		if bp.p.Op == OpIsNull || bp.p.Op == OpIsNotNull || !f.allDictEncoded(r.rg, r.cols[bp.cs]) {
			continue
		}
		if err := c.loadDictOnly(&r.dec); err != nil {
			return r.fail(c, err)
		}
		if c.dict == nil {
			continue
		}
		bp.match = dictMatches(&bp.p, c.dict)
		if !slices.Contains(bp.match, true) {
			r.stats.RowsSkippedDict = kept
			pd.ranges = nil
			return nil
		}
		c.wantIdx = true
	}
	return nil
}

// pageIndexRanges narrows pd.ranges with the column index of every
// predicate column that has one, and returns the offset index of every
// selected column that has a valid one (nil entries otherwise).
func (r *Reader) pageIndexRanges() ([][]pageLoc, error) {
	pd := r.push
	f := r.f
	rows := r.rows
	locs := make([][]pageLoc, len(r.cs))
	for i, ci := range r.cols {
		if f.leaves[ci].leaf < 0 {
			continue // nested: read whole
		}
		cc := f.md.RowGroups[r.rg].Columns[f.leaves[ci].leaf]
		b, err := f.readIndex(cc.OffsetIndexOffset, cc.OffsetIndexLength)
		if err != nil || b == nil {
			continue // a broken index only costs the optimisation
		}
		r.bytesRead += int64(len(b))
		l, err := parseOffsetIndex(b)
		start, end, err2 := f.chunkRange(r.rg, ci)
		if err == nil && err2 == nil && validLocs(l, start, end, rows) {
			locs[i] = l
		}
	}
	for _, bp := range pd.preds {
		ci := r.cols[bp.cs]
		if locs[bp.cs] == nil {
			continue
		}
		cc := f.md.RowGroups[r.rg].Columns[f.leaves[ci].leaf]
		b, err := f.readIndex(cc.ColumnIndexOffset, cc.ColumnIndexLength)
		if err != nil || b == nil {
			continue
		}
		r.bytesRead += int64(len(b))
		idx, err := parseColumnIndex(b)
		if err != nil || len(idx.nullPages) != len(locs[bp.cs]) {
			continue
		}
		keep := f.pagesMayMatch(ci, idx, locs[bp.cs], rows, &bp.p)
		pd.ranges = intersectRanges(pd.ranges, pageRanges(locs[bp.cs], rows, keep))
	}
	return locs, nil
}

// pagesMayMatch applies the row-group statistics test to each page.
func (f *File) pagesMayMatch(ci int, idx *columnIndex, locs []pageLoc, rows int64, p *Predicate) []bool {
	li := f.leaves[ci]
	typ := f.cols[ci].Type
	trusted := li.typeOrder || !(li.strLike || li.unsigned)
	keep := make([]bool, len(locs))
	for i := range locs {
		n := rows
		if i+1 < len(locs) {
			n = locs[i+1].firstRow
		}
		n -= locs[i].firstRow
		var st Stats
		if idx.nullCount != nil {
			st.NullCount, st.HasNullCount = idx.nullCount[i], true
		}
		if idx.nullPages[i] {
			st.NullCount, st.HasNullCount = n, true
		} else if trusted {
			lo, ok1 := decodeStat(li, idx.mins[i])
			hi, ok2 := decodeStat(li, idx.maxs[i])
			st.HasMinMax = ok1 && ok2 && coldata.Compare(typ, lo, hi) <= 0
			st.Min, st.Max = lo, hi
		}
		keep[i] = statsMayMatch(typ, st, n, false, p)
	}
	return keep
}

// loadPages fetches, per column, the dictionary region and the runs of
// pages that hold rows in pd.ranges; columns without an offset index are
// fetched whole and stepped through by page headers.
func (r *Reader) loadPages(locs [][]pageLoc) error {
	pd := r.push
	for i, c := range r.cs {
		if c.nest != nil {
			if err := r.loadNested(c); err != nil {
				return r.fail(c, err)
			}
			continue
		}
		start, end, err := r.f.chunkRange(r.rg, r.cols[i])
		if err != nil {
			return r.fail(c, err)
		}
		l := locs[i]
		if l == nil {
			buf, err := r.readRange(c, start, end)
			if err != nil {
				return err
			}
			c.chunk = buf
			continue
		}
		var segs []segment
		if start < l[0].offset {
			buf, err := r.readRange(c, start, l[0].offset)
			if err != nil {
				return err
			}
			segs = append(segs, segment{0, buf})
		}
		ri := 0
		for p := 0; p < len(l); {
			to := r.rows
			if p+1 < len(l) {
				to = l[p+1].firstRow
			}
			for ri < len(pd.ranges) && pd.ranges[ri].to <= l[p].firstRow {
				ri++
			}
			if ri == len(pd.ranges) || pd.ranges[ri].from >= to {
				r.stats.PagesSkipped++
				p++
				continue
			}
			// Extend over following pages that also hold needed rows.
			q := p + 1
			for q < len(l) {
				qto := r.rows
				if q+1 < len(l) {
					qto = l[q+1].firstRow
				}
				k := ri
				for k < len(pd.ranges) && pd.ranges[k].to <= l[q].firstRow {
					k++
				}
				if k == len(pd.ranges) || pd.ranges[k].from >= qto {
					break
				}
				q++
			}
			buf, err := r.readRange(c, l[p].offset, l[q-1].offset+int64(l[q-1].size))
			if err != nil {
				return err
			}
			segs = append(segs, segment{l[p].firstRow, buf})
			p = q
		}
		c.segs = segs
	}
	r.loaded = true
	return nil
}

// readRange fetches file bytes [start, end) for column c (nil for bytes
// that may not be recycled).
func (r *Reader) readRange(c *colState, start, end int64) ([]byte, error) {
	if b, ok := r.fetched.lookup(start, end); ok {
		r.bytesRead += int64(len(b))
		return b, nil
	}
	var buf []byte
	if c != nil && c.nest == nil && c.codec != codecUncompressed {
		buf = getBuf(int(end - start))
		r.pooled = append(r.pooled, pooledBuf{b: buf, cols: []*colState{c}})
	} else {
		buf = make([]byte, end-start)
	}
	if err := readAt(r.ctx, r.f.r, buf, start); err != nil {
		return nil, fmt.Errorf("%s: reading row group %d: %w", r.f.path, r.rg, err)
	}
	r.bytesRead += int64(len(buf))
	return buf, nil
}

// allDictEncoded reports whether every data page of the chunk is
// dictionary-encoded, so that the dictionary holds every value.
func (f *File) allDictEncoded(rg, ci int) bool {
	md := f.md.RowGroups[rg].Columns[f.leaves[ci].leaf].MetaData
	if len(md.EncodingStats) > 0 {
		for _, es := range md.EncodingStats {
			if es == nil {
				return false
			}
			if pt := int32(es.PageType); pt != pageData && pt != pageDataV2 {
				continue
			}
			if e := int32(es.Encoding); e != encPlainDict && e != encRLEDict {
				return false
			}
		}
		return true
	}
	dict := false
	for _, e := range md.Encodings {
		switch int32(e) {
		case encPlainDict, encRLEDict:
			dict = true
		case encRLE, encBitPacked:
		default:
			return false // PLAIN may be a fallback for data pages
		}
	}
	return dict
}

// nextPush is Next for a reader with predicates. It fills b with a batch of
// consecutive rows and sets b.Sel to the rows that may match when that is
// not all of them (b.Sel then points into the reader's buffer, valid until
// the next call). Batches where nothing matches are not returned.
func (r *Reader) nextPush(b *coldata.Batch, max int) (n int, err error) {
	pd := r.push
	if b == nil || len(b.Vecs) != pd.nOut {
		return 0, fmt.Errorf("%s: batch has the wrong number of vectors for %d columns", r.f.path, pd.nOut)
	}
	if max <= 0 {
		max = coldata.DefaultBatchSize
	}
	start := time.Now()
	defer func() { r.stats.DecodeTime += time.Since(start) }()
	var cur *colState
	defer func() {
		if !catchPanics {
			return
		}
		if p := recover(); p != nil {
			r.err = r.fail(cur, fmt.Errorf("internal error while decoding: %v", p))
			n, err = 0, r.err
		}
	}()
	if !pd.prepared {
		if err := r.prepare(); err != nil {
			r.err = err
			return 0, err
		}
	}
	for i := 0; i < pd.nOut; i++ {
		if b.Vecs[i] == nil {
			b.Vecs[i] = &coldata.Vec{Type: r.cs[i].typ}
		} else if b.Vecs[i].Type != r.cs[i].typ {
			return 0, fmt.Errorf("%s: column %s is %s but batch vector %d is %s", r.f.path, r.cs[i].name, r.cs[i].typ, i, b.Vecs[i].Type)
		}
	}
	vec := func(i int) *coldata.Vec {
		if i < pd.nOut {
			return b.Vecs[i]
		}
		return pd.own[i]
	}
	readCol := func(i int, k int) error {
		cur = r.cs[i]
		if err := cur.skipTo(pd.pos, &r.dec); err != nil {
			return err
		}
		return cur.read(vec(i), k, &r.dec)
	}
	for {
		for pd.ri < len(pd.ranges) && pd.pos >= pd.ranges[pd.ri].to {
			pd.ri++
		}
		if pd.ri == len(pd.ranges) {
			r.rows = 0
			return 0, io.EOF
		}
		pd.pos = max64(pd.pos, pd.ranges[pd.ri].from)
		k := int(min(int64(max), pd.ranges[pd.ri].to-pd.pos))
		var sel []int32
		isPred := func(i int) bool { return false }
		if pd.late {
			for _, i := range pd.predCol {
				if err := readCol(i, k); err != nil {
					r.err = r.fail(cur, err)
					return 0, r.err
				}
			}
			// Alternate between two buffers so that a filter never
			// writes into the selection it reads.
			bufs := [2][]int32{pd.sel, pd.tmp}
			w := 0
			for _, bp := range pd.preds {
				if c := r.cs[bp.cs]; bp.match != nil && c.idxAll {
					bufs[w] = filterIdx(bufs[w], sel, k, c.idx32, vec(bp.cs).Nulls, bp.match)
				} else {
					bufs[w] = filterVec(&bp.p, c.typ, vec(bp.cs), k, sel, bufs[w], bp.inSet)
				}
				sel = bufs[w]
				w ^= 1
				if len(sel) == 0 {
					break
				}
			}
			pd.sel, pd.tmp = bufs[0], bufs[1]
			pd.lateIn += int64(k)
			pd.lateKept += int64(len(sel))
			r.stats.RowsSkippedLate += int64(k - len(sel))
			if pd.lateIn >= lateMinRows && float64(pd.lateKept) > lateKeepFrac*float64(pd.lateIn) {
				pd.late = false
			}
			if len(sel) == 0 {
				r.stats.ValuesSkippedLate += int64(k * pd.nOther)
				pd.pos += int64(k)
				continue
			}
			if len(sel) == k {
				sel = nil
			}
			isPred = func(i int) bool {
				for _, p := range pd.predCol {
					if p == i {
						return true
					}
				}
				return false
			}
			if sel != nil && countRuns(sel)*selRunDivisor <= k && !r.nestedOut() {
				n, err := r.readSelected(b, k, sel, isPred)
				if err != nil {
					r.err = err
					return 0, err
				}
				return n, nil
			}
		}
		for i := 0; i < pd.nOut; i++ {
			if isPred(i) {
				continue
			}
			if err := readCol(i, k); err != nil {
				r.err = r.fail(cur, err)
				return 0, r.err
			}
		}
		pd.pos += int64(k)
		b.N = k
		b.Sel = sel
		return k, nil
	}
}

// nestedOut reports whether a projected column is nested (those are read
// whole: their rows are not runs of values).
func (r *Reader) nestedOut() bool {
	for _, c := range r.cs[:r.push.nOut] {
		if c.nest != nil {
			return true
		}
	}
	return false
}

// readSelected finishes a batch of k rows of which only sel survived, as a
// dense batch of len(sel) rows: the decoded predicate columns are compacted
// in place and the others decode only the surviving rows (latemat.go).
func (r *Reader) readSelected(b *coldata.Batch, k int, sel []int32, isPred func(int) bool) (int, error) {
	pd := r.push
	n := len(sel)
	for i := 0; i < pd.nOut; i++ {
		v := b.Vecs[i]
		if isPred(i) {
			// sel ascends with sel[j] >= j, so gathering in place never
			// overwrites a row still to be read.
			v.CopyFrom(v, sel, n, 0)
			nulls := v.Nulls
			v.Resize(n)
			if nulls != nil {
				v.Nulls = nulls[:n]
			}
			continue
		}
		c := r.cs[i]
		if err := c.skipTo(pd.pos, &r.dec); err != nil {
			return 0, r.fail(c, err)
		}
		if err := c.readSel(v, sel, &r.dec); err != nil {
			return 0, r.fail(c, err)
		}
		r.stats.ValuesSkippedLate += int64(k - n)
	}
	r.stats.batchesByRow++
	pd.pos += int64(k)
	b.N = n
	b.Sel = nil
	return n, nil
}

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

// loadDictOnly loads the chunk's dictionary page, if it starts with one,
// without touching any data page.
func (c *colState) loadDictOnly(dec *decompressor) error {
	if c.dict != nil {
		return nil
	}
	if len(c.chunk) == 0 && len(c.segs) > 0 && c.segs[0].firstRow == 0 {
		c.chunk, c.segs = c.segs[0].b, c.segs[1:]
	}
	if len(c.chunk) == 0 {
		return nil
	}
	h, hl, err := decodePageHeader(c.chunk)
	if err != nil || h.typ != pageDictionary {
		return err
	}
	body := c.chunk[hl:]
	if int64(h.compressedSize) > int64(len(body)) {
		return fmt.Errorf("page of %d bytes runs past the end of the column chunk (%d bytes left)", h.compressedSize, len(body))
	}
	body = body[:h.compressedSize]
	if h.hasCRC && crc32.ChecksumIEEE(body) != uint32(h.crc) {
		return crcError(h.typ, len(body), 0)
	}
	if err := c.loadDict(&h, body, dec); err != nil {
		return fmt.Errorf("dictionary page: %w", err)
	}
	c.chunk = c.chunk[hl+int(h.compressedSize):]
	return nil
}

// ExactStats returns the minimum, maximum and null count of column col over
// the whole file when every row group's footer statistics are exact, so
// that an ungrouped MIN/MAX/COUNT can be answered without reading data. An
// all-NULL column gives NULL min and max. ok is false when any row group
// lacks exact statistics (or, for floats, might hold a NaN).
func (f *File) ExactStats(col int) (lo, hi coldata.Datum, nulls int64, ok bool) {
	if col < 0 || col >= len(f.cols) || f.cols[col].Unsupported != "" || len(f.md.RowGroups) == 0 {
		return
	}
	typ := f.cols[col].Type
	lo, hi = coldata.NullDatum, coldata.NullDatum
	for rg, g := range f.md.RowGroups {
		if g.NumRows == 0 {
			continue
		}
		st, has := f.ColumnStats(rg, col)
		if !has || !st.HasNullCount {
			return lo, hi, 0, false
		}
		nulls += st.NullCount
		if st.NullCount >= g.NumRows {
			continue
		}
		if !st.HasMinMax || !st.Exact {
			return lo, hi, 0, false
		}
		if typ.ID == coldata.Float64 {
			nc := f.md.RowGroups[rg].Columns[f.leaves[col].leaf].MetaData.Statistics.NanCount
			if nc == nil || *nc != 0 || math.IsNaN(st.Min.F) || math.IsNaN(st.Max.F) {
				return lo, hi, 0, false
			}
		}
		if lo.Null || coldata.Compare(typ, st.Min, lo) < 0 {
			lo = st.Min
		}
		if hi.Null || coldata.Compare(typ, st.Max, hi) > 0 {
			hi = st.Max
		}
	}
	return lo, hi, nulls, true
}
