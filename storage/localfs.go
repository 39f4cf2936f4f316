package storage

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// localFS is the local disk. Readers come from the catalog's descriptor
// pool, so that a dataset of 10,000 files does not hold 10,000
// descriptors.
type localFS struct {
	handles *handlePool
}

func (l *localFS) Stat(_ context.Context, path string) (FileStat, error) {
	p, err := localPath(path)
	if err != nil {
		return FileStat{}, err
	}
	st, err := os.Stat(p)
	if err != nil {
		return FileStat{}, err
	}
	return FileStat{Path: path, Size: st.Size(), ModTime: st.ModTime(), IsDir: st.IsDir()}, nil
}

func (l *localFS) List(_ context.Context, dir string, recursive bool) ([]FileStat, error) {
	root, err := localPath(dir)
	if err != nil {
		return nil, err
	}
	var out []FileStat
	if !recursive {
		entries, err := os.ReadDir(root)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			fi := FileStat{Path: filepath.Join(dir, e.Name()), IsDir: e.IsDir()}
			if info, err := e.Info(); err == nil {
				fi.Size, fi.ModTime = info.Size(), info.ModTime()
			}
			if e.Type()&fs.ModeSymlink != 0 {
				if st, err := os.Stat(filepath.Join(root, e.Name())); err == nil {
					fi.IsDir, fi.Size, fi.ModTime = st.IsDir(), st.Size(), st.ModTime()
				}
			}
			out = append(out, fi)
		}
		return out, nil
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			// Readers skip hidden folders (.staging, _delta_log): don't
			// walk them.
			if p != root && isHidden(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		fi := FileStat{Path: filepath.Join(dir, rel)}
		if info, err := d.Info(); err == nil {
			fi.Size, fi.ModTime = info.Size(), info.ModTime()
		}
		out = append(out, fi)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

func (l *localFS) Open(_ context.Context, info FileStat) (ReaderAt, error) {
	p, err := localPath(info.Path)
	if err != nil {
		return nil, err
	}
	return l.handles.file(p, info.Size, info.ModTime), nil
}

func (l *localFS) Create(_ context.Context, path string) (Upload, error) {
	p, err := localPath(path)
	if err != nil {
		return nil, err
	}
	// The local stage's naming: a crashed writer's file is swept by the
	// next write next to it (sweepStagingNear).
	tmp := filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+stageTag+newToken()+".tmp")
	fh, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, ioErrorf("Cannot open file %q: %s", p, sysMessage(err))
	}
	return &localUpload{fh: fh, tmp: tmp, final: p}, nil
}

func (l *localFS) Remove(_ context.Context, path string) error {
	p, err := localPath(path)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func (l *localFS) Join(dir string, elem ...string) string {
	return filepath.Join(append([]string{dir}, elem...)...)
}

// localUpload writes a hidden temporary file beside the target and renames
// it into place on Commit.
type localUpload struct {
	fh         *os.File
	tmp, final string
	n          int64
	done       bool
}

func (u *localUpload) Write(p []byte) (int, error) {
	n, err := u.fh.Write(p)
	u.n += int64(n)
	return n, err
}

func (u *localUpload) Size() int64 { return u.n }

func (u *localUpload) Commit(context.Context) error {
	if err := u.fh.Close(); err != nil {
		os.Remove(u.tmp)
		return fmt.Errorf("IO Error: writing %s: %v", u.final, err)
	}
	if err := os.Rename(u.tmp, u.final); err != nil {
		os.Remove(u.tmp)
		return fmt.Errorf("IO Error: %v", err)
	}
	u.done = true
	return nil
}

func (u *localUpload) Abort(context.Context) error {
	if u.done {
		return nil
	}
	u.fh.Close()
	return os.Remove(u.tmp)
}
