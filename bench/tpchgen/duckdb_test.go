package tpchgen

import (
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// TestMatchesDuckDB compares the generated SF 0.01 with the files DuckDB's
// dbgen wrote, value by value: the proof that the data is dbgen's and that
// the reference answers computed from DuckDB's data apply to ours. It also
// holds the Parquet column types to DuckDB's.
func TestMatchesDuckDB(t *testing.T) {
	ref := sharedDir(t)
	dir := defaultSF001(t)
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
				if array.Equal(arrayOf(t, want.table, i), arrayOf(t, got.table, i)) {
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
