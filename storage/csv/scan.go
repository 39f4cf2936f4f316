package csv

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
)

// Scan is the files of one read_csv as a relation: the file columns, then
// filename (with the filename option), then the hive partition columns.
// It implements planner.ExternalSource.
type Scan struct {
	Files   []FileRef
	Columns []Column
	// FileCols is the number of columns read from the files.
	FileCols int
	opts     Options
	conv     converter
	nulls    nullSet
	// Per file: dialect, header, and colMap[i] = the file's column of
	// Columns[i] (-1: missing, NULL), nil when identical to the first.
	sniffs  []*sniffed
	colMaps [][]int
	nfields []int
	first   *sniffed
	size    int64
	// chunkBytes overrides the chunk size (tests).
	chunkBytes int
}

// Describe names the scan for EXPLAIN.
func (s *Scan) Describe() string { return DescribeFiles("READ_CSV", s.Files) }

// DescribeFiles names a scan of files for EXPLAIN: the first three of a
// long list.
func DescribeFiles(op string, files []FileRef) string {
	var names []string
	for i, f := range files {
		if i == 3 {
			names = append(names, fmt.Sprintf("... (%d files)", len(files)))
			break
		}
		names = append(names, f.Path)
	}
	return op + " " + strings.Join(names, ", ")
}

// EstimatedRows guesses 100 bytes a row.
func (s *Scan) EstimatedRows() float64 { return float64(s.size)/100 + 1 }

func (s *Scan) dialect(fi int) dialect {
	if s.sniffs[fi] != nil {
		return s.sniffs[fi].d
	}
	return s.first.d
}

func (s *Scan) header(fi int) bool {
	if s.sniffs[fi] != nil {
		return s.sniffs[fi].header
	}
	return s.first.header
}

// NewScan sniffs the files (the first one, or each with union_by_name)
// and fixes the relation's columns. partCols name the files' Partition
// values.
func NewScan(ctx context.Context, files []FileRef, opts Options, partCols []Column) (*Scan, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("IO Error: No files found")
	}
	s := &Scan{Files: files, opts: opts, nulls: newNullSet(opts.NullStr)}
	var err error
	if opts.DateFormat != "" {
		if s.conv.dateFmt, err = compileLayout(opts.DateFormat); err != nil {
			return nil, err
		}
	}
	if opts.TimestampFormat != "" {
		if s.conv.tsFmt, err = compileLayout(opts.TimestampFormat); err != nil {
			return nil, err
		}
	}
	for _, f := range files {
		s.size += f.Info.Size
	}
	s.sniffs = make([]*sniffed, len(files))
	s.colMaps = make([][]int, len(files))
	s.nfields = make([]int, len(files))
	if s.first, err = s.sniffFile(ctx, 0); err != nil {
		return nil, err
	}
	s.Columns = append(s.Columns, s.first.columns...)
	for i := range files {
		s.nfields[i] = len(s.first.columns)
	}
	if opts.UnionByName {
		if err := s.unionByName(ctx); err != nil {
			return nil, err
		}
	}
	if err := s.applyTypes(); err != nil {
		return nil, err
	}
	s.FileCols = len(s.Columns)
	if opts.Filename {
		s.Columns = append(s.Columns, Column{Name: "filename", Type: coldata.TypeString})
	}
	s.Columns = append(s.Columns, partCols...)
	return s, nil
}

// sniffFile detects file fi's layout, or takes it from the options when
// auto_detect is off.
func (s *Scan) sniffFile(ctx context.Context, fi int) (*sniffed, error) {
	o := &s.opts
	if o.NoAutoDetect {
		if len(o.Columns) == 0 {
			return nil, fmt.Errorf("Binder Error: read_csv: columns must be given when auto_detect is false")
		}
		d := dialect{delim: ',', quote: '"', escape: '"'}
		if o.Delim != 0 {
			d.delim = o.Delim
		}
		if o.QuoteSet {
			d.quote, d.escape = o.Quote, o.Quote
		}
		if o.EscapeSet {
			d.escape = o.Escape
		}
		return &sniffed{d: d, header: o.Header, columns: o.Columns}, nil
	}
	sample, complete, err := readSample(ctx, s.Files[fi], o.Compression, 4<<20)
	if err != nil {
		return nil, err
	}
	sn, err := sniff(sample, o, complete, s.Files[fi].Path, &s.conv)
	if err != nil {
		return nil, err
	}
	if len(o.Columns) > 0 {
		if len(o.Columns) != len(sn.columns) && !o.UnionByName {
			return nil, fmt.Errorf("Invalid Input Error: read_csv: %d columns given, the file %s has %d", len(o.Columns), s.Files[fi].Path, len(sn.columns))
		}
		sn.columns = o.Columns
	}
	return sn, nil
}

// unionByName sniffs every file and merges their columns by name; a name
// with different types becomes the wider one (VARCHAR when they differ in
// kind).
func (s *Scan) unionByName(ctx context.Context) error {
	index := map[string]int{}
	for i, c := range s.Columns {
		index[strings.ToLower(c.Name)] = i
	}
	for fi := range s.Files {
		sn := s.first
		if fi > 0 {
			var err error
			if sn, err = s.sniffFile(ctx, fi); err != nil {
				return err
			}
			s.sniffs[fi] = sn
		}
		s.nfields[fi] = len(sn.columns)
		for _, c := range sn.columns {
			k, ok := index[strings.ToLower(c.Name)]
			if !ok {
				index[strings.ToLower(c.Name)] = len(s.Columns)
				s.Columns = append(s.Columns, c)
				continue
			}
			s.Columns[k].Type = widen(s.Columns[k].Type, c.Type)
		}
	}
	for fi := range s.Files {
		sn := s.first
		if s.sniffs[fi] != nil {
			sn = s.sniffs[fi]
		}
		m := make([]int, len(s.Columns))
		for i := range m {
			m[i] = -1
		}
		for j, c := range sn.columns {
			m[index[strings.ToLower(c.Name)]] = j
		}
		s.colMaps[fi] = m
	}
	return nil
}

func widen(a, b coldata.Type) coldata.Type {
	switch {
	case a == b:
		return a
	case a.IsInteger() && b.IsInteger():
		return coldata.TypeInt64
	case a.IsNumeric() && b.IsNumeric():
		return coldata.TypeFloat64
	case a.ID == coldata.Date && b.ID == coldata.Timestamp, b.ID == coldata.Date && a.ID == coldata.Timestamp:
		return coldata.TypeTimestamp
	}
	return coldata.TypeString
}

// applyTypes applies all_varchar, types (by name or position).
func (s *Scan) applyTypes() error {
	o := &s.opts
	for i := range s.Columns {
		if o.AllVarchar {
			s.Columns[i].Type = coldata.TypeString
		}
		if i < len(o.TypeList) {
			s.Columns[i].Type = o.TypeList[i]
		}
	}
	if len(o.TypeList) > len(s.Columns) {
		return fmt.Errorf("Binder Error: read_csv: %d types given for %d columns", len(o.TypeList), len(s.Columns))
	}
	for name, t := range o.Types {
		found := false
		for i := range s.Columns {
			if strings.EqualFold(s.Columns[i].Name, name) {
				s.Columns[i].Type, found = t, true
			}
		}
		if !found {
			return fmt.Errorf("Binder Error: COLUMN_TYPES error: Columns with names: \"%s\" do not exist in the CSV File", name)
		}
	}
	return nil
}

// Start begins reading the columns cols: one goroutine cuts the files
// into chunks, the readers parse and convert them.
func (s *Scan) Start(ctx context.Context, cols []int, workers int) (planner.ExternalRun, error) {
	ctx, cancel := context.WithCancel(ctx)
	r := &run{s: s, cols: cols, cancel: cancel, chunks: make(chan *chunk, max(workers, 1)+1)}
	for _, c := range cols {
		r.types = append(r.types, s.Columns[c].Type)
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer close(r.chunks)
		for fi := range s.Files {
			if err := s.chunkFile(ctx, fi, r.chunks); err != nil {
				r.fail(err)
				return
			}
		}
	}()
	return r, nil
}

// run is one query's read of a Scan.
type run struct {
	s      *Scan
	cols   []int
	types  []coldata.Type
	chunks chan *chunk
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu  sync.Mutex
	err error
}

func (r *run) fail(err error) {
	r.mu.Lock()
	if r.err == nil {
		r.err = err
	}
	r.mu.Unlock()
	r.cancel()
}

func (r *run) Reader() planner.ExternalReader {
	return &reader{r: r, tok: tokenizer{}}
}

func (r *run) Close() error {
	r.cancel()
	for c := range r.chunks {
		putChunk(c.buf)
	}
	r.wg.Wait()
	return nil
}

// reader is one worker: it parses the chunks it takes.
type reader struct {
	r    *run
	tok  tokenizer
	ch   *chunk
	pos  int
	refs []field
	recs []int32 // record start offsets in the chunk
	bad  []bool
	out  *coldata.Batch
	sel  []int32
}

func (w *reader) Next(ctx context.Context) (*coldata.Batch, error) {
	for {
		if w.ch == nil {
			select {
			case c, ok := <-w.r.chunks:
				if !ok {
					w.r.mu.Lock()
					err := w.r.err
					w.r.mu.Unlock()
					if err != nil && err != context.Canceled {
						return nil, err
					}
					if err := ctx.Err(); err != nil {
						return nil, err
					}
					return nil, io.EOF
				}
				w.ch, w.pos = c, 0
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		b, err := w.decode()
		if err != nil {
			w.r.fail(err)
			return nil, err
		}
		if b != nil {
			return b, nil
		}
		putChunk(w.ch.buf)
		w.ch = nil
	}
}

// HeldBytes is the chunk this reader is converting (for memory accounting).
func (w *reader) HeldBytes() int64 {
	if w.ch == nil {
		return 0
	}
	return int64(cap(w.ch.data))
}

// decode converts up to a batch of the current chunk's records; nil when
// the chunk is used up.
func (w *reader) decode() (*coldata.Batch, error) {
	s := w.r.s
	ch := w.ch
	fi := ch.file
	buf := ch.data
	w.tok.d = s.dialect(fi)
	nf := s.nfields[fi]
	colMap := s.colMaps[fi]
	// The file fields to read: one per projected file column.
	k := 0
	for _, c := range w.r.cols {
		if c < s.FileCols {
			k++
		}
	}
	const max = coldata.DefaultBatchSize
	if cap(w.refs) < max*k {
		w.refs = make([]field, max*k)
	}
	refs := w.refs[:max*k]
	w.recs = w.recs[:0]
	n := 0
	for n < max {
		start := w.pos
		end, ok, perr := w.tok.next(buf, w.pos)
		if perr != nil {
			if s.opts.IgnoreErrors {
				w.pos = skipLine(buf, perr.pos)
				continue
			}
			return nil, w.lineError(start, "Invalid Input Error", perr.msg)
		}
		if !ok {
			break
		}
		w.pos = end
		fields := w.tok.fields
		if len(fields) == 0 {
			if nf != 1 {
				continue
			}
			fields = append(fields, field{start: int32(start), end: int32(start)})
		}
		if len(fields) != nf {
			if s.opts.IgnoreErrors {
				continue
			}
			return nil, w.lineError(start, "Invalid Input Error",
				fmt.Sprintf("Expected Number of Columns: %d Found: %d", nf, len(fields)))
		}
		j := 0
		for _, c := range w.r.cols {
			if c >= s.FileCols {
				continue
			}
			src := c
			if colMap != nil {
				src = colMap[c]
			}
			if src < 0 {
				refs[n*k+j] = field{}
			} else {
				refs[n*k+j] = fields[src]
			}
			j++
		}
		w.recs = append(w.recs, int32(start))
		n++
	}
	if n == 0 {
		return nil, nil
	}
	return w.fill(n, k, refs)
}

// fill converts the n records' fields into the output batch.
func (w *reader) fill(n, k int, refs []field) (*coldata.Batch, error) {
	s := w.r.s
	ch := w.ch
	if w.out == nil {
		w.out = coldata.NewBatch(w.r.types, n)
	}
	w.out.Reset(n)
	var bad []bool
	if s.opts.IgnoreErrors {
		w.bad = coldata.Grow(w.bad, n)
		clear(w.bad)
		bad = w.bad
	}
	j := 0
	for i, c := range w.r.cols {
		v := w.out.Vecs[i]
		if c >= s.FileCols {
			w.constant(v, c, n)
			continue
		}
		if failed := s.conv.convert(v, ch.data, refs[j:], k, n, w.tok.d, s.nulls, bad); failed >= 0 && bad == nil {
			f := refs[j+failed*k]
			text := string(ch.data[f.start:f.end])
			if f.escaped {
				text = string(w.tok.d.unescape(nil, ch.data[f.start:f.end]))
			}
			col := s.Columns[c]
			return nil, w.lineError(int(w.recs[failed]), "Conversion Error",
				fmt.Sprintf("Error when converting column \"%s\". Could not convert string \"%s\" to '%s'", col.Name, text, col.Type))
		}
		j++
	}
	if bad != nil {
		w.sel = w.sel[:0]
		for r := 0; r < n; r++ {
			if !bad[r] {
				w.sel = append(w.sel, int32(r))
			}
		}
		if len(w.sel) < n {
			w.out.Sel = w.sel
		}
	}
	return w.out, nil
}

// constant fills a filename or partition column.
func (w *reader) constant(v *coldata.Vec, c, n int) {
	s := w.r.s
	f := s.Files[w.ch.file]
	v.Resize(n)
	var d coldata.Datum
	if s.opts.Filename && c == s.FileCols {
		d = coldata.Datum{S: f.Path}
	} else {
		p := c - s.FileCols
		if s.opts.Filename {
			p--
		}
		d = f.Partition[p]
	}
	for i := 0; i < n; i++ {
		v.Set(i, d)
	}
}

// lineError is DuckDB's CSV error: the line, the original text, what went
// wrong and the file.
func (w *reader) lineError(at int, class, msg string) error {
	ch := w.ch
	line := ch.line + int64(bytes.Count(ch.data[:at], nl)) + 1
	end := len(ch.data)
	if e := w.tok.d.firstBoundary(ch.data[at:]); e > 0 {
		end = at + e
	}
	orig := strings.TrimRight(string(ch.data[at:end]), "\r\n")
	return fmt.Errorf("%s: CSV Error on Line: %d\nOriginal Line: %s\n%s\n\n  file = %s",
		class, line, orig, msg, w.r.s.Files[ch.file].Path)
}

func skipLine(buf []byte, pos int) int {
	if i := bytes.IndexByte(buf[pos:], '\n'); i >= 0 {
		return pos + i + 1
	}
	return len(buf)
}
