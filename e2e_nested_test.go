package peregrine_test

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

var regenNested = flag.Bool("regen-nested", false, "rewrite testdata/nested/nested.parquet")

const nestedFile = "testdata/nested/nested.parquet"

// nestedJSON is the content of testdata/nested/nested.parquet.
const nestedJSON = `[
{"id": 1, "tags": ["a", "b"], "s": {"a": 1, "b": "x"}, "m": [{"key": "k1", "value": 1}, {"key": "k2", "value": 2}], "pts": [{"x": 1, "y": 2}, {"x": 3, "y": 4}], "ll": [[1, 2], [3]]},
{"id": 2, "tags": [], "s": {"a": 2, "b": null}, "m": [], "pts": [], "ll": [[]]},
{"id": 3, "tags": null, "s": null, "m": null, "pts": null, "ll": null},
{"id": 4, "tags": ["c", null], "s": {"a": null, "b": "z"}, "m": [{"key": "k3", "value": null}], "pts": [null], "ll": [null, [4]]},
{"id": 5, "tags": ["d"], "s": {"a": 5, "b": "w"}, "m": [{"key": "k1", "value": 10}], "pts": [{"x": 5, "y": null}], "ll": []},
{"id": 6, "tags": ["e", "f", "g"], "s": {"a": 6, "b": "v"}, "m": [], "pts": [], "ll": [[5]]}
]`

func nestedSchema() *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "tags", Type: arrow.ListOf(arrow.BinaryTypes.String), Nullable: true},
		{Name: "s", Type: arrow.StructOf(arrow.Field{Name: "a", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
			arrow.Field{Name: "b", Type: arrow.BinaryTypes.String, Nullable: true}), Nullable: true},
		{Name: "m", Type: arrow.MapOf(arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int64), Nullable: true},
		{Name: "pts", Type: arrow.ListOf(arrow.StructOf(arrow.Field{Name: "x", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
			arrow.Field{Name: "y", Type: arrow.PrimitiveTypes.Int32, Nullable: true})), Nullable: true},
		{Name: "ll", Type: arrow.ListOf(arrow.ListOf(arrow.PrimitiveTypes.Int32)), Nullable: true},
	}, nil)
}

// TestNestedTestdataFile regenerates the committed file with -regen-nested
// (two row groups of three rows, written by arrow-go).
func TestNestedTestdataFile(t *testing.T) {
	if !*regenNested {
		if _, err := os.Stat(nestedFile); err != nil {
			t.Fatalf("%v (run with -regen-nested)", err)
		}
		return
	}
	rec, _, err := array.RecordFromJSON(memory.DefaultAllocator, nestedSchema(), strings.NewReader(nestedJSON))
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	tbl := array.NewTableFromRecords(nestedSchema(), []arrow.RecordBatch{rec})
	defer tbl.Release()
	out, err := os.Create(nestedFile)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if err := pqarrow.WriteTable(tbl, out, 3, parquet.NewWriterProperties(), pqarrow.DefaultWriterProps()); err != nil {
		t.Fatal(err)
	}
}

func formattedRows(t *testing.T, db *peregrine.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for {
		b, err := rows.Next(context.Background())
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if b == nil {
			return out
		}
		for k := 0; k < b.Len(); k++ {
			var cells []string
			for c, d := range b.Row(k) {
				cells = append(cells, coldata.Format(rows.Columns()[c].Type, d))
			}
			out = append(out, strings.Join(cells, " | "))
		}
	}
}

func TestNestedSelect(t *testing.T) {
	db, err := peregrine.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	all := []string{
		"1 | [a, b] | {'a': 1, 'b': x} | {k1=1, k2=2} | [{'x': 1, 'y': 2}, {'x': 3, 'y': 4}] | [[1, 2], [3]]",
		"2 | [] | {'a': 2, 'b': NULL} | {} | [] | [[]]",
		"3 | NULL | NULL | NULL | NULL | NULL",
		"4 | [c, NULL] | {'a': NULL, 'b': z} | {k3=NULL} | [NULL] | [NULL, [4]]",
		"5 | [d] | {'a': 5, 'b': w} | {k1=10} | [{'x': 5, 'y': NULL}] | []",
		"6 | [e, f, g] | {'a': 6, 'b': v} | {} | [] | [[5]]",
	}
	cases := []struct {
		q    string
		want []string
	}{
		{"SELECT * FROM '" + nestedFile + "'", all},
		{"SELECT * FROM '" + nestedFile + "' WHERE id >= 4 AND id <> 5", []string{all[3], all[5]}},
		{"SELECT * FROM '" + nestedFile + "' ORDER BY id DESC LIMIT 3", []string{all[5], all[4], all[3]}},
		{"SELECT * FROM '" + nestedFile + "' ORDER BY id DESC", []string{all[5], all[4], all[3], all[2], all[1], all[0]}},
		{"SELECT tags, id FROM '" + nestedFile + "' ORDER BY id LIMIT 2 OFFSET 1", []string{"[] | 2", "NULL | 3"}},
	}
	for _, c := range cases {
		got := formattedRows(t, db, c.q)
		if !strings.Contains(c.q, "ORDER BY") {
			slices.Sort(got) // row groups are read in parallel
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s:\ngot\n%s\nwant\n%s", c.q, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
		}
	}
	rows, err := db.Query(context.Background(), "SELECT * FROM '"+nestedFile+"'")
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, c := range rows.Columns() {
		types = append(types, c.Type.String())
	}
	rows.Close()
	if s := strings.Join(types, ", "); s != "BIGINT, VARCHAR[], STRUCT(a BIGINT, b VARCHAR), MAP(VARCHAR, BIGINT), STRUCT(x INTEGER, y INTEGER)[], INTEGER[][]" {
		t.Errorf("types: %s", s)
	}
}

func TestNestedArrowResult(t *testing.T) {
	db, err := peregrine.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rr, err := db.QueryArrow(context.Background(), "SELECT * FROM '"+filepath.ToSlash(nestedFile)+"' ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	want := nestedSchema()
	got := rr.Schema()
	for i := 0; i < want.NumFields(); i++ {
		if !arrow.TypeEqual(got.Field(i).Type, want.Field(i).Type) {
			t.Errorf("column %s: Arrow type %s, want %s", want.Field(i).Name, got.Field(i).Type, want.Field(i).Type)
		}
	}
	ref, _, err := array.RecordFromJSON(memory.DefaultAllocator, want, strings.NewReader(nestedJSON))
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Release()
	row := int64(0)
	for rr.Next() {
		rec := rr.RecordBatch()
		for c := 1; c < int(rec.NumCols()); c++ {
			exp := array.NewSlice(ref.Column(c), row, row+rec.NumRows())
			if !array.Equal(exp, rec.Column(c)) {
				t.Errorf("column %s rows %d..: got %v, want %v", want.Field(c).Name, row, rec.Column(c), exp)
			}
			exp.Release()
		}
		row += rec.NumRows()
	}
	if err := rr.Err(); err != nil || row != 6 {
		t.Fatalf("rows %d, err %v", row, err)
	}
}

func TestNestedSQL(t *testing.T) {
	db, err := peregrine.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	from := " FROM '" + nestedFile + "'"
	cases := []struct {
		q    string
		want []string
	}{
		{"SELECT id, s.a, s['b'], struct_extract(s, 'a'), nested.s.b" + from + " ORDER BY id", []string{
			"1 | 1 | x | 1 | x", "2 | 2 | NULL | 2 | NULL", "3 | NULL | NULL | NULL | NULL",
			"4 | NULL | z | NULL | z", "5 | 5 | w | 5 | w", "6 | 6 | v | 6 | v"}},
		{"SELECT id, tags[1], tags[-1], tags[3], len(tags), array_length(ll), ll[2][1], pts[1].x, m['k1']" + from + " ORDER BY id", []string{
			"1 | a | b | NULL | 2 | 2 | 3 | 1 | 1", "2 | NULL | NULL | NULL | 0 | 1 | NULL | NULL | NULL",
			"3 | NULL | NULL | NULL | NULL | NULL | NULL | NULL | NULL", "4 | c | NULL | NULL | 2 | 2 | 4 | NULL | NULL",
			"5 | d | d | NULL | 1 | 0 | NULL | 5 | 10", "6 | e | g | g | 3 | 1 | NULL | NULL | NULL"}},
		// Filters on fields, nested columns as payload through filter, sort and limit.
		{"SELECT id, tags, m" + from + " WHERE s.a >= 2 AND len(tags) > 0 ORDER BY s.b DESC LIMIT 2", []string{
			"5 | [d] | {k1=10}", "6 | [e, f, g] | {}"}},
		{"SELECT s.b, count(*), max(len(tags))" + from + " GROUP BY s.b ORDER BY 1", []string{
			"v | 1 | 3", "w | 1 | 1", "x | 1 | 2", "z | 1 | 2", "NULL | 2 | 0"}},
		{"SELECT count(tags), count(s)" + from, []string{"5 | 5"}},
		{"SELECT id, list_contains(tags, 'c'), array_contains(ll[2], 4), map_keys(m), map_values(m)" + from + " WHERE list_contains(tags, 'c') OR id < 4 ORDER BY id", []string{
			"1 | false | false | [k1, k2] | [1, 2]", "2 | false | NULL | [] | []", "3 | NULL | NULL | NULL | NULL", "4 | true | true | [k3] | [NULL]"}},
		// Nested columns as join payload, from either side, inner, left and semi joins.
		{"SELECT a.id, b.tags, b.s, a.m, b.ll" + from + " a JOIN" + from[5:] + " b ON a.id = b.id WHERE len(b.tags) > 0 AND a.s.a > 1 ORDER BY 1", []string{
			"5 | [d] | {'a': 5, 'b': w} | {k1=10} | []", "6 | [e, f, g] | {'a': 6, 'b': v} | {} | [[5]]"}},
		{"SELECT a.id, b.tags, b.pts" + from + " a LEFT JOIN" + from[5:] + " b ON a.id = b.id + 3 ORDER BY 1", []string{
			"1 | NULL | NULL", "2 | NULL | NULL", "3 | NULL | NULL", "4 | [a, b] | [{'x': 1, 'y': 2}, {'x': 3, 'y': 4}]", "5 | [] | []", "6 | NULL | NULL"}},
		{"SELECT id, tags, s" + from + " WHERE id IN (SELECT id" + from + " WHERE id < 3) ORDER BY id", []string{
			"1 | [a, b] | {'a': 1, 'b': x}", "2 | [] | {'a': 2, 'b': NULL}"}},
		// GROUP BY, DISTINCT and count(DISTINCT) on nested values.
		{"SELECT tags, count(*), max(id)" + from + " a GROUP BY tags HAVING count(*) = 1 ORDER BY max(id)", []string{
			"[a, b] | 1 | 1", "[] | 1 | 2", "NULL | 1 | 3", "[c, NULL] | 1 | 4", "[d] | 1 | 5", "[e, f, g] | 1 | 6"}},
		{"SELECT s.b, m, count(*)" + from + " GROUP BY s.b, m ORDER BY 1", []string{
			"v | {} | 1", "w | {k1=10} | 1", "x | {k1=1, k2=2} | 1", "z | {k3=NULL} | 1", "NULL | {} | 1", "NULL | NULL | 1"}},
		{"SELECT DISTINCT pts, len(pts)" + from, []string{
			"NULL | NULL", "[NULL] | 1", "[] | 0", "[{'x': 1, 'y': 2}, {'x': 3, 'y': 4}] | 2", "[{'x': 5, 'y': NULL}] | 1"}},
		{"SELECT count(DISTINCT pts), count(DISTINCT m), count(m)" + from, []string{"4 | 4 | 5"}},
		// Nested values cast to VARCHAR print as DuckDB prints them.
		{"SELECT id, CAST(tags AS VARCHAR), upper(s), tags::VARCHAR || '!', ll::VARCHAR" + from + " WHERE CAST(m AS VARCHAR) LIKE '%k1%' ORDER BY id", []string{
			"1 | [a, b] | {'A': 1, 'B': X} | [a, b]! | [[1, 2], [3]]", "5 | [d] | {'A': 5, 'B': W} | [d]! | []"}},
		// Scalars from nested values computed below a join pass through it.
		{"SELECT a.id, b.n, b.sb" + from + " a JOIN (SELECT id, len(tags) AS n, s.b AS sb" + from + ") b ON a.id = b.id WHERE a.id > 3 ORDER BY 1", []string{
			"4 | 2 | z", "5 | 1 | w", "6 | 3 | v"}},
	}
	for _, c := range cases {
		got := formattedRows(t, db, c.q)
		if !strings.Contains(c.q, "ORDER BY") {
			slices.Sort(got)
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s:\ngot\n%s\nwant\n%s", c.q, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
		}
	}
	rows, err := db.Query(context.Background(), "SELECT tags[1], s['b'], pts[1].x, s.a"+from)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range rows.Columns() {
		names = append(names, c.Name)
	}
	rows.Close()
	if s := strings.Join(names, ", "); s != "tags[1], s['b'], (pts[1]).x, a" { // DuckDB names them so
		t.Errorf("names: %s", s)
	}
	for q, want := range map[string]string{
		"SELECT *" + from + " ORDER BY m":                               "ORDER BY on the nested column m",
		"SELECT a.id" + from + " a JOIN" + from[5:] + " b ON a.s < b.s": "comparison on the nested value",
		"SELECT CASE WHEN id > 2 THEN tags END" + from:                  "CASE on the nested type VARCHAR[] is not supported yet",
		"SELECT CAST(tags AS INTEGER)" + from:                           "Conversion Error: Unimplemented type for cast (VARCHAR[] -> INTEGER)", // DuckDB's text
		"SELECT s.zz" + from:                                            `Could not find key "zz" in struct`,
		"SELECT id[1]" + from:                                           "cannot subscript a value of type BIGINT",
	} {
		rows, err := db.Query(context.Background(), q)
		if err == nil {
			_, err = rows.Next(context.Background())
			rows.Close()
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", q, err, want)
		}
	}
}

// TestNestedLeafProjection checks that a query using only some fields of a
// struct column reads only those fields' column chunks (EXPLAIN ANALYZE's
// bytes read), with the same answers as reading the whole column.
func TestNestedLeafProjection(t *testing.T) {
	db, err := peregrine.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const file = "scan/testdata/parquet-testing/data/nullable.impala.parquet"
	// stats returns EXPLAIN ANALYZE's bytes read and pages read. Chunks
	// close together are fetched in one read (gaps below 64 KiB included),
	// so pages read is the count of what was decoded.
	stats := func(q string) (int, int) {
		t.Helper()
		text := strings.Join(formattedRows(t, db, "EXPLAIN ANALYZE "+q), "\n")
		var b, p, total int
		i := strings.Index(text, "bytes read: ")
		k := strings.Index(text, "pages: ")
		if i < 0 || k < 0 {
			t.Fatalf("no bytes or pages read in:\n%s", text)
		}
		if _, err := fmt.Sscanf(text[i+len("bytes read: "):], "%d B,", &b); err != nil {
			t.Fatalf("cannot parse %q: %v", text[i:], err)
		}
		if _, err := fmt.Sscanf(text[k+len("pages: "):], "%d of %d read", &p, &total); err != nil {
			t.Fatalf("cannot parse %q: %v", text[k:], err)
		}
		return b, p
	}
	wholeBytes, wholePages := stats("SELECT nested_struct FROM '" + file + "'")
	_, idPages := stats("SELECT id FROM '" + file + "'")
	if b, p := stats("SELECT nested_struct.A FROM '" + file + "'"); p != 1 || b*5 > wholeBytes {
		t.Errorf("nested_struct.A: %d pages, %d bytes; the whole struct %d pages, %d bytes", p, b, wholePages, wholeBytes)
	}
	if _, p := stats("SELECT id FROM '" + file + "' WHERE nested_struct.A > 1"); p != idPages+1 {
		t.Errorf("id with a filter on nested_struct.A: %d pages, want %d", p, idPages+1)
	}
	if _, p := stats("SELECT nested_struct['A'] + 1, nested_struct.b[1] FROM '" + file + "'"); p != 2 {
		t.Errorf("fields A and b: %d pages, want 2", p)
	}
	// Through lists: an element's field, and lengths (one leaf's levels).
	if _, p := stats("SELECT nested_struct.C.d[1][1].E, len(nested_struct.C.d) FROM '" + file + "'"); p != 1 {
		t.Errorf("C.d[1][1].E and len(C.d): %d pages, want 1", p)
	}
	if _, p := stats("SELECT len(int_Map_Array) FROM '" + file + "'"); p != 1 {
		t.Errorf("len(int_Map_Array): %d pages, want 1 (the map's keys or values, not both)", p)
	}
	if got := strings.Join(formattedRows(t, db, "SELECT id, nested_struct.C.d[1][1].E, len(nested_struct.C.d), len(int_Map_Array) FROM '"+file+"' ORDER BY id"), ", "); got != "1 | 10 | 2 | 1, 2 | NULL | 4 | 3, 3 | NULL | 0 | 2, 4 | NULL | NULL | 0, 5 | NULL | NULL | NULL, 6 | NULL | NULL | NULL, 7 | NULL | 3 | NULL" {
		t.Errorf("through lists: %s", got)
	}
	if b, p := stats("SELECT nested_struct.A, nested_struct FROM '" + file + "'"); p != wholePages || b != wholeBytes {
		t.Errorf("the whole struct used: %d pages, %d bytes; want %d, %d", p, b, wholePages, wholeBytes)
	}
	got := formattedRows(t, db, "SELECT id, nested_struct.A, nested_struct.b, nested_struct.C.d[1][1].E FROM '"+file+"' ORDER BY id")
	want := []string{"1 | 1 | [1] | 10", "2 | NULL | [NULL] | NULL", "3 | NULL | NULL | NULL", "4 | NULL | NULL | NULL",
		"5 | NULL | NULL | NULL", "6 | NULL | NULL | NULL", "7 | 7 | [2, 3, NULL] | NULL"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestNestedManyFiles reads nested columns from a glob of files and with
// union_by_name: the files' types must agree (nested types are interned).
func TestNestedManyFiles(t *testing.T) {
	data, err := os.ReadFile(nestedFile)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, n := range []string{"a.parquet", "b.parquet"} {
		if err := os.WriteFile(filepath.Join(dir, n), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db, err := peregrine.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	glob := filepath.ToSlash(filepath.Join(dir, "*.parquet"))
	for q, want := range map[string]string{
		"SELECT count(*), sum(len(tags)), max(s.a), count(m['k1']) FROM '" + glob + "'":                          "12 | 16 | 6 | 4",
		"SELECT count(*) FROM read_parquet('" + glob + "', union_by_name = true) WHERE s.a > 1 AND ll[1][1] = 5": "2",
	} {
		if got := strings.Join(formattedRows(t, db, q), "\n"); got != want {
			t.Errorf("%s: got %s, want %s", q, got, want)
		}
	}
}

// TestNestedDatabaseSQL: nested values cast to VARCHAR come out of
// database/sql as their DuckDB text (uncast, they are Go values: see
// TestDatabaseSQLNested).
func TestNestedDatabaseSQL(t *testing.T) {
	db, err := sql.Open("peregrine", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got := queryStrings(t, db, "SELECT tags::VARCHAR, s::VARCHAR, m::VARCHAR, ll::VARCHAR FROM '"+nestedFile+"' WHERE id IN (1, 3) ORDER BY id")
	want := [][]string{{"[a, b]", "{'a': 1, 'b': x}", "{k1=1, k2=2}", "[[1, 2], [3]]"}, {"NULL", "NULL", "NULL", "NULL"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestNestedThreeWayJoin carries nested columns of two sides through two
// hash joins (tables of a folder).
func TestNestedThreeWayJoin(t *testing.T) {
	db, err := peregrine.Open("testdata/nested")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got := formattedRows(t, db, "SELECT a.id, b.tags, c.s.b, c.m FROM nested a JOIN nested b ON a.id = b.id JOIN nested c ON c.id = b.id WHERE len(b.tags) > 1 AND b.s.a > 0 ORDER BY 1")
	want := []string{"1 | [a, b] | x | {k1=1, k2=2}", "6 | [e, f, g] | v | {}"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
