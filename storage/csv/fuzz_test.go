package csv

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRead sniffs and reads arbitrary bytes as a CSV file, once as one
// chunk and once cut into small chunks read by three workers: no panic, no
// hang, and both reads agree (the same rows, or both fail).
func FuzzRead(f *testing.F) {
	seeds, _ := filepath.Glob("../../testdata/csv/*.csv")
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("a,b\n\"x\ny\",1\n\"\"\"\",2\n"))
	f.Add([]byte("a;b\r\n1;\"q;\"\"r\"\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "f.csv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		file := localFile(t, path)
		read := func(chunk, workers int) ([]string, error) {
			s, err := NewScan(context.Background(), []FileRef{file}, Options{}, nil)
			if err != nil {
				return nil, err
			}
			s.chunkBytes = chunk
			return readAll(t, s, workers)
		}
		want, err1 := read(0, 1)
		got, err2 := read(7, 3)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("one chunk: %v; small chunks: %v", err1, err2)
		}
		if err1 != nil {
			return
		}
		if len(got) != len(want) {
			t.Fatalf("%d rows, want %d", len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("row %d = %q, want %q", i, got[i], want[i])
			}
		}
	})
}
