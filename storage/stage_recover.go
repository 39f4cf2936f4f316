package storage

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/peregrinedb/peregrine/storage/tempdir"
)

// A record says where a write stages its files and whether it passed its
// commit point. It is a text file in the writer's process folder:
//
//	kind rename
//	target "/data/out"
//	staging "/data/.out.peregrine-123-0a1b2c3d.tmp"
//	tmp "..."            (single-file writes, one per staged file)
//	commit               (appended, and synced, at the commit point)
//
// When the process dies, the next start's sweep of its folder hands each
// record to recoverRecord, which undoes an uncommitted write and finishes
// a committed one.

var errNoExchange = errors.New("rename exchange not supported")

func init() { tempdir.RegisterRecovery(recordPrefix, recoverRecord) }

type record struct {
	dir  *tempdir.Dir
	f    *os.File
	path string
}

func newRecord(root string, s *localStage) (*record, error) {
	d, err := tempdir.Use(root)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(d.Path(), recordPrefix+s.token)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		d.Release()
		return nil, ioErrorf("Cannot open file %q: %s", path, sysMessage(err))
	}
	r := &record{dir: d, f: f, path: path}
	head := fmt.Sprintf("kind %s\ntarget %s\n", s.kind, strconv.Quote(s.target))
	if s.staging != "" {
		head += "staging " + strconv.Quote(s.staging) + "\n"
	}
	if _, err := f.WriteString(head); err != nil {
		r.remove()
		return nil, ioErrorf("Could not write file %q: %s", path, sysMessage(err))
	}
	return r, nil
}

func (r *record) add(key, path string) error {
	if _, err := r.f.WriteString(key + " " + strconv.Quote(path) + "\n"); err != nil {
		return ioErrorf("Could not write file %q: %s", r.path, sysMessage(err))
	}
	return nil
}

func (r *record) commit() error {
	if _, err := r.f.WriteString("commit\n"); err != nil {
		return ioErrorf("Could not write file %q: %s", r.path, sysMessage(err))
	}
	if err := r.f.Sync(); err != nil {
		return ioErrorf("Could not write file %q: %s", r.path, sysMessage(err))
	}
	return nil
}

func (r *record) remove() {
	if r == nil || r.f == nil {
		return
	}
	r.f.Close()
	os.Remove(r.path)
	r.f = nil
	r.dir.Release()
}

// recoverRecord finishes or undoes the write a dead process recorded.
func recoverRecord(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var kind commitKind
	var target, staging string
	var tmps []string
	committed := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, val, _ := strings.Cut(sc.Text(), " ")
		if key == "commit" {
			committed = true
			continue
		}
		if key == "kind" {
			kind = commitKind(val)
			continue
		}
		v, err := strconv.Unquote(val)
		if err != nil {
			continue // a line cut short by the crash
		}
		switch key {
		case "target":
			target = v
		case "staging":
			staging = v
		case "tmp":
			tmps = append(tmps, v)
		}
	}
	if target == "" {
		return nil
	}
	if !committed {
		for _, t := range tmps {
			os.Remove(t)
		}
		if staging != "" {
			return os.RemoveAll(staging)
		}
		return nil
	}
	_, err = finishCommit(kind, staging, target, tmps)
	return err
}

// finishCommit publishes a staged write. Every step checks what is already
// done, so running it again after a crash at any point completes the same
// commit. published reports whether anything may have reached the target.
func finishCommit(kind commitKind, staging, target string, tmps []string) (published bool, err error) {
	marker := filepath.Join(target, commitMarker)
	switch kind {
	case kindFile:
		for _, t := range tmps {
			if _, err := os.Lstat(t); errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err := os.Rename(t, target); err != nil {
				return false, ioErrorf("Could not move %q to %q: %s", t, target, sysMessage(err))
			}
		}
		return true, nil
	case kindRename:
		if exists(staging) {
			// syscall.Rename: os.Rename refuses an existing (empty) folder.
			if err := syscall.Rename(staging, target); err != nil {
				return false, ioErrorf("Could not move %q to %q: %s", staging, target, sysMessage(err))
			}
		}
		os.Remove(marker)
		return true, nil
	case kindSwap:
		if err := swapIn(staging, target); err != nil {
			return false, err
		}
		os.Remove(marker)
		return true, nil
	case kindMerge:
		return true, mergeInto(staging, target)
	}
	return false, fmt.Errorf("storage: unknown commit kind %q", kind)
}

// swapIn replaces target by the staging folder. The commit marker tells
// where the new contents are, so a crash between any two steps resumes.
func swapIn(staging, target string) error {
	trash := strings.TrimSuffix(staging, ".tmp") + ".old"
	if !exists(filepath.Join(target, commitMarker)) {
		if !exists(staging) {
			return nil // nothing staged: the commit was completed and cleaned
		}
		err := exchange(staging, target)
		if errors.Is(err, errNoExchange) || errors.Is(err, fs.ErrNotExist) {
			err = nil
			if exists(target) {
				os.RemoveAll(trash)
				err = os.Rename(target, trash)
			}
			if err == nil {
				err = os.Rename(staging, target)
			}
		}
		if err != nil {
			return ioErrorf("Could not replace %q: %s", target, sysMessage(err))
		}
	}
	// The old contents are under the staging name (exchanged) or trash.
	os.RemoveAll(staging)
	os.RemoveAll(trash)
	return nil
}

// mergeInto moves every staged file into the same place under target.
func mergeInto(staging, target string) error {
	err := filepath.WalkDir(staging, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == commitMarker {
			return err
		}
		rel, _ := filepath.Rel(staging, p)
		dst := filepath.Join(target, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.Rename(p, dst)
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return ioErrorf("Could not move files into %q: %s", target, sysMessage(err))
	}
	return os.RemoveAll(staging)
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// staleAfter is how long a staging area of a process that looks gone must
// have been left alone before a writer next to it removes it. The pid test
// is weaker than the lock the temporary folders use (another PID namespace
// sharing the folder has other pids), hence the delay; the sweep of the
// records at start-up is the prompt way leftovers go.
const staleAfter = time.Hour

// sweepStagingNear removes staging leftovers of dead writers next to and
// inside target, finishing those that passed their commit point.
func sweepStagingNear(target string) {
	parent, base := filepath.Dir(target), filepath.Base(target)
	sweepStagingIn(parent, "."+base+stageTag, func(p string) {
		switch {
		case strings.HasSuffix(p, ".old"):
			if exists(target) {
				os.RemoveAll(p)
			}
		case exists(filepath.Join(p, commitMarker)):
			swapIn(p, target)
			os.Remove(filepath.Join(target, commitMarker))
		default:
			os.RemoveAll(p)
		}
	})
	sweepStagingIn(target, stageTag, func(p string) {
		if exists(filepath.Join(p, commitMarker)) {
			mergeInto(p, target)
			return
		}
		os.RemoveAll(p)
	})
}

func sweepStagingIn(dir, prefix string, clean func(string)) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	var olds []string
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok {
			continue
		}
		num, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(num)
		if err != nil || pid == os.Getpid() || !tempdir.ProcessGone(pid) {
			continue
		}
		info, err := e.Info()
		if err != nil || time.Since(info.ModTime()) < staleAfter {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if strings.HasSuffix(p, ".old") {
			olds = append(olds, p) // after the staging that may replace it
			continue
		}
		clean(p)
	}
	for _, p := range olds {
		clean(p)
	}
}
