package storage

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// maxOpenHandles bounds the descriptors the catalog keeps open. Footers of
// every cached file stay in memory; the descriptors behind them are reopened
// on demand, so a 10,000-file dataset works under a 1,024 descriptor limit.
const maxOpenHandles = 256

// handlePool keeps at most max files open, closing the least recently used
// idle one when a new one is needed.
type handlePool struct {
	mu   sync.Mutex
	max  int
	lru  *list.List // of *pooledFile with an open descriptor, front = newest
	open int
}

func newHandlePool(max int) *handlePool { return &handlePool{max: max, lru: list.New()} }

// pooledFile is an io.ReaderAt over a path whose descriptor comes and goes.
// It remembers the size and modification time the footer was read at and
// refuses to read a file that changed since, because offsets from the old
// footer would point at garbage in the new contents.
type pooledFile struct {
	pool  *handlePool
	path  string
	size  int64
	mtime time.Time

	fh     *os.File
	inUse  int
	elem   *list.Element
	closed bool
}

func (p *handlePool) file(path string, size int64, mtime time.Time) *pooledFile {
	return &pooledFile{pool: p, path: path, size: size, mtime: mtime}
}

var errHandleClosed = errors.New("file closed")

// acquire returns an open descriptor, pinned until release.
func (f *pooledFile) acquire() (*os.File, error) {
	p := f.pool
	p.mu.Lock()
	defer p.mu.Unlock()
	if f.closed {
		return nil, errHandleClosed
	}
	if f.fh != nil {
		f.inUse++
		p.lru.MoveToFront(f.elem)
		return f.fh, nil
	}
	p.evictLocked()
	fh, err := os.Open(f.path)
	if err != nil {
		return nil, err
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, err
	}
	if st.Size() != f.size || !st.ModTime().Equal(f.mtime) {
		fh.Close()
		return nil, fmt.Errorf("%s changed while being read (was %d bytes, now %d); run the query again", f.path, f.size, st.Size())
	}
	f.fh, f.inUse = fh, 1
	f.elem = p.lru.PushFront(f)
	p.open++
	return fh, nil
}

// evictLocked closes idle descriptors, oldest first, until one more fits.
// Pinned ones are skipped, so the bound can be exceeded by readers in flight.
func (p *handlePool) evictLocked() {
	for e := p.lru.Back(); e != nil && p.open >= p.max; {
		prev := e.Prev()
		if g := e.Value.(*pooledFile); g.inUse == 0 {
			g.dropLocked()
		}
		e = prev
	}
}

func (f *pooledFile) dropLocked() error {
	if f.fh == nil {
		return nil
	}
	err := f.fh.Close()
	f.pool.lru.Remove(f.elem)
	f.fh, f.elem = nil, nil
	f.pool.open--
	return err
}

func (f *pooledFile) release() {
	f.pool.mu.Lock()
	f.inUse--
	if f.closed && f.inUse == 0 {
		f.dropLocked()
	}
	f.pool.mu.Unlock()
}

// ReadAt implements io.ReaderAt.
func (f *pooledFile) ReadAt(b []byte, off int64) (int, error) {
	fh, err := f.acquire()
	if err != nil {
		return 0, err
	}
	defer f.release()
	return fh.ReadAt(b, off)
}

// ReadAtContext is ReadAt: a local read is not worth interrupting.
func (f *pooledFile) ReadAtContext(ctx context.Context, b []byte, off int64) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return f.ReadAt(b, off)
}

// RoundTrips is false: local reads are cheap.
func (f *pooledFile) RoundTrips() bool { return false }

// Close closes the descriptor now, or when the last reader in flight is done.
func (f *pooledFile) Close() error {
	if f == nil {
		return nil
	}
	f.pool.mu.Lock()
	defer f.pool.mu.Unlock()
	f.closed = true
	if f.inUse == 0 {
		return f.dropLocked()
	}
	return nil
}
