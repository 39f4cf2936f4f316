package main

import (
	"path/filepath"
	"testing"
)

var nestedFile = filepath.Join("..", "..", "testdata", "nested", "nested.parquet")

// TestNestedOutput prints LIST, STRUCT and MAP values like DuckDB in the
// table and CSV formats and as real JSON arrays and objects.
func TestNestedOutput(t *testing.T) {
	q := "SELECT id, tags, s, m, ll FROM '" + filepath.ToSlash(nestedFile) + "' WHERE id <= 4 ORDER BY id"
	cases := []struct{ format, want string }{
		{"csv", "id,tags,s,m,ll\n" +
			"1,\"[a, b]\",\"{'a': 1, 'b': x}\",\"{k1=1, k2=2}\",\"[[1, 2], [3]]\"\n" +
			"2,[],\"{'a': 2, 'b': NULL}\",{},[[]]\n" +
			"3,,,,\n" +
			"4,\"[c, NULL]\",\"{'a': NULL, 'b': z}\",{k3=NULL},\"[NULL, [4]]\"\n"},
		{"json", `[{"id":1,"tags":["a","b"],"s":{"a":1,"b":"x"},"m":{"k1":1,"k2":2},"ll":[[1,2],[3]]},` + "\n" +
			`{"id":2,"tags":[],"s":{"a":2,"b":null},"m":{},"ll":[[]]},` + "\n" +
			`{"id":3,"tags":null,"s":null,"m":null,"ll":null},` + "\n" +
			`{"id":4,"tags":["c",null],"s":{"a":null,"b":"z"},"m":{"k3":null},"ll":[null,[4]]}]` + "\n"},
		{"table", "┌───────┬───────────┬─────────────────────────────┬──────────────────────┬───────────────┐\n" +
			"│  id   │   tags    │              s              │          m           │      ll       │\n" +
			"│ int64 │ varchar[] │ struct(a bigint, b varchar) │ map(varchar, bigint) │  integer[][]  │\n" +
			"├───────┼───────────┼─────────────────────────────┼──────────────────────┼───────────────┤\n" +
			"│     1 │ [a, b]    │ {'a': 1, 'b': x}            │ {k1=1, k2=2}         │ [[1, 2], [3]] │\n" +
			"│     2 │ []        │ {'a': 2, 'b': NULL}         │ {}                   │ [[]]          │\n" +
			"│     3 │ NULL      │ NULL                        │ NULL                 │ NULL          │\n" +
			"│     4 │ [c, NULL] │ {'a': NULL, 'b': z}         │ {k3=NULL}            │ [NULL, [4]]   │\n" +
			"└───────┴───────────┴─────────────────────────────┴──────────────────────┴───────────────┘\n"},
	}
	t.Setenv("COLUMNS", "120") // wide enough for the table; 80 would elide a column
	for _, c := range cases {
		out, errOut, code := runCLI(t, "", "--format", c.format, "-c", q)
		if code != 0 || out != c.want {
			t.Errorf("%s: code %d stderr %q\ngot  %q\nwant %q", c.format, code, errOut, out, c.want)
		}
	}
}
