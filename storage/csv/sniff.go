package csv

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// sniffed is what the sniffer decided for a file.
type sniffed struct {
	d       dialect
	header  bool
	columns []Column
}

// typeLadder is the order in which the sniffer widens a column's type: a
// value that does not fit the current type moves it further along, never
// back (DuckDB's candidate order; "1" then "t" ends as VARCHAR).
var typeLadder = []coldata.Type{coldata.TypeBool, coldata.TypeInt64, coldata.TypeFloat64,
	coldata.TypeDate, coldata.TypeTimestamp, coldata.TypeString}

// sampleRecords tokenizes up to max records of sample with d, dropping a
// last record the sample cut. It fails on a malformed record.
func sampleRecords(sample []byte, d dialect, max int, complete bool) ([][]field, bool) {
	if !complete {
		if end := d.lastBoundary(sample); end > 0 {
			sample = sample[:end]
		}
	}
	t := tokenizer{d: d}
	var out [][]field
	pos := 0
	for len(out) < max {
		end, ok, err := t.next(sample, pos)
		if err != nil {
			return nil, false
		}
		if !ok {
			break
		}
		pos = end
		if len(t.fields) == 0 {
			continue
		}
		out = append(out, append([]field(nil), t.fields...))
	}
	return out, true
}

// sniffDialect picks the delimiter, quote and escape under which every
// sampled record has the same number of fields, preferring more columns,
// then the candidates' order (comma, pipe, semicolon, tab; double quote).
func sniffDialect(sample []byte, o *Options, complete bool, path string) (dialect, [][]field, error) {
	delims := []byte{',', '|', ';', '\t'}
	if o.Delim != 0 {
		delims = []byte{o.Delim}
	}
	quotes := []byte{'"', '\''}
	if o.QuoteSet {
		quotes = []byte{o.Quote}
	}
	var best dialect
	var bestRecs [][]field
	bestCols := 0
	// Candidates whose characters the sample lacks behave like others
	// already tried: skip them (a quote that never appears, a backslash
	// escape without backslashes).
	has := func(c byte) bool { return bytes.IndexByte(sample, c) >= 0 }
	for _, dl := range delims {
		if o.Delim == 0 && !has(dl) {
			continue
		}
		for qi, q := range quotes {
			if qi > 0 && !o.QuoteSet && !has(q) {
				continue
			}
			escs := []byte{q, '\\'}
			if o.EscapeSet {
				escs = []byte{o.Escape}
			} else if !has('\\') {
				escs = escs[:1]
			}
			if q == 0 {
				escs = []byte{0}
			}
			for _, e := range escs {
				d := dialect{delim: dl, quote: q, escape: e}
				recs, ok := sampleRecords(sample, d, o.sampleRows()+o.Skip+1, complete)
				if !ok || len(recs) == 0 {
					continue
				}
				recs = recs[min(o.Skip, len(recs)):]
				if len(recs) == 0 {
					continue
				}
				n := len(recs[0])
				consistent := true
				for _, r := range recs[1:] {
					if len(r) != n {
						consistent = false
						break
					}
				}
				if consistent && n > bestCols {
					best, bestRecs, bestCols = d, recs, n
				}
			}
		}
	}
	if bestCols == 0 {
		if o.Delim != 0 {
			return best, nil, fmt.Errorf("Invalid Input Error: Error when sniffing file %q.\nIt was not possible to automatically detect the CSV parsing dialect", path)
		}
		// No delimiter splits the sample consistently: one column per line.
		best = dialect{quote: '"', escape: '"'}
		if o.QuoteSet {
			best.quote, best.escape = o.Quote, o.Quote
		}
		recs, _ := sampleRecords(sample, best, o.sampleRows()+o.Skip+1, complete)
		bestRecs = recs[min(o.Skip, len(recs)):]
	}
	if bestCols == 1 && o.Delim == 0 {
		best.delim = ','
	}
	return best, bestRecs, nil
}

// sniffTypes walks each column up the type ladder over the records.
func (c *converter) sniffTypes(sample []byte, recs [][]field, ncols int, d dialect, nulls nullSet) []coldata.Type {
	idx := make([]int, ncols)
	seen := make([]bool, ncols)
	var scratch []byte
	for _, r := range recs {
		for j := 0; j < ncols && j < len(r); j++ {
			f := r[j]
			if nulls.isNull(sample, f) {
				continue
			}
			seen[j] = true
			b := sample[f.start:f.end]
			if f.escaped {
				scratch = d.unescape(scratch[:0], b)
				b = scratch
			}
			for idx[j] < len(typeLadder)-1 && !c.fits(typeLadder[idx[j]], b) {
				idx[j]++
			}
		}
	}
	out := make([]coldata.Type, ncols)
	for j := range out {
		out[j] = coldata.TypeString
		if seen[j] {
			out[j] = typeLadder[idx[j]]
		}
	}
	return out
}

// sniff detects the dialect, header and column types of a file from the
// sample of its first bytes (complete: the sample is the whole file).
func sniff(sample []byte, o *Options, complete bool, path string, conv *converter) (*sniffed, error) {
	sample = bytes.TrimPrefix(sample, bom)
	d, recs, err := sniffDialect(sample, o, complete, path)
	if err != nil {
		return nil, err
	}
	nulls := newNullSet(o.NullStr)
	ncols := 0
	if len(recs) > 0 {
		ncols = len(recs[0])
	}
	s := &sniffed{d: d}
	var types []coldata.Type
	if len(recs) > 1 {
		types = conv.sniffTypes(sample, recs[1:], ncols, d, nulls)
	} else {
		types = make([]coldata.Type, ncols)
		for j := range types {
			types[j] = coldata.TypeString
		}
	}
	switch {
	case o.HeaderSet:
		s.header = o.Header
	case len(recs) == 0:
	default:
		s.header = detectHeader(sample, recs[0], types, d, nulls, conv)
	}
	if !s.header && len(recs) > 0 {
		types = conv.sniffTypes(sample, recs, ncols, d, nulls)
	}
	names := make([]string, ncols)
	for j := range names {
		if s.header {
			f := recs[0][j]
			b := sample[f.start:f.end]
			if f.escaped {
				b = d.unescape(nil, b)
			}
			names[j] = string(b)
		}
		if names[j] == "" {
			names[j] = defaultName(j, ncols)
		}
	}
	dedupe(names)
	for j := range names {
		s.columns = append(s.columns, Column{Name: names[j], Type: types[j]})
	}
	return s, nil
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// detectHeader: the first row is a header when one of its values does not
// fit the type the rest of its column has, or, when every column is
// VARCHAR, when none of its values is NULL.
func detectHeader(sample []byte, first []field, types []coldata.Type, d dialect, nulls nullSet, conv *converter) bool {
	allText := true
	for j, t := range types {
		if j >= len(first) {
			break
		}
		f := first[j]
		if t.ID != coldata.String {
			allText = false
			if nulls.isNull(sample, f) {
				continue
			}
			b := sample[f.start:f.end]
			if f.escaped {
				b = d.unescape(nil, b)
			}
			if !conv.fits(t, b) {
				return true
			}
		}
	}
	if !allText {
		return false
	}
	for _, f := range first {
		if nulls.isNull(sample, f) {
			return false
		}
	}
	return true
}

// defaultName is DuckDB's name for an unnamed column: column0, or
// column00 when there are ten or more.
func defaultName(j, n int) string {
	w := len(fmt.Sprint(n - 1))
	return fmt.Sprintf("column%0*d", w, j)
}

// dedupe renames repeated names a, a_1, a_2 (case-insensitively).
func dedupe(names []string) {
	seen := map[string]bool{}
	for j, n := range names {
		base, k := n, 0
		for seen[strings.ToLower(n)] {
			k++
			n = fmt.Sprintf("%s_%d", base, k)
		}
		names[j] = n
		seen[strings.ToLower(n)] = true
	}
}
