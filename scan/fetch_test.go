package scan

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// remoteBytes is a RangeReader over a byte slice that counts its reads,
// standing in for an object store.
type remoteBytes struct {
	r     *bytes.Reader
	reads atomic.Int64
	bytes atomic.Int64
}

func (m *remoteBytes) ReadAt(p []byte, off int64) (int, error) {
	m.reads.Add(1)
	m.bytes.Add(int64(len(p)))
	return m.r.ReadAt(p, off)
}
func (m *remoteBytes) ReadAtContext(ctx context.Context, p []byte, off int64) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return m.ReadAt(p, off)
}
func (m *remoteBytes) RoundTrips() bool { return true }

func remoteFile(t *testing.T, name string) (*remoteBytes, []byte) {
	b, err := os.ReadFile("../testdata/tpch-sf0.01-duckdb/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return &remoteBytes{r: bytes.NewReader(b)}, b
}

// TestRemoteFooterOneRead: a remote file's footer costs one ranged read
// of the tail, two when the footer is larger than the guess.
func TestRemoteFooterOneRead(t *testing.T) {
	for _, guess := range []int64{256 << 10, 100} {
		old := footerGuess
		footerGuess = guess
		rb, data := remoteFile(t, "lineitem.parquet")
		f, err := NewFileContext(context.Background(), rb, int64(len(data)), "lineitem.parquet")
		footerGuess = old
		if err != nil {
			t.Fatal(err)
		}
		want := int64(1)
		if guess < 1000 {
			want = 2
		}
		if n := rb.reads.Load(); n != want {
			t.Fatalf("guess %d: %d reads for the footer, want %d", guess, n, want)
		}
		local, err := Open("../testdata/tpch-sf0.01-duckdb/lineitem.parquet")
		if err != nil {
			t.Fatal(err)
		}
		if f.NumRows() != local.NumRows() || len(f.Columns()) != len(local.Columns()) || !f.Remote() || local.Remote() {
			t.Fatalf("remote footer differs: %d rows, %d columns", f.NumRows(), len(f.Columns()))
		}
		local.Close()
	}
	// A corrupt tail is still refused.
	rb := &remoteBytes{r: bytes.NewReader(append(bytes.Repeat([]byte{1}, 100), "PAR1"...))}
	if _, err := NewFileContext(context.Background(), rb, 104, "bad.parquet"); err == nil {
		t.Fatal("a file without a footer opened")
	}
}

// TestPrefetchedReader: row groups fetched ahead decode the same as
// direct reads, cost no further reads, and the budget is returned.
func TestPrefetchedReader(t *testing.T) {
	rb, data := remoteFile(t, "orders.parquet")
	f, err := NewFileContext(context.Background(), rb, int64(len(data)), "orders.parquet")
	if err != nil {
		t.Fatal(err)
	}
	var held atomic.Int64
	pf := NewPrefetcher(context.Background(), 1<<30, func(n int64, force bool) bool { held.Add(n); return true },
		func(n int64) { held.Add(-n) })
	cols := []int{0, 3, 4}
	if !pf.Start(f, 0, cols, nil, false) {
		t.Fatal("prefetch declined within the budget")
	}
	fd, ok, err := pf.Take(context.Background(), f, 0)
	if err != nil || !ok || fd.Bytes() == 0 {
		t.Fatalf("take: %v %v", ok, err)
	}
	before := rb.reads.Load()
	r, err := f.NewReaderWith(0, cols, ReaderOptions{Fetched: fd, Context: context.Background(),
		Preds: []Predicate{{Col: 4, Op: OpIsNotNull}}})
	if err != nil {
		t.Fatal(err)
	}
	got := drain(t, r, f, cols)
	if n := rb.reads.Load() - before; n != 0 {
		t.Fatalf("a prefetched reader made %d reads", n)
	}
	direct, err := f.NewReader(0, cols)
	if err != nil {
		t.Fatal(err)
	}
	if want := drain(t, direct, f, cols); got != want {
		t.Fatalf("prefetched rows differ: %d vs %d bytes of text", len(got), len(want))
	}
	// A small budget declines; Close releases what was not taken.
	small := NewPrefetcher(context.Background(), 10, func(n int64, force bool) bool { held.Add(n); return true },
		func(n int64) { held.Add(-n) })
	if small.Start(f, 0, cols, nil, false) {
		t.Fatal("prefetch over budget accepted")
	}
	small.Start(f, 0, cols, nil, true)
	small.Close()
	pf.Close()
	if n := held.Load(); n != 0 {
		t.Fatalf("%d bytes still booked after Close", n)
	}
}

// drain reads a reader to the end and renders its rows.
func drain(t *testing.T, r *Reader, f *File, cols []int) string {
	t.Helper()
	defer r.Close()
	types := make([]coldata.Type, len(cols))
	for i, c := range cols {
		types[i] = f.Columns()[c].Type
	}
	b := coldata.NewBatch(types, 0)
	var sb strings.Builder
	for {
		n, err := r.Next(b, 0)
		if err == io.EOF {
			return sb.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		for k := 0; k < n; k++ {
			i := k
			if b.Sel != nil {
				if k >= len(b.Sel) {
					break
				}
				i = int(b.Sel[k])
			}
			for _, v := range b.Vecs {
				sb.WriteString(coldata.Format(v.Type, v.Get(i)))
				sb.WriteByte('|')
			}
			sb.WriteByte('\n')
		}
	}
}
