package scan

import (
	"fmt"
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

// TestWithFieldsReadsOnlyLeaves checks the projection of single leaves of a
// struct: only the chosen leaves' column chunks are fetched and decoded,
// the chosen fields keep their values and the others read as NULL.
func TestWithFieldsReadsOnlyLeaves(t *testing.T) {
	f, err := Open(filepath.Join(corpusDir, "data", "nullable.impala.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	col := -1
	for i, c := range f.Columns() {
		if c.Name == "nested_struct" {
			col = i
		}
	}
	typ := f.Columns()[col].Type
	full, err := readAll(t, f, []int{col}, 3)
	if err != nil {
		t.Fatal(err)
	}
	read := func(f *File) (int64, int64) {
		r, err := f.NewReader(0, []int{col})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		b := coldata.NewBatch([]coldata.Type{typ}, 0)
		for {
			if _, err := r.Next(b, 1024); err != nil {
				break
			}
		}
		return r.BytesRead(), r.Stats().PagesRead
	}
	allBytes, allPages := read(f)
	v := f.WithFields(map[int][][]string{col: {{"A"}, {"C", "d"}}})
	someBytes, somePages := read(v)
	md := f.md.RowGroups[0].Columns
	var want int64
	for _, l := range f.nested[col].leaves {
		if name := leafPath(f.nested[col], indexOf(f.nested[col].leaves, l)); strings.HasPrefix(name, "nested_struct.A") || strings.HasPrefix(name, "nested_struct.C.") {
			want += md[l.leaf].MetaData.TotalCompressedSize
		}
	}
	if someBytes >= allBytes || someBytes < want || somePages >= allPages {
		t.Fatalf("fields A and C.d: read %d bytes (%d pages), the whole struct %d (%d pages); their chunks hold %d", someBytes, somePages, allBytes, allPages, want)
	}
	got, err := readAll(t, v, []int{col}, 2)
	if err != nil {
		t.Fatal(err)
	}
	a, c := typ.FieldIndex("A"), typ.FieldIndex("C")
	for r := range full[0] {
		w, g := full[0][r], got[0][r]
		if w.Null != g.Null {
			t.Fatalf("row %d: struct NULL %v, want %v", r, g.Null, w.Null)
		}
		if w.Null {
			continue
		}
		for k, e := range g.N.Elems {
			ft := typ.Nest.Fields[k].Type
			switch {
			case k == a || k == c:
				if coldata.Format(ft, e) != coldata.Format(ft, w.N.Elems[k]) {
					t.Fatalf("row %d field %d: %s, want %s", r, k, coldata.Format(ft, e), coldata.Format(ft, w.N.Elems[k]))
				}
			case !e.Null:
				t.Fatalf("row %d: unread field %d is %s, want NULL", r, k, coldata.Format(ft, e))
			}
		}
	}
}

func indexOf(ls []*nestNode, n *nestNode) int {
	for i, l := range ls {
		if l == n {
			return i
		}
	}
	return -1
}

// TestNestedSchemaShapes maps hand-built schemas: a too deep one is an
// unsupported column, not an unreadable file.
func TestNestedSchemaShapes(t *testing.T) {
	var els []elem
	depth := 300
	for i := 0; i < depth; i++ {
		els = append(els, elem{name: fmt.Sprintf("g%d", i), nchild: 1, rep: repOptional, conv: -1})
	}
	els = append(els, elem{name: "x", hasType: true, phys: physInt32, rep: repOptional, conv: -1})
	_, _, why, err := buildNested(els, 0, 0, func(int) bool { return false })
	if err != nil || !strings.Contains(why, "levels of nesting") {
		t.Fatalf("deep schema: why %q, err %v", why, err)
	}
	// optional group a (LIST) { repeated group array (LIST) { repeated int32 array } }:
	// the legacy two-level list of lists.
	els = []elem{
		{name: "a", nchild: 1, rep: repOptional, conv: ctList},
		{name: "array", nchild: 1, rep: repRepeated, conv: ctList},
		{name: "array", hasType: true, phys: physInt32, rep: repRepeated, conv: -1},
	}
	nc, _, why, err := buildNested(els, 0, 0, func(int) bool { return false })
	if err != nil || why != "" || nc.root.typ.String() != "INTEGER[][]" {
		t.Fatalf("old list: %v %q %v", nc, why, err)
	}
	if l := nc.leaves[0]; l.maxDef != 3 || l.maxRep != 2 {
		t.Fatalf("old list leaf levels def %d rep %d", l.maxDef, l.maxRep)
	}
}
