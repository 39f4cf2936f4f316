package storage

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// objectStage is the Stage of a write to an object store (COPY ... TO
// 's3://…'). Each file is an Upload: a multipart upload whose parts are
// sent as the file is written (S3), uncommitted blocks (Azure), a
// resumable session (GCS), or a buffer for a file smaller than one part.
// None of them is visible under its final name until Commit completes it;
// Abort (or a failed or cancelled Commit) aborts every upload, so an
// interrupted COPY leaves no object under a final name.
//
// Commit completes the uploads in parallel. Object stores have no
// multi-object transaction: if one completion fails, the objects already
// completed are deleted again, so the write is all or nothing, though a
// reader listing the folder during those few requests may see part of it.
// OVERWRITE deletes the objects of the old folder that the new write did
// not replace, after every new object is complete; a reader listing the
// folder meanwhile may see old and new objects side by side.
type objectStage struct {
	fs     FileSystem
	ctx    context.Context
	spec   StageSpec
	target string // spec.Path without a trailing slash
	// stale: objects under the target (or the target object itself) that
	// an OVERWRITE removes once the new files are complete.
	stale []string

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

// openObjectStage applies DuckDB's rules for existing targets, as the
// local stage does: a single file replaces an object but not a folder; a
// folder target must be absent or empty unless spec.Mode says otherwise.
func openObjectStage(ctx context.Context, spec StageSpec) (*objectStage, error) {
	s := &objectStage{fs: spec.FS, ctx: ctx, spec: spec, target: strings.TrimRight(spec.Path, "/")}
	st, err := s.fs.Stat(ctx, s.target)
	if err != nil && !isNotExist(err) {
		return nil, ioError(err)
	}
	exists := err == nil
	switch {
	case !exists:
	case !spec.Folder && st.IsDir:
		return nil, ioErrorf("Cannot open file %q: Is a directory", spec.Path)
	case !spec.Folder:
	case !st.IsDir && spec.Mode == WriteOverwrite:
		s.stale = []string{s.target}
	case !st.IsDir:
		return nil, ioErrorf("Cannot write to %q - it exists and is a file, not a directory! Enable OVERWRITE option to overwrite the file", spec.Path)
	case spec.Mode == WriteOverwrite:
		old, err := s.fs.List(ctx, s.target, true)
		if err != nil {
			return nil, ioError(err)
		}
		for _, f := range old {
			s.stale = append(s.stale, f.Path)
		}
	case spec.Mode == WriteOverwriteOrIgnore || spec.Mode == WriteAppend:
	default:
		return nil, ioErrorf("Directory %q is not empty! Enable OVERWRITE option to overwrite files", spec.Path)
	}
	return s, nil
}

// Create starts the file name: "" for a single-file target, else a slash
// path below the target folder.
func (s *objectStage) Create(name string) (StagedFile, error) {
	s.mu.Lock()
	ended := s.ended
	s.mu.Unlock()
	if ended {
		return nil, fmt.Errorf("storage: Create after the stage ended")
	}
	p := s.target
	switch {
	case s.spec.Folder && (name == "" || strings.HasPrefix(name, "/") || !validSlashPath(name)):
		return nil, fmt.Errorf("storage: staged file name %q is not a path below the target", name)
	case !s.spec.Folder && name != "":
		return nil, fmt.Errorf("storage: a single-file stage has no file %q", name)
	case s.spec.Folder:
		p = s.fs.Join(s.target, name)
	}
	up, err := s.fs.Create(s.ctx, p)
	if err != nil {
		return nil, ioError(err)
	}
	f := &objectFile{path: p, up: up}
	s.mu.Lock()
	s.files = append(s.files, f)
	s.mu.Unlock()
	return f, nil
}

// validSlashPath rejects empty, "." and ".." elements.
func validSlashPath(name string) bool {
	for _, e := range strings.Split(name, "/") {
		if e == "" || e == "." || e == ".." {
			return false
		}
	}
	return true
}

// FreshName returns a name under dir for APPEND: a random UUID, as DuckDB
// names appended files, so it collides with no other writer's.
func (s *objectStage) FreshName(dir, ext string) string { return uuidName(dir, ext) }

// commitParallelism bounds the completions in flight at Commit.
const commitParallelism = 8

// Commit makes every staged file visible, or none of them.
func (s *objectStage) Commit(ctx context.Context) error {
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return errors.New("storage: Commit after the stage ended")
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
	if err := ctx.Err(); err != nil {
		s.abortAll(files)
		return err
	}
	done := make([]bool, len(files))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(commitParallelism)
	for i, f := range files {
		g.Go(func() error {
			if err := f.up.Commit(gctx); err != nil {
				return ioError(err)
			}
			done[i] = true
			return nil
		})
	}
	err := g.Wait()
	if err == nil {
		return s.removeStale(ctx, files)
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

// removeStale deletes what an OVERWRITE replaces and the new write did not
// overwrite by name. It runs after the commit point: the new files are in
// place, so a failure here is reported but leaves them.
func (s *objectStage) removeStale(ctx context.Context, files []*objectFile) error {
	if len(s.stale) == 0 {
		return nil
	}
	written := make(map[string]bool, len(files))
	for _, f := range files {
		written[f.path] = true
	}
	var g errgroup.Group
	g.SetLimit(commitParallelism)
	for _, p := range s.stale {
		if !written[p] {
			g.Go(func() error { return s.fs.Remove(context.WithoutCancel(ctx), p) })
		}
	}
	if err := g.Wait(); err != nil {
		return ioErrorf("the new files of %q are written, but removing the old ones failed: %v", s.spec.Path, err)
	}
	return nil
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
