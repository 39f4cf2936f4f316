package peregrine_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine"
)

// spills runs EXPLAIN ANALYZE of a sort over lineitem and reports whether
// it spilled.
func spills(t *testing.T, query func(string) ([]string, error)) bool {
	t.Helper()
	rows, err := query("EXPLAIN ANALYZE SELECT l_comment, l_orderkey FROM lineitem ORDER BY l_comment, l_orderkey")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Contains(strings.Join(rows, "\n"), "spilled")
}

// TestSessionMemoryLimit: SET SESSION memory_limit limits one connection's
// queries (they spill) and no other's, through Connect and database/sql;
// outside a session, and for other settings, it is refused.
func TestSessionMemoryLimit(t *testing.T) {
	ctx := context.Background()
	db, err := peregrine.Open(duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	limited, free := db.Connect(), db.Connect()
	defer limited.Close()
	defer free.Close()
	if err := limited.Exec(ctx, "SET SESSION memory_limit = '256KB'"); err != nil {
		t.Fatal(err)
	}
	if got := limited.MemoryLimit(); got != 256000 {
		t.Errorf("session limit %d, want 256000", got)
	}
	on := func(c *peregrine.Conn) func(string) ([]string, error) {
		return func(q string) ([]string, error) {
			r, err := c.Query(ctx, q)
			if err != nil {
				return nil, err
			}
			out, _, _, err := sltCollect(ctx, r)
			return out, err
		}
	}
	if !spills(t, on(limited)) {
		t.Error("the limited session's sort should spill under 256 KB")
	}
	if spills(t, on(free)) {
		t.Error("another session must not get the limit")
	}
	const q = "SELECT l_comment, l_orderkey FROM lineitem ORDER BY l_comment, l_orderkey LIMIT 5 OFFSET 30000"
	a, errA := on(limited)(q)
	b, errB := on(free)(q)
	if errA != nil || errB != nil || strings.Join(a, "|") != strings.Join(b, "|") {
		t.Errorf("same query, different sessions: %v %v\n%v\n%v", errA, errB, a, b)
	}
	if err := limited.Exec(ctx, "RESET SESSION memory_limit"); err != nil || limited.MemoryLimit() != 0 {
		t.Errorf("RESET SESSION memory_limit: %v, limit %d", err, limited.MemoryLimit())
	}

	for stmt, want := range map[string]string{
		"SET SESSION threads = 1":           `Catalog Error: option "threads" cannot be set locally`,
		"SET LOCAL memory_limit = '1MB'":    "Not implemented Error: SET LOCAL is not implemented.",
		"SET SESSION memory_limit = '1MB'":  "Invalid Input Error: SET SESSION needs a session",
		"SET SESSION memory_limit = '1 XB'": "Parser Error: Unknown unit for memory: 'xb'",
	} {
		var err error
		if strings.HasSuffix(want, "needs a session") {
			err = db.Exec(ctx, stmt)
		} else {
			err = free.Exec(ctx, stmt)
		}
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: got %v, want %s", stmt, err, want)
		}
	}

	// database/sql: a pinned connection has the limit, the pool's others not.
	sdb, err := sql.Open("peregrine", duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	c1, err := sdb.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	c2, err := sdb.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if _, err := c1.ExecContext(ctx, "SET SESSION memory_limit = '256KB'"); err != nil {
		t.Fatal(err)
	}
	viaSQL := func(c *sql.Conn) func(string) ([]string, error) {
		return func(q string) ([]string, error) {
			rows, err := c.QueryContext(ctx, q)
			if err != nil {
				return nil, err
			}
			defer rows.Close()
			cols, _ := rows.Columns()
			var out []string
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					return nil, err
				}
				var parts []string
				for _, v := range vals {
					parts = append(parts, fmt.Sprint(v))
				}
				out = append(out, strings.Join(parts, "\t"))
			}
			return out, rows.Err()
		}
	}
	if !spills(t, viaSQL(c1)) {
		t.Error("database/sql: the connection with SET SESSION memory_limit should spill")
	}
	if spills(t, viaSQL(c2)) {
		t.Error("database/sql: another connection must not get the limit")
	}
}
