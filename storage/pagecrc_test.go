package storage

import (
	"context"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// pageSpan is one page of a written file: where its header starts, where
// its body starts and ends, and the CRC its header holds (if any).
type pageSpan struct {
	header, body, end int64
	crc               int64
	hasCRC            bool
	column            string
}

// filePages walks every page of every column chunk, from the footer.
func filePages(t *testing.T, path string) []pageSpan {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	md, _, err := readFooterThrift(bytesReaderAt(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out []pageSpan
	for _, rg := range md.get(4).list.items {
		for _, c := range rg.st.get(1).list.items {
			meta := c.st.get(3).st
			start := meta.int(9, 0)
			if d := meta.int(11, 0); d > 0 && d < start {
				start = d
			}
			end := start + meta.int(7, 0)
			var name []string
			for _, p := range meta.get(3).list.items {
				name = append(name, string(p.raw))
			}
			at := start
			for at < end {
				h, hl, err := decodeThrift(b[at:end])
				if err != nil {
					t.Fatalf("page header at %d: %v", at, err)
				}
				p := pageSpan{header: at, body: at + int64(hl), column: strings.Join(name, ".")}
				p.end = p.body + h.int(3, 0)
				if v := h.get(4); v != nil {
					p.crc, p.hasCRC = v.I, true
				}
				out = append(out, p)
				at = p.end
			}
			if at != end {
				t.Fatalf("pages of %s end at %d, the chunk at %d", strings.Join(name, "."), at, end)
			}
		}
	}
	return out
}

type bytesReaderAt []byte

func (b bytesReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(b)) {
		return 0, io.EOF
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func writeChecksumFile(t *testing.T, path string, opts WriteOptions) [][]string {
	t.Helper()
	rows := allTypeRows(5000)
	src := &rowSource{types: allTypes, rows: rows, size: 256}
	if _, err := WriteParquet(context.Background(), src, allTypes, allNames, path, opts); err != nil {
		t.Fatal(err)
	}
	want := make([][]string, len(rows))
	for r, row := range rows {
		for c, v := range row {
			want[r] = append(want[r], coldata.Format(allTypes[c], v))
		}
	}
	return want
}

func TestPageChecksumsWritten(t *testing.T) {
	dir := t.TempDir()
	for _, codec := range []string{"snappy", "zstd", "none"} {
		path := filepath.Join(dir, codec+".parquet")
		writeChecksumFile(t, path, WriteOptions{Compression: codec, RowGroupSize: 1500})
		b, _ := os.ReadFile(path)
		pages := filePages(t, path)
		if len(pages) < 2*len(allTypes) {
			t.Fatalf("%s: only %d pages", codec, len(pages))
		}
		for _, p := range pages {
			if !p.hasCRC || uint32(p.crc) != crc32.ChecksumIEEE(b[p.body:p.end]) {
				t.Fatalf("%s: page at %d of %s: CRC %v %x", codec, p.header, p.column, p.hasCRC, p.crc)
			}
		}
		// The offset index points at page headers, and arrow-go reads the
		// file (offsets, sizes, statistics) as it reads any other.
		rdr := footer(t, path)
		starts := map[int64]int64{}
		for _, p := range pages {
			starts[p.header] = p.end - p.header
		}
		pir := rdr.GetPageIndexReader()
		for rg := 0; rg < rdr.NumRowGroups(); rg++ {
			rgr, err := pir.RowGroup(rg)
			if err != nil {
				t.Fatal(err)
			}
			for c := range allTypes {
				oi, err := rgr.GetOffsetIndex(c)
				if err != nil || oi == nil {
					t.Fatalf("offset index of rg %d col %d: %v", rg, c, err)
				}
				for _, loc := range oi.GetPageLocations() {
					if size, ok := starts[loc.Offset]; !ok || int64(loc.CompressedPageSize) != size {
						t.Fatalf("%s: offset index says page at %d of %d bytes; pages: %v", codec, loc.Offset, loc.CompressedPageSize, size)
					}
				}
			}
		}
	}
	// Without checksums: no CRC, same rows.
	plain := filepath.Join(dir, "plain.parquet")
	want := writeChecksumFile(t, plain, WriteOptions{NoPageChecksums: true, RowGroupSize: 1500})
	for _, p := range filePages(t, plain) {
		if p.hasCRC {
			t.Fatal("NoPageChecksums wrote a CRC")
		}
	}
	for _, path := range []string{plain, filepath.Join(dir, "snappy.parquet")} {
		_, got := readScan(t, path)
		ar := readArrow(t, path)
		for r := range want {
			for c := range allTypes {
				if g := coldata.Format(allTypes[c], got[r][c]); g != want[r][c] || ar[r][c] != want[r][c] {
					t.Fatalf("%s row %d col %d: scan %s arrow %s want %s", path, r, c, g, ar[r][c], want[r][c])
				}
			}
		}
	}
}

// scanAll reads every column of every row group and returns the first
// error.
func scanAll(path string) error {
	_, _, err := scanFile(path)
	return err
}

// TestCorruptPagesAreErrors flips bytes in the pages of files Peregrine
// wrote: every read must fail, naming the file, the column and the page,
// and never return values.
func TestCorruptPagesAreErrors(t *testing.T) {
	dir := t.TempDir()
	orig := filepath.Join(dir, "orig.parquet")
	writeChecksumFile(t, orig, WriteOptions{RowGroupSize: 2500})
	b, _ := os.ReadFile(orig)
	pages := filePages(t, orig)
	r := rand.New(rand.NewSource(3))
	bad := filepath.Join(dir, "bad.parquet")
	for i, p := range pages {
		for _, where := range []string{"body", "crc"} {
			c := append([]byte(nil), b...)
			pos := p.body + r.Int63n(p.end-p.body)
			if where == "crc" {
				// Flip a byte of the page's data so the stored CRC no
				// longer matches, at its last byte this time.
				pos = p.end - 1
			}
			c[pos] ^= byte(1 + r.Intn(255))
			if err := os.WriteFile(bad, c, 0o644); err != nil {
				t.Fatal(err)
			}
			err := scanAll(bad)
			if err == nil {
				t.Fatalf("page %d (%s) corrupted at %d: read without error", i, p.column, pos)
			}
			msg := err.Error()
			if !strings.Contains(msg, bad) || !strings.Contains(msg, "column "+p.column) || !strings.Contains(msg, "page ") || !strings.Contains(msg, "CRC") {
				t.Fatalf("page %d of %s: message does not name file, column and page: %s", i, p.column, msg)
			}
		}
	}
	// Anywhere in a page, header included: an error, or exactly the
	// original values (a header byte no reader looks at).
	want := scanRows(t, orig)
	for n := 0; n < 300; n++ {
		p := pages[r.Intn(len(pages))]
		c := append([]byte(nil), b...)
		pos := p.header + r.Int63n(p.end-p.header)
		c[pos] ^= byte(1 + r.Intn(255))
		os.WriteFile(bad, c, 0o644)
		if err := scanAll(bad); err == nil {
			if got := scanRows(t, bad); got != want {
				t.Fatalf("byte %d of a page of %s flipped: read different values without an error", pos, p.column)
			}
		}
	}
}

// scanRows reads a file's rows as one string.
func scanRows(t *testing.T, path string) string {
	t.Helper()
	_, rows := readScan(t, path)
	return fmt.Sprint(rows)
}
