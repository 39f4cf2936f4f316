package storage

import (
	"context"
	"errors"
	"time"

	"github.com/peregrinedb/peregrine/scan"
)

// openCall is a footer read in flight: a second open of the same file
// version waits for it instead of sending the same request again.
type openCall struct {
	info FileStat
	done chan struct{}
	f    *scan.File
	err  error
}

// readFooter opens info (not in the cache) and caches it; concurrent
// opens of one version share a single read.
func (c *Catalog) readFooter(ctx context.Context, fsys FileSystem, key string, info FileStat) (*scan.File, error) {
	c.mu.Lock()
	if cf, ok := c.files[key]; ok && cf.info.sameVersion(info) {
		// A read finished since the caller missed the cache.
		c.mu.Unlock()
		return cf.f, nil
	}
	if call, ok := c.footerReads[key]; ok && call.info.sameVersion(info) {
		c.mu.Unlock()
		select {
		case <-call.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if call.err == nil || !isContextErr(call.err) || ctx.Err() != nil {
			return call.f, call.err
		}
		// The read was cancelled with another query; this one goes on.
		return c.readFooter(ctx, fsys, key, info)
	}
	call := &openCall{info: info, done: make(chan struct{})}
	if c.footerReads == nil {
		c.footerReads = map[string]*openCall{}
	}
	c.footerReads[key] = call
	c.mu.Unlock()

	call.f, call.err = c.readFooterOnce(ctx, fsys, key, info)
	c.mu.Lock()
	if c.footerReads[key] == call {
		delete(c.footerReads, key)
	}
	c.mu.Unlock()
	close(call.done)
	return call.f, call.err
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

func (c *Catalog) readFooterOnce(ctx context.Context, fsys FileSystem, key string, info FileStat) (*scan.File, error) {
	h, err := fsys.Open(ctx, info)
	if err != nil {
		return nil, err
	}
	f, err := scan.NewFileContext(ctx, h, info.Size, info.Path)
	if err != nil {
		h.Close()
		return nil, err
	}
	c.footers.Add(1)
	c.mu.Lock()
	defer c.mu.Unlock()
	if cf, ok := c.files[key]; ok && cf.info.sameVersion(info) {
		// Another goroutine opened it meanwhile: keep one copy.
		h.Close()
		return cf.f, nil
	}
	c.files[key] = cachedFile{f: f, h: h, info: info}
	return f, nil
}

// remoteOpenParallelism is how many footers of a remote dataset are read
// at once.
const remoteOpenParallelism = 32

// maxSpeculativeFooters bounds the footers prefetchFooters reads: a
// database folder of a few tables has them all read at once, a lake of
// thousands of files is left to the tables queries name.
const maxSpeculativeFooters = 16

// speculativeFooterTimeout bounds a footer read no query may be waiting for.
const speculativeFooterTimeout = 30 * time.Second

// prefetchFooters starts reading the footers of an object-store database
// folder's tables as soon as it is listed, all at once, when there are
// few: a query over several tables (TPC-H Q9 joins six) otherwise reads
// one footer per table one after the other as the binder reaches each, a
// round trip apiece. Footers are cached by version, so a query finds them
// read (or joins the read in flight); reads of tables the query does not
// use cost a request each, in parallel with what it waits for.
func (c *Catalog) prefetchFooters(tables map[string]dirTable) {
	if !IsRemote(c.dir) || c.lists == nil {
		return
	}
	c.lists.mu.Lock()
	started := c.lists.footers
	c.lists.footers = true
	c.lists.mu.Unlock()
	if started {
		return
	}
	var infos []FileStat
	for _, t := range tables {
		infos = append(infos, t.files...)
		if len(infos) > maxSpeculativeFooters {
			return
		}
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.ctx), speculativeFooterTimeout)
	remaining := len(infos)
	done := make(chan struct{}, len(infos))
	for _, info := range infos {
		go func() {
			c.open(ctx, info) // errors are the query's to meet, if it opens the file
			done <- struct{}{}
		}()
	}
	go func() {
		for ; remaining > 0; remaining-- {
			<-done
		}
		cancel()
	}()
}
