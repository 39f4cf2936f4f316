package peregrine_test

import (
	"context"
	"database/sql"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/exec"
)

func openDB(t *testing.T) *peregrine.DB {
	t.Helper()
	return openDir(t, duckdbSF001)
}

func mustExec(t *testing.T, db *peregrine.DB, script string) {
	t.Helper()
	if err := db.Exec(context.Background(), script); err != nil {
		t.Fatalf("%s: %v", script, err)
	}
}

// explainAnalyze returns EXPLAIN ANALYZE's text for q.
func explainAnalyze(t *testing.T, db *peregrine.DB, q string) string {
	t.Helper()
	got, _, err := sltRows(context.Background(), db, "EXPLAIN ANALYZE "+q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return strings.Join(got, "\n")
}

// assertEmptyDir fails when dir holds anything (spill files, process
// folders, staging).
func assertEmptyDir(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left in %s: %s", dir, e.Name())
	}
}

const spillingSort = "SELECT count(*) FROM (SELECT l_comment, l_orderkey FROM lineitem ORDER BY l_comment)"

func TestPerDatabaseLimits(t *testing.T) {
	a, b := openDB(t), openDB(t)
	mustExec(t, a, "SET memory_limit = '2MB'; SET threads = 1")
	if a.MemoryLimit() != 2_000_000 || a.Threads() != 1 {
		t.Fatalf("a: limit %d threads %d", a.MemoryLimit(), a.Threads())
	}
	if b.MemoryLimit() != exec.DefaultMemoryLimit() || (b.Threads() == 1) != (runtime.GOMAXPROCS(0) == 1) {
		t.Fatalf("SET on a changed b: limit %d threads %d", b.MemoryLimit(), b.Threads())
	}
	b.SetMemoryLimit(20 << 20)
	if a.MemoryLimit() != 2_000_000 {
		t.Fatalf("the API on b changed a: %d", a.MemoryLimit())
	}
	// The DSN's settings are the opened database's own.
	sdb, err := sql.Open("peregrine", duckdbSF001+"?memory_limit=3MB&threads=1")
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	if got := queryStrings(t, sdb, "SELECT count(*) FROM nation"); join(got) != "25" {
		t.Fatal(got)
	}
	if a.MemoryLimit() != 2_000_000 || b.MemoryLimit() != 20<<20 {
		t.Fatalf("the DSN changed other databases: %d %d", a.MemoryLimit(), b.MemoryLimit())
	}
	// a spills under its own small limit; b, with more, does not.
	if plan := explainAnalyze(t, a, spillingSort); !strings.Contains(plan, "spilled:") {
		t.Errorf("a did not spill under 2MB:\n%s", plan)
	}
	if plan := explainAnalyze(t, b, spillingSort); strings.Contains(plan, "spilled:") {
		t.Errorf("b spilled under a's limit:\n%s", plan)
	}
	// RESET gives a the default back.
	mustExec(t, a, "RESET memory_limit")
	if a.MemoryLimit() != exec.DefaultMemoryLimit() {
		t.Fatalf("RESET: %d", a.MemoryLimit())
	}
}

func TestProcessCeiling(t *testing.T) {
	db := openDB(t)
	db.SetMemoryLimit(0) // unlimited on its own
	old := peregrine.ProcessMemoryLimit()
	// Other tests' open databases may hold table data under the ceiling:
	// the query must give back what it took, and spill within what is left.
	before := peregrine.ProcessMemoryUsed()
	peregrine.SetProcessMemoryLimit(before + 2<<20)
	defer peregrine.SetProcessMemoryLimit(old)
	if plan := explainAnalyze(t, db, spillingSort); !strings.Contains(plan, "spilled:") {
		t.Errorf("the process ceiling did not make the query spill:\n%s", plan)
	}
	if used := peregrine.ProcessMemoryUsed(); used != before {
		t.Errorf("the ceiling holds %d bytes after the query (%d before it)", used, before)
	}
}

func TestSettingValuesRejected(t *testing.T) {
	db := openDB(t)
	// DuckDB 1.5.5's messages (duckq).
	for _, c := range []struct{ sql, want string }{
		{"SET memory_limit = '99999999999999999999GB'", "Parser Error: Memory value out of range: value is too large"},
		{"SET memory_limit = '0'", "Parser Error: Unknown unit for memory: '' (expected: KB, MB, GB, TB for 1000^i units or KiB, MiB, GiB, TiB for 1024^i units)"},
		{"SET memory_limit = 'abc'", "Parser Error: Memory must have a number (e.g. 1GB)"},
		{"SET memory_limit = '1GiBx'", "Parser Error: Unknown unit for memory: 'gibx' (expected: KB, MB, GB, TB for 1000^i units or KiB, MiB, GiB, TiB for 1024^i units)"},
		{"SET max_temp_directory_size = '99999999999999999999GB'", "Parser Error: Memory value out of range: value is too large"},
		{"SET threads = 0", "Syntax Error: Must have at least 1 thread!"},
		{"SET threads = -1", "Syntax Error: Must have at least 1 thread!"},
		{"SET threads = 'abc'", "Invalid Input Error: Failed to cast value: Could not convert string 'abc' to INT64"},
	} {
		err := db.Exec(context.Background(), c.sql)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: got %v, want %q", c.sql, err, c.want)
		}
	}
	limit := db.MemoryLimit()
	for _, ok := range []string{"SET memory_limit = '1.5GB'", "SET memory_limit = ' 2 GB '", "SET memory_limit = '10KiB'", "SET memory_limit = '2 gigabytes'", "SET memory_limit = '-1'"} {
		mustExec(t, db, ok)
	}
	if db.MemoryLimit() > 0 {
		t.Errorf("'-1' is no limit, got %d", db.MemoryLimit())
	}
	_ = limit
}

func TestMaxTempDirectorySize(t *testing.T) {
	db := openDB(t)
	tmp := t.TempDir()
	mustExec(t, db, "SET temp_directory = '"+tmp+"'; SET memory_limit = '1MB'; SET threads = 1")
	// Under the default bound the query spills and succeeds.
	if plan := explainAnalyze(t, db, spillingSort); !strings.Contains(plan, "spilled:") {
		t.Fatalf("no spill:\n%s", plan)
	}
	mustExec(t, db, "SET max_temp_directory_size = '100KB'")
	_, _, err := sltRows(context.Background(), db, spillingSort)
	var te *exec.TempSpaceError
	if !errors.As(err, &te) || te.Limit != 100_000 {
		t.Fatalf("want the temp space error, got %v", err)
	}
	if !strings.HasPrefix(err.Error(), "Out of Memory Error: failed to offload data block of size ") || !strings.Contains(err.Error(), "/97.6 KiB used).\nThis limit was set by the 'max_temp_directory_size' setting.") {
		t.Errorf("message: %v", err)
	}
	assertEmptyDir(t, tmp)
	mustExec(t, db, "RESET max_temp_directory_size")
	if _, _, err := sltRows(context.Background(), db, spillingSort); err != nil {
		t.Fatal(err)
	}
	assertEmptyDir(t, tmp)
	// A COPY leaves nothing in the temporary folder either.
	mustExec(t, db, "COPY (SELECT * FROM nation) TO '"+filepath.Join(t.TempDir(), "n")+"' (PARTITION_BY (n_regionkey))")
	assertEmptyDir(t, tmp)
}

// TestCopyTargets runs DuckDB's rules for existing targets through SQL;
// storage's stage tests cover the FIFO, symlink and recovery cases.
func TestCopyTargets(t *testing.T) {
	db := openDB(t)
	dir := t.TempDir()
	st, err := os.Stat("/dev/null")
	if err == nil {
		mustExec(t, db, "COPY nation TO '/dev/null'")
		if st2, err := os.Stat("/dev/null"); err != nil || st2.Mode() != st.Mode() {
			t.Fatalf("/dev/null replaced: %v %v", st2.Mode(), err)
		}
	}
	// DuckDB 1.5.5's messages (duckq).
	for _, c := range []struct{ sql, want string }{
		{"COPY nation TO '" + dir + "'", `IO Error: Cannot open file "` + dir + `": Is a directory`},
		{"COPY nation TO '" + dir + "/no/x.parquet'", `IO Error: Cannot open file "` + dir + `/no/x.parquet": No such file or directory`},
		{"COPY nation TO '" + dir + "/p' (PARTITION_BY (n_regionkey), OVERWRITE, APPEND)", "Binder Error: Can only set one of OVERWRITE_OR_IGNORE, OVERWRITE or APPEND"},
	} {
		if err := db.Exec(context.Background(), c.sql); err == nil || err.Error() != c.want {
			t.Errorf("%s: got %v, want %q", c.sql, err, c.want)
		}
	}
	p := dir + "/p"
	mustExec(t, db, "COPY nation TO '"+p+"' (PARTITION_BY (n_regionkey))")
	err = db.Exec(context.Background(), "COPY nation TO '"+p+"' (PARTITION_BY (n_regionkey))")
	if want := `IO Error: Directory "` + p + `" is not empty! Enable OVERWRITE option to overwrite files`; err == nil || err.Error() != want {
		t.Errorf("second COPY: %v", err)
	}
	mustExec(t, db, "COPY nation TO '"+p+"' (PARTITION_BY (n_regionkey), APPEND)")
	count := func() string {
		got, _, err := sltRows(context.Background(), db, "SELECT count(*) FROM read_parquet('"+p+"/*/*.parquet')")
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(got, "")
	}
	if n := count(); n != "50" {
		t.Errorf("after APPEND: %s rows", n)
	}
	mustExec(t, db, "COPY (SELECT * FROM nation WHERE n_nationkey < 5) TO '"+p+"' (PARTITION_BY (n_regionkey), OVERWRITE)")
	if n := count(); n != "5" {
		t.Errorf("after OVERWRITE: %s rows", n)
	}
	// Without page checksums on request.
	mustExec(t, db, "COPY nation TO '"+dir+"/plain.parquet' (PAGE_CHECKSUMS false)")
	if got, _, err := sltRows(context.Background(), db, "SELECT count(*) FROM '"+dir+"/plain.parquet'"); err != nil || strings.Join(got, "") != "25" {
		t.Errorf("PAGE_CHECKSUMS false: %v %v", got, err)
	}
}

// TestHugeintResults: database/sql gives *big.Int (as DuckDB's driver
// does), Arrow a decimal128(38,0) with the exact bits.
func TestHugeintResults(t *testing.T) {
	sdb, err := sql.Open("peregrine", duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	var v any
	if err := sdb.QueryRow("SELECT CAST('-170141183460469231731687303715884105728' AS HUGEINT)").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if b, ok := v.(*big.Int); !ok || b.String() != "-170141183460469231731687303715884105728" {
		t.Fatalf("database/sql value %T %v", v, v)
	}
	db := openDB(t)
	rdr, err := db.QueryArrow(context.Background(), "SELECT CAST('18446744073709551616' AS HUGEINT) AS h")
	if err != nil {
		t.Fatal(err)
	}
	defer rdr.Release()
	if !rdr.Next() {
		t.Fatal(rdr.Err())
	}
	col := rdr.RecordBatch().Column(0).(*array.Decimal128)
	if got := col.Value(0).BigInt().String(); got != "18446744073709551616" || col.DataType().String() != "decimal(38, 0)" {
		t.Fatalf("arrow: %s %s", col.DataType(), got)
	}
}

// TestCloseReleasesTables: the memory of a database's own tables goes back
// to the process when the database closes.
func TestCloseReleasesTables(t *testing.T) {
	before := peregrine.ProcessMemoryUsed()
	db, err := peregrine.Open("")
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, "CREATE TABLE t AS SELECT * FROM '"+duckdbSF001+"/orders.parquet'")
	mustExec(t, db, "CREATE TEMP TABLE u AS SELECT * FROM '"+duckdbSF001+"/nation.parquet'")
	if peregrine.ProcessMemoryUsed() <= before {
		t.Fatal("tables are not charged to the memory pools")
	}
	db.Close()
	if used := peregrine.ProcessMemoryUsed(); used != before {
		t.Errorf("after Close the process holds %d bytes, %d before the database", used, before)
	}
}
