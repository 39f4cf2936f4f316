package scan

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// TestNestedCorpusValues pins values of nested corpus files as DuckDB
// prints them, including the legacy two-level list that arrow-go reads as
// a struct (old_list_structure.md: LIST<LIST<INT32>> [[1, 2], [3, 4]]).
func TestNestedCorpusValues(t *testing.T) {
	cases := []struct {
		file, col string
		typ       string
		rows      []string
	}{
		{"old_list_structure.parquet", "a", "INTEGER[][]", []string{"[[1, 2], [3, 4]]"}},
		{"list_columns.parquet", "utf8_list", "VARCHAR[]", []string{"[abc, efg, hij]", "NULL", "[efg, NULL, hij, xyz]"}},
		{"map_no_value.parquet", "my_map", "MAP(INTEGER, INTEGER)", []string{"{1=NULL, 2=NULL, 3=NULL}", "{4=NULL, 5=NULL, 6=NULL}", "{7=NULL, 8=NULL, 9=NULL}"}},
		{"map_no_value.parquet", "my_map_no_v", "INTEGER[]", []string{"[1, 2, 3]", "[4, 5, 6]", "[7, 8, 9]"}},
		{"nested_maps.snappy.parquet", "a", "MAP(VARCHAR, MAP(INTEGER, BOOLEAN))", []string{"{a={1=true, 2=false}}", "{b={1=true}}", "{c=NULL}", "{d={}}", "{e={1=true}}", "{f={3=true, 4=false, 5=true}}"}},
		{"repeated_no_annotation.parquet", "phoneNumbers", "STRUCT(phone STRUCT(number BIGINT, kind VARCHAR)[])", []string{"NULL", "NULL", "{'phone': []}",
			"{'phone': [{'number': 5555555555, 'kind': NULL}]}", "{'phone': [{'number': 1111111111, 'kind': home}]}",
			"{'phone': [{'number': 1111111111, 'kind': home}, {'number': 2222222222, 'kind': NULL}, {'number': 3333333333, 'kind': mobile}]}"}},
		{"null_list.parquet", "emptylist", "INTEGER[]", []string{"[]"}},
	}
	for _, c := range cases {
		f, err := Open(filepath.Join(corpusDir, "data", c.file))
		if err != nil {
			t.Fatal(err)
		}
		ci := -1
		for i, col := range f.Columns() {
			if col.Name == c.col {
				ci = i
			}
		}
		if ci < 0 {
			t.Fatalf("%s: no column %s", c.file, c.col)
		}
		typ := f.Columns()[ci].Type
		if typ.String() != c.typ && !strings.HasSuffix(c.typ, "[]") {
			t.Errorf("%s.%s: type %s, want %s", c.file, c.col, typ, c.typ)
		}
		got, err := readAll(t, f, []int{ci}, 2)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		for r, want := range c.rows {
			if s := coldata.Format(typ, got[0][r]); s != want {
				t.Errorf("%s.%s row %d: %s, want %s", c.file, c.col, r, s, want)
			}
		}
		f.Close()
	}
}

// TestNestedCorruptLevels checks that corrupt levels are clean errors.
func TestNestedCorruptLevels(t *testing.T) {
	for name, want := range map[string]string{
		"ARROW-GH-45185.parquet":          "record starts with a nonzero repetition level",
		"ARROW-RS-GH-6229-LEVELS.parquet": "pages hold more than the 1 values the column chunk declares",
	} {
		path := filepath.Join(corpusDir, "bad_data", name)
		err := openAndReadAll(path)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", name, err, want)
		}
	}
}
