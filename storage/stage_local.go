package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// The local file system's stage.
//
// A single file is written to a hidden sibling (.NAME.peregrine-TOKEN.tmp)
// and renamed over the target: rename(2) is atomic, so a reader sees the
// old file or the new one. A device node, FIFO or socket is never
// replaced: the rows are written straight through it, as DuckDB does.
//
// A folder is staged whole and published by renaming folders, not files:
// that is what makes the commit atomic for readers as well as for crashes,
// and it needs nothing from readers (a manifest would, and DuckDB, Spark
// or a plain glob would not read one).
//   - a new or empty target: the sibling staging folder is renamed onto it;
//   - OVERWRITE of a non-empty target: the staging folder and the target
//     are exchanged in one step (renameat2 RENAME_EXCHANGE) and the old
//     contents, now under the staging name, removed; where the kernel or
//     file system cannot exchange, the old target is first renamed aside,
//     which leaves a moment with no target, never a mixed one;
//   - OVERWRITE_OR_IGNORE and APPEND into a non-empty target must merge
//     with what is there, which no single rename can do: files are staged
//     in a hidden folder inside the target and moved into place one by
//     one after the commit point. A crash after that point is rolled
//     forward by the next start; a concurrent reader may see part of the
//     new files while the moves run.
//
// The commit point is a line in a record kept in this process's temporary
// folder (storage/tempdir): before it, a crash is undone (the staging is
// deleted); after it, the next start finishes the commit. The staging's
// own name and a marker file make it self-describing, so a write that
// finds a dead writer's staging next to its target cleans it up as well.

const (
	stageTag     = ".peregrine-"
	commitMarker = ".peregrine-commit"
	recordPrefix = "write-"
)

type commitKind string

const (
	kindFile    commitKind = "file"    // one file renamed over the target
	kindThrough commitKind = "through" // written straight into a device or FIFO
	kindRename  commitKind = "rename"  // staging folder renamed onto an absent or empty target
	kindSwap    commitKind = "swap"    // staging folder exchanged with the old target
	kindMerge   commitKind = "merge"   // files moved from the staging folder into the target
)

type localStage struct {
	spec    StageSpec
	target  string // the path written: spec.Path with a symlink resolved
	kind    commitKind
	token   string
	staging string      // folder kinds: the staging folder
	mode    fs.FileMode // kindFile: the replaced file's permissions (0: a new file)
	files   []*localFile
	rec     *record
	// ended: Commit succeeded or Abort ran; published: files may have
	// reached the target, so Abort must not delete the staging.
	ended, published bool
}

type localFile struct {
	*os.File
	stage *localStage
	path  string // staged path
	final string // where Commit puts it
	sync  bool   // fsync on Close (regular files)
}

func newToken() string {
	var b [4]byte
	rand.Read(b[:])
	return strconv.Itoa(os.Getpid()) + "-" + hex.EncodeToString(b[:])
}

func ioErrorf(format string, args ...any) error {
	return fmt.Errorf("IO Error: "+format, args...)
}

// pathError is "IO Error: <what> "<path>": <system message>" for an error
// carrying a path (fs.PathError).
func pathError(what string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return ioErrorf("%s %q: %s", what, pe.Path, sysMessage(err))
	}
	return ioErrorf("%s: %s", what, sysMessage(err))
}

// sysMessage is the operating system's text for err ("No such file or
// directory"), without Go's "open PATH:" prefix.
func sysMessage(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		s := errno.Error()
		return strings.ToUpper(s[:1]) + s[1:]
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return strings.TrimPrefix(err.Error(), "IO Error: ") // callers add the category
}

func openLocalStage(spec StageSpec) (*localStage, error) {
	s := &localStage{spec: spec, target: filepath.Clean(spec.Path), token: newToken()}
	st, err := os.Lstat(s.target)
	if err == nil && st.Mode()&fs.ModeSymlink != 0 {
		if s.target, err = resolveLink(s.target); err != nil {
			return nil, err
		}
		st, err = os.Lstat(s.target)
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, ioErrorf("Cannot open file %q: %s", spec.Path, sysMessage(err))
	}
	exists := err == nil
	if spec.Folder {
		err = s.planFolder(st, exists)
	} else {
		err = s.planFile(st, exists)
	}
	if err != nil {
		return nil, err
	}
	sweepStagingNear(s.target)
	if s.kind == kindThrough {
		return s, nil
	}
	if s.rec, err = newRecord(spec.TempRoot, s); err != nil {
		return nil, err
	}
	if s.staging != "" {
		if err := os.Mkdir(s.staging, 0o755); err != nil {
			s.rec.remove()
			return nil, ioErrorf("Failed to create directory %q: %s", s.staging, sysMessage(err))
		}
	}
	return s, nil
}

// resolveLink follows a symlink target, which must stay in the folder the
// link is in: a link is never followed out of the target's folder.
func resolveLink(path string) (string, error) {
	dest, err := os.Readlink(path)
	if err != nil {
		return "", ioErrorf("Cannot open file %q: %s", path, sysMessage(err))
	}
	if !filepath.IsAbs(dest) {
		dest = filepath.Join(filepath.Dir(path), dest)
	}
	if real, err := filepath.EvalSymlinks(dest); err == nil {
		dest = real
	}
	dir := filepath.Dir(path)
	if realDir, err := filepath.EvalSymlinks(dir); err == nil {
		dir = realDir
	}
	if rel, err := filepath.Rel(dir, dest); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", ioErrorf("Cannot write to %q: it is a symbolic link to %q, outside its folder", path, dest)
	}
	return filepath.Clean(dest), nil
}

func (s *localStage) planFile(st fs.FileInfo, exists bool) error {
	switch {
	case !exists:
		if err := parentIsDir(s.target); err != nil {
			return ioErrorf("Cannot open file %q: %s", s.spec.Path, sysMessage(err))
		}
		s.kind = kindFile
	case st.IsDir():
		return ioErrorf("Cannot open file %q: Is a directory", s.spec.Path)
	case st.Mode().IsRegular():
		s.kind, s.mode = kindFile, st.Mode().Perm()
	default: // device, FIFO, socket: never replaced
		s.kind = kindThrough
	}
	return nil
}

func parentIsDir(path string) error {
	st, err := os.Stat(filepath.Dir(path))
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return syscall.ENOTDIR
	}
	return nil
}

func (s *localStage) planFolder(st fs.FileInfo, exists bool) error {
	sibling := filepath.Join(filepath.Dir(s.target), "."+filepath.Base(s.target)+stageTag+s.token+".tmp")
	switch {
	case !exists:
		if err := parentIsDir(s.target); err != nil {
			return ioErrorf("Failed to create directory %q: %s", s.spec.Path, sysMessage(err))
		}
		s.kind, s.staging = kindRename, sibling
	case st.IsDir():
		entries, err := os.ReadDir(s.target)
		if err != nil {
			return ioErrorf("Cannot open directory %q: %s", s.spec.Path, sysMessage(err))
		}
		switch {
		case len(visible(entries)) == 0 && len(entries) == 0:
			s.kind, s.staging = kindRename, sibling
		case len(visible(entries)) == 0 && s.spec.Mode != WriteOverwrite:
			// Only hidden leftovers (another writer's staging): merge
			// rather than rename onto a folder that is not empty.
			s.kind, s.staging = kindMerge, filepath.Join(s.target, stageTag+s.token+".tmp")
		case s.spec.Mode == WriteOverwrite:
			s.kind, s.staging = kindSwap, sibling
		case s.spec.Mode == WriteOverwriteOrIgnore || s.spec.Mode == WriteAppend:
			s.kind, s.staging = kindMerge, filepath.Join(s.target, stageTag+s.token+".tmp")
		default:
			return ioErrorf("Directory %q is not empty! Enable OVERWRITE option to overwrite files", s.spec.Path)
		}
	case st.Mode().IsRegular() && s.spec.Mode == WriteOverwrite:
		s.kind, s.staging = kindSwap, sibling
	case st.Mode().IsRegular():
		return ioErrorf("Cannot write to %q - it exists and is a file, not a directory! Enable OVERWRITE option to overwrite the file", s.spec.Path)
	default:
		return ioErrorf("Cannot write to %q - it exists and is not a directory", s.spec.Path)
	}
	return nil
}

// visible drops the entries of our own staging leftovers.
func visible(entries []fs.DirEntry) []fs.DirEntry {
	var out []fs.DirEntry
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), stageTag) {
			out = append(out, e)
		}
	}
	return out
}

func (s *localStage) Create(name string) (StagedFile, error) {
	if s.ended {
		return nil, fmt.Errorf("storage: Create after the stage ended")
	}
	if s.kind == kindThrough {
		if name != "" || len(s.files) > 0 {
			return nil, ioErrorf("Cannot write several files to %q", s.spec.Path)
		}
		f, err := os.OpenFile(s.target, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return nil, ioErrorf("Cannot open file %q: %s", s.spec.Path, sysMessage(err))
		}
		lf := &localFile{File: f, stage: s, path: s.target, final: s.target}
		s.files = append(s.files, lf)
		return lf, nil
	}
	var path, final string
	if s.spec.Folder {
		rel := filepath.FromSlash(name)
		if name == "" || filepath.IsAbs(rel) || !filepath.IsLocal(rel) {
			return nil, fmt.Errorf("storage: staged file name %q is not a path below the target", name)
		}
		path, final = filepath.Join(s.staging, rel), filepath.Join(s.target, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, ioErrorf("Failed to create directory %q: %s", filepath.Dir(final), sysMessage(err))
		}
	} else {
		if name != "" {
			return nil, fmt.Errorf("storage: a single-file stage has no file %q", name)
		}
		final = s.target
		path = filepath.Join(filepath.Dir(final), "."+filepath.Base(final)+stageTag+s.token+"-"+strconv.Itoa(len(s.files))+".tmp")
		if err := s.rec.add("tmp", path); err != nil {
			return nil, err
		}
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, ioErrorf("Cannot open file %q: %s", final, sysMessage(err))
	}
	lf := &localFile{File: f, stage: s, path: path, final: final, sync: true}
	s.files = append(s.files, lf)
	return lf, nil
}

// Close completes the file, forcing it to disk so that the rename that
// publishes it can never expose an empty or partial file after a power
// cut.
func (f *localFile) Close() error {
	if f.File == nil {
		return nil
	}
	var err error
	if f.sync {
		err = f.File.Sync()
	}
	if cerr := f.File.Close(); err == nil {
		err = cerr
	}
	f.File = nil
	if err != nil {
		return ioErrorf("Could not write file %q: %s", f.final, sysMessage(err))
	}
	return nil
}

func (s *localStage) FreshName(dir, ext string) string { return uuidName(dir, ext) }

// uuidName is a random version 4 UUID with ext under dir, as DuckDB names
// appended files.
func uuidName(dir, ext string) string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	name := h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:] + ext
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

func (s *localStage) Commit(ctx context.Context) error {
	if s.ended {
		return fmt.Errorf("storage: Commit after the stage ended")
	}
	for _, f := range s.files {
		if err := f.Close(); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.kind == kindThrough {
		s.ended = true
		return nil
	}
	if s.kind == kindMerge {
		if err := s.checkMergeTargets(); err != nil {
			return err
		}
	}
	switch {
	case s.kind == kindFile && s.mode != 0:
		// The new file takes the replaced one's permissions (a new
		// target keeps what the umask gave it).
		for _, f := range s.files {
			if err := os.Chmod(f.path, s.mode); err != nil {
				return ioErrorf("Could not write file %q: %s", f.final, sysMessage(err))
			}
		}
	case s.staging != "":
		if err := os.WriteFile(filepath.Join(s.staging, commitMarker), nil, 0o644); err != nil {
			return ioErrorf("Could not write file %q: %s", s.staging, sysMessage(err))
		}
	}
	// The commit point: from here on a crash is rolled forward.
	if err := s.rec.commit(); err != nil {
		return err
	}
	published, err := finishCommit(s.kind, s.staging, s.target, s.tmpPaths())
	s.published = published
	if err != nil {
		return err
	}
	syncDir(filepath.Dir(s.target))
	s.ended = true
	s.rec.remove()
	s.rec = nil
	return nil
}

func (s *localStage) tmpPaths() []string {
	if s.kind != kindFile {
		return nil
	}
	out := make([]string, len(s.files))
	for i, f := range s.files {
		out[i] = f.path
	}
	return out
}

// checkMergeTargets refuses, before the commit point, to move a file
// through a symlink or onto something that is not a regular file.
func (s *localStage) checkMergeTargets() error {
	for _, f := range s.files {
		rel, _ := filepath.Rel(s.target, f.final)
		at := s.target
		parts := strings.Split(rel, string(filepath.Separator))
		for i, p := range parts {
			at = filepath.Join(at, p)
			st, err := os.Lstat(at)
			if errors.Is(err, fs.ErrNotExist) {
				break
			}
			if err != nil {
				return ioErrorf("Cannot open file %q: %s", at, sysMessage(err))
			}
			last := i == len(parts)-1
			switch {
			case st.Mode()&fs.ModeSymlink != 0:
				return ioErrorf("Cannot write to %q: it is a symbolic link; links are not followed out of the target folder", at)
			case !last && !st.IsDir():
				return ioErrorf("Cannot write to %q - it exists and is a file, not a directory", at)
			case last && !st.Mode().IsRegular():
				return ioErrorf("Cannot write to %q - it exists and is not a regular file", at)
			}
		}
	}
	return nil
}

func (s *localStage) Abort() error {
	var err error
	for _, f := range s.files {
		if f.File != nil {
			f.File.Close()
			f.File = nil
		}
		if s.kind == kindFile && !s.ended {
			os.Remove(f.path)
		}
	}
	if !s.ended && s.staging != "" {
		// After a failed merge some files may already be in place; the
		// rest are dropped with the staging (the statement failed).
		err = os.RemoveAll(s.staging)
	}
	s.ended = true
	if s.rec != nil {
		s.rec.remove()
		s.rec = nil
	}
	return err
}

// syncDir makes a rename in dir durable (best effort).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
