package peregrine_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/bench/tpch"
	"github.com/peregrinedb/peregrine/bench/tpchgen"
)

const duckdbSF001 = "testdata/tpch-sf0.01-duckdb"

// allQueries are the 22 TPC-H queries, as users write them.
var allQueries = func() []int {
	qs := make([]int, 22)
	for i := range qs {
		qs[i] = i + 1
	}
	return qs
}()

func runTPCH(t *testing.T, dir string, threads int) {
	t.Helper()
	db, err := peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetThreads(threads); err != nil {
		t.Fatal(err)
	}
	rep, err := tpch.Run(context.Background(), db, tpch.RunOptions{Queries: allQueries, Runs: 1, AnswerSF: "0.01"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		if r.Error != "" {
			t.Errorf("Q%02d: %s", r.Query, r.Error)
		} else if r.Check != "ok" {
			t.Errorf("Q%02d: %s", r.Query, r.Check)
		}
	}
}

func TestTPCHOnDuckDBFiles(t *testing.T) {
	for _, threads := range []int{1, 4} {
		t.Run(fmt.Sprintf("threads=%d", threads), func(t *testing.T) { runTPCH(t, duckdbSF001, threads) })
	}
}

func TestTPCHOnGeneratedFiles(t *testing.T) {
	dir := t.TempDir()
	// Small row groups and pages spread the data over many morsels.
	err := tpchgen.Generate(context.Background(), tpchgen.Options{SF: 0.01, OutDir: dir, Compression: "zstd", RowGroupSize: 5000})
	if err != nil {
		t.Fatal(err)
	}
	runTPCH(t, dir, 3)
}

// stringScan scans any result value as text: what sql.NullString takes,
// and HUGEINT's *big.Int (which database/sql cannot store into a string).
type stringScan struct{ sql.NullString }

func (x *stringScan) Scan(v any) error {
	if b, ok := v.(*big.Int); ok {
		x.String, x.Valid = b.String(), true
		return nil
	}
	return x.NullString.Scan(v)
}

func queryStrings(t *testing.T, db *sql.DB, q string, args ...any) [][]string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]stringScan, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = v.String
			if !v.Valid {
				row[i] = "NULL"
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDatabaseSQLDriver(t *testing.T) {
	db, err := sql.Open("peregrine", duckdbSF001+"?threads=2")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got := queryStrings(t, db, "SELECT n_name, n_regionkey FROM nation WHERE n_nationkey < 3 ORDER BY n_nationkey")
	want := "ALGERIA,0|ARGENTINA,1|BRAZIL,1"
	if s := join(got); s != want {
		t.Errorf("got %s, want %s", s, want)
	}
	var total float64
	if err := db.QueryRow("SELECT sum(l_extendedprice) FROM lineitem").Scan(&total); err != nil {
		t.Fatal(err)
	}
	if total < 1e8 {
		t.Errorf("sum(l_extendedprice) = %v", total)
	}
	var n int64
	if err := db.QueryRow("SELECT count(*) FROM lineitem WHERE l_shipdate >= DATE '1998-01-01'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n == 0 || n > 60175 {
		t.Errorf("count = %d", n)
	}
	if _, err := db.Exec("SET threads = 1"); err != nil {
		t.Fatal(err)
	}
}

func join(rows [][]string) string {
	parts := make([]string, len(rows))
	for i, r := range rows {
		parts[i] = strings.Join(r, ",")
	}
	return strings.Join(parts, "|")
}

// TestConcurrentQueries runs queries from many goroutines on one DB; run
// with -race it proves the engine shares nothing unsafely.
func TestConcurrentQueries(t *testing.T) {
	db, err := peregrine.Open(duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q6, _ := tpch.Query(6)
	want, _ := tpch.ReferenceAnswer("0.01", 6)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			q := q6
			if g%2 == 1 {
				q = "SELECT count(*) FROM lineitem, orders WHERE l_orderkey = o_orderkey AND o_orderstatus = 'F'"
			}
			rows, err := db.QueryArrow(context.Background(), q)
			if err != nil {
				errs <- err
				return
			}
			defer rows.Release()
			n := 0
			for rows.Next() {
				rec := rows.RecordBatch()
				n += int(rec.NumRows())
				if g%2 == 0 {
					got := rec.Column(0).ValueStr(0)
					if err := tpch.Check(want, [][]string{{got}}); err != nil {
						errs <- err
					}
				}
			}
			if rows.Err() != nil {
				errs <- rows.Err()
			}
			if n != 1 {
				errs <- fmt.Errorf("goroutine %d: %d rows", g, n)
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestArrowResult(t *testing.T) {
	db, err := peregrine.Open(duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rr, err := db.QueryArrow(context.Background(), "SELECT o_orderkey, o_totalprice, o_orderdate, o_comment FROM orders ORDER BY o_orderkey LIMIT 3")
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	if got := rr.Schema().String(); !strings.Contains(got, "o_totalprice: type=decimal(15, 2)") || !strings.Contains(got, "o_orderdate: type=date32") {
		t.Errorf("schema: %s", got)
	}
	rows := 0
	for rr.Next() {
		rec := rr.RecordBatch()
		rows += int(rec.NumRows())
		if v := rec.Column(0).ValueStr(0); v != "1" {
			t.Errorf("first key %s", v)
		}
	}
	if rows != 3 || rr.Err() != nil {
		t.Errorf("rows %d err %v", rows, rr.Err())
	}
}

func TestCancellation(t *testing.T) {
	db, err := peregrine.Open(duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	// A cross product of lineitem with itself would run for hours.
	rows, err := db.Query(ctx, "SELECT count(*) FROM lineitem a, lineitem b WHERE a.l_quantity + b.l_quantity > 1000")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := rows.Next(ctx)
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("query did not stop after cancellation")
	}
	rows.Close()
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "broken.parquet"), []byte("PAR1 this is not parquet"), 0o644); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(filepath.Join(duckdbSF001, "nation.parquet"))
	if err := os.WriteFile(filepath.Join(dir, "truncated.parquet"), good[:len(good)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cases := []struct{ sql, want string }{
		{"SELECT * FROM nosuch", "Table with name nosuch does not exist"},
		{"SELECT nocol FROM '" + duckdbSF001 + "/nation.parquet'", `Referenced column "nocol" not found`},
		{"SELECT n_name FROM '" + duckdbSF001 + "/nation.parquet' WHERE", "syntax error at end of input"},
		{"SELECT * FROM broken", "broken.parquet"},
		{"SELECT * FROM truncated", "truncated.parquet"},
		{"SELECT n_name + 1 FROM '" + duckdbSF001 + "/nation.parquet'", "No function matches"},
		{"SET threads = 0", "Must have at least 1 thread!"},
	}
	for _, c := range cases {
		err := db.Exec(context.Background(), c.sql)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want error containing %q", c.sql, err, c.want)
		}
	}
}

func TestCopyAndMemorySettings(t *testing.T) {
	db, err := sql.Open("peregrine", duckdbSF001+"?memory_limit=64MB&threads=2")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := t.TempDir()
	stmts := []string{
		"SET memory_limit = '32MiB'",
		"SET temp_directory = '" + t.TempDir() + "'",
		"COPY (SELECT o_orderkey, o_orderstatus, o_totalprice, o_orderdate FROM orders WHERE o_orderkey < 5000) TO '" + out + "/a.parquet' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 500)",
		"COPY nation TO '" + out + "/nation' (PARTITION_BY (n_regionkey))",
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	got := queryStrings(t, db, "SELECT count(*), sum(o_totalprice), min(o_orderdate) FROM '"+out+"/a.parquet'")
	want := queryStrings(t, db, "SELECT count(*), sum(o_totalprice), min(o_orderdate) FROM orders WHERE o_orderkey < 5000")
	if join(got) != join(want) {
		t.Errorf("round trip: %v vs %v", got, want)
	}
	if n := queryStrings(t, db, "SELECT count(*) FROM '"+out+"/nation/**/*.parquet'"); join(n) != "25" {
		t.Errorf("partitioned copy: %v", n)
	}
	for _, bad := range []string{
		"SET memory_limit = 'lots'",
		"COPY nation TO '" + out + "/x.xlsx' (FORMAT xlsx)", // csv and json are written (copy_text.go)
		"COPY nation TO '" + out + "/y.parquet' (NO_SUCH_OPTION 1)",
	} {
		if _, err := db.Exec(bad); err == nil {
			t.Errorf("%s: want error", bad)
		}
	}
}

func TestParquetMetadataFunctions(t *testing.T) {
	db, err := sql.Open("peregrine", duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got := queryStrings(t, db, "SELECT path_in_schema, compression, stats_min, stats_max FROM parquet_metadata('"+duckdbSF001+"/nation.parquet') WHERE path_in_schema = 'n_nationkey'")
	if join(got) != "n_nationkey,SNAPPY,0,24" {
		t.Errorf("parquet_metadata: %v", got)
	}
	got = queryStrings(t, db, "SELECT count(*) FROM parquet_schema('"+duckdbSF001+"/*.parquet') WHERE type = 'BYTE_ARRAY'")
	if join(got) == "0" {
		t.Errorf("parquet_schema found no string columns: %v", got)
	}
}

// TestAggregatesFromFooters checks that COUNT/MIN/MAX answered from
// statistics equal the same aggregates computed by reading the data.
func TestAggregatesFromFooters(t *testing.T) {
	db, err := sql.Open("peregrine", duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []struct{ table, cols, keepAll string }{
		{"lineitem", "count(*), min(l_shipdate), max(l_shipdate), count(l_comment), min(l_comment), max(l_extendedprice), min(l_returnflag)", "l_orderkey > 0"},
		{"customer", "count(*), max(c_name), min(c_acctbal), max(c_custkey)", "c_custkey > 0"},
		{"nation", "min(n_name), max(n_comment), count(n_regionkey)", "n_nationkey >= 0"},
	} {
		footer := queryStrings(t, db, "SELECT "+q.cols+" FROM "+q.table)
		scanned := queryStrings(t, db, "SELECT "+q.cols+" FROM "+q.table+" WHERE "+q.keepAll)
		if join(footer) != join(scanned) {
			t.Errorf("%s: footer %v, scan %v", q.table, footer, scanned)
		}
	}
	plan := queryStrings(t, db, "EXPLAIN SELECT count(*), max(l_shipdate) FROM lineitem")
	if !strings.Contains(join(plan), "VALUES") || strings.Contains(join(plan), "PARQUET_SCAN") {
		t.Errorf("expected a footer answer, got plan %v", plan)
	}
}

func TestPartitionedDatasets(t *testing.T) {
	dir := t.TempDir()
	db, err := peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	src := duckdbSF001 + "/lineitem.parquet"
	ctx := context.Background()
	if err := db.Exec(ctx, "COPY (SELECT l_orderkey, l_quantity, year(l_shipdate) AS yr, l_returnflag FROM '"+src+"') TO '"+dir+"/li' (PARTITION_BY (yr, l_returnflag))"); err != nil {
		t.Fatal(err)
	}
	count := func(q string) string {
		rows, err := db.Query(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		b, err := rows.Next(ctx)
		if err != nil || b == nil {
			t.Fatalf("%s: %v", q, err)
		}
		return fmt.Sprint(b.Row(0)[0].I)
	}
	for _, c := range []struct{ part, flat string }{
		{"SELECT count(*) FROM li WHERE yr = 1995", "SELECT count(*) FROM '" + src + "' WHERE year(l_shipdate) = 1995"},
		{"SELECT count(*) FROM li WHERE yr BETWEEN 1993 AND 1994 AND l_returnflag = 'R' AND l_quantity > 10",
			"SELECT count(*) FROM '" + src + "' WHERE year(l_shipdate) BETWEEN 1993 AND 1994 AND l_returnflag = 'R' AND l_quantity > 10"},
		{"SELECT count(*) FROM read_parquet('" + dir + "/li/*/*/*.parquet', hive_partitioning = true) WHERE l_returnflag IN ('A', 'N')",
			"SELECT count(*) FROM '" + src + "' WHERE l_returnflag IN ('A', 'N')"},
	} {
		if a, b := count(c.part), count(c.flat); a != b {
			t.Errorf("%s = %s, want %s", c.part, a, b)
		}
	}
	rows, err := db.Query(ctx, "EXPLAIN SELECT count(*) FROM li WHERE yr = 1995 AND l_quantity > 1")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := rows.Next(ctx)
	var plan strings.Builder
	for b != nil {
		for k := 0; k < b.Len(); k++ {
			plan.WriteString(b.Row(k)[0].S + "\n")
		}
		b, _ = rows.Next(ctx)
	}
	if !strings.Contains(plan.String(), "partitions: 3 of 12 files") {
		t.Errorf("expected pruning to 3 of 12 files:\n%s", plan.String())
	}
	// Expressions and ORs on partition keys prune too, with the same results.
	for _, c := range []struct{ where, flat string }{
		{"yr + 1 = 1996", "year(l_shipdate) + 1 = 1996"},
		{"yr IN (1993, 1995) OR yr > 1997", "year(l_shipdate) IN (1993, 1995) OR year(l_shipdate) > 1997"},
		{"l_returnflag || '' = 'R' AND yr < 1994", "l_returnflag || '' = 'R' AND year(l_shipdate) < 1994"},
	} {
		if a, b := count("SELECT count(*) FROM li WHERE "+c.where), count("SELECT count(*) FROM '"+src+"' WHERE "+c.flat); a != b {
			t.Errorf("WHERE %s: %s rows, want %s", c.where, a, b)
		}
		rows, err := db.Query(ctx, "EXPLAIN SELECT count(*) FROM li WHERE "+c.where)
		if err != nil {
			t.Fatal(err)
		}
		bt, _ := rows.Next(ctx)
		text := ""
		for bt != nil {
			for k := 0; k < bt.Len(); k++ {
				text += bt.Row(k)[0].S
			}
			bt, _ = rows.Next(ctx)
		}
		if strings.Contains(text, "partitions: 12 of 12") {
			t.Errorf("WHERE %s did not prune: %s", c.where, text)
		}
	}

	// union_by_name: a missing column reads as NULL, INTEGER widens to BIGINT.
	if err := os.Mkdir(dir+"/u", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(ctx, "COPY (SELECT n_nationkey AS k, n_name AS name FROM '"+duckdbSF001+"/nation.parquet') TO '"+dir+"/u/a.parquet'; COPY (SELECT CAST(r_regionkey AS BIGINT) AS k, r_comment AS c FROM '"+duckdbSF001+"/region.parquet') TO '"+dir+"/u/b.parquet'"); err == nil {
		if got := count("SELECT count(*) FROM read_parquet('" + dir + "/u/*.parquet', union_by_name = true) WHERE name IS NULL AND c IS NOT NULL AND k < 5"); got != "5" {
			t.Errorf("union_by_name: %s rows, want 5", got)
		}
		if _, err := db.Query(ctx, "SELECT * FROM read_parquet('"+dir+"/u/*.parquet')"); err == nil || !strings.Contains(err.Error(), "a.parquet") {
			t.Errorf("mismatched schemas without union_by_name: %v", err)
		}
	} else {
		t.Fatal(err)
	}
}

// TestWriteOptionsVisible writes with COPY options and reads them back
// through parquet_metadata, then asks parquet_inspect for advice.
func TestWriteOptionsVisible(t *testing.T) {
	dir := t.TempDir()
	db, err := sql.Open("peregrine", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("COPY (SELECT * FROM '" + duckdbSF001 + "/orders.parquet') TO '" + dir + "/o.parquet' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 4000)"); err != nil {
		t.Fatal(err)
	}
	got := queryStrings(t, db, "SELECT count(DISTINCT row_group_id), min(compression), max(compression), max(row_group_num_rows) FROM parquet_metadata('"+dir+"/o.parquet')")
	if join(got) != "4,ZSTD,ZSTD,4000" {
		t.Errorf("metadata of the written file: %v", got)
	}
	advice := queryStrings(t, db, "SELECT kind FROM parquet_inspect('"+dir+"/o.parquet')")
	if !strings.Contains(join(advice), "row-group-size") {
		t.Errorf("expected row-group-size advice for 4000-row groups, got %v", advice)
	}
}

// TestOrPrunesRowGroups checks that an OR of simple predicates skips row
// groups no branch can match, with the same result as an unprunable form.
func TestOrPrunesRowGroups(t *testing.T) {
	dir := t.TempDir()
	db, err := sql.Open("peregrine", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("COPY (SELECT l_orderkey, l_quantity FROM '" + duckdbSF001 + "/lineitem.parquet' ORDER BY l_orderkey) TO '" + dir + "/l.parquet' (ROW_GROUP_SIZE 5000)"); err != nil {
		t.Fatal(err)
	}
	pruned := queryStrings(t, db, "SELECT count(*), sum(l_quantity) FROM l WHERE l_orderkey < 100 OR l_orderkey > 59900")
	full := queryStrings(t, db, "SELECT count(*), sum(l_quantity) FROM l WHERE l_orderkey + 0 < 100 OR l_orderkey + 0 > 59900")
	if join(pruned) != join(full) {
		t.Errorf("OR pruning changed the result: %v vs %v", pruned, full)
	}
	plan := join(queryStrings(t, db, "EXPLAIN ANALYZE SELECT count(*) FROM l WHERE l_orderkey < 100 OR l_orderkey > 59900"))
	if !strings.Contains(plan, "row groups: 2 of 13 read") {
		t.Errorf("expected 2 of 13 row groups read: %s", plan)
	}
}
