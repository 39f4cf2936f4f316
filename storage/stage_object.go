package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// objectStage is the staging area of one write to an object store (COPY
// ... TO 's3://…'), with the stage → commit/abort protocol of local
// writes. Each file is an Upload: a multipart upload whose parts are sent
// as the file is written (S3), uncommitted blocks (Azure), a resumable
// session (GCS), or a buffer for a file smaller than one part. None of
// them is visible under its final name until Commit completes it; Abort
// (or a failed or cancelled Commit) aborts every upload, so an interrupted
// COPY leaves no object under a final name.
//
// Commit completes the uploads in parallel. Object stores have no
// multi-object transaction: if one completion fails, the objects already
// completed are deleted again, so the write is all or nothing, though a
// reader listing the folder during those few requests may see part of it.
type objectStage struct {
	fs     FileSystem
	ctx    context.Context
	target string // the file, or the folder of a folder write
	folder bool

	mu    sync.Mutex
	files []*objectFile
	ended bool
}

// objectFile is one staged object; Close completes the writing but not
// the upload, which waits for the stage's Commit.
type objectFile struct {
	path   string
	up     Upload
	closed bool
}

func (f *objectFile) Write(p []byte) (int, error) { return f.up.Write(p) }
func (f *objectFile) Close() error                { f.closed = true; return nil }

// openObjectStage checks the target the way local writes do (DuckDB's
// rules): a folder write needs an absent or empty folder unless
// overwriteOrIgnore; a single file replaces an existing object but not a
// folder.
func openObjectStage(ctx context.Context, fsys FileSystem, target string, folder, overwriteOrIgnore bool) (*objectStage, error) {
	st, err := fsys.Stat(ctx, target)
	switch {
	case err != nil && !isNotExist(err):
		return nil, ioError(err)
	case err == nil && !folder && st.IsDir:
		return nil, fmt.Errorf("IO Error: Cannot write to %q: it is a directory", target)
	case err == nil && folder && !st.IsDir:
		return nil, fmt.Errorf("IO Error: Cannot write to %q: it exists and is not a directory", target)
	case err == nil && folder && !overwriteOrIgnore:
		return nil, fmt.Errorf("IO Error: Directory %q is not empty! Enable OVERWRITE_OR_IGNORE option to write into it anyway", target)
	}
	return &objectStage{fs: fsys, ctx: ctx, target: target, folder: folder}, nil
}

// Create starts the file name: "" for a single-file target, else a slash
// path below the target folder.
func (s *objectStage) Create(name string) (*objectFile, error) {
	p := s.target
	if name != "" {
		p = s.fs.Join(s.target, name)
	}
	up, err := s.fs.Create(s.ctx, p)
	if err != nil {
		return nil, err
	}
	f := &objectFile{path: p, up: up}
	s.mu.Lock()
	s.files = append(s.files, f)
	s.mu.Unlock()
	return f, nil
}

// FreshName returns a name under dir that no earlier write produced, for
// appending to a folder.
func (s *objectStage) FreshName(dir, ext string) string {
	var b [8]byte
	rand.Read(b[:])
	return path.Join(dir, "data_"+hex.EncodeToString(b[:])+ext)
}

// Bytes is the size of every staged file.
func (s *objectStage) Bytes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int64
	for _, f := range s.files {
		n += f.up.Size()
	}
	return n
}

// commitParallelism bounds the completions in flight at Commit.
const commitParallelism = 8

// Commit makes every staged file visible, or none of them.
func (s *objectStage) Commit(ctx context.Context) error {
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return errors.New("storage: stage already ended")
	}
	s.ended = true
	files := append([]*objectFile(nil), s.files...)
	s.mu.Unlock()
	for _, f := range files {
		if !f.closed {
			s.abortAll(files)
			return fmt.Errorf("storage: %s committed before it was closed", f.path)
		}
	}
	done := make([]bool, len(files))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(commitParallelism)
	for i, f := range files {
		g.Go(func() error {
			if err := f.up.Commit(gctx); err != nil {
				return err
			}
			done[i] = true
			return nil
		})
	}
	err := g.Wait()
	if err == nil {
		return nil
	}
	// Undo: abort what was not completed and delete what was.
	uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	var undo errgroup.Group
	undo.SetLimit(commitParallelism)
	for i, f := range files {
		undo.Go(func() error {
			if done[i] {
				return s.fs.Remove(uctx, f.path)
			}
			return f.up.Abort(uctx)
		})
	}
	if uerr := undo.Wait(); uerr != nil {
		return fmt.Errorf("%w (and undoing the partial commit failed: %v)", err, uerr)
	}
	return err
}

// Abort discards every staged file; it is idempotent.
func (s *objectStage) Abort() error {
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return nil
	}
	s.ended = true
	files := append([]*objectFile(nil), s.files...)
	s.mu.Unlock()
	return s.abortAll(files)
}

func (s *objectStage) abortAll(files []*objectFile) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(s.ctx), time.Minute)
	defer cancel()
	var g errgroup.Group
	g.SetLimit(commitParallelism)
	for _, f := range files {
		g.Go(func() error { return f.up.Abort(ctx) })
	}
	return g.Wait()
}
