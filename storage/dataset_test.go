package storage

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/scan"
)

// writeJSON writes rows given as a JSON array to a Parquet file with arrow-go.
func writeJSON(t testing.TB, path string, fields []arrow.Field, rows string) {
	t.Helper()
	sc := arrow.NewSchema(fields, nil)
	rec, _, err := array.RecordFromJSON(memory.DefaultAllocator, sc, strings.NewReader(rows))
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	props := parquet.NewWriterProperties(parquet.WithStoreDecimalAsInteger(true))
	w, err := pqarrow.NewFileWriter(sc, fh, props, pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

var (
	fInt32 = func(n string) arrow.Field {
		return arrow.Field{Name: n, Type: arrow.PrimitiveTypes.Int32, Nullable: true}
	}
	fInt64 = func(n string) arrow.Field {
		return arrow.Field{Name: n, Type: arrow.PrimitiveTypes.Int64, Nullable: true}
	}
	fStr = func(n string) arrow.Field {
		return arrow.Field{Name: n, Type: arrow.BinaryTypes.String, Nullable: true}
	}
	fDec = func(n string, p, s int32) arrow.Field {
		return arrow.Field{Name: n, Type: &arrow.Decimal128Type{Precision: p, Scale: s}, Nullable: true}
	}
)

func colNames(cols []scan.Column) string {
	var s []string
	for _, c := range cols {
		s = append(s, c.Name+" "+c.Type.String())
	}
	return strings.Join(s, ", ")
}

func TestHiveInference(t *testing.T) {
	dir := t.TempDir()
	parts := []string{
		"year=2023/day=2023-01-05/city=New%20York",
		"year=2024/day=2024-02-29/city=" + HiveNull,
		"year=" + HiveNull + "/day=2024-03-01/city=a%2Fb",
	}
	for i, p := range parts {
		writeJSON(t, filepath.Join(dir, "t", p, "f.parquet"), []arrow.Field{fInt32("x")}, `[{"x": `+string(rune('1'+i))+`}]`)
	}
	cat, _ := Open(dir)
	defer cat.Close()
	tb, err := cat.Table("t")
	if err != nil {
		t.Fatal(err)
	}
	if got := colNames(tb.Columns); got != "x INTEGER, year BIGINT, day DATE, city VARCHAR" {
		t.Fatalf("columns = %s", got)
	}
	var got []string
	for _, f := range tb.DataFiles {
		var vs []string
		for i, pc := range tb.Dataset.PartitionCols {
			vs = append(vs, coldata.Format(pc.Type, f.Partition[i]))
		}
		got = append(got, strings.Join(vs, "|"))
	}
	want := "2023|2023-01-05|New York;2024|2024-02-29|NULL;NULL|2024-03-01|a/b"
	if strings.Join(got, ";") != want {
		t.Errorf("partitions = %s\nwant %s", strings.Join(got, ";"), want)
	}
	if tb.Dataset.Uniform(tb.DataFiles) {
		t.Error("a partitioned table is not uniform")
	}

	// Explicit types, and hive partitioning switched off.
	d, err := cat.Dataset(context.Background(), []string{"t"}, DatasetOptions{HiveTypes: map[string]coldata.Type{"YEAR": coldata.TypeString}})
	if err != nil || d.PartitionCols[0].Type != coldata.TypeString {
		t.Errorf("hive_types: %v %v", d, err)
	}
	d, err = cat.Dataset(context.Background(), []string{"t"}, DatasetOptions{HivePartitioning: HiveDisabled})
	if err != nil || len(d.PartitionCols) != 0 {
		t.Errorf("hive off: %v", err)
	}
	_, err = cat.Dataset(context.Background(), []string{"t"}, DatasetOptions{HiveTypes: map[string]coldata.Type{"city": coldata.TypeInt64}})
	if err == nil || !strings.Contains(err.Error(), "city=New York") {
		t.Errorf("bad hive_types value: %v", err)
	}
	// A single file named explicitly gets its key=value folders on request.
	one := filepath.Join(dir, "t", parts[0], "f.parquet")
	d, err = cat.Dataset(context.Background(), []string{one}, DatasetOptions{HivePartitioning: HiveEnabled})
	if err != nil || len(d.PartitionCols) != 3 || d.Files[0].Partition[2].S != "New York" {
		t.Errorf("single file with hive_partitioning: %v %v", d, err)
	}
	if d, err := cat.Dataset(context.Background(), []string{one}, DatasetOptions{}); err != nil || len(d.PartitionCols) != 0 {
		t.Errorf("single file, auto: %v", err)
	}
	// A file outside the layout disables auto-detection but fails when asked for.
	writeJSON(t, filepath.Join(dir, "t", "loose.parquet"), []arrow.Field{fInt32("x")}, `[{"x": 9}]`)
	if d, err := cat.Dataset(context.Background(), []string{"t"}, DatasetOptions{}); err != nil || len(d.PartitionCols) != 0 {
		t.Errorf("auto with a loose file: %v", err)
	}
	if _, err := cat.Dataset(context.Background(), []string{"t"}, DatasetOptions{HivePartitioning: HiveEnabled}); err == nil || !strings.Contains(err.Error(), "mismatch") {
		t.Errorf("forced hive with a loose file: %v", err)
	}
}

func TestPrunePartitions(t *testing.T) {
	dir := t.TempDir()
	for y := 2020; y <= 2023; y++ {
		for _, r := range []string{"eu", "us", HiveNull} {
			for k := 0; k < 2; k++ {
				p := filepath.Join(dir, "sales", "year="+itoa(y), "region="+r, "part-"+itoa(k)+".parquet")
				writeJSON(t, p, []arrow.Field{fInt64("amount")}, `[{"amount": 1}, {"amount": 2}]`)
			}
		}
	}
	i64 := func(v int64) coldata.Datum { return coldata.Datum{I: v} }
	str := func(v string) coldata.Datum { return coldata.Datum{S: v} }
	cases := []struct {
		name       string
		preds      []PartitionPredicate
		kept, part int
	}{
		{"none", nil, 24, 12},
		{"eq", []PartitionPredicate{{Col: 0, Op: scan.OpEq, Vals: []coldata.Datum{i64(2021)}}}, 6, 3},
		{"ne", []PartitionPredicate{{Col: 0, Op: scan.OpNe, Vals: []coldata.Datum{i64(2021)}}}, 18, 9},
		{"lt", []PartitionPredicate{{Col: 0, Op: scan.OpLt, Vals: []coldata.Datum{i64(2021)}}}, 6, 3},
		{"le", []PartitionPredicate{{Col: 0, Op: scan.OpLe, Vals: []coldata.Datum{i64(2021)}}}, 12, 6},
		{"gt", []PartitionPredicate{{Col: 0, Op: scan.OpGt, Vals: []coldata.Datum{i64(2021)}}}, 12, 6},
		{"ge", []PartitionPredicate{{Col: 0, Op: scan.OpGe, Vals: []coldata.Datum{i64(2023)}}}, 6, 3},
		{"between", []PartitionPredicate{{Col: 0, Op: scan.OpBetween, Vals: []coldata.Datum{i64(2021), i64(2022)}}}, 12, 6},
		{"in", []PartitionPredicate{{Col: 1, Op: scan.OpIn, Vals: []coldata.Datum{str("eu"), coldata.NullDatum}}}, 8, 4},
		{"is null", []PartitionPredicate{{Col: 1, Op: scan.OpIsNull}}, 8, 4},
		{"is not null", []PartitionPredicate{{Col: 1, Op: scan.OpIsNotNull}}, 16, 8},
		{"eq null", []PartitionPredicate{{Col: 1, Op: scan.OpEq, Vals: []coldata.Datum{coldata.NullDatum}}}, 0, 0},
		{"and", []PartitionPredicate{
			{Col: 0, Op: scan.OpEq, Vals: []coldata.Datum{i64(2022)}},
			{Col: 1, Op: scan.OpEq, Vals: []coldata.Datum{str("us")}}}, 2, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cat, _ := Open(dir)
			defer cat.Close()
			d, err := cat.Dataset(context.Background(), []string{"sales"}, DatasetOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if n := cat.FootersOpened(); n != 1 {
				t.Errorf("Dataset opened %d footers, want 1 (the schema's)", n)
			}
			kept, st := d.PrunePartitions(c.preds)
			if st.Files != 24 || st.FilesKept != c.kept || len(kept) != c.kept || st.Partitions != 12 || st.PartitionsKept != c.part {
				t.Fatalf("stats %+v, want %d files kept, %d partitions", st, c.kept, c.part)
			}
			tb, err := d.Table(context.Background(), kept)
			if err != nil {
				t.Fatal(err)
			}
			wantOpened := int64(c.kept)
			if kept == nil || kept[0].Path != d.Files[0].Path {
				wantOpened++ // the schema file was pruned but had been read
			}
			if n := cat.FootersOpened(); n != wantOpened {
				t.Errorf("footers opened = %d, want %d", n, wantOpened)
			}
			if tb.NumRows != int64(2*c.kept) {
				t.Errorf("rows = %d", tb.NumRows)
			}
		})
	}
}

func itoa(i int) string { return fmtInt(i) }

func fmtInt(i int) string { return coldata.Format(coldata.TypeInt64, coldata.Datum{I: int64(i)}) }

func TestUnionByName(t *testing.T) {
	dir := t.TempDir()
	writeJSON(t, filepath.Join(dir, "a.parquet"), []arrow.Field{fInt32("id"), fDec("price", 7, 2), fStr("name")},
		`[{"id": 1, "price": "1.25", "name": "x"}]`)
	writeJSON(t, filepath.Join(dir, "b.parquet"), []arrow.Field{fInt64("ID"), fDec("price", 12, 4), fStr("extra")},
		`[{"ID": 2, "price": "3.1416", "extra": "e"}]`)
	cat, _ := Open(dir)
	defer cat.Close()
	d, err := cat.Dataset(context.Background(), []string{filepath.Join(dir, "*.parquet")}, DatasetOptions{UnionByName: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := colNames(d.Columns); got != "id BIGINT, price DECIMAL(12,4), name VARCHAR, extra VARCHAR" {
		t.Errorf("merged = %s", got)
	}
	a, b := d.Files[0], d.Files[1]
	if join(a.ColumnMap) != "0,1,2,-1" || join(b.ColumnMap) != "0,1,-1,2" {
		t.Errorf("maps %v %v", a.ColumnMap, b.ColumnMap)
	}
	if !a.NeedsWiden(d, 0) || !a.NeedsWiden(d, 1) || b.NeedsWiden(d, 0) || b.NeedsWiden(d, 1) {
		t.Error("NeedsWiden wrong")
	}
	// Widen really converts what the reader produced.
	r, err := a.File.NewReader(0, []int{0, 1})
	if err != nil {
		t.Fatal(err)
	}
	batch := coldata.NewBatch([]coldata.Type{a.File.Columns()[0].Type, a.File.Columns()[1].Type}, 16)
	n, err := r.Next(batch, 16)
	if err != nil || n != 1 {
		t.Fatal(n, err)
	}
	id, price := coldata.NewVec(d.Columns[0].Type, 0), coldata.NewVec(d.Columns[1].Type, 0)
	if err := Widen(id, batch.Vecs[0], n); err != nil {
		t.Fatal(err)
	}
	if err := Widen(price, batch.Vecs[1], n); err != nil {
		t.Fatal(err)
	}
	if id.I64[0] != 1 || coldata.Format(d.Columns[1].Type, price.Get(0)) != "1.2500" {
		t.Errorf("widened %v %v", id.I64, price.Get(0))
	}
	// Without union_by_name the files differ by position.
	_, err = cat.Table(filepath.Join(dir, "*.parquet"))
	if err == nil || !strings.Contains(err.Error(), "a.parquet") || !strings.Contains(err.Error(), "b.parquet") {
		t.Errorf("positional mismatch: %v", err)
	}
}

func TestIncompatibleSchemas(t *testing.T) {
	cases := []struct {
		name   string
		a, b   arrow.Field
		byName bool
		want   string
	}{
		{"string vs int", fInt32("v"), fStr("v"), true, `column "v" has incompatible types across files: INTEGER in`},
		{"scale beyond 18 digits", fDec("v", 18, 2), fDec("v", 10, 4), true, "DECIMAL(18,2) in"},
		{"positional type", fInt32("v"), fStr("v"), false, "differ in column 1: v INTEGER vs v VARCHAR"},
		{"positional narrowing", fInt64("v"), fInt32("v"), false, ""},
		{"positional widening", fInt32("v"), fInt64("v"), false, "v INTEGER vs v BIGINT"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeJSON(t, filepath.Join(dir, "a.parquet"), []arrow.Field{c.a}, `[{"v": null}]`)
			writeJSON(t, filepath.Join(dir, "b.parquet"), []arrow.Field{c.b}, `[{"v": null}]`)
			cat, _ := Open(dir)
			defer cat.Close()
			d, err := cat.Dataset(context.Background(), []string{dir}, DatasetOptions{UnionByName: c.byName})
			if err == nil {
				_, err = d.Table(context.Background(), d.Files)
			}
			if c.want == "" {
				if err != nil {
					t.Fatalf("want success, got %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "a.parquet") || !strings.Contains(err.Error(), "b.parquet") {
				t.Fatalf("got %v, want %q naming both files", err, c.want)
			}
		})
	}
}

func join(m []int) string {
	var s []string
	for _, v := range m {
		s = append(s, fmtInt(v))
	}
	return strings.Join(s, ",")
}

func TestTablesList(t *testing.T) {
	dir := t.TempDir()
	writeJSON(t, filepath.Join(dir, "a.parquet"), []arrow.Field{fInt32("v")}, `[{"v": 1}]`)
	writeJSON(t, filepath.Join(dir, "b.parquet"), []arrow.Field{fInt32("v")}, `[{"v": 2}, {"v": 3}]`)
	cat, _ := Open("")
	defer cat.Close()
	tb, err := cat.Tables([]string{filepath.Join(dir, "a.parquet"), filepath.Join(dir, "b.parquet")})
	if err != nil || tb.NumRows != 3 || !tb.Dataset.Uniform(tb.DataFiles) {
		t.Fatalf("%v %v", tb, err)
	}
}

func TestHandlePoolBound(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 20; i++ {
		writeJSON(t, filepath.Join(dir, "t", "f"+itoa(i)+".parquet"), []arrow.Field{fInt32("v")}, `[{"v": 1}]`)
	}
	cat, _ := Open(dir)
	defer cat.Close()
	cat.handles.max = 4
	tb, err := cat.Table("t")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range tb.Files {
		r, err := f.NewReader(0, []int{0})
		if err != nil {
			t.Fatal(err)
		}
		b := coldata.NewBatch([]coldata.Type{coldata.TypeInt32}, 4)
		if n, err := r.Next(b, 4); err != nil || n != 1 {
			t.Fatal(n, err)
		}
		r.Close()
	}
	if cat.handles.open > 4 {
		t.Errorf("%d descriptors open, bound is 4", cat.handles.open)
	}
}

func TestSourcesAndFilePredicates(t *testing.T) {
	dir := t.TempDir()
	writeJSON(t, filepath.Join(dir, "t", "k=1", "a.parquet"), []arrow.Field{fInt32("id"), fDec("p", 7, 2)}, `[{"id": 1, "p": "1.25"}]`)
	writeJSON(t, filepath.Join(dir, "t", "k=2", "b.parquet"), []arrow.Field{fInt64("id"), fDec("p", 9, 4), fStr("extra")}, `[{"id": 2, "p": "2.5", "extra": "e"}]`)
	cat, _ := Open(dir)
	defer cat.Close()
	d, err := cat.Dataset(context.Background(), []string{"t"}, DatasetOptions{UnionByName: true})
	if err != nil {
		t.Fatal(err)
	}
	tb, err := d.Table(context.Background(), d.Files)
	if err != nil {
		t.Fatal(err)
	}
	if got := colNames(tb.Columns); got != "id BIGINT, p DECIMAL(9,4), extra VARCHAR, k BIGINT" {
		t.Fatalf("columns %s", got)
	}
	src := tb.Sources(0, []int{3, 2, 1, 0})
	if src[0].FileCol != -1 || src[0].Const.I != 1 || src[1].FileCol != -1 || !src[1].Const.Null ||
		src[2].FileCol != 1 || !src[2].Widen || src[3].FileCol != 0 || !src[3].Widen {
		t.Errorf("sources %+v", src)
	}
	i64 := func(v int64) []coldata.Datum { return []coldata.Datum{{I: v}} }
	cases := []struct {
		name  string
		file  int
		preds []scan.Predicate
		may   bool
		out   string
	}{
		{"partition fails", 0, []scan.Predicate{{Col: 3, Op: scan.OpEq, Vals: i64(2)}}, false, ""},
		{"partition passes, dropped", 1, []scan.Predicate{{Col: 3, Op: scan.OpEq, Vals: i64(2)}}, true, ""},
		{"missing column compared", 0, []scan.Predicate{{Col: 2, Op: scan.OpEq, Vals: []coldata.Datum{{S: "e"}}}}, false, ""},
		{"missing column IS NULL", 0, []scan.Predicate{{Col: 2, Op: scan.OpIsNull}}, true, ""},
		{"decimal rescaled", 0, []scan.Predicate{{Col: 1, Op: scan.OpGt, Vals: i64(12500)}}, true, "1:125"},
		{"decimal inexact dropped", 0, []scan.Predicate{{Col: 1, Op: scan.OpGt, Vals: i64(12501)}}, true, ""},
		{"int out of int32 range dropped", 0, []scan.Predicate{{Col: 0, Op: scan.OpLt, Vals: i64(1 << 40)}}, true, ""},
		{"same type kept", 1, []scan.Predicate{{Col: 0, Op: scan.OpLt, Vals: i64(5)}}, true, "0:5"},
	}
	for _, c := range cases {
		out, may := tb.FilePredicates(c.file, c.preds)
		var got []string
		for _, p := range out {
			got = append(got, fmtInt(p.Col)+":"+fmtInt(int(p.Vals[0].I)))
		}
		if may != c.may || strings.Join(got, ",") != c.out {
			t.Errorf("%s: %v %v, want %v %q", c.name, got, may, c.may, c.out)
		}
	}
}
