//go:build unix

package storage

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// WriteLock is a process's exclusive right to write a directory database.
type WriteLock struct{ f *os.File }

// LockForWriting takes DIR/.peregrine/lock without waiting; when another
// process holds it the error names that process.
func LockForWriting(dir string) (*WriteLock, error) {
	cd := CatalogDir(dir)
	if err := os.MkdirAll(cd, 0o755); err != nil {
		return nil, ioErrorf("cannot lock %q: %s", dir, sysMessage(err))
	}
	f, err := os.OpenFile(filepath.Join(cd, "lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, ioErrorf("cannot lock %q: %s", dir, sysMessage(err))
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder := make([]byte, 32)
		n, _ := f.ReadAt(holder, 0)
		f.Close()
		who := strings.TrimSpace(string(holder[:n]))
		if who == "" {
			who = "another process"
		} else {
			who = "process " + who
		}
		return nil, fmt.Errorf("IO Error: Could not set lock on %q: database is locked by %s", dir, who)
	}
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return &WriteLock{f: f}, nil
}

// Release gives the lock up.
func (l *WriteLock) Release() {
	if l != nil && l.f != nil {
		syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
		l.f.Close()
		l.f = nil
	}
}
