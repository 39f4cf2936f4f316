package csv

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/storage"
)

// localFile describes a file on the local disk for a scan.
func localFile(t testing.TB, path string) FileRef {
	t.Helper()
	cat, err := storage.Open("")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	fsys, err := cat.FileSystem(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := fsys.Stat(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	return FileRef{Path: path, Info: st, FS: fsys}
}

// readAll runs a scan of every column with workers readers and returns
// its rows as sorted strings.
func readAll(t testing.TB, s *Scan, workers int) ([]string, error) {
	cols := make([]int, len(s.Columns))
	for i := range cols {
		cols[i] = i
	}
	ctx := context.Background()
	run, err := s.Start(ctx, cols, workers)
	if err != nil {
		return nil, err
	}
	defer run.Close()
	var mu sync.Mutex
	var rows []string
	var firstErr error
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := run.Reader()
			for {
				b, err := r.Next(ctx)
				if err == io.EOF {
					return
				}
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				for k := 0; k < b.Len(); k++ {
					i := k
					if b.Sel != nil {
						i = int(b.Sel[k])
					}
					var parts []string
					for _, v := range b.Vecs {
						parts = append(parts, coldata.Format(v.Type, v.Get(i)))
					}
					rows = append(rows, strings.Join(parts, "|"))
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	sort.Strings(rows)
	return rows, firstErr
}

// writeTricky writes n records with quoted delimiters, doubled quotes,
// embedded newlines (LF and CRLF), empty fields and a stray quote inside
// an unquoted field.
func writeTricky(t testing.TB, path string, n int) {
	rng := rand.New(rand.NewSource(1))
	var sb strings.Builder
	sb.WriteString("id,txt,num,day\n")
	for i := 0; i < n; i++ {
		var txt string
		switch rng.Intn(6) {
		case 0:
			txt = fmt.Sprintf("\"a,b %d\"", i)
		case 1:
			txt = fmt.Sprintf("\"line1\nline2 \"\"%d\"\"\"", i)
		case 2:
			txt = ""
		case 3:
			txt = fmt.Sprintf("x\"y%d", i)
		case 4:
			txt = fmt.Sprintf("\"crlf\r\n%d\"", i)
		default:
			txt = strings.Repeat("w", rng.Intn(300))
		}
		num := fmt.Sprintf("%d.%02d", rng.Intn(100000), rng.Intn(100))
		if rng.Intn(10) == 0 {
			num = ""
		}
		fmt.Fprintf(&sb, "%d,%s,%s,2020-01-%02d\n", i, txt, num, 1+i%28)
	}
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestParallelSplits checks that chunks cut at record boundaries (of any
// size, read by any number of workers) give exactly the rows of one
// sequential read.
func TestParallelSplits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tricky.csv")
	writeTricky(t, path, 3000)
	f := localFile(t, path)
	var want []string
	for _, cfg := range []struct{ chunk, workers int }{{0, 1}, {0, 4}, {64, 1}, {64, 3}, {1000, 2}, {4096, 8}, {333, 5}} {
		s, err := NewScan(context.Background(), []FileRef{f}, Options{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(s.Columns); got != "[{id BIGINT} {txt VARCHAR} {num DOUBLE} {day DATE}]" {
			t.Fatalf("columns: %s", got)
		}
		s.chunkBytes = cfg.chunk
		rows, err := readAll(t, s, cfg.workers)
		if err != nil {
			t.Fatalf("chunk %d workers %d: %v", cfg.chunk, cfg.workers, err)
		}
		if len(rows) != 3000 {
			t.Fatalf("chunk %d workers %d: %d rows", cfg.chunk, cfg.workers, len(rows))
		}
		if want == nil {
			want = rows
			continue
		}
		for i := range rows {
			if rows[i] != want[i] {
				t.Fatalf("chunk %d workers %d: row %d = %q, want %q", cfg.chunk, cfg.workers, i, rows[i], want[i])
			}
		}
	}
}

// TestErrorLine checks that a bad value deep in a file read in small
// chunks by several workers is reported at its own line.
func TestErrorLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.csv")
	var sb strings.Builder
	sb.WriteString("a,b\n")
	for i := 0; i < 5000; i++ {
		if i == 3210 {
			sb.WriteString("oops,\"q\nq\"\n")
			continue
		}
		fmt.Fprintf(&sb, "%d,\"x\ny\"\n", i)
	}
	os.WriteFile(path, []byte(sb.String()), 0o644)
	s, err := NewScan(context.Background(), []FileRef{localFile(t, path)}, Options{Types: map[string]coldata.Type{"a": coldata.TypeInt64}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.chunkBytes = 500
	_, err = readAll(t, s, 3)
	// Line 1 is the header; each record takes two lines.
	if want := "Conversion Error: CSV Error on Line: 6422\n"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("got %v, want %q", err, want)
	}
}

// TestLongRecord reads a record longer than a chunk.
func TestLongRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "long.csv")
	long := strings.Repeat("z", 10000)
	os.WriteFile(path, []byte("a,b\n1,"+long+"\n2,\""+long+"\n\"\n"), 0o644)
	s, err := NewScan(context.Background(), []FileRef{localFile(t, path)}, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.chunkBytes = 100
	rows, err := readAll(t, s, 2)
	if err != nil || len(rows) != 2 || rows[0] != "1|"+long || rows[1] != "2|"+long+"\n" {
		t.Fatalf("got %d rows, %v", len(rows), err)
	}
}

// TestCompressedSplits reads the same records gzip- and zstd-compressed in
// small chunks with several workers: the rows of the plain file.
func TestCompressedSplits(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "t.csv")
	writeTricky(t, plain, 2000)
	raw, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	read := func(path string) []string {
		s, err := NewScan(context.Background(), []FileRef{localFile(t, path)}, Options{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		s.chunkBytes = 777
		rows, err := readAll(t, s, 3)
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	want := read(plain)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(raw)
	zw.Close()
	enc, _ := zstd.NewWriter(nil)
	for name, data := range map[string][]byte{"t.csv.gz": gz.Bytes(), "t.csv.zst": enc.EncodeAll(raw, nil)} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if got := read(p); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: %d rows differ from the plain file's %d", name, len(got), len(want))
		}
	}
}
