package sql

import (
	"regexp"
	"strings"
	"testing"
)

// TestRegistryCoversBinder: every name of DuckDB's catalog the binder
// accepts (a call binds, or fails otherwise than "does not exist" or "not
// supported yet") is in the registry with that kind, and every registered
// scalar or aggregate name is accepted.
func TestRegistryCoversBinder(t *testing.T) {
	cat := testCatalog(t)
	shapes := []string{"", "n_nationkey", "n_name", "n_name, ','", "n_nationkey, 0.5", "n_nationkey, n_nationkey", "n_name, 1, 1"}
	accepted := func(name string) bool {
		unknown := regexp.MustCompile(`(?i)(function with name ` + regexp.QuoteMeta(name) + ` does not exist|function ` +
			regexp.QuoteMeta(name) + ` is not supported yet)`)
		for _, s := range shapes {
			err := prepare(cat, "SELECT "+name+"("+s+") FROM nation")
			if err == nil || !unknown.MatchString(err.Error()) {
				return true
			}
		}
		return false
	}
	for _, kind := range []string{"scalar", "aggregate"} {
		for _, name := range duckdbFunctions[kind] {
			// row(...) is a row value the parser builds, not a call.
			if name != "row" && accepted(name) && !functionKind(name, "scalar") && !functionKind(name, "aggregate") {
				t.Errorf("the binder accepts %s, which the registry does not list", name)
			}
		}
	}
	for _, f := range Functions() {
		// Nested functions take LIST/MAP arguments nation has not: the
		// shell's TestFunctionNamesBind calls them over nested.parquet.
		if f.Kind != "table" && !nestedFuncs[f.Name] && !accepted(f.Name) {
			t.Errorf("the registry lists %s (%s), which the binder does not accept", f.Name, f.Kind)
		}
	}
}

// TestAggregateDocsRun: every aggregate has a description and an example,
// and the example runs over lineitem; peregrine_functions() lists them.
func TestAggregateDocsRun(t *testing.T) {
	cat := testCatalog(t)
	for _, f := range Functions() {
		if f.Kind != "aggregate" {
			continue
		}
		if f.Description == "" || f.Example == "" {
			t.Errorf("aggregate %s has no description or example", f.Name)
			continue
		}
		if err := prepare(cat, "SELECT "+f.Example+" FROM lineitem"); err != nil {
			t.Errorf("%s: example %s: %v", f.Name, f.Example, err)
		}
	}
	for _, q := range []string{"SELECT * FROM peregrine_functions()", "SELECT function_name FROM duckdb_functions() WHERE function_type = 'aggregate'"} {
		if err := prepare(cat, q); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}
}

// TestUnknownFunctionHints: DuckDB's suggestions and aggregate binding
// errors (texts from DuckDB 1.5.5).
func TestUnknownFunctionHints(t *testing.T) {
	cat := testCatalog(t)
	for q, want := range map[string]string{
		"SELECT foo(1)":                                              `Scalar Function with name foo does not exist!` + "\n" + `Did you mean "floor"?`,
		"SELECT mediann(1)":                                          `Did you mean "median"?`,
		"SELECT stdev(1)":                                            `Did you mean "stddev"?`,
		"SELECT lenght('a')":                                         `Did you mean "length"?`,
		"SELECT aprox_count_distinct(1)":                             `Did you mean "approx_count_distinct"?`,
		"SELECT 1 FROM read_parq('x')":                               `Table Function with name read_parq does not exist!` + "\n" + `Did you mean "read_parquet"?`,
		"SELECT 1 FROM sumx()":                                       `Did you mean "summary"?`,
		"SELECT sumx(1)":                                             `Did you mean "sum"?`,
		"SELECT 1 FROM nation WHERE median(1)>1":                     `Binder Error: WHERE clause cannot contain aggregates!`,
		"SELECT 1 FROM nation GROUP BY sum(1)":                       `Binder Error: GROUP BY clause cannot contain aggregates!`,
		"SELECT 1 LIMIT sum(1)":                                      `Binder Error: Aggregate functions are not supported here`,
		"SELECT median(n_nationkey, 0.5) FROM nation":                `No function matches the given name and argument types 'median(INTEGER, DECIMAL(2,1))'`,
		"SELECT quantile_cont(n_nationkey, 2) FROM nation":           `QUANTILE can only take parameters in the range [-1, 1]`,
		"SELECT quantile_disc(n_nationkey, n_regionkey) FROM nation": `QUANTILE can only take constant parameters`,
		"SELECT string_agg(n_name, n_name) FROM nation":              `Separator argument to StringAgg must be a constant`,
		"SELECT stddev(n_name) FROM nation":                          `No function matches the given name and argument types 'stddev(VARCHAR)'`,
		"SELECT corr(n_name, 1) FROM nation":                         `No function matches the given name and argument types 'corr(VARCHAR, INTEGER)'`,
	} {
		err := prepare(cat, q)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", q, err, want)
		}
	}
}

// TestFunctionDocs: every registered function has a description and an
// example; every scalar example binds (table function examples name
// files), but for the nested functions'.
func TestFunctionDocs(t *testing.T) {
	cat := testCatalog(t)
	for _, f := range Functions() {
		if f.Description == "" || f.Example == "" {
			t.Errorf("%s (%s) has no description or example", f.Name, f.Kind)
			continue
		}
		// The nested functions' examples build their lists and maps with
		// constructors the binder has not yet (TestFunctionNamesBind in
		// the shell calls them over nested.parquet).
		if f.Kind == "scalar" && !nestedFuncs[f.Name] {
			if err := prepare(cat, "SELECT "+f.Example); err != nil {
				t.Errorf("%s: example %s: %v", f.Name, f.Example, err)
			}
		}
	}
}
