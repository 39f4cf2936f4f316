package tempdir

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

const (
	// Prefix starts the name of every process folder.
	Prefix   = "peregrine-"
	lockName = "lock"
)

// Dir is this process's folder under one root. It exists from the first
// Use until the last Release.
type Dir struct {
	root string
	path string
	lock *os.File
	refs int
}

var (
	mu         sync.Mutex
	dirs       = map[string]*Dir{} // by cleaned root
	swept      = map[string]bool{}
	recoveries = map[string]func(path string) error{}
)

// DefaultRoot is where process folders go unless a temp_directory says
// otherwise: the OS temp directory.
func DefaultRoot() string { return os.TempDir() }

func cleanRoot(root string) string {
	if root == "" {
		root = DefaultRoot()
	}
	if abs, err := filepath.Abs(root); err == nil {
		root = abs
	}
	return filepath.Clean(root)
}

// RegisterRecovery asks Sweep to call fn with the path of every file whose
// name starts with prefix in a dead process's folder, before the folder is
// removed. A failing fn keeps the folder (and its records) for a later
// sweep to retry. Call it from an init function.
func RegisterRecovery(prefix string, fn func(path string) error) {
	mu.Lock()
	defer mu.Unlock()
	recoveries[prefix] = fn
}

// Use returns this process's folder under root ("" is DefaultRoot),
// creating it if needed, and takes a reference that Release gives back.
// The first Use of a root in a process sweeps it (see Sweep).
func Use(root string) (*Dir, error) {
	root = cleanRoot(root)
	mu.Lock()
	defer mu.Unlock()
	sweepOnceLocked(root)
	if d := dirs[root]; d != nil {
		d.refs++
		return d, nil
	}
	d, err := create(root)
	if err != nil {
		return nil, err
	}
	d.refs = 1
	dirs[root] = d
	return d, nil
}

// Path is the folder's path.
func (d *Dir) Path() string { return d.path }

// Release gives back a reference taken by Use; the last one removes the
// folder and everything in it.
func (d *Dir) Release() {
	mu.Lock()
	defer mu.Unlock()
	d.refs--
	if d.refs > 0 {
		return
	}
	os.RemoveAll(d.path)
	d.lock.Close()
	if dirs[d.root] == d {
		delete(dirs, d.root)
	}
}

// create makes a new locked folder. A sweeper in another process may
// remove a folder between its mkdir and our lock (it saw an unlocked lock
// file); the folder is then gone or its lock file is a new one, and we try
// again under a new name.
func create(root string) (*Dir, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("IO Error: cannot create temporary directory %q: %v", root, errors.Unwrap(err))
	}
	var lastErr error
	for range 8 {
		var rnd [4]byte
		rand.Read(rnd[:])
		path := filepath.Join(root, Prefix+strconv.Itoa(os.Getpid())+"-"+hex.EncodeToString(rnd[:]))
		if err := os.Mkdir(path, 0o700); err != nil {
			lastErr = err
			continue
		}
		lockPath := filepath.Join(path, lockName)
		f, err := os.OpenFile(lockPath, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o600)
		if err != nil {
			lastErr = err
			continue
		}
		ok, err := lockOwn(f)
		if err != nil || !ok {
			f.Close()
			lastErr = err
			continue
		}
		st, err1 := f.Stat()
		st2, err2 := os.Stat(lockPath)
		if err1 != nil || err2 != nil || !os.SameFile(st, st2) {
			f.Close()
			continue
		}
		return &Dir{root: root, path: path, lock: f}, nil
	}
	if lastErr == nil {
		lastErr = errors.New("the folder kept disappearing")
	}
	return nil, fmt.Errorf("IO Error: cannot create a temporary folder in %q: %v", root, lastErr)
}

// Sweep removes the folders under root that belong to processes which are
// gone, after running the registered recoveries on their records. It
// returns the folders it removed. Use sweeps each root once per process;
// Sweep sweeps again.
func Sweep(root string) ([]string, error) {
	root = cleanRoot(root)
	mu.Lock()
	defer mu.Unlock()
	swept[root] = true
	return sweepLocked(root)
}

// SweepOnce sweeps root unless this process has already done so.
func SweepOnce(root string) {
	root = cleanRoot(root)
	mu.Lock()
	defer mu.Unlock()
	sweepOnceLocked(root)
}

func sweepOnceLocked(root string) {
	if !swept[root] {
		swept[root] = true
		sweepLocked(root)
	}
}

func sweepLocked(root string) ([]string, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	own := ""
	if d := dirs[root]; d != nil {
		own = filepath.Base(d.path)
	}
	var removed []string
	var errs []error
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || name == own {
			continue
		}
		pid, ok := ownerPid(name)
		if !ok {
			continue
		}
		path := filepath.Join(root, name)
		gone, err := sweepOne(path, pid)
		if err != nil {
			errs = append(errs, err)
		}
		if gone {
			removed = append(removed, path)
		}
	}
	return removed, errors.Join(errs...)
}

// ownerPid parses peregrine-<pid>[-<random>].
func ownerPid(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, Prefix)
	if !ok {
		return 0, false
	}
	num, _, _ := strings.Cut(rest, "-")
	pid, err := strconv.Atoi(num)
	return pid, err == nil && pid > 0
}

// sweepOne removes one folder if its owner is gone.
func sweepOne(path string, pid int) (bool, error) {
	f, err := os.OpenFile(filepath.Join(path, lockName), os.O_RDWR, 0)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) || pidAlive(pid) {
			return false, nil
		}
		// No lock file and the pid is gone: an older layout, or a process
		// killed between its mkdir and its lock.
		return removeDead(path)
	}
	defer f.Close() // after the removal: we hold the lock throughout
	ok, err := tryLock(f)
	if err != nil || !ok {
		return false, nil
	}
	return removeDead(path)
}

func removeDead(path string) (bool, error) {
	entries, _ := os.ReadDir(path)
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	var errs []error
	for _, n := range names {
		for prefix, fn := range recoveries {
			if strings.HasPrefix(n, prefix) {
				if err := fn(filepath.Join(path, n)); err != nil {
					errs = append(errs, err)
				}
			}
		}
	}
	if len(errs) > 0 {
		return false, errors.Join(errs...)
	}
	return true, os.RemoveAll(path)
}

// ProcessGone reports whether no process with this pid runs (in this PID
// namespace): a weaker test than the folders' locks, for files that carry
// only a pid.
func ProcessGone(pid int) bool { return !pidAlive(pid) }
