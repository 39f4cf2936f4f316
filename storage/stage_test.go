package storage

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

func intSource(n int) (BatchSource, []coldata.Type, []string) {
	types := []coldata.Type{coldata.TypeInt32, coldata.TypeInt32}
	var rows [][]coldata.Datum
	for i := 0; i < n; i++ {
		rows = append(rows, []coldata.Datum{{I: int64(i % 3)}, {I: int64(i)}})
	}
	return &rowSource{types: types, rows: rows, size: 7}, types, []string{"p", "v"}
}

func writeInts(t *testing.T, path string, n int, opts WriteOptions) error {
	t.Helper()
	src, types, names := intSource(n)
	_, err := WriteParquet(context.Background(), src, types, names, path, opts)
	return err
}

// countRows counts the rows of the files a path or glob names.
func countRows(t *testing.T, path string) int {
	t.Helper()
	files, err := filepath.Glob(path)
	if err != nil || len(files) == 0 {
		t.Fatalf("no files at %s: %v", path, err)
	}
	n := 0
	for _, f := range files {
		_, rows := readScan(t, f)
		n += len(rows)
	}
	return n
}

func TestWriteThroughDeviceAndFIFO(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no device nodes or FIFOs")
	}
	st, err := os.Stat("/dev/null")
	if err != nil {
		t.Skip(err)
	}
	if err := writeInts(t, "/dev/null", 10, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if st2, err := os.Stat("/dev/null"); err != nil || st2.Mode() != st.Mode() || st2.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is no longer the device: %v %v", st2.Mode(), err)
	}

	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip(err)
	}
	got := make(chan []byte)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- nil
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		got <- b
	}()
	if err := writeInts(t, fifo, 10, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	b := <-got
	if len(b) < 12 || !bytes.HasPrefix(b, []byte("PAR1")) || !bytes.HasSuffix(b, []byte("PAR1")) {
		t.Fatalf("the FIFO's reader got %d bytes, not a Parquet file", len(b))
	}
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("the FIFO was replaced: %v %v", st.Mode(), err)
	}
}

func TestWriteSymlinks(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.parquet")
	link := filepath.Join(dir, "link.parquet")
	if err := os.Symlink("real.parquet", link); err != nil {
		t.Skip(err)
	}
	// A link within its folder is written through; the link stays a link.
	if err := writeInts(t, link, 10, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("link replaced: %v", err)
	}
	if n := countRows(t, real); n != 10 {
		t.Fatalf("link target has %d rows", n)
	}
	// A link out of the folder is refused and nothing changes.
	outside := filepath.Join(t.TempDir(), "outside.parquet")
	os.WriteFile(outside, []byte("precious"), 0o644)
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	out := filepath.Join(sub, "out.parquet")
	os.Symlink(outside, out)
	err := writeInts(t, out, 10, WriteOptions{})
	if err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("link out of the folder: %v", err)
	}
	if b, _ := os.ReadFile(outside); string(b) != "precious" {
		t.Fatal("the file outside was changed")
	}
	// A partition folder that is a link out of the target is never entered.
	parts := filepath.Join(dir, "parts")
	if err := writeInts(t, parts, 10, WriteOptions{PartitionBy: []string{"p"}}); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(parts, "p=1"))
	escape := t.TempDir()
	os.Symlink(escape, filepath.Join(parts, "p=1"))
	err = writeInts(t, parts, 10, WriteOptions{PartitionBy: []string{"p"}, Mode: WriteOverwriteOrIgnore})
	if err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("partition through a link: %v", err)
	}
	if entries, _ := os.ReadDir(escape); len(entries) != 0 {
		t.Fatalf("wrote through the link: %v", entries)
	}
	assertNoStaging(t, dir)
}

func TestWriteTargetRules(t *testing.T) {
	dir := t.TempDir()
	// DuckDB's messages for each case (checked with duckq).
	err := writeInts(t, dir, 5, WriteOptions{})
	if err == nil || err.Error() != `IO Error: Cannot open file "`+dir+`": Is a directory` {
		t.Errorf("file onto a directory: %v", err)
	}
	missing := filepath.Join(dir, "nodir", "x.parquet")
	err = writeInts(t, missing, 5, WriteOptions{})
	if err == nil || err.Error() != `IO Error: Cannot open file "`+missing+`": No such file or directory` {
		t.Errorf("missing parent: %v", err)
	}
	missing = filepath.Join(dir, "nodir", "sub")
	err = writeInts(t, missing, 5, WriteOptions{PartitionBy: []string{"p"}})
	if err == nil || err.Error() != `IO Error: Failed to create directory "`+missing+`": No such file or directory` {
		t.Errorf("missing parent of a folder: %v", err)
	}
	file := filepath.Join(dir, "f.parquet")
	if err := writeInts(t, file, 5, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(commitMarker); err == nil {
		os.Remove(commitMarker)
		t.Fatal("a single-file commit wrote a marker into the working directory")
	}
	os.Chmod(file, 0o600)
	if err := writeInts(t, file, 6, WriteOptions{}); err != nil || countRows(t, file) != 6 {
		t.Fatalf("replace a file: %v", err)
	}
	if st, _ := os.Stat(file); st.Mode().Perm() != 0o600 {
		t.Errorf("replaced file's permissions %v, want the old file's 0600", st.Mode().Perm())
	}
	err = writeInts(t, file, 5, WriteOptions{PartitionBy: []string{"p"}})
	if err == nil || err.Error() != `IO Error: Cannot write to "`+file+`" - it exists and is a file, not a directory! Enable OVERWRITE option to overwrite the file` {
		t.Errorf("folder onto a file: %v", err)
	}
	if err := writeInts(t, file, 5, WriteOptions{PartitionBy: []string{"p"}, Mode: WriteOverwrite}); err != nil {
		t.Fatalf("OVERWRITE turns a file into a folder: %v", err)
	}
	if got := listFiles(t, file); strings.Join(got, " ") != "p=0/ p=0/data_0.parquet p=1/ p=1/data_0.parquet p=2/ p=2/data_0.parquet" {
		t.Errorf("after OVERWRITE: %v", got)
	}

	parts := filepath.Join(dir, "parts")
	os.Mkdir(parts, 0o755) // an empty folder is fine
	if err := writeInts(t, parts, 9, WriteOptions{PartitionBy: []string{"p"}}); err != nil {
		t.Fatal(err)
	}
	err = writeInts(t, parts, 9, WriteOptions{PartitionBy: []string{"p"}})
	if err == nil || err.Error() != `IO Error: Directory "`+parts+`" is not empty! Enable OVERWRITE option to overwrite files` {
		t.Errorf("non-empty folder: %v", err)
	}
	os.WriteFile(filepath.Join(parts, "other.txt"), nil, 0o644)
	if err := writeInts(t, parts, 9, WriteOptions{PartitionBy: []string{"p"}, Mode: WriteAppend}); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, filepath.Join(parts, "*", "*.parquet")); n != 18 {
		t.Errorf("after APPEND: %d rows, want 18", n)
	}
	if err := writeInts(t, parts, 3, WriteOptions{PartitionBy: []string{"p"}, Mode: WriteOverwriteOrIgnore}); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, filepath.Join(parts, "*", "*.parquet")); n != 12 {
		t.Errorf("after OVERWRITE_OR_IGNORE: %d rows, want 12 (data_0 replaced, appended kept)", n)
	}
	if err := writeInts(t, parts, 4, WriteOptions{PartitionBy: []string{"p"}, Mode: WriteOverwrite}); err != nil {
		t.Fatal(err)
	}
	if got := listFiles(t, parts); strings.Join(got, " ") != "p=0/ p=0/data_0.parquet p=1/ p=1/data_0.parquet p=2/ p=2/data_0.parquet" {
		t.Errorf("OVERWRITE keeps only the new files (as DuckDB): %v", got)
	}
	assertNoStaging(t, dir)
}

// assertNoStaging fails if a staging file or folder is left under dir.
func assertNoStaging(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), stageTag) {
			t.Errorf("staging left behind: %s", p)
		}
		return nil
	})
}

// stageFiles stages files with n rows each under a new stage of spec and
// returns it unfinished.
func stageFiles(t *testing.T, spec StageSpec, names ...string) *localStage {
	t.Helper()
	st, err := OpenStage(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		f, err := st.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(n))
		f.Close()
	}
	return st.(*localStage)
}

// crashAfterCommitPoint does what Commit does up to and including its
// commit point, then stops, as a process killed there would.
func crashAfterCommitPoint(t *testing.T, s *localStage) string {
	t.Helper()
	if s.staging != "" {
		os.WriteFile(filepath.Join(s.staging, commitMarker), nil, 0o644)
	}
	if err := s.rec.commit(); err != nil {
		t.Fatal(err)
	}
	s.rec.f.Close()
	return s.rec.path
}

func TestRecoverInterruptedCommits(t *testing.T) {
	root := t.TempDir()
	for _, kind := range []string{"new folder", "overwrite", "merge", "file"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			target := filepath.Join(dir, "out")
			spec := StageSpec{Path: target, Folder: true, TempRoot: root}
			names := []string{"a=1/data_0.parquet", "a=2/data_0.parquet"}
			switch kind {
			case "overwrite":
				os.MkdirAll(filepath.Join(target, "old"), 0o755)
				spec.Mode = WriteOverwrite
			case "merge":
				os.MkdirAll(filepath.Join(target, "a=1"), 0o755)
				os.WriteFile(filepath.Join(target, "keep"), nil, 0o644)
				spec.Mode = WriteAppend
			case "file":
				spec.Folder, names = false, []string{""}
			}
			// Killed before the commit point: undone.
			s := stageFiles(t, spec, names...)
			s.rec.f.Close()
			if err := recoverRecord(s.rec.path); err != nil {
				t.Fatal(err)
			}
			s.rec.dir.Release()
			switch kind {
			case "new folder", "file":
				if exists(target) {
					t.Fatal("uncommitted write published")
				}
			case "overwrite":
				if !exists(filepath.Join(target, "old")) || exists(filepath.Join(target, "a=1")) {
					t.Fatal("uncommitted overwrite changed the target")
				}
			}
			assertNoStaging(t, dir)

			// Killed after the commit point: finished.
			s = stageFiles(t, spec, names...)
			if kind == "overwrite" {
				// and, without an exchange, between the two renames
				os.WriteFile(filepath.Join(s.staging, commitMarker), nil, 0o644)
				os.Rename(target, strings.TrimSuffix(s.staging, ".tmp")+".old")
			}
			rec := crashAfterCommitPoint(t, s)
			if err := recoverRecord(rec); err != nil {
				t.Fatal(err)
			}
			s.rec.dir.Release()
			for _, n := range names {
				p := filepath.Join(target, filepath.FromSlash(n))
				if b, err := os.ReadFile(p); err != nil || string(b) != n {
					t.Errorf("%s after recovery: %q %v", n, b, err)
				}
			}
			switch kind {
			case "overwrite":
				if exists(filepath.Join(target, "old")) {
					t.Error("old contents survived an OVERWRITE")
				}
			case "merge":
				if !exists(filepath.Join(target, "keep")) {
					t.Error("merge lost an existing file")
				}
			}
			if exists(filepath.Join(target, commitMarker)) {
				t.Error("commit marker left in the target")
			}
			assertNoStaging(t, dir)
			// A rerun of the same write works.
			spec.Mode = WriteOverwrite
			s = stageFiles(t, spec, names...)
			if err := s.Commit(context.Background()); err != nil {
				t.Fatal(err)
			}
			assertNoStaging(t, dir)
		})
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Errorf("temporary folders left: %v", entries)
	}
}

func TestStagingIgnoredByRerun(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "out")
	s := stageFiles(t, StageSpec{Path: target, Folder: true}, "x/data_0.parquet")
	defer s.Abort()
	// Another write of the same target while the first is staged (or
	// after it was killed) is not blocked by the hidden staging folder.
	if err := writeInts(t, target, 5, WriteOptions{PartitionBy: []string{"p"}}); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, filepath.Join(target, "*", "*.parquet")); n != 5 {
		t.Fatalf("%d rows", n)
	}
}

// TestOpenStageByPath: a URL target needs the catalog's file system; a
// file:// URL is a local path.
func TestOpenStageByPath(t *testing.T) {
	ctx := context.Background()
	if _, err := OpenStage(ctx, StageSpec{Path: "s3://bucket/out.parquet"}); err == nil || !strings.Contains(err.Error(), "object-store settings") {
		t.Fatalf("s3 target without a file system: %v", err)
	}
	dir := t.TempDir()
	st, err := OpenStage(ctx, StageSpec{Path: "file://" + filepath.ToSlash(dir) + "/out.bin"})
	if err != nil {
		t.Fatal(err)
	}
	f, err := st.Create("")
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("x"))
	f.Close()
	if err := st.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "out.bin")); err != nil || string(b) != "x" {
		t.Fatalf("%q %v", b, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("debris: %v", entries)
	}
}
