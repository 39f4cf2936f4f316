package peregrine

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/peregrinedb/peregrine/exec"
	"github.com/peregrinedb/peregrine/sql"
)

// Conn is one session of a database: its queries share the database's
// tables, settings and memory budget, and it can have a memory limit of its
// own (SET SESSION memory_limit), so one user's query cannot take the whole
// database's budget. database/sql's connections are Conns. A Conn is safe
// for concurrent use; Close it when done.
type Conn struct {
	db *DB
	mu sync.Mutex
	// pool is the session's budget, drawing on the database's; nil
	// without a session limit.
	pool *exec.MemoryPool
}

// Connect opens a session on the database.
func (db *DB) Connect() *Conn { return &Conn{db: db} }

// Query runs one statement in the session (see DB.Query).
func (c *Conn) Query(ctx context.Context, text string, args ...any) (*Rows, error) {
	return c.db.Query(c.with(ctx), text, args...)
}

// Exec runs every statement of a script in the session (see DB.Exec).
func (c *Conn) Exec(ctx context.Context, script string, args ...any) error {
	return c.db.Exec(c.with(ctx), script, args...)
}

// SetMemoryLimit limits the memory the session's queries hold at once, on
// top of the database's limit (bytes <= 0: only the database's).
// Operators spill to stay under it, as under the database's limit.
func (c *Conn) SetMemoryLimit(bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if bytes <= 0 {
		c.pool = nil
		return
	}
	if c.pool == nil {
		c.pool = exec.NewChildPool(bytes, c.db.mem)
		return
	}
	c.pool.SetLimit(bytes)
}

// MemoryLimit is the session's own limit (0: none, the database's holds).
func (c *Conn) MemoryLimit() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pool.Limit()
}

// Close ends the session. Its queries' rows stay readable until closed.
func (c *Conn) Close() error { return nil }

type connKey struct{}

func (c *Conn) with(ctx context.Context) context.Context {
	return context.WithValue(ctx, connKey{}, c)
}

// connOf is the session a query runs in (nil: none, the database itself).
func connOf(ctx context.Context) *Conn {
	c, _ := ctx.Value(connKey{}).(*Conn)
	return c
}

// memoryFor is the pool a query charges: its session's when the session
// has a limit, else the database's.
func (db *DB) memoryFor(ctx context.Context) *exec.MemoryPool {
	if c := connOf(ctx); c != nil && c.db == db {
		c.mu.Lock()
		p := c.pool
		c.mu.Unlock()
		if p != nil {
			return p
		}
	}
	return db.mem
}

// setScoped runs SET/RESET with a scope. SESSION is a session's own value:
// only memory_limit has one (DuckDB has no per-session memory limit and
// refuses it; Peregrine's embedders asked for one). GLOBAL is the plain SET.
func (db *DB) setScoped(ctx context.Context, st *sql.Set) error {
	switch st.Scope {
	case "LOCAL":
		return errors.New("Not implemented Error: SET LOCAL is not implemented.")
	case "SESSION":
	default:
		return db.set(st)
	}
	if st.Name != "memory_limit" && st.Name != "max_memory" {
		return fmt.Errorf("Catalog Error: option %q cannot be set locally", st.Name)
	}
	if handled, err := db.guardSetting(st.Name, st.Value, st.Reset); handled {
		return err
	}
	c := connOf(ctx)
	if c == nil || c.db != db {
		return errors.New("Invalid Input Error: SET SESSION needs a session: run it on a connection (DB.Connect, or database/sql's)")
	}
	if st.Reset {
		c.SetMemoryLimit(0)
		return nil
	}
	n, err := ParseBytes(st.Value)
	if err != nil {
		return err
	}
	switch {
	case n < 0: // DuckDB's "no limit": the database's holds
		n = 0
	case n == 0: // "no memory at all", as SET memory_limit = '0B'
		n = 1
	}
	c.SetMemoryLimit(n)
	return nil
}
