package storage

import (
	"context"
	"sort"
	"sync"
	"time"
)

// openingListing is the recursive listing of an object-store database
// folder that Open made to check the folder exists. The first query's view
// of the catalog starts with it instead of listing again: over an object
// store each listing is a round trip before anything else can start. Only
// a complete listing (one page) taken moments ago is handed on, and only
// once; every later query lists afresh, so it sees what changed since.
type openingListing struct {
	mu      sync.Mutex
	entries []FileStat
	at      time.Time
}

// openingListingTTL bounds the age of the opening listing the first query
// may use: older than that it lists again, as any query does.
const openingListingTTL = 5 * time.Second

// pageLister is a file system that can list one page (object stores).
type pageLister interface {
	listPage(ctx context.Context, dir string, recursive bool, token string) ([]FileStat, string, error)
}

// listAtOpen lists the first page of dir recursively; found reports that
// dir holds at least one object (so it is a folder). A complete listing is
// kept for the first query. Errors and empty results say nothing: Open
// then probes the way it does for other file systems.
func (c *Catalog) listAtOpen(ctx context.Context, fsys FileSystem, dir string) (found bool) {
	pl, ok := fsys.(pageLister)
	if !ok {
		return false
	}
	entries, next, err := pl.listPage(ctx, dir+"/", true, "")
	if err != nil || len(entries) == 0 {
		return false
	}
	c.listings.Add(1)
	if next == "" {
		sort.Slice(entries, func(i, j int) bool { return entries[i].Path < entries[j].Path })
		c.opening.mu.Lock()
		c.opening.entries, c.opening.at = entries, time.Now()
		c.opening.mu.Unlock()
	}
	return true
}

// claimOpeningListing returns the opening listing of the database folder
// when it is fresh and no query took it yet.
func (c *Catalog) claimOpeningListing() []FileStat {
	o := &c.opening
	o.mu.Lock()
	defer o.mu.Unlock()
	entries := o.entries
	o.entries = nil
	if entries == nil || time.Since(o.at) > openingListingTTL {
		return nil
	}
	return entries
}
