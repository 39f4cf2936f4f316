package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/storage"
)

// The result leaves the pipeline through files: each task of the root
// fragment writes its share to the result folder (a local path for prism,
// gs:// or s3:// for a cluster) under the name part-NNNNN (its task
// number), first to a temporary name and then renamed, so a retried task
// replaces its share and never adds to it. The driver reads the parts in
// task order once the job has succeeded (the root of a sorted result is one
// task) or, for --out, moves the Parquet parts into place and only then.

const partExt = ".px" // length-prefixed exchange elements

func partName(task int, ext string) string { return fmt.Sprintf("part-%05d%s", task, ext) }

func join(dir, name string) string {
	if strings.Contains(dir, "://") {
		return strings.TrimRight(dir, "/") + "/" + name
	}
	return filepath.Join(dir, name)
}

// writeResult runs a task of the root fragment into its part file.
func writeResult(ctx context.Context, q *query, d *peregrine.Distributed, frag, task int, in peregrine.Elements) (peregrine.TaskStats, error) {
	if q.Out {
		return writeParquetPart(ctx, q, d, frag, task, in)
	}
	var st peregrine.TaskStats
	err := writeFile(ctx, join(q.Result, partName(task, partExt)), func(w io.Writer) error {
		var err error
		bw := bufio.NewWriterSize(w, 1<<20)
		var hdr [binary.MaxVarintLen64]byte
		st, err = d.RunTask(ctx, frag, task, in, func(_ int, data []byte) error {
			if _, err := bw.Write(hdr[:binary.PutUvarint(hdr[:], uint64(len(data)))]); err != nil {
				return err
			}
			_, err := bw.Write(data)
			return err
		})
		if err != nil {
			return err
		}
		return bw.Flush()
	})
	return st, err
}

// writeParquetPart writes a root task's rows as one Parquet file, through a
// local temporary file when the folder is remote.
func writeParquetPart(ctx context.Context, q *query, d *peregrine.Distributed, frag, task int, in peregrine.Elements) (peregrine.TaskStats, error) {
	t, err := d.OpenTask(ctx, frag, task, in)
	if err != nil {
		return peregrine.TaskStats{}, err
	}
	defer t.Close()
	target := join(q.Result, partName(task, ".parquet"))
	local := target
	remote := strings.Contains(q.Result, "://")
	if remote {
		dir, err := os.MkdirTemp("", "peregrine-beam-part-")
		if err != nil {
			return peregrine.TaskStats{}, err
		}
		defer os.RemoveAll(dir)
		local = filepath.Join(dir, "part.parquet")
	}
	types := make([]coldata.Type, len(d.Columns))
	for i, c := range d.Columns {
		types[i] = c.Type
	}
	res, err := storage.WriteParquet(ctx, t, types, q.Names, local, storage.WriteOptions{})
	st := t.Stats()
	st.BytesOut = res.Bytes
	if err != nil || !remote {
		return st, err
	}
	err = writeFile(ctx, target, func(w io.Writer) error {
		f, err := os.Open(local)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(w, f)
		return err
	})
	return st, err
}

// writeFile writes name through Beam's file systems, under a temporary
// name renamed into place when the file system can rename (a GCS or S3
// object appears whole when its writer closes anyway).
func writeFile(ctx context.Context, name string, fill func(io.Writer) error) (err error) {
	fs, err := filesystem.New(ctx, name)
	if err != nil {
		return err
	}
	defer fs.Close()
	target := name
	ren, canRename := fs.(filesystem.Renamer)
	if canRename {
		target = name + ".tmp-" + randomID()
	}
	w, err := fs.OpenWrite(ctx, target)
	if err != nil {
		return err
	}
	if err := fill(w); err != nil {
		w.Close()
		if rm, ok := fs.(filesystem.Remover); ok {
			rm.Remove(ctx, target)
		}
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	if canRename {
		return ren.Rename(ctx, target, name)
	}
	return nil
}

func randomID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// listParts returns the part files of ext in a result folder, in task order.
func listParts(ctx context.Context, dir, ext string) ([]string, error) {
	fs, err := filesystem.New(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer fs.Close()
	names, err := fs.List(ctx, join(dir, "part-*"+ext))
	if err != nil {
		return nil, err
	}
	sort.Strings(names) // part-NNNNN: task order
	return names, nil
}

// resultReader yields the result's batches from the part files in task
// order.
type resultReader struct {
	fs    filesystem.Interface
	parts []string
	types []coldata.Type
	cur   *bufio.Reader
	close io.Closer
}

func openResult(ctx context.Context, dir string, types []coldata.Type) (*resultReader, error) {
	parts, err := listParts(ctx, dir, partExt)
	if err != nil {
		return nil, err
	}
	fs, err := filesystem.New(ctx, dir)
	if err != nil {
		return nil, err
	}
	return &resultReader{fs: fs, parts: parts, types: types}, nil
}

func (r *resultReader) Next(ctx context.Context) (*coldata.Batch, error) {
	for {
		if r.cur == nil {
			if len(r.parts) == 0 {
				return nil, io.EOF
			}
			rc, err := r.fs.OpenRead(ctx, r.parts[0])
			if err != nil {
				return nil, err
			}
			r.parts = r.parts[1:]
			r.cur, r.close = bufio.NewReaderSize(rc, 1<<20), rc
		}
		n, err := binary.ReadUvarint(r.cur)
		if errors.Is(err, io.EOF) {
			r.close.Close()
			r.cur = nil
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading the result: %w", err)
		}
		if n > 1<<34 {
			return nil, fmt.Errorf("reading the result: a batch of %d bytes", n)
		}
		buf := make([]byte, n)
		if _, err := io.ReadFull(r.cur, buf); err != nil {
			return nil, fmt.Errorf("reading the result: %w", err)
		}
		return peregrine.DecodeBatch(buf, r.types)
	}
}

func (r *resultReader) Close() error {
	if r.cur != nil {
		r.close.Close()
	}
	return r.fs.Close()
}

// commitParquet moves the staged Parquet parts into the --out folder: all
// of them, after the job succeeded. The folder must not hold parts already.
func commitParquet(ctx context.Context, staged, out string) ([]string, error) {
	parts, err := listParts(ctx, staged, ".parquet")
	if err != nil {
		return nil, err
	}
	fs, err := filesystem.New(ctx, out)
	if err != nil {
		return nil, err
	}
	defer fs.Close()
	var done []string
	for _, p := range parts {
		dst := join(out, path.Base(p))
		if err := move(ctx, fs, p, dst); err != nil {
			return done, err
		}
		done = append(done, dst)
	}
	return done, nil
}

func move(ctx context.Context, fs filesystem.Interface, src, dst string) error {
	if r, ok := fs.(filesystem.Renamer); ok {
		return r.Rename(ctx, src, dst)
	}
	if c, ok := fs.(filesystem.Copier); ok {
		if err := c.Copy(ctx, src, dst); err != nil {
			return err
		}
		if rm, ok := fs.(filesystem.Remover); ok {
			return rm.Remove(ctx, src)
		}
		return nil
	}
	return fmt.Errorf("cannot move %s to %s: the file system can neither rename nor copy", src, dst)
}

// removeAll deletes a result folder's files (and a local folder itself).
func removeAll(ctx context.Context, dir string) {
	if !strings.Contains(dir, "://") {
		os.RemoveAll(dir)
		return
	}
	fs, err := filesystem.New(ctx, dir)
	if err != nil {
		return
	}
	defer fs.Close()
	names, _ := fs.List(ctx, join(dir, "*"))
	if rm, ok := fs.(filesystem.Remover); ok {
		for _, n := range names {
			rm.Remove(ctx, n)
		}
	}
}
