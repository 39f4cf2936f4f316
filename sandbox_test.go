package peregrine

import (
	"context"
	dbsql "database/sql"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/peregrinedb/peregrine/storage"
)

const tpchDir = "testdata/tpch-sf0.01-duckdb"

// nationRows is DuckDB's count(*) of testdata's nation.parquet
// (echo "SELECT count(*) FROM 'testdata/tpch-sf0.01-duckdb/nation.parquet'" | duckq).
const nationRows = 25

// sandboxTree lays out a database folder, an allowed folder and an outside
// folder, with symlinks from the allowed folder to the outside and hive
// partitions in both.
//
//	T/db/nation.parquet          the database's own table
//	T/allowed/nation.parquet
//	T/allowed/link -> T/outside  a folder symlink
//	T/allowed/flink.parquet -> T/outside/nation.parquet
//	T/allowed/sub/               an empty folder (for sub/.. paths)
//	T/allowed/hive/n_regionkey=K/data_0.parquet
//	T/allowed2/nation.parquet    shares a prefix with T/allowed
//	T/outside/nation.parquet, T/outside/hive/...
type sandboxTree struct{ root, db, allowed, outside string }

func newSandboxTree(t *testing.T) sandboxTree {
	t.Helper()
	root := t.TempDir()
	tr := sandboxTree{root: root, db: filepath.Join(root, "db"), allowed: filepath.Join(root, "allowed"), outside: filepath.Join(root, "outside")}
	src, err := os.ReadFile(filepath.Join(tpchDir, "nation.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{tr.db, tr.allowed, tr.outside, root + "/allowed2", tr.allowed + "/sub"} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if d != tr.allowed+"/sub" {
			if err := os.WriteFile(filepath.Join(d, "nation.parquet"), src, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.Symlink(tr.outside, tr.allowed+"/link"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(tr.outside+"/nation.parquet", tr.allowed+"/flink.parquet"); err != nil {
		t.Fatal(err)
	}
	db, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, d := range []string{tr.allowed, tr.outside} {
		if err := db.Exec(context.Background(), "COPY (SELECT * FROM '"+d+"/nation.parquet') TO '"+d+"/hive' (PARTITION_BY (n_regionkey))"); err != nil {
			t.Fatal(err)
		}
	}
	return tr
}

func count(t *testing.T, db *DB, q string) (int64, error) {
	t.Helper()
	rows, err := db.Query(context.Background(), q)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int64
	for {
		b, err := rows.Next(context.Background())
		if err != nil {
			return 0, err
		}
		if b == nil {
			return n, nil
		}
		n += int64(b.Len())
	}
}

func wantPermission(t *testing.T, db *DB, q string) {
	t.Helper()
	_, err := count(t, db, q)
	if err == nil || !strings.HasPrefix(err.Error(), "Permission Error: Cannot access ") ||
		!strings.Contains(err.Error(), "file system operations are disabled by configuration") {
		t.Errorf("%s\n  got %v, want a Permission Error", q, err)
	}
}

func wantRows(t *testing.T, db *DB, q string, want int64) {
	t.Helper()
	n, err := count(t, db, q)
	if err != nil || n != want {
		t.Errorf("%s\n  got %d rows, %v; want %d", q, n, err, want)
	}
}

// The ways a query reaches a file, each refused once external access is
// off, while the database's own tables stay readable.
func TestSandboxRefusesEveryWayOut(t *testing.T) {
	tr := newSandboxTree(t)
	db, err := Open(tr.db)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	o := tr.outside
	// Read before the lock: the footer cache must not let it through later
	// (what a view defined before the lock would rely on).
	wantRows(t, db, "SELECT * FROM '"+o+"/nation.parquet'", nationRows)
	// Views and text files made before the lock: a view is bound when
	// queried, so what it reads is checked then; a table copied in before
	// the lock is the database's own data.
	for _, st := range []string{
		"COPY (SELECT * FROM '" + o + "/nation.parquet') TO '" + o + "/nation.csv'",
		"COPY (SELECT * FROM '" + o + "/nation.parquet') TO '" + o + "/nation.json'",
		"CREATE VIEW outside_v AS SELECT * FROM '" + o + "/nation.parquet'",
		"CREATE TEMP VIEW outside_csv AS SELECT * FROM read_csv('" + o + "/nation.csv')",
		"CREATE VIEW inside_v AS SELECT * FROM nation",
		"CREATE TEMP TABLE copied AS SELECT * FROM '" + o + "/nation.parquet'",
	} {
		if err := db.Exec(ctx, st); err != nil {
			t.Fatal(st, err)
		}
	}
	if err := db.Exec(ctx, "SET enable_external_access = false"); err != nil {
		t.Fatal(err)
	}
	wantRows(t, db, "SELECT * FROM inside_v", nationRows)
	wantRows(t, db, "SELECT * FROM copied", nationRows)
	wd, _ := os.Getwd()
	rel, _ := filepath.Rel(wd, o+"/nation.parquet")
	for _, q := range []string{
		"SELECT * FROM read_parquet('" + o + "/nation.parquet')",
		"SELECT * FROM parquet_scan('" + o + "/nation.parquet')",
		"SELECT * FROM '" + o + "/nation.parquet'",
		"SELECT * FROM '" + rel + "'",
		"SELECT * FROM 'file://" + o + "/nation.parquet'",
		"SELECT * FROM read_parquet(['" + tr.db + "/nation.parquet', '" + o + "/nation.parquet'])",
		"SELECT * FROM parquet_metadata('" + o + "/nation.parquet')",
		"SELECT * FROM parquet_schema('" + o + "/nation.parquet')",
		"SELECT * FROM '" + o + "/*.parquet'",
		"SELECT * FROM '" + tr.root + "/**/nation.parquet'",
		"SELECT * FROM read_parquet('" + o + "/hive/*/*.parquet', hive_partitioning = true)",
		"SELECT * FROM '" + o + "/hive'",
		"SELECT * FROM '" + tr.db + "/../outside/nation.parquet'",
		"SELECT * FROM 's3://bucket/nation.parquet'",
		"SELECT * FROM 'gs://bucket/nation.parquet'",
		"SELECT * FROM 'http://127.0.0.1:1/nation.parquet'",
		"SELECT * FROM nation, '" + o + "/nation.parquet' AS x",
		"WITH t AS (SELECT * FROM '" + o + "/nation.parquet') SELECT * FROM t",
		"COPY (SELECT 1 AS a) TO '" + o + "/new.parquet'",
		"COPY nation TO '" + tr.db + "/../outside/new2.parquet'",
		"COPY nation TO '" + o + "/part' (PARTITION_BY (n_regionkey))",
		"EXPLAIN SELECT * FROM '" + o + "/nation.parquet'",
		"DESCRIBE SELECT * FROM '" + o + "/nation.parquet'",
		"SELECT * FROM outside_v",
		"SELECT * FROM outside_csv",
		"SELECT * FROM nation JOIN outside_v USING (n_nationkey)",
		"CREATE VIEW later_v AS SELECT * FROM '" + o + "/nation.parquet'",
		"CREATE TEMP TABLE later_t AS SELECT * FROM '" + o + "/nation.parquet'",
		"INSERT INTO copied SELECT * FROM '" + o + "/nation.parquet'",
		"SELECT * FROM read_csv('" + o + "/nation.csv')",
		"SELECT * FROM read_csv_auto('" + o + "/*.csv')",
		"SELECT * FROM '" + o + "/nation.csv'",
		"SELECT * FROM read_json('" + o + "/nation.json')",
		"SELECT * FROM read_ndjson('" + o + "/nation.json')",
		"SELECT * FROM '" + o + "/nation.json'",
		"COPY nation TO '" + o + "/new.csv'",
		"COPY nation TO '" + o + "/new.json' (FORMAT json)",
	} {
		wantPermission(t, db, q)
	}
	for _, f := range []string{"new.parquet", "new2.parquet", "part", "new.csv", "new.json"} {
		if _, err := os.Stat(filepath.Join(o, f)); err == nil {
			t.Errorf("%s was written", f)
		}
	}
	// COPY ... FROM reads through the same readers: it is no way out.
	if err := db.Exec(ctx, "CREATE TEMP TABLE copied_in AS SELECT * FROM nation LIMIT 0"); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"nation.parquet", "nation.csv", "nation.json"} {
		wantPermission(t, db, "COPY copied_in FROM '"+o+"/"+f+"'")
	}
	// The database's own tables, by name and by path, stay readable.
	wantRows(t, db, "SELECT * FROM nation", nationRows)
	wantRows(t, db, "SELECT * FROM '"+tr.db+"/nation.parquet'", nationRows)
	wantRows(t, db, "SHOW TABLES", 6) // nation, the three views, the copied table, copied_in
	// temp_directory is a place files go to: it stays where it was.
	if err := db.Exec(ctx, "SET temp_directory = '"+o+"'"); err == nil || !strings.Contains(err.Error(), "Permission Error") {
		t.Errorf("SET temp_directory: %v", err)
	}
}

// An in-memory database has no tables of its own: nothing on disk is
// reachable.
func TestSandboxInMemory(t *testing.T) {
	tr := newSandboxTree(t)
	db, err := Open("", WithExternalAccess(false))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	wantPermission(t, db, "SELECT * FROM '"+tr.db+"/nation.parquet'")
	wantRows(t, db, "SELECT 1 AS x", 1)
}

// allowed_directories and allowed_paths open exceptions that symlinks and
// .. cannot stretch.
func TestSandboxAllowedDirectories(t *testing.T) {
	tr := newSandboxTree(t)
	db, err := Open(tr.db)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	a, o := tr.allowed, tr.outside
	script := "SET allowed_directories = ['" + a + "']; SET allowed_paths = ['" + o + "/hive/n_regionkey=0/data_0.parquet']; SET enable_external_access = false"
	if err := db.Exec(ctx, script); err != nil {
		t.Fatal(err)
	}
	wantRows(t, db, "SELECT * FROM read_parquet('"+a+"/nation.parquet')", nationRows)
	wantRows(t, db, "SELECT * FROM '"+a+"/sub/../nation.parquet'", nationRows)
	wantRows(t, db, "SELECT * FROM read_parquet('"+a+"/hive/*/*.parquet', hive_partitioning = true)", nationRows)
	wantRows(t, db, "SELECT * FROM read_parquet('"+a+"/hive/**/*.parquet', hive_partitioning = true) WHERE n_regionkey = 1", 5)
	wantRows(t, db, "SELECT * FROM '"+a+"/hive'", nationRows)
	if n, err := count(t, db, "SELECT * FROM parquet_metadata('"+a+"/nation.parquet')"); err != nil || n == 0 {
		t.Errorf("parquet_metadata in an allowed folder: %d rows, %v", n, err)
	}
	if err := db.Exec(ctx, "COPY nation TO '"+a+"/copy.parquet'"); err != nil {
		t.Errorf("COPY into an allowed folder: %v", err)
	}
	wantRows(t, db, "SELECT * FROM '"+a+"/copy.parquet'", nationRows)
	if err := db.Exec(ctx, "COPY nation TO '"+a+"/parts' (PARTITION_BY (n_regionkey))"); err != nil {
		t.Errorf("partitioned COPY into an allowed folder: %v", err)
	}
	// allowed_paths: that file, and no other (the symlinks below lead to
	// another one).
	wantRows(t, db, "SELECT * FROM '"+o+"/hive/n_regionkey=0/data_0.parquet'", 5)
	wantPermission(t, db, "SELECT * FROM read_parquet('"+o+"/hive/*/*.parquet')")
	wantPermission(t, db, "SELECT * FROM '"+o+"/hive/n_regionkey=1/data_0.parquet'")
	for _, q := range []string{
		"SELECT * FROM '" + a + "/link/nation.parquet'",             // folder symlink out
		"SELECT * FROM '" + a + "/flink.parquet'",                   // file symlink out
		"SELECT * FROM '" + a + "/*.parquet'",                       // a glob that matches the symlink
		"SELECT * FROM '" + a + "/link/hive'",                       // hive folder behind a symlink
		"SELECT * FROM '" + a + "/*/nosuch*.parquet'",               // a glob must not even list behind a symlink
		"SELECT * FROM '" + a + "/link/../allowed2/nation.parquet'", // .. after a symlink: the kernel's T/allowed2, not T/allowed/allowed2
		"SELECT * FROM '" + a + "/../outside/hive/n_regionkey=1/data_0.parquet'",
		"SELECT * FROM '" + a + "2/nation.parquet'", // T/allowed2 only shares a prefix
		"COPY nation TO '" + a + "/link/escape.parquet'",
		"COPY nation TO '" + a + "/sub/../../outside/escape2.parquet'",
	} {
		wantPermission(t, db, q)
	}
	for _, f := range []string{"escape.parquet", "escape2.parquet"} {
		if _, err := os.Stat(filepath.Join(o, f)); err == nil {
			t.Errorf("%s was written outside", f)
		}
	}
	// The exceptions cannot grow once access is off, and access cannot
	// come back (DuckDB's errors).
	for q, want := range map[string]string{
		"SET allowed_directories = ['" + o + "']":   "Invalid Input Error: Cannot change allowed_directories when enable_external_access is disabled",
		"SET allowed_paths = ['" + o + "/x']":       "Invalid Input Error: Cannot change allowed_paths when enable_external_access is disabled",
		"SET enable_external_access = true":         "Invalid Input Error: Cannot enable external access while database is running",
		"RESET enable_external_access":              "Invalid Input Error: Cannot enable external access while database is running",
		"SET allowed_directories = '/not/a/list ]'": "Invalid Input Error: Cannot change allowed_directories",
	} {
		if err := db.Exec(ctx, q); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", q, err, want)
		}
	}
	wantPermission(t, db, "SELECT * FROM '"+o+"/hive'")
}

// Object-store URLs are external unless an allowed directory is their
// prefix.
func TestSandboxURLPrefixes(t *testing.T) {
	db, err := Open("", WithAllowedDirectories("s3://bucket/data"), WithExternalAccess(false))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Catalog.FileSystem checks before it builds a client: no network.
	ctx := context.Background()
	for _, p := range []string{"s3://bucket/data/x.parquet", "s3a://bucket/data/sub/x.parquet"} {
		if _, err := db.cat.FileSystem(ctx, p); errors.Is(err, storage.ErrPermission) {
			t.Errorf("%s: %v", p, err)
		}
	}
	for _, p := range []string{"s3://bucket/database/x.parquet", "s3://bucket/data/../secret/x.parquet", "s3://other/data/x.parquet",
		"gs://bucket/data/x.parquet", "https://bucket/data/x.parquet", "ftp://bucket/data/x.parquet"} {
		if _, err := db.cat.FileSystem(ctx, p); !errors.Is(err, storage.ErrPermission) {
			t.Errorf("%s: got %v, want a Permission Error", p, err)
		}
	}
	wantPermission(t, db, "SELECT * FROM 's3://bucket/data/../secret/x.parquet'")
}

func TestLockConfiguration(t *testing.T) {
	db, err := Open(tpchDir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if err := db.Exec(ctx, "SET threads = 3; SET max_result_rows = 1000; SET lock_configuration = true"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"SET threads = 1", "RESET threads", "SET memory_limit = '1GB'", "RESET memory_limit",
		"SET max_result_rows = 0", "RESET max_result_rows", "SET max_query_time = '1h'",
		"SET enable_external_access = false", "SET allowed_directories = ['/']",
		"SET lock_configuration = false", "RESET lock_configuration", "SET temp_directory = '/tmp'",
		"SET s3_region = 'us-east-1'", "SET GLOBAL threads TO 2",
	} {
		name := strings.Fields(strings.TrimPrefix(strings.TrimPrefix(q, "SET "), "RESET "))[0]
		if name == "GLOBAL" {
			name = "threads"
		}
		want := `Invalid Input Error: Cannot change configuration option "` + name + `" - the configuration has been locked`
		if err := db.Exec(ctx, q); err == nil || err.Error() != want {
			t.Errorf("%s: got %v, want %q", q, err, want)
		}
	}
	if db.Threads() != 3 {
		t.Errorf("threads changed to %d", db.Threads())
	}
	if _, err := count(t, db, "SELECT * FROM lineitem"); err == nil {
		t.Error("max_result_rows was loosened")
	}
	wantRows(t, db, "SELECT * FROM nation", nationRows)
}

// slowQuery runs for minutes unless stopped: 60,175² rows of a cross join.
const slowQuery = "SELECT count(*) FROM lineitem a, lineitem b WHERE a.l_quantity + b.l_quantity > 1000"

func TestMaxQueryTime(t *testing.T) {
	db, err := Open(tpchDir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if err := db.Exec(ctx, "SET max_query_time = '200ms'"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = count(t, db, slowQuery)
	el := time.Since(start)
	if err == nil || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "Interrupt Error: query exceeded max_query_time (200ms)") {
		t.Errorf("got %v", err)
	}
	if el > 5*time.Second {
		t.Errorf("stopped after %v", el)
	}
	wantRows(t, db, "SELECT * FROM nation", nationRows)
	// The limit covers the whole statement, also the time its caller
	// takes between batches.
	rows, err := db.Query(ctx, "SELECT * FROM lineitem")
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	_, err = rows.Next(ctx)
	if err == nil || !strings.Contains(err.Error(), "max_query_time") {
		t.Errorf("slow consumer: %v", err)
	}
	rows.Close()
	// Other spellings; RESET lifts it.
	for _, v := range []string{"'2 seconds'", "'1500ms'", "'1.5s'", "100", "'1 minute'"} {
		if err := db.Exec(ctx, "SET max_query_time = "+v); err != nil {
			t.Errorf("SET max_query_time = %s: %v", v, err)
		}
	}
	if err := db.Exec(ctx, "SET max_query_time = 'soon'"); err == nil {
		t.Error("SET max_query_time = 'soon' accepted")
	}
	if err := db.Exec(ctx, "RESET max_query_time"); err != nil {
		t.Fatal(err)
	}
	// A caller's deadline stops it too, with a clear error.
	cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	rows, err = db.Query(cctx, slowQuery)
	if err == nil {
		_, err = rows.Next(cctx)
		rows.Close()
	}
	if err == nil || !errors.Is(err, context.DeadlineExceeded) || !strings.HasPrefix(err.Error(), "Interrupt Error: ") {
		t.Errorf("context deadline: %v", err)
	}
}

func TestMaxResultRows(t *testing.T) {
	db, err := Open(tpchDir, WithMaxResultRows(10))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = count(t, db, "SELECT * FROM nation")
	if err == nil || !strings.Contains(err.Error(), "max_result_rows = 10") {
		t.Errorf("got %v", err)
	}
	wantRows(t, db, "SELECT * FROM nation LIMIT 10", 10)
	wantRows(t, db, "SELECT count(*) FROM lineitem", 1)
	if err := db.Exec(context.Background(), "RESET max_result_rows"); err != nil {
		t.Fatal(err)
	}
	wantRows(t, db, "SELECT * FROM nation", nationRows)
}

// Open's options and the DSN's parameters combine in any order: the
// exceptions before access goes off, the lock last.
func TestSandboxOptionsAndDSN(t *testing.T) {
	tr := newSandboxTree(t)
	db, err := Open(tr.db, WithLockConfiguration(), WithExternalAccess(false), WithAllowedDirectories(tr.allowed),
		WithMaxQueryTime(time.Minute), WithMemoryLimit(1<<30))
	if err != nil {
		t.Fatal(err)
	}
	wantRows(t, db, "SELECT * FROM '"+tr.allowed+"/nation.parquet'", nationRows)
	wantPermission(t, db, "SELECT * FROM '"+tr.outside+"/nation.parquet'")
	if err := db.Exec(context.Background(), "SET threads = 1"); err == nil {
		t.Error("SET after WithLockConfiguration succeeded")
	}
	db.Close()

	dsn := tr.db + "?lock_configuration=true&enable_external_access=false&max_result_rows=100&allowed_directories=" +
		url.QueryEscape("['"+tr.allowed+"']") + "&allowed_paths=" + url.QueryEscape(tr.outside+"/hive/n_regionkey=0/data_0.parquet")
	sdb, err := dbsql.Open("peregrine", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	var n int64
	if err := sdb.QueryRow("SELECT count(*) FROM '" + tr.allowed + "/nation.parquet'").Scan(&n); err != nil || n != nationRows {
		t.Errorf("allowed folder through the DSN: %d, %v", n, err)
	}
	if err := sdb.QueryRow("SELECT count(*) FROM '" + tr.outside + "/hive/n_regionkey=0/data_0.parquet'").Scan(&n); err != nil || n != 5 {
		t.Errorf("allowed path through the DSN: %d, %v", n, err)
	}
	if err := sdb.QueryRow("SELECT count(*) FROM '" + tr.outside + "/nation.parquet'").Scan(&n); err == nil || !strings.Contains(err.Error(), "Permission Error") {
		t.Errorf("outside through the DSN: %v", err)
	}
	if _, err := sdb.Exec("SET enable_external_access = true"); err == nil || !strings.Contains(err.Error(), "locked") {
		t.Errorf("SET through a locked DSN: %v", err)
	}
	if _, err := dbsql.Open("peregrine", tr.db+"?max_query_time=never"); err == nil {
		// database/sql opens lazily; the connector parses at Open.
		t.Error("a bad DSN setting was accepted")
	}
}
