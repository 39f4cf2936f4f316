package peregrine

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/peregrinedb/peregrine/sql"
)

// Settings for running SQL one does not trust (DuckDB's names where DuckDB
// has the setting):
//
//	enable_external_access  false: only the database folder's tables (or, in
//	                        memory, none) can be read or written; DuckDB's name
//	allowed_directories     folders (or URL prefixes) still reachable; DuckDB's
//	allowed_paths           single files still reachable; DuckDB's
//	lock_configuration      true: no SET or RESET changes anything any more; DuckDB's
//	max_query_time          a statement running longer fails (DuckDB has none)
//	max_result_rows         a result longer fails (DuckDB has none)
//
// The file checks live in the catalog (storage/sandbox.go), which every
// path goes through; the lock and the limits live here.
type guard struct {
	mu            sync.RWMutex
	locked        bool
	maxQueryTime  time.Duration
	maxResultRows int64
}

// guardSetting applies SET/RESET for the settings above and enforces the
// lock for every setting; handled is false when name is someone else's
// (and not refused).
func (db *DB) guardSetting(name, value string, reset bool) (handled bool, err error) {
	g := &db.guard
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.locked {
		return true, fmt.Errorf("Invalid Input Error: Cannot change configuration option %q - the configuration has been locked", name)
	}
	switch name {
	case "lock_configuration":
		on, err := boolSetting(name, value, reset, false)
		g.locked = on
		return true, err
	case "enable_external_access":
		on, err := boolSetting(name, value, reset, true)
		if err != nil {
			return true, err
		}
		if on {
			return true, db.cat.EnableExternalAccess()
		}
		db.cat.DisableExternalAccess()
		return true, nil
	case "allowed_directories", "allowed_paths":
		var list []string
		if !reset {
			if list, err = parseStringList(name, value); err != nil {
				return true, err
			}
		}
		if name == "allowed_paths" {
			return true, db.cat.SetAllowedPaths(list)
		}
		return true, db.cat.SetAllowedDirectories(list)
	case "max_query_time":
		d := time.Duration(0)
		if !reset {
			if d, err = parseDuration(value); err != nil {
				return true, err
			}
		}
		g.maxQueryTime = d
		return true, nil
	case "max_result_rows":
		n := int64(0)
		if !reset {
			n, err = strconv.ParseInt(strings.TrimSpace(value), 10, 64)
			if err != nil || n < 0 {
				return true, fmt.Errorf("Invalid Input Error: max_result_rows must be a row count (0: no limit), got '%s'", value)
			}
		}
		g.maxResultRows = n
		return true, nil
	case "temp_directory":
		// Spill files are files too: with external access off the folder
		// they go to stays where the embedding application put it.
		if !db.cat.ExternalAccess() {
			return true, fmt.Errorf("Permission Error: Modifying the temp_directory has been disabled by configuration")
		}
	}
	return false, nil
}

func boolSetting(name, value string, reset, def bool) (bool, error) {
	if reset {
		return def, nil
	}
	switch strings.ToLower(strings.TrimSpace(value)) {
	case "true", "1", "on", "yes", "t":
		return true, nil
	case "false", "0", "off", "no", "f":
		return false, nil
	}
	return false, fmt.Errorf("Invalid Input Error: Failed to cast value: Could not convert string '%s' to BOOL (%s)", value, name)
}

// parseStringList reads a list setting: ['a', 'b'] as DuckDB takes it
// (also a bare 'a' or a,b for the DSN and Open).
func parseStringList(name, v string) ([]string, error) {
	v = strings.TrimSpace(v)
	if !strings.HasPrefix(v, "[") {
		var out []string
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out, nil
	}
	bad := fmt.Errorf("Invalid Input Error: %s must be a list of strings such as ['/data/a', '/data/b'], got %s", name, v)
	if !strings.HasSuffix(v, "]") {
		return nil, bad
	}
	body := strings.TrimSpace(v[1 : len(v)-1])
	var out []string
	for body != "" {
		if body[0] != '\'' && body[0] != '"' {
			return nil, bad
		}
		q := body[0]
		var b strings.Builder
		i := 1
		for ; i < len(body); i++ {
			if body[i] == q {
				if i+1 < len(body) && body[i+1] == q {
					b.WriteByte(q)
					i++
					continue
				}
				break
			}
			b.WriteByte(body[i])
		}
		if i >= len(body) {
			return nil, bad
		}
		out = append(out, b.String())
		body = strings.TrimSpace(body[i+1:])
		if body == "" {
			break
		}
		if body[0] != ',' {
			return nil, bad
		}
		body = strings.TrimSpace(body[1:])
	}
	return out, nil
}

// parseDuration reads a time limit: a Go duration ('1.5s', '500ms',
// '2m'), an interval as DuckDB writes one ('30 seconds', '2 minutes',
// '100 milliseconds'), or a bare number of milliseconds; 0 means none.
func parseDuration(v string) (time.Duration, error) {
	s := strings.ToLower(strings.TrimSpace(v))
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return d, nil
	}
	num, unit, _ := strings.Cut(s, " ")
	f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err == nil && f >= 0 {
		units := map[string]time.Duration{"": time.Millisecond,
			"ms": time.Millisecond, "millisecond": time.Millisecond, "milliseconds": time.Millisecond,
			"s": time.Second, "second": time.Second, "seconds": time.Second,
			"m": time.Minute, "minute": time.Minute, "minutes": time.Minute,
			"h": time.Hour, "hour": time.Hour, "hours": time.Hour}
		if u, ok := units[strings.TrimSpace(unit)]; ok {
			return time.Duration(f * float64(u)), nil
		}
	}
	return 0, fmt.Errorf("Invalid Input Error: max_query_time must be a duration such as '30s', '500ms' or '2 minutes' (0: no limit), got '%s'", v)
}

// Option configures a database when it opens (Open's options and the
// database/sql DSN's parameters): each is a setting as SET takes it,
// applied in an order that lets them combine (see applyOptions).
type Option struct{ name, value string }

// WithSetting applies SET name = value when the database opens.
func WithSetting(name, value string) Option { return Option{strings.ToLower(name), value} }

// WithExternalAccess is enable_external_access: false confines queries to
// the database folder's tables plus the allowed directories and paths.
func WithExternalAccess(on bool) Option {
	return Option{"enable_external_access", strconv.FormatBool(on)}
}

// WithAllowedDirectories is allowed_directories: folders (or URL
// prefixes) reachable while external access is off.
func WithAllowedDirectories(dirs ...string) Option {
	return Option{"allowed_directories", quoteList(dirs)}
}

// WithAllowedPaths is allowed_paths: files reachable while external access
// is off.
func WithAllowedPaths(paths ...string) Option { return Option{"allowed_paths", quoteList(paths)} }

// WithLockConfiguration is lock_configuration = true: once the database
// is open, no SET or RESET changes anything.
func WithLockConfiguration() Option { return Option{"lock_configuration", "true"} }

// WithMaxQueryTime is max_query_time: statements running longer fail.
func WithMaxQueryTime(d time.Duration) Option { return Option{"max_query_time", d.String()} }

// WithMaxResultRows is max_result_rows: results longer than n rows fail.
func WithMaxResultRows(n int64) Option {
	return Option{"max_result_rows", strconv.FormatInt(n, 10)}
}

// WithMemoryLimit is memory_limit in bytes.
func WithMemoryLimit(bytes int64) Option {
	return Option{"memory_limit", strconv.FormatInt(bytes, 10) + "B"}
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// applyOptions applies opts as SET statements in an order that makes any
// combination work whatever order they came in (a DSN's parameters come
// as a map): exceptions before access is turned off, everything before
// the lock.
func (db *DB) applyOptions(opts []Option) error {
	rank := func(name string) int {
		switch name {
		case "allowed_directories", "allowed_paths":
			return 0
		case "enable_external_access":
			return 2
		case "lock_configuration":
			return 3
		}
		return 1
	}
	opts = append([]Option(nil), opts...)
	sort.SliceStable(opts, func(i, j int) bool { return rank(opts[i].name) < rank(opts[j].name) })
	for _, o := range opts {
		if err := db.set(&sql.Set{Name: o.name, Value: o.value}); err != nil {
			return err
		}
	}
	return nil
}

// queryGuard enforces one statement's time and result limits; nil when
// the database sets none.
type queryGuard struct {
	limit    time.Duration
	deadline time.Time
	cause    error
	cancel   context.CancelFunc
	maxRows  int64
	rows     int64
}

// guardQuery derives the statement's context from ctx and the limits.
func (db *DB) guardQuery(ctx context.Context) (context.Context, *queryGuard) {
	db.guard.mu.RLock()
	limit, maxRows := db.guard.maxQueryTime, db.guard.maxResultRows
	db.guard.mu.RUnlock()
	if limit <= 0 && maxRows <= 0 {
		return ctx, nil
	}
	g := &queryGuard{limit: limit, maxRows: maxRows}
	if limit > 0 {
		g.deadline = time.Now().Add(limit)
		g.cause = fmt.Errorf("Interrupt Error: query exceeded max_query_time (%s): %w", limit, context.DeadlineExceeded)
		ctx, g.cancel = context.WithDeadlineCause(ctx, g.deadline, g.cause)
	}
	return ctx, g
}

// attach hands the guard to the statement's rows (or releases it when the
// statement failed to start).
func (g *queryGuard) attach(rows *Rows, err error) (*Rows, error) {
	if err != nil {
		g.release()
		return nil, g.explain(err)
	}
	if g != nil {
		rows.guard = g
	}
	return rows, nil
}

// bind gives a call of Rows.Next the statement's deadline on top of the
// caller's context.
func (g *queryGuard) bind(ctx context.Context) (context.Context, context.CancelFunc) {
	if g == nil || g.limit <= 0 {
		return ctx, func() {}
	}
	return context.WithDeadlineCause(ctx, g.deadline, g.cause)
}

// count adds a batch's rows to the result and fails past max_result_rows.
func (g *queryGuard) count(n int) error {
	if g == nil || g.maxRows <= 0 {
		return nil
	}
	g.rows += int64(n)
	if g.rows > g.maxRows {
		return fmt.Errorf("Invalid Input Error: the result has more than max_result_rows = %d rows (add a LIMIT, or raise the setting)", g.maxRows)
	}
	return nil
}

// explain names the limit that stopped a statement: a deadline or
// cancellation that came from max_query_time says so; one that came from
// the caller's context says that instead of a bare "context deadline
// exceeded". Both still match errors.Is(err, context.DeadlineExceeded).
func (g *queryGuard) explain(err error) error {
	if err == nil || strings.HasPrefix(err.Error(), "Interrupt Error:") {
		return err
	}
	if g != nil && g.limit > 0 && !time.Now().Before(g.deadline) &&
		(errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)) {
		return g.cause
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("Interrupt Error: query cancelled by its context's deadline: %w", err)
	}
	return err
}

// release stops the statement's timer.
func (g *queryGuard) release() {
	if g != nil && g.cancel != nil {
		g.cancel()
	}
}
