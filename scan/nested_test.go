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

// FuzzNestedAssembly feeds arbitrary repetition/definition levels to the
// record assembly of optional list<optional struct<a: optional int32,
// b: optional list<optional int32>>>: it must return vectors or an error,
// never panic.
func FuzzNestedAssembly(f *testing.F) {
	f.Add([]byte{0, 4, 1, 4, 0, 0, 0, 1}, []byte{0, 6, 1, 5, 0, 1, 0, 2, 2, 6}, uint16(3))
	f.Add([]byte{1, 4}, []byte{0, 0}, uint16(1))
	f.Fuzz(func(t *testing.T, la, lb []byte, rows uint16) {
		// a: def max 4 (list, element, struct... ), rep max 1; b's leaf:
		// def max 6, rep max 2.
		a := &nestNode{name: "a", kind: nkLeaf, typ: coldata.TypeInt32, defLevel: 4, maxDef: 4, maxRep: 1, first: 0}
		bl := &nestNode{name: "element", kind: nkLeaf, typ: coldata.TypeInt32, defLevel: 6, maxDef: 6, maxRep: 2, first: 1}
		b := &nestNode{name: "b", kind: nkList, typ: coldata.ListType(coldata.TypeInt32), defLevel: 4, repDef: 5, repRep: 2,
			children: []*nestNode{bl}, first: 1}
		st := &nestNode{name: "element", kind: nkStruct, defLevel: 3, children: []*nestNode{a, b}, first: 0,
			typ: coldata.StructType([]coldata.Field{{Name: "a", Type: a.typ}, {Name: "b", Type: b.typ}})}
		root := &nestNode{name: "l", kind: nkList, typ: coldata.ListType(st.typ), defLevel: 1, repDef: 2, repRep: 1,
			children: []*nestNode{st}, first: 0}
		mk := func(raw []byte, maxDef, maxRep uint8) leafData {
			var d leafData
			for i := 0; i+1 < len(raw); i += 2 {
				d.def = append(d.def, raw[i]%(maxDef+1))
				d.rep = append(d.rep, raw[i+1]%(maxRep+1))
			}
			if len(d.rep) > 0 {
				d.rep[0] = 0
			}
			n := 0
			for _, x := range d.def {
				if x == maxDef {
					n++
				}
			}
			d.vals = coldata.NewVec(coldata.TypeInt32, n)
			return d
		}
		as := assembler{data: []leafData{mk(la, 4, 1), mk(lb, 6, 2)}, rows: int64(rows)}
		v, err := as.build(root, 0, 0)
		if err != nil {
			return
		}
		for i := 0; i < v.Len(); i++ {
			_ = coldata.Format(v.Type, v.Get(i))
		}
	})
}
