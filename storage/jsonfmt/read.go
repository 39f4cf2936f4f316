package jsonfmt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/storage/csv"
)

// Options are read_json's options (DuckDB's names).
type Options struct {
	// Format is "auto", "array", "newline_delimited" or "unstructured".
	Format string
	// Records is "auto", "true" (top-level objects are rows of columns)
	// or "false" (each value is one row of one column, json).
	Records string
	// Columns fixes names and types; no inference then.
	Columns      []csv.Column
	SampleRows   int
	Compression  string
	Filename     bool
	IgnoreErrors bool
}

// Scan is the files of one read_json as a relation. It implements
// planner.ExternalSource.
type Scan struct {
	Files   []csv.FileRef
	Columns []csv.Column
	opts    Options
	records bool // rows are objects whose keys are the columns
	nfile   int  // columns read from the files (before filename, partitions)
	size    int64
}

// Describe names the scan for EXPLAIN.
func (s *Scan) Describe() string { return csv.DescribeFiles("READ_JSON", s.Files) }

// EstimatedRows guesses 200 bytes a record.
func (s *Scan) EstimatedRows() float64 { return float64(s.size)/200 + 1 }

// readFile returns a file's decompressed bytes.
func readFile(ctx context.Context, f csv.FileRef, compression string) ([]byte, error) {
	r, err := csv.Open(ctx, f, compression)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("IO Error: %s: %v", f.Path, err)
	}
	return b, nil
}

// eachRecord calls fn with the top-level records of buf: the elements of
// an array (format array, or auto with a leading '['), else the values
// one after another. fn returns false to stop.
func eachRecord(buf []byte, format, path string, fn func(v *value) bool) error {
	p := newParser(buf)
	p.skipSpace()
	rec := p.pos
	array := format == "array" || (format != "newline_delimited" && format != "unstructured" && p.pos < len(buf) && buf[p.pos] == '[')
	if array {
		if p.pos >= len(buf) || buf[p.pos] != '[' {
			first := ""
			if p.pos < len(buf) {
				first = string(buf[p.pos : p.pos+1])
			}
			return fmt.Errorf("Invalid Input Error: Expected top-level JSON array with format='array', but first character is '%s' in file %q.", first, path)
		}
		p.pos++
		p.skipSpace()
		if p.pos < len(buf) && buf[p.pos] == ']' {
			return nil
		}
	}
	for {
		p.skipSpace()
		if p.pos >= len(buf) {
			if array {
				return malformed(p, rec, path, "unexpected end of data.")
			}
			return nil
		}
		rec = p.pos
		v, err := p.value(0)
		if err != nil {
			var se *syntaxError
			if errors.As(err, &se) {
				return malformed(p, rec, path, se.msg)
			}
			return err
		}
		if !fn(&v) {
			return nil
		}
		if array {
			p.skipSpace()
			if p.pos < len(buf) && buf[p.pos] == ',' {
				p.pos++
				continue
			}
			if p.pos < len(buf) && buf[p.pos] == ']' {
				p.pos++
				p.skipSpace()
				if p.pos < len(buf) {
					return malformed(p, rec, path, "unexpected content after the top-level array.")
				}
				return nil
			}
			return malformed(p, rec, path, "expected ',' or ']'.")
		}
	}
}

// malformed is DuckDB's message for bad JSON: the byte counts from the
// start of the record (rec), the line is the file's (1-based).
func malformed(p *parser, rec int, path, msg string) error {
	pos := min(p.pos, len(p.buf))
	line := bytes.Count(p.buf[:pos], []byte{'\n'}) + 1
	return fmt.Errorf("Invalid Input Error: Malformed JSON in file %q, at byte %d in line %d: %s ", path, pos-rec+1, line, msg)
}

// NewScan infers the columns from a sample of the records (unless
// columns are given). partCols name the files' Partition values.
func NewScan(ctx context.Context, files []csv.FileRef, opts Options, partCols []csv.Column) (*Scan, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("IO Error: No files found")
	}
	s := &Scan{Files: files, opts: opts}
	for _, f := range files {
		s.size += f.Info.Size
	}
	sample := opts.SampleRows
	if sample <= 0 {
		sample = 20480
	}
	if len(opts.Columns) > 0 {
		s.Columns = append(s.Columns, opts.Columns...)
		s.records = opts.Records != "false"
	} else {
		top := &jtype{}
		n := 0
		allObjects := true
		for _, f := range files {
			buf, err := readFile(ctx, f, opts.Compression)
			if err != nil {
				return nil, err
			}
			err = eachRecord(buf, opts.Format, f.Path, func(v *value) bool {
				allObjects = allObjects && v.kind == kObject
				top.add(v, 0)
				n++
				return n < sample
			})
			if err != nil {
				return nil, err
			}
			if n >= sample {
				break
			}
		}
		s.records = opts.Records == "true" || (opts.Records != "false" && allObjects && n > 0)
		if s.records && top.kind == kObject {
			for i, name := range top.names {
				s.Columns = append(s.Columns, csv.Column{Name: strings.Clone(name), Type: top.fields[i].sqlType()})
			}
		} else {
			if opts.Records == "true" {
				return nil, fmt.Errorf("Binder Error: read_json: records = true needs top-level objects")
			}
			s.records = false
			s.Columns = []csv.Column{{Name: "json", Type: top.sqlType()}}
		}
	}
	s.nfile = len(s.Columns)
	if opts.Filename {
		s.Columns = append(s.Columns, csv.Column{Name: "filename", Type: coldata.TypeString})
	}
	s.Columns = append(s.Columns, partCols...)
	return s, nil
}

// Start reads the files, one per reader at a time.
func (s *Scan) Start(ctx context.Context, cols []int, workers int) (planner.ExternalRun, error) {
	r := &run{s: s, cols: cols}
	for _, c := range cols {
		r.types = append(r.types, s.Columns[c].Type)
	}
	return r, nil
}

type run struct {
	s     *Scan
	cols  []int
	types []coldata.Type
	mu    sync.Mutex
	next  int
}

func (r *run) Close() error { return nil }

func (r *run) Reader() planner.ExternalReader { return &reader{r: r} }

// take hands out the next file, or -1.
func (r *run) take() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.next >= len(r.s.Files) {
		return -1
	}
	r.next++
	return r.next - 1
}

// reader parses whole files and hands out their rows a batch at a time.
type reader struct {
	r    *run
	file int
	recs []value
	pos  int
	out  *coldata.Batch
	held int64 // the loaded file's bytes, for memory accounting
}

// HeldBytes is the loaded file (its bytes; the parsed records point into
// them and cost about as much again).
func (w *reader) HeldBytes() int64 { return 2 * w.held }

func (w *reader) Next(ctx context.Context) (*coldata.Batch, error) {
	for w.pos >= len(w.recs) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		fi := w.r.take()
		if fi < 0 {
			return nil, io.EOF
		}
		if err := w.load(ctx, fi); err != nil {
			return nil, err
		}
	}
	n := min(len(w.recs)-w.pos, coldata.DefaultBatchSize)
	if w.out == nil {
		w.out = coldata.NewBatch(w.r.types, n)
	}
	w.out.Reset(n)
	s := w.r.s
	f := s.Files[w.file]
	for i, c := range w.r.cols {
		v := w.out.Vecs[i]
		t := s.Columns[c].Type
		for k := 0; k < n; k++ {
			rec := &w.recs[w.pos+k]
			var d coldata.Datum
			switch {
			case c >= s.nfile:
				d = w.extra(f, c)
			case !s.records:
				var err error
				if d, err = datum(rec, t); err != nil {
					return nil, w.transformErr(err, w.pos+k)
				}
			default:
				d = coldata.NullDatum
				name := s.Columns[c].Name
				for j, key := range rec.keys {
					if key == name {
						var err error
						if d, err = datum(&rec.vals[j], t); err != nil {
							return nil, w.transformErr(err, w.pos+k)
						}
						break
					}
				}
			}
			v.Set(k, d)
		}
	}
	w.pos += n
	return w.out, nil
}

func (w *reader) extra(f csv.FileRef, c int) coldata.Datum {
	s := w.r.s
	if s.opts.Filename && c == s.nfile {
		return coldata.Datum{S: f.Path}
	}
	p := c - s.nfile
	if s.opts.Filename {
		p--
	}
	return f.Partition[p]
}

func (w *reader) transformErr(err error, rec int) error {
	return fmt.Errorf("Invalid Input Error: JSON transform error in file %q, in record/value %d: %v", w.r.s.Files[w.file].Path, rec+1, err)
}

// load parses file fi's records.
func (w *reader) load(ctx context.Context, fi int) error {
	s := w.r.s
	buf, err := readFile(ctx, s.Files[fi], s.opts.Compression)
	if err != nil {
		return err
	}
	w.file, w.recs, w.pos, w.held = fi, w.recs[:0], 0, int64(len(buf))
	perr := eachRecord(buf, s.opts.Format, s.Files[fi].Path, func(v *value) bool {
		if s.records && v.kind != kObject {
			if !s.opts.IgnoreErrors {
				err = fmt.Errorf("Invalid Input Error: JSON transform error in file %q: expected an object, got %s", s.Files[fi].Path, clipText(v.raw))
				return false
			}
			return true
		}
		w.recs = append(w.recs, *v)
		return true
	})
	if err != nil {
		return err
	}
	return perr
}
