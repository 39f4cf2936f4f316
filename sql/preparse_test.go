package sql

import (
	"strings"
	"testing"
)

func TestRewrite(t *testing.T) {
	cases := []struct{ in, want string }{
		{"select DATE '1995-03-15'", "select __cast('1995-03-15', 'DATE')"},
		{"select timestamp '2024-01-02 03:04:05'", "select __cast('2024-01-02 03:04:05', 'TIMESTAMP')"},
		{"select d + INTERVAL '3' MONTH from t", "select d + interval 3 month from t"},
		{"select d - interval '90 days' from t", "select d - interval 90 day from t"},
		{"select d + interval 1 year from t", "select d + interval 1 year from t"},
		{"select extract(year from o_orderdate) from t", "select __extract_year( o_orderdate) from t"},
		{"select cast(x as bigint), CAST(y AS decimal(15, 2)) from t", "select __cast(x , 'BIGINT'), __cast(y , 'DECIMAL(15,2)') from t"},
		{"select cast(cast(x as int) as varchar) from t", "select __cast(__cast(x , 'INT') , 'VARCHAR') from t"},
		{`select "weird name" from "t"`, "select `weird name` from `t`"},
		{"select * from 'data/x.parquet'", "select * from `data/x.parquet`"},
		{"select * from read_parquet('d/*.parquet') as t", "select * from `__tf_0` as t"},
		{"select * from read_parquet(['a.parquet', 'b.parquet'], union_by_name = true, hive_types = {'y': BIGINT}) join parquet_metadata('c') on 1=1", "select * from `__tf_0` join `__tf_1` on 1=1"},
		{"select * from a, 'b.parquet' where x = 'c.parquet'", "select * from a, `b.parquet` where x = 'c.parquet'"},
		{"select substring(c_phone from 1 for 2), substr(upper(x), 2) from t", "select __substring(c_phone , 1 , 2), __substring(upper(x), 2) from t"},
		{"select x::int, '1995-01-01'::date, t.a::decimal(10, 2) from t", "select __cast(x, 'INT'), __cast('1995-01-01', 'DATE'), __cast(t.a, 'DECIMAL(10,2)') from t"},
		{"select (a + b)::varchar as s, abs(x)::bigint::varchar from t", "select __cast((a + b), 'VARCHAR') as s, __cast(__cast(abs(x), 'BIGINT'), 'VARCHAR') from t"},
		{"select a || 'x' || b from t", "select a | 'x' | b from t"},
		{"select a from t order by a desc nulls first, f(b, c) nulls last limit 3", "select a from t order by __nulls_first(a ) DESC, __nulls_last(f(b, c) ) limit 3"},
		{"select a, count(*) from t group by all", "select a, count(*) from t group by __group_by_all"},
		{"select x from (select 1 as x) where x > 0", "select x from (select 1 as x) as __subquery8 where x > 0"},
		{"select * from 'a.parquet' a join 'b.parquet' b on a.x = b.x join 'c.parquet' c on c.y = b.y", "select * from `a.parquet` a join `b.parquet` b on a.x = b.x join `c.parquet` c on c.y = b.y"},
		{"select x from (select 1 as x) s, (select 2 as y) join u on 1=1", "select x from (select 1 as x) s, (select 2 as y) as __subquery16 join u on 1=1"},
		{"select 'it''s' -- comment\nfrom t", "select 'it''s' from t"},
		{"select a /* c */ from t", "select a from t"},
	}
	for _, c := range cases {
		rw, err := rewrite(c.in)
		if err != nil {
			t.Errorf("rewrite(%q): %v", c.in, err)
			continue
		}
		if rw.text != c.want {
			t.Errorf("rewrite(%q)\n got %q\nwant %q", c.in, rw.text, c.want)
		}
	}
}

func TestRewriteErrors(t *testing.T) {
	for _, in := range []string{
		"select 'open",
		`select "open`,
		"select interval 'x' day",
		"select interval '3' fortnight",
		"select extract(century from d) from t",
		"select /* never closed",
	} {
		if _, err := rewrite(in); err == nil {
			t.Errorf("rewrite(%q): want error", in)
		}
	}
}

func TestSplitStatements(t *testing.T) {
	got, err := SplitStatements("select 1; select ';' ; -- c;\n ;select \"a;b\" from t;")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"select 1", "select ';'", "-- c;\n ;select \"a;b\" from t"}
	if strings.Join(got, "|") != strings.Join([]string{want[0], want[1], "select \"a;b\" from t"}, "|") &&
		len(got) != 3 {
		t.Fatalf("got %q", got)
	}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || !strings.HasSuffix(got[2], `select "a;b" from t`) {
		t.Fatalf("got %q", got)
	}
}

func TestComplete(t *testing.T) {
	cases := map[string]bool{
		"select 1;":          true,
		"select 1":           false,
		"select ';":          false,
		"select 1; -- done":  true,
		"select '; ' ;\n":    true,
		"select 1 /* ; */":   false,
		"select \"x;\" from": false,
	}
	for in, want := range cases {
		if got := Complete(in); got != want {
			t.Errorf("Complete(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestParseStatements(t *testing.T) {
	cases := []struct {
		in   string
		want string
	}{
		{"SET threads = 4", "*sql.Set"},
		{"set threads to '2';", "*sql.Set"},
		{"EXPLAIN SELECT 1", "*sql.Explain"},
		{"explain analyze select 1", "*sql.Explain"},
		{"SHOW TABLES", "*sql.ShowTables"},
		{"describe lineitem", "*sql.Describe"},
		{"SELECT 1", "*sql.Query"},
	}
	for _, c := range cases {
		st, err := Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if got := typeName(st); got != c.want {
			t.Errorf("Parse(%q) = %s, want %s", c.in, got, c.want)
		}
	}
	st, _ := Parse("set threads to '2'")
	if s := st.(*Set); s.Name != "threads" || s.Value != "2" {
		t.Errorf("SET parsed as %+v", s)
	}
}

func typeName(v any) string {
	switch v.(type) {
	case *Set:
		return "*sql.Set"
	case *Explain:
		return "*sql.Explain"
	case *ShowTables:
		return "*sql.ShowTables"
	case *Describe:
		return "*sql.Describe"
	case *Query:
		return "*sql.Query"
	}
	return "?"
}

func TestSyntaxErrorPosition(t *testing.T) {
	cases := []struct{ in, want string }{
		{"SELECT a FORM t", `syntax error at or near "t" (line 1, column 15)`},
		{"SELECT a,\n  b FROM t WHERE", `syntax error at end of input (line 2, column 17)`},
		{"SELECT DATE '2024-01-01' +", `at end of input`},
		{"UPDATE t SET a = 1", "UPDATE statements are not supported"},
	}
	for _, c := range cases {
		_, err := Parse(c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) error = %v, want it to contain %q", c.in, err, c.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"select a, sum(b) from t where c = DATE '1995-01-01' group by a order by 2 desc limit 3",
		"select cast(x as decimal(15,2)) + interval '3' month from 'f.parquet'",
		"select extract(year from d), \"q\" from read_parquet('x/*.parquet')",
		"explain analyze select 1; set threads = 2",
		"select 'unterminated",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		stmts, err := SplitStatements(s)
		if err != nil {
			return
		}
		for _, st := range stmts {
			_, _ = Parse(st) // must not panic
		}
		_ = Complete(s)
	})
}

func TestParseCopy(t *testing.T) {
	st, err := Parse("COPY (SELECT a FROM t WHERE b > 1) TO 'out/x.parquet' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000, PARTITION_BY (a, b), OVERWRITE_OR_IGNORE, FILE_SIZE_BYTES '1GB')")
	if err != nil {
		t.Fatal(err)
	}
	c := st.(*Copy)
	if c.Path != "out/x.parquet" || c.Options["format"].Str != "parquet" || c.Options["compression"].Str != "zstd" ||
		c.Options["row_group_size"].Str != "1000" || len(c.Options["partition_by"].List) != 2 || !c.Options["overwrite_or_ignore"].Bool ||
		c.Options["file_size_bytes"].Str != "1GB" {
		t.Errorf("parsed %+v", c)
	}
	st, err = Parse("copy lineitem to 'l.parquet'")
	if err != nil || st.(*Copy).Query == nil {
		t.Fatalf("%v %+v", err, st)
	}
	for _, bad := range []string{"COPY t TO x.parquet", "COPY (SELECT 1 TO 'x'", "COPY t FROM 'x.csv'", "COPY t TO 'x' (FORMAT parquet) junk"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("%q: want error", bad)
		}
	}
}
