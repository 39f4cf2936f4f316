package scan

import (
	"strings"
	"sync"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// TestConcurrentReaders runs one reader per row group and column subset on
// a shared File from many goroutines, as morsel-driven workers do (run
// with -race to check that File is read-only after Open).
func TestConcurrentReaders(t *testing.T) {
	f := pruneFile(t)
	want, err := readAll(t, f, supportedCols(f), 1024)
	if err != nil {
		t.Fatal(err)
	}
	cols := supportedCols(f)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := readAll(t, f, cols, 7+w)
			if err != nil {
				errs <- err
				return
			}
			for c := range cols {
				for r := range want[c] {
					if !sameDatum(f.Columns()[cols[c]].Type, got[c][r], want[c][r]) {
						t.Errorf("worker %d: column %d row %d differs", w, c, r)
						return
					}
				}
			}
			for rg := 0; rg < f.NumRowGroups(); rg++ {
				f.ColumnStats(rg, 0)
				f.RowGroupMayMatch(rg, []Predicate{{Col: 0, Op: OpGt, Vals: want[0][:1]}})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestReaderLifecycle(t *testing.T) {
	f, err := Open("testdata/alltypes_plain.parquet")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewReader(1, []int{0}); err == nil {
		t.Error("row group 1 of 1 accepted")
	}
	if _, err := f.NewReader(0, []int{42}); err == nil {
		t.Error("column 42 accepted")
	}
	r, err := f.NewReader(0, nil)
	if err != nil {
		t.Fatal(err)
	}
	// No columns: rows are still counted, so COUNT(*) works.
	b := coldata.NewBatch(nil, 0)
	n, err := r.Next(b, 100)
	if n != 8 || err != nil || b.N != 8 {
		t.Fatalf("no-column read: n=%d err=%v", n, err)
	}
	r.Close()
	r.Close()
	if _, err := r.Next(b, 100); err == nil {
		t.Error("Next after Close succeeded")
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Open("testdata/LICENSE.txt"); err == nil || err.Error() != "Invalid Input Error: No magic bytes found at end of file 'testdata/LICENSE.txt'" {
		t.Errorf("LICENSE.txt: %v", err)
	}
	if _, err := Open("testdata/bad_data/README.md"); err == nil || !strings.Contains(err.Error(), "'testdata/bad_data/README.md'") {
		t.Errorf("README.md: %v", err)
	}
	if _, err := Open("testdata/does-not-exist.parquet"); err == nil {
		t.Error("missing file opened")
	}
}
