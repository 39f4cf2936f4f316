package scan

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// corpusDir is a copy of apache/parquet-testing (Apache-2.0, LICENSE.txt
// beside it); MANIFEST.md there states what every file must do.
const corpusDir = "testdata/parquet-testing"

type corpusEntry struct {
	path   string // relative to corpusDir
	expect string // OK, ERROR, EITHER, ERROR/ENCRYPTED, OK-HEAVY
}

// manifestEntries parses the "All Parquet files" table of MANIFEST.md so the
// expectations live with the corpus rather than in this file.
func manifestEntries(t *testing.T) []corpusEntry {
	data, err := os.ReadFile(filepath.Join(corpusDir, "MANIFEST.md"))
	if err != nil {
		t.Fatal(err)
	}
	var out []corpusEntry
	in := false
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "## ") {
			in = strings.HasPrefix(line, "## All Parquet files")
			continue
		}
		if !in || !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(line, "|")
		if len(cells) < 10 {
			t.Fatalf("manifest row with %d cells: %s", len(cells), line)
		}
		out = append(out, corpusEntry{
			path:   strings.Trim(strings.TrimSpace(cells[1]), "`"),
			expect: strings.TrimSpace(cells[8]),
		})
	}
	if len(out) < 90 {
		t.Fatalf("only %d manifest rows parsed", len(out))
	}
	return out
}

// TestCorpus reads every file of parquet-testing, checks it against the
// manifest's expectation, compares values with arrow-go where arrow-go can
// read the file and with the *_expect.csv files, and records in
// testdata/corpus.golden which files are read fully, partially (nested
// columns left out) or refused.
func TestCorpus(t *testing.T) {
	var golden strings.Builder
	golden.WriteString("# file | manifest expectation | our result (regenerate: go test ./scan -run TestCorpus -update)\n")
	for _, e := range manifestEntries(t) {
		if e.expect == "OK-HEAVY" {
			fmt.Fprintf(&golden, "%s | %s | skipped\n", e.path, e.expect)
			continue
		}
		t.Run(e.path, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(corpusDir, e.path))
			if err != nil {
				t.Fatal(err)
			}
			res, err := corpusRead(t, data, e.path)
			if e.expect == "ERROR" && err == nil {
				// The fault may lie in a column we cannot select at all
				// (nested, or of a corrupt type): reading the whole file,
				// which means selecting that column, is what fails.
				err = selectAll(data, e.path)
			}
			switch e.expect {
			case "OK":
				if err != nil {
					t.Fatalf("must read: %v", err)
				}
			case "ERROR":
				if err == nil {
					t.Fatalf("must fail, read %s", res)
				}
			case "ERROR/ENCRYPTED":
				if err == nil || !strings.Contains(err.Error(), "encrypted Parquet is not supported") {
					t.Fatalf("got %v, want the encryption error", err)
				}
			case "EITHER":
			default:
				t.Fatalf("unknown expectation %q", e.expect)
			}
			if err != nil {
				if !strings.Contains(err.Error(), e.path) {
					t.Fatalf("error does not name the file: %v", err)
				}
				res = "error: " + strings.ReplaceAll(err.Error(), e.path+": ", "")
			}
			fmt.Fprintf(&golden, "%s | %s | %s\n", e.path, e.expect, res)
		})
	}
	checkGolden(t, "testdata/corpus.golden", golden.String())
}

// corpusRead reads every readable column (nested ones at several batch
// sizes), checks that every unreadable column is refused with its reason,
// cross-checks the values, and summarises the outcome.
func corpusRead(t *testing.T, data []byte, name string) (string, error) {
	f, err := NewFile(bytes.NewReader(data), int64(len(data)), name)
	if err != nil {
		return "", err
	}
	cols := supportedCols(f)
	var nested []string
	for i, c := range f.Columns() {
		if c.Unsupported == "" {
			continue
		}
		nested = append(nested, c.Name)
		_, err := f.NewReader(0, []int{i})
		if f.NumRowGroups() > 0 && (err == nil || !strings.Contains(err.Error(), c.Unsupported) || !strings.Contains(err.Error(), c.Name)) {
			t.Errorf("selecting column %s: got %v, want %q", c.Name, err, c.Unsupported)
		}
	}
	got, err := readAll(t, f, cols, 1000)
	if err != nil {
		return "", err
	}
	var rows int64
	for rg := 0; rg < f.NumRowGroups(); rg++ {
		rows += f.RowGroupNumRows(rg)
	}
	if hasNested(f, cols) {
		// Nested columns are cut into batches from a row group assembled
		// at once: other batch sizes must give the same rows.
		byCol := make([][]coldata.Datum, len(f.Columns()))
		for i, c := range cols {
			byCol[c] = got[i]
		}
		for _, bs := range []int{1, 7} {
			again, err := readAll(t, f, cols, bs)
			if err != nil {
				t.Fatalf("batch size %d: %v", bs, err)
			}
			compareColumns(t, f, cols, again, byCol, fmt.Sprintf("batch size %d", bs))
		}
	}
	ref := compareWithArrow(t, f, data, cols, got)
	if n := compareWithCSV(t, f, name, cols, got); n > 0 {
		ref += fmt.Sprintf(", csv %d values equal", n)
	}
	if len(nested) == 0 {
		return fmt.Sprintf("full: %d rows, %d columns; %s", rows, len(cols), ref), nil
	}
	return fmt.Sprintf("partial: %d rows, %d of %d columns (not readable: %s); %s",
		rows, len(cols), len(f.Columns()), strings.Join(nested, ", "), ref), nil
}

// compareWithArrow checks got against arrow-go when arrow-go reads the file
// (it refuses or even panics on several corpus files; that is its problem).
func compareWithArrow(t *testing.T, f *File, data []byte, cols []int, got [][]coldata.Datum) (res string) {
	defer func() {
		if p := recover(); p != nil {
			res = "arrow-go panics"
		}
	}()
	tbl, err := pqarrow.ReadTable(context.Background(), bytes.NewReader(data), parquet.NewReaderProperties(memory.DefaultAllocator),
		pqarrow.ArrowReadProperties{BatchSize: 1024}, memory.DefaultAllocator)
	if err != nil {
		return "arrow-go cannot read it"
	}
	tbl.Release()
	want := arrowColumns(t, bytes.NewReader(data), columnTypes(f))
	compareColumns(t, f, cols, got, want, "corpus")
	return "equal to arrow-go"
}

// compareWithCSV checks values against name's *_expect.csv (empty = NULL)
// and returns how many values it compared.
func compareWithCSV(t *testing.T, f *File, name string, cols []int, got [][]coldata.Datum) int {
	raw, err := os.ReadFile(filepath.Join(corpusDir, strings.TrimSuffix(name, ".parquet")+"_expect.csv"))
	if err != nil {
		return 0
	}
	recs, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("expect csv: %v", err)
	}
	byName := map[string]int{}
	for i, c := range cols {
		byName[strings.TrimSpace(strings.TrimSuffix(f.Columns()[c].Name, ":"))] = i
	}
	n := 0
	for j, h := range recs[0] {
		i, ok := byName[strings.TrimSpace(h)]
		if !ok {
			t.Fatalf("csv column %q not read", h)
		}
		typ := f.Columns()[cols[i]].Type
		if len(got[i]) != len(recs)-1 {
			t.Fatalf("csv has %d rows, we read %d", len(recs)-1, len(got[i]))
		}
		for r, rec := range recs[1:] {
			d := got[i][r]
			var s string
			switch {
			case d.Null:
				s = ""
			case typ.ID == coldata.String:
				s = d.S
			default:
				s = strconv.FormatInt(d.I, 10)
			}
			if s != rec[j] {
				t.Fatalf("csv column %s row %d: got %q, want %q", h, r, s, rec[j])
			}
			n++
		}
	}
	return n
}

func hasNested(f *File, cols []int) bool {
	for _, c := range cols {
		if f.Columns()[c].Type.IsNested() {
			return true
		}
	}
	return false
}

func selectAll(data []byte, name string) error {
	f, err := NewFile(bytes.NewReader(data), int64(len(data)), name)
	if err != nil {
		return err
	}
	all := make([]int, len(f.Columns()))
	for i := range all {
		all[i] = i
	}
	_, err = f.NewReader(0, all)
	return err
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (run with -update and review the diff):\n%s", path, got)
	}
}

// TestLZ4Twins checks the deprecated LZ4 codec (Hadoop framing and a bare
// block) against the LZ4_RAW files holding the same data, which arrow-go
// verifies; arrow-go cannot read codec 5 itself.
func TestLZ4Twins(t *testing.T) {
	twins := [][2]string{
		{"hadoop_lz4_compressed.parquet", "lz4_raw_compressed.parquet"},
		{"non_hadoop_lz4_compressed.parquet", "lz4_raw_compressed.parquet"},
		{"hadoop_lz4_compressed_larger.parquet", "lz4_raw_compressed_larger.parquet"},
	}
	for _, tw := range twins {
		var cols [2][][]coldata.Datum
		for i, name := range tw {
			f, err := Open(filepath.Join(corpusDir, "data", name))
			if err != nil {
				t.Fatal(err)
			}
			cols[i], err = readAll(t, f, supportedCols(f), 333)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if i == 1 {
				compareColumns(t, f, supportedCols(f), cols[0], cols[1], tw[0])
			}
			f.Close()
		}
	}
}

// TestPageCRC checks that good checksums pass and that a corrupt page is
// reported with the file, column and row group.
func TestPageCRC(t *testing.T) {
	for name, want := range map[string]string{
		"datapage_v1-corrupt-checksum.parquet":           "column a, row group 0: page CRC mismatch",
		"rle-dict-uncompressed-corrupt-checksum.parquet": "column long_field, row group 0: page CRC mismatch",
		"datapage_v1-uncompressed-checksum.parquet":      "",
		"datapage_v1-snappy-compressed-checksum.parquet": "",
		"plain-dict-uncompressed-checksum.parquet":       "",
		"rle-dict-snappy-checksum.parquet":               "",
	} {
		path := filepath.Join(corpusDir, "data", name)
		err := openAndReadAll(path)
		if (want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), path+": "+want)) {
			t.Errorf("%s: got %v, want %q", name, err, want)
		}
	}
}
