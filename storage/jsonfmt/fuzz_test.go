package jsonfmt

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzInfer parses arbitrary bytes as JSON records: no panic, and every
// record converts to the type inferred from all of them (inference and
// conversion agree).
func FuzzInfer(f *testing.F) {
	seeds, _ := filepath.Glob("../../testdata/json/*.json")
	more, _ := filepath.Glob("../../testdata/json/*.ndjson")
	for _, p := range append(seeds, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"a":[{"b":"2020-01-01"},{"b":1}],"c":"\u00e9\ud83d\ude00"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, format := range []string{"auto", "newline_delimited", "array"} {
			top := &jtype{}
			var recs []value
			err := eachRecord(data, format, "f.json", func(v *value) bool {
				top.add(v, 0)
				recs = append(recs, *v)
				return true
			})
			if err != nil {
				continue
			}
			typ := top.sqlType()
			for i := range recs {
				if _, err := datum(&recs[i], typ); err != nil {
					t.Fatalf("format %s: record %d (%s) does not convert to %s: %v", format, i, recs[i].raw, typ, err)
				}
			}
		}
	})
}

// TestInferWidening pins the merge rules the fuzz target relies on.
func TestInferWidening(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`1 2.5`, "DOUBLE"},
		{`"2020-01-01" "2020-01-01 10:00:00"`, "TIMESTAMP"},
		{`"2020-01-01" "x"`, "VARCHAR"},
		{`1 "x"`, "VARCHAR"},
		{`{"a":[1]} {"a":[2.5, null]}`, "STRUCT(a DOUBLE[])"},
		{`{"a":1} {"b":"2020-01-01"}`, "STRUCT(a BIGINT, b DATE)"},
		{`{"a":{"b":"2020-01-01"}}`, "STRUCT(a STRUCT(b VARCHAR))"},
		{`null null`, "VARCHAR"},
	} {
		top := &jtype{}
		if err := eachRecord([]byte(c.in), "auto", "t", func(v *value) bool { top.add(v, 0); return true }); err != nil {
			t.Fatal(err)
		}
		if got := top.sqlType().String(); got != c.want {
			t.Errorf("%s: %s, want %s", c.in, got, c.want)
		}
	}
}
