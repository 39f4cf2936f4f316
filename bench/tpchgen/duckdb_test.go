package tpchgen

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/peregrinedb/peregrine/bench/dbgen"
)

var withDuckDB = flag.Bool("duckdb", os.Getenv("PEREGRINE_DUCKDB_TESTS") != "",
	"build bench/duckdb against DuckDB 2.0 and compare SF 0.1 with DuckDB's own dbgen (also PEREGRINE_DUCKDB_TESTS=1)")

// TestMatchesDuckDB compares the generated SF 0.01 with the files DuckDB
// 1.5.5 wrote from its dbgen (testdata/tpch-sf0.01-duckdb), value by value:
// the proof that the data is dbgen's and that the reference answers
// computed from DuckDB's data apply to ours. It also holds the Parquet
// column types to DuckDB's.
func TestMatchesDuckDB(t *testing.T) {
	compareTables(t, filepath.Join("..", "..", "testdata", "tpch-sf0.01-duckdb"), defaultSF001(t), nil)
}

// compatColumns are the columns in which the default data (DuckDB 1.x's
// dbgen) differs from the TPC's.
var compatColumns = map[string]bool{
	"r_comment": true, "n_comment": true, "s_address": true, "s_comment": true, "c_address": true,
	"c_comment": true, "p_comment": true, "ps_comment": true, "o_comment": true, "l_comment": true,
}

// TestMatchesDuckDBSF01 does the same at SF 0.1 against tables DuckDB
// generates during the test (CALL dbgen(sf=0.1), COPY … TO parquet),
// through bench/duckdb built against DuckDB 2.0, whose tpch extension is
// built in. DuckDB 2.0 generates the TPC's data: the TPC-compatible output
// must equal it everywhere, the default output everywhere but in the
// comment and address columns (which TestMatchesDuckDB and the SF 1
// checksums cover). It needs the DuckDB module (a large cgo build the
// first time), so it runs only with -duckdb or PEREGRINE_DUCKDB_TESTS=1,
// and skips when the module cannot be built.
func TestMatchesDuckDBSF01(t *testing.T) {
	if !*withDuckDB {
		t.Skip("needs DuckDB: go test ./bench/tpchgen -run DuckDB -duckdb (or PEREGRINE_DUCKDB_TESTS=1)")
	}
	tool := buildDuckBench(t)
	ref := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, tool, "-dbgen", "0.1", "-write", ref).CombinedOutput(); err != nil {
		t.Fatalf("DuckDB's dbgen: %v\n%s", err, out)
	}
	t.Run("tpc", func(t *testing.T) {
		dir := t.TempDir()
		if err := Generate(context.Background(), Options{SF: 0.1, OutDir: dir, Compat: dbgen.CompatTPC}); err != nil {
			t.Fatal(err)
		}
		compareTables(t, ref, dir, nil)
	})
	t.Run("default", func(t *testing.T) {
		dir := t.TempDir()
		if err := Generate(context.Background(), Options{SF: 0.1, OutDir: dir}); err != nil {
			t.Fatal(err)
		}
		compareTables(t, ref, dir, compatColumns)
	})
}

// buildDuckBench builds bench/duckdb with duckdb2.mod (DuckDB 2.0) and
// returns the binary, or skips the test when that fails or takes longer
// than ten minutes.
func buildDuckBench(t *testing.T) string {
	t.Helper()
	src, err := filepath.Abs(filepath.Join("..", "duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(src, "duckdb2.mod")); err != nil {
		t.Skipf("no DuckDB module: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "duckbench2")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-modfile=duckdb2.mod", "-o", bin, ".")
	cmd.Dir = src
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("cannot build bench/duckdb against DuckDB 2.0 (%v): %s", err, strings.TrimSpace(string(out)))
	}
	return bin
}

// compareTables compares every table of dir with DuckDB's in ref: column
// names and types, row counts and every value in order, except the values
// of the columns in skip.
func compareTables(t *testing.T, ref, dir string, skip map[string]bool) {
	for _, table := range allTables {
		t.Run(table, func(t *testing.T) {
			want := readParquet(t, filepath.Join(ref, table+".parquet"))
			got := readParquet(t, filepath.Join(dir, table+".parquet"))

			ws, gs := want.meta.MetaData().Schema, got.meta.MetaData().Schema
			if ws.NumColumns() != gs.NumColumns() {
				t.Fatalf("%d columns, DuckDB has %d", gs.NumColumns(), ws.NumColumns())
			}
			for i := 0; i < ws.NumColumns(); i++ {
				w, g := ws.Column(i), gs.Column(i)
				if w.Name() != g.Name() || w.PhysicalType() != g.PhysicalType() || !w.LogicalType().Equals(g.LogicalType()) {
					t.Errorf("column %d: got %s %s %s, DuckDB has %s %s %s", i,
						g.Name(), g.PhysicalType(), g.LogicalType(), w.Name(), w.PhysicalType(), w.LogicalType())
				}
			}
			if got.table.NumRows() != want.table.NumRows() {
				t.Fatalf("%d rows, DuckDB has %d", got.table.NumRows(), want.table.NumRows())
			}
			for i := 0; i < int(want.table.NumCols()); i++ {
				if !arrow.TypeEqual(want.table.Column(i).DataType(), got.table.Column(i).DataType()) {
					t.Errorf("%s reads as %s, DuckDB's as %s", ws.Column(i).Name(),
						got.table.Column(i).DataType(), want.table.Column(i).DataType())
					continue
				}
				if skip[ws.Column(i).Name()] || array.Equal(arrayOf(t, want.table, i), arrayOf(t, got.table, i)) {
					continue
				}
				wv, gv := columnStrings(want.table, i), columnStrings(got.table, i)
				bad := 0
				for r := range wv {
					if wv[r] != gv[r] {
						if bad < 3 {
							t.Errorf("%s row %d: got %q, DuckDB has %q", ws.Column(i).Name(), r, gv[r], wv[r])
						}
						bad++
					}
				}
				t.Errorf("%s: %d of %d values differ", ws.Column(i).Name(), bad, len(wv))
			}
		})
	}
}
