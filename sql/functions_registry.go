package sql

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// FunctionInfo is one function of the registry: what peregrine_functions()
// lists, what the shell completes and what the binder accepts.
type FunctionInfo struct {
	Name        string
	Kind        string   // scalar, aggregate or table
	Params      []string // parameter names, when documented
	ParamTypes  []string // their types (ANY: of any type)
	Return      string   // the result type (ANY: the argument's type)
	Description string
	Example     string
}

// aggregateDocs documents the aggregates: parameters, DuckDB's result
// types and an example that runs.
var aggregateDocs = []FunctionInfo{
	{Name: "count", Params: []string{"arg"}, ParamTypes: []string{"ANY"}, Return: "BIGINT", Description: "Returns the number of non-NULL values in arg (count(*): the number of rows).", Example: "count(l_orderkey)"},
	{Name: "count_star", Return: "BIGINT", Description: "Returns the number of rows (count(*)).", Example: "count_star()"},
	{Name: "sum", Params: []string{"arg"}, ParamTypes: []string{"ANY"}, Return: "ANY", Description: "Calculates the sum value for all tuples in arg: exact for integers and decimals.", Example: "sum(l_extendedprice)"},
	{Name: "avg", Params: []string{"x"}, ParamTypes: []string{"ANY"}, Return: "DOUBLE", Description: "Calculates the average value for all tuples in x.", Example: "avg(l_quantity)"},
	{Name: "mean", Params: []string{"x"}, ParamTypes: []string{"ANY"}, Return: "DOUBLE", Description: "Calculates the average value for all tuples in x.", Example: "mean(l_quantity)"},
	{Name: "min", Params: []string{"arg"}, ParamTypes: []string{"ANY"}, Return: "ANY", Description: "Returns the minimum value present in arg.", Example: "min(l_shipdate)"},
	{Name: "max", Params: []string{"arg"}, ParamTypes: []string{"ANY"}, Return: "ANY", Description: "Returns the maximum value present in arg.", Example: "max(l_shipdate)"},
	{Name: "bool_and", Params: []string{"arg"}, ParamTypes: []string{"BOOLEAN"}, Return: "BOOLEAN", Description: "Returns true if every input value is true, otherwise false.", Example: "bool_and(l_quantity > 0)"},
	{Name: "bool_or", Params: []string{"arg"}, ParamTypes: []string{"BOOLEAN"}, Return: "BOOLEAN", Description: "Returns true if any input value is true, otherwise false.", Example: "bool_or(l_quantity > 49)"},
	{Name: "count_if", Params: []string{"arg"}, ParamTypes: []string{"BOOLEAN"}, Return: "HUGEINT", Description: "Counts the total number of true values for a boolean column.", Example: "count_if(l_discount > 0.05)"},
	{Name: "countif", Params: []string{"arg"}, ParamTypes: []string{"BOOLEAN"}, Return: "HUGEINT", Description: "Counts the total number of true values for a boolean column.", Example: "countif(l_discount > 0.05)"},
	{Name: "bit_and", Params: []string{"arg"}, ParamTypes: []string{"INTEGER"}, Return: "ANY", Description: "Returns the bitwise AND of all bits in a given expression.", Example: "bit_and(l_linenumber)"},
	{Name: "bit_or", Params: []string{"arg"}, ParamTypes: []string{"INTEGER"}, Return: "ANY", Description: "Returns the bitwise OR of all bits in a given expression.", Example: "bit_or(l_linenumber)"},
	{Name: "bit_xor", Params: []string{"arg"}, ParamTypes: []string{"INTEGER"}, Return: "ANY", Description: "Returns the bitwise XOR of all bits in a given expression.", Example: "bit_xor(l_linenumber)"},
	{Name: "fsum", Params: []string{"arg"}, ParamTypes: []string{"DOUBLE"}, Return: "DOUBLE", Description: "Calculates the sum using a more accurate floating point summation (Kahan Sum).", Example: "fsum(l_extendedprice)"},
	{Name: "kahan_sum", Params: []string{"arg"}, ParamTypes: []string{"DOUBLE"}, Return: "DOUBLE", Description: "Calculates the sum using a more accurate floating point summation (Kahan Sum).", Example: "kahan_sum(l_extendedprice)"},
	{Name: "sumkahan", Params: []string{"arg"}, ParamTypes: []string{"DOUBLE"}, Return: "DOUBLE", Description: "Calculates the sum using a more accurate floating point summation (Kahan Sum).", Example: "sumkahan(l_extendedprice)"},
	{Name: "favg", Params: []string{"x"}, ParamTypes: []string{"DOUBLE"}, Return: "DOUBLE", Description: "Calculates the average using a more accurate floating point summation (Kahan Sum).", Example: "favg(l_extendedprice)"},
	{Name: "product", Params: []string{"arg"}, ParamTypes: []string{"DOUBLE"}, Return: "DOUBLE", Description: "Calculates the product of all tuples in arg.", Example: "product(l_tax + 1)"},
	{Name: "first", Params: []string{"arg"}, ParamTypes: []string{"ANY"}, Return: "ANY", Description: "Returns the first value (NULL or not) from arg.", Example: "first(l_shipmode)"},
	{Name: "arbitrary", Params: []string{"arg"}, ParamTypes: []string{"ANY"}, Return: "ANY", Description: "Returns the first value (NULL or not) from arg.", Example: "arbitrary(l_shipmode)"},
	{Name: "last", Params: []string{"arg"}, ParamTypes: []string{"ANY"}, Return: "ANY", Description: "Returns the last value of a column.", Example: "last(l_shipmode)"},
	{Name: "any_value", Params: []string{"arg"}, ParamTypes: []string{"ANY"}, Return: "ANY", Description: "Returns the first non-NULL value from arg.", Example: "any_value(l_shipmode)"},
	{Name: "approx_count_distinct", Params: []string{"any"}, ParamTypes: []string{"ANY"}, Return: "BIGINT", Description: "Computes the approximate count of distinct elements using HyperLogLog.", Example: "approx_count_distinct(l_orderkey)"},
	{Name: "var_samp", Params: []string{"x"}, ParamTypes: []string{"DOUBLE"}, Return: "DOUBLE", Description: "Returns the sample variance of all input values.", Example: "var_samp(l_quantity)"},
	{Name: "variance", Params: []string{"x"}, ParamTypes: []string{"DOUBLE"}, Return: "DOUBLE", Description: "Returns the sample variance of all input values.", Example: "variance(l_quantity)"},
	{Name: "var_pop", Params: []string{"x"}, ParamTypes: []string{"DOUBLE"}, Return: "DOUBLE", Description: "Returns the population variance.", Example: "var_pop(l_quantity)"},
	{Name: "stddev_samp", Params: []string{"x"}, ParamTypes: []string{"DOUBLE"}, Return: "DOUBLE", Description: "Returns the sample standard deviation.", Example: "stddev_samp(l_quantity)"},
	{Name: "stddev", Params: []string{"x"}, ParamTypes: []string{"DOUBLE"}, Return: "DOUBLE", Description: "Returns the sample standard deviation.", Example: "stddev(l_quantity)"},
	{Name: "stddev_pop", Params: []string{"x"}, ParamTypes: []string{"DOUBLE"}, Return: "DOUBLE", Description: "Returns the population standard deviation.", Example: "stddev_pop(l_quantity)"},
	{Name: "skewness", Params: []string{"x"}, ParamTypes: []string{"DOUBLE"}, Return: "DOUBLE", Description: "Returns the skewness of all input values.", Example: "skewness(l_extendedprice)"},
	{Name: "kurtosis", Params: []string{"x"}, ParamTypes: []string{"DOUBLE"}, Return: "DOUBLE", Description: "Returns the excess kurtosis (Fisher's definition) of all input values, with a bias correction according to the sample size.", Example: "kurtosis(l_quantity)"},
	{Name: "kurtosis_pop", Params: []string{"x"}, ParamTypes: []string{"DOUBLE"}, Return: "DOUBLE", Description: "Returns the excess kurtosis (Fisher's definition) of all input values, without bias correction.", Example: "kurtosis_pop(l_quantity)"},
	{Name: "sem", Params: []string{"x"}, ParamTypes: []string{"DOUBLE"}, Return: "DOUBLE", Description: "Returns the standard error of the mean: stddev_pop(x) / sqrt(count(x)).", Example: "sem(l_quantity)"},
	{Name: "median", Params: []string{"x"}, ParamTypes: []string{"ANY"}, Return: "ANY", Description: "Returns the middle value of the set. NULL values are ignored. For even value counts, interpolated values are returned; strings take the lower one.", Example: "median(l_extendedprice)"},
	{Name: "mad", Params: []string{"x"}, ParamTypes: []string{"ANY"}, Return: "ANY", Description: "Returns the median absolute deviation of x: the median of |x - median(x)|. NULL values are ignored.", Example: "mad(l_extendedprice)"},
	{Name: "quantile_cont", Params: []string{"x", "pos"}, ParamTypes: []string{"ANY", "DOUBLE"}, Return: "ANY", Description: "Returns the interpolated quantile number between 0 and 1.", Example: "quantile_cont(l_extendedprice, 0.25)"},
	{Name: "quantile_disc", Params: []string{"x", "pos"}, ParamTypes: []string{"ANY", "DOUBLE"}, Return: "ANY", Description: "Returns the exact quantile number between 0 and 1.", Example: "quantile_disc(l_extendedprice, 0.25)"},
	{Name: "quantile", Params: []string{"x", "pos"}, ParamTypes: []string{"ANY", "DOUBLE"}, Return: "ANY", Description: "Returns the exact quantile number between 0 and 1.", Example: "quantile(l_extendedprice, 0.25)"},
	{Name: "approx_quantile", Params: []string{"x", "pos"}, ParamTypes: []string{"ANY", "DOUBLE"}, Return: "ANY", Description: "Computes the approximate quantile (Peregrine: the interpolated quantile, rounded to the argument's type).", Example: "approx_quantile(l_orderkey, 0.5)"},
	{Name: "mode", Params: []string{"x"}, ParamTypes: []string{"ANY"}, Return: "ANY", Description: "Returns the most frequent value for the values within x. NULL values are ignored.", Example: "mode(l_shipmode)"},
	{Name: "entropy", Params: []string{"x"}, ParamTypes: []string{"ANY"}, Return: "DOUBLE", Description: "Returns the log-2 entropy of count input-values.", Example: "entropy(l_shipmode)"},
	{Name: "string_agg", Params: []string{"str", "arg"}, ParamTypes: []string{"ANY", "VARCHAR"}, Return: "VARCHAR", Description: "Concatenates the column string values with an optional separator.", Example: "string_agg(l_shipmode, ',')"},
	{Name: "listagg", Params: []string{"str", "arg"}, ParamTypes: []string{"ANY", "VARCHAR"}, Return: "VARCHAR", Description: "Concatenates the column string values with an optional separator.", Example: "listagg(l_shipmode, ',')"},
	{Name: "group_concat", Params: []string{"str", "arg"}, ParamTypes: []string{"ANY", "VARCHAR"}, Return: "VARCHAR", Description: "Concatenates the column string values with an optional separator.", Example: "group_concat(l_shipmode, ',')"},
	{Name: "list", Params: []string{"arg"}, ParamTypes: []string{"ANY"}, Return: "LIST", Description: "Returns a LIST containing all the values of a column.", Example: "list(l_linenumber)"},
	{Name: "array_agg", Params: []string{"arg"}, ParamTypes: []string{"ANY"}, Return: "LIST", Description: "Returns a LIST containing all the values of a column.", Example: "array_agg(l_linenumber)"},
	{Name: "arg_min", Params: []string{"arg", "val"}, ParamTypes: []string{"ANY", "ANY"}, Return: "ANY", Description: "Finds the row with the minimum val. Calculates the non-NULL arg expression value of that row.", Example: "arg_min(l_orderkey, l_extendedprice)"},
	{Name: "weighted_avg", Params: []string{"value", "weight"}, ParamTypes: []string{"DOUBLE", "DOUBLE"}, Return: "DOUBLE", Description: "Calculates the weighted average of value: sum(value * weight) / sum(weight), over the rows where neither is NULL.", Example: "weighted_avg(l_extendedprice, l_quantity)"},
	{Name: "wavg", Params: []string{"value", "weight"}, ParamTypes: []string{"DOUBLE", "DOUBLE"}, Return: "DOUBLE", Description: "Calculates the weighted average of value: sum(value * weight) / sum(weight), over the rows where neither is NULL.", Example: "wavg(l_extendedprice, l_quantity)"},
	{Name: "arg_min_null", Params: []string{"arg", "val"}, ParamTypes: []string{"ANY", "ANY"}, Return: "ANY", Description: "Finds the row with the minimum val (rows with a NULL val are skipped). Calculates the arg expression value of that row, which may be NULL.", Example: "arg_min_null(l_orderkey, l_extendedprice)"},
	{Name: "arg_max_null", Params: []string{"arg", "val"}, ParamTypes: []string{"ANY", "ANY"}, Return: "ANY", Description: "Finds the row with the maximum val (rows with a NULL val are skipped). Calculates the arg expression value of that row, which may be NULL.", Example: "arg_max_null(l_orderkey, l_extendedprice)"},
	{Name: "arg_min_nulls_last", Params: []string{"arg", "val"}, ParamTypes: []string{"ANY", "ANY"}, Return: "ANY", Description: "Finds the row with the minimum val, NULL vals ordered last. Calculates the arg expression value of that row, which may be NULL.", Example: "arg_min_nulls_last(l_orderkey, l_extendedprice)"},
	{Name: "arg_max_nulls_last", Params: []string{"arg", "val"}, ParamTypes: []string{"ANY", "ANY"}, Return: "ANY", Description: "Finds the row with the maximum val, NULL vals ordered last. Calculates the arg expression value of that row, which may be NULL.", Example: "arg_max_nulls_last(l_orderkey, l_extendedprice)"},
	{Name: "argmin", Params: []string{"arg", "val"}, ParamTypes: []string{"ANY", "ANY"}, Return: "ANY", Description: "Finds the row with the minimum val. Calculates the non-NULL arg expression value of that row.", Example: "argmin(l_orderkey, l_extendedprice)"},
	{Name: "min_by", Params: []string{"arg", "val"}, ParamTypes: []string{"ANY", "ANY"}, Return: "ANY", Description: "Finds the row with the minimum val. Calculates the non-NULL arg expression value of that row.", Example: "min_by(l_orderkey, l_extendedprice)"},
	{Name: "arg_max", Params: []string{"arg", "val"}, ParamTypes: []string{"ANY", "ANY"}, Return: "ANY", Description: "Finds the row with the maximum val. Calculates the non-NULL arg expression value of that row.", Example: "arg_max(l_orderkey, l_extendedprice)"},
	{Name: "argmax", Params: []string{"arg", "val"}, ParamTypes: []string{"ANY", "ANY"}, Return: "ANY", Description: "Finds the row with the maximum val. Calculates the non-NULL arg expression value of that row.", Example: "argmax(l_orderkey, l_extendedprice)"},
	{Name: "max_by", Params: []string{"arg", "val"}, ParamTypes: []string{"ANY", "ANY"}, Return: "ANY", Description: "Finds the row with the maximum val. Calculates the non-NULL arg expression value of that row.", Example: "max_by(l_orderkey, l_extendedprice)"},
	{Name: "covar_pop", Params: []string{"y", "x"}, ParamTypes: []string{"DOUBLE", "DOUBLE"}, Return: "DOUBLE", Description: "Returns the population covariance of input values.", Example: "covar_pop(l_extendedprice, l_quantity)"},
	{Name: "covar_samp", Params: []string{"y", "x"}, ParamTypes: []string{"DOUBLE", "DOUBLE"}, Return: "DOUBLE", Description: "Returns the sample covariance for non-NULL pairs in a group.", Example: "covar_samp(l_extendedprice, l_quantity)"},
	{Name: "corr", Params: []string{"y", "x"}, ParamTypes: []string{"DOUBLE", "DOUBLE"}, Return: "DOUBLE", Description: "Returns the correlation coefficient for non-NULL pairs in a group.", Example: "corr(l_extendedprice, l_quantity)"},
	{Name: "regr_slope", Params: []string{"y", "x"}, ParamTypes: []string{"DOUBLE", "DOUBLE"}, Return: "DOUBLE", Description: "Returns the slope of the linear regression line for non-NULL pairs in a group.", Example: "regr_slope(l_extendedprice, l_quantity)"},
	{Name: "regr_intercept", Params: []string{"y", "x"}, ParamTypes: []string{"DOUBLE", "DOUBLE"}, Return: "DOUBLE", Description: "Returns the intercept of the univariate linear regression line for non-NULL pairs in a group.", Example: "regr_intercept(l_extendedprice, l_quantity)"},
	{Name: "regr_r2", Params: []string{"y", "x"}, ParamTypes: []string{"DOUBLE", "DOUBLE"}, Return: "DOUBLE", Description: "Returns the coefficient of determination for non-NULL pairs in a group.", Example: "regr_r2(l_extendedprice, l_quantity)"},
	{Name: "regr_avgx", Params: []string{"y", "x"}, ParamTypes: []string{"DOUBLE", "DOUBLE"}, Return: "DOUBLE", Description: "Returns the average of the independent variable for non-NULL pairs in a group.", Example: "regr_avgx(l_extendedprice, l_quantity)"},
	{Name: "regr_avgy", Params: []string{"y", "x"}, ParamTypes: []string{"DOUBLE", "DOUBLE"}, Return: "DOUBLE", Description: "Returns the average of the dependent variable for non-NULL pairs in a group.", Example: "regr_avgy(l_extendedprice, l_quantity)"},
	{Name: "regr_sxx", Params: []string{"y", "x"}, ParamTypes: []string{"DOUBLE", "DOUBLE"}, Return: "DOUBLE", Description: "Returns the sum of squares of the independent variable for non-NULL pairs in a group.", Example: "regr_sxx(l_extendedprice, l_quantity)"},
	{Name: "regr_syy", Params: []string{"y", "x"}, ParamTypes: []string{"DOUBLE", "DOUBLE"}, Return: "DOUBLE", Description: "Returns the sum of squares of the dependent variable for non-NULL pairs in a group.", Example: "regr_syy(l_extendedprice, l_quantity)"},
	{Name: "regr_sxy", Params: []string{"y", "x"}, ParamTypes: []string{"DOUBLE", "DOUBLE"}, Return: "DOUBLE", Description: "Returns the sum of products of the dependent and independent variables for non-NULL pairs in a group.", Example: "regr_sxy(l_extendedprice, l_quantity)"},
}

var registry struct {
	once  sync.Once
	all   []FunctionInfo
	kinds map[string]map[string]bool // name → its kinds
}

// Functions is the registry: every function the binder knows, sorted by
// name and kind. The binder's scalar, aggregate and table function tables
// feed it, so a name it lists binds and a name it does not is unknown.
func Functions() []FunctionInfo {
	registry.once.Do(buildRegistry)
	return registry.all
}

func buildRegistry() {
	registry.kinds = map[string]map[string]bool{}
	add := func(f FunctionInfo) {
		if registry.kinds[f.Name] == nil {
			registry.kinds[f.Name] = map[string]bool{}
		}
		if registry.kinds[f.Name][f.Kind] {
			return
		}
		registry.kinds[f.Name][f.Kind] = true
		registry.all = append(registry.all, f)
	}
	for _, f := range aggregateDocs {
		f.Kind = "aggregate"
		add(f)
	}
	for n := range aggNames {
		add(FunctionInfo{Name: n, Kind: "aggregate"})
	}
	for n := range namedAggs {
		add(FunctionInfo{Name: n, Kind: "aggregate"})
	}
	for _, n := range []string{"peregrine_functions", "duckdb_functions"} {
		add(FunctionInfo{Name: n, Kind: "table", Return: "TABLE", Description: "Lists the functions Peregrine knows: name, kind, parameters, result type, description and example.", Example: "SELECT * FROM " + n + "()"})
	}
	for _, n := range scalarNames() {
		d := scalarDocs[n]
		if canon := listFuncNames[n]; canon != "" {
			d = listDocs[canon]
		}
		add(FunctionInfo{Name: n, Kind: "scalar", Description: d[0], Example: d[1]})
	}
	for n := range tableFuncNames {
		d := scalarDocs[n]
		add(FunctionInfo{Name: n, Kind: "table", Return: "TABLE", Description: d[0], Example: d[1]})
	}
	sort.Slice(registry.all, func(i, j int) bool {
		a, b := registry.all[i], registry.all[j]
		return a.Name < b.Name || a.Name == b.Name && a.Kind < b.Kind
	})
}

// scalarNames are the scalar functions the binder's tables hold.
func scalarNames() []string {
	var names []string
	for _, m := range []map[string]bool{scalarFunctions, nestedFuncs, mathFuncNames, dateFuncNames, catalogFuncNames, mapFuncNames} {
		for n := range m {
			names = append(names, n)
		}
	}
	for n := range strFuncs {
		if isStrFunc(n) {
			names = append(names, n)
		}
	}
	for n := range regexpFuncs {
		names = append(names, n)
	}
	for n := range strMoreFuncs {
		names = append(names, n)
	}
	for n := range regexpListFuncs {
		names = append(names, n)
	}
	names = append(names, "printf", "format", "octet_length")
	for n := range pathOps {
		names = append(names, n)
	}
	for n := range listFuncNames {
		names = append(names, n)
	}
	for _, m := range []map[string]scalarFn{scalarOpFuncs, jsonFuncs} {
		for n := range m {
			names = append(names, n)
		}
	}
	return names
}

// functionKind reports whether the registry has name as a function of
// kind.
func functionKind(name, kind string) bool {
	Functions()
	return registry.kinds[name][kind]
}

// suggestFunction is DuckDB's hint for an unknown function: the most
// similar name (Jaro-Winkler) among the catalog's functions of the kind,
// DuckDB's own names included.
func suggestFunction(name, kind string) string {
	best, score := "", 0.0
	consider := func(n string) {
		if s := jaroWinkler(name, n); s > score || s == score && n < best {
			best, score = n, s
		}
	}
	if kind == "table" {
		for _, n := range duckdbFunctions["table"] {
			consider(n)
		}
	} else {
		for _, k := range []string{"scalar", "aggregate"} {
			for _, n := range duckdbFunctions[k] {
				consider(n)
			}
		}
	}
	for _, f := range Functions() {
		if (f.Kind == "table") == (kind == "table") {
			consider(f.Name)
		}
	}
	if score < 0.5 {
		return ""
	}
	return best
}

// jaroWinkler is the Jaro-Winkler similarity of a and b (1: equal).
func jaroWinkler(a, b string) float64 {
	a, b = strings.ToLower(a), strings.ToLower(b)
	if a == b {
		return 1
	}
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	window := max(max(la, lb)/2-1, 0)
	ma, mb := make([]bool, la), make([]bool, lb)
	matches := 0
	for i := range la {
		for j := max(0, i-window); j < min(lb, i+window+1); j++ {
			if !mb[j] && a[i] == b[j] {
				ma[i], mb[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	trans, j := 0, 0
	for i := range la {
		if !ma[i] {
			continue
		}
		for !mb[j] {
			j++
		}
		if a[i] != b[j] {
			trans++
		}
		j++
	}
	m := float64(matches)
	jaro := (m/float64(la) + m/float64(lb) + (m-float64(trans)/2)/m) / 3
	prefix := 0
	for prefix < min(4, la, lb) && a[prefix] == b[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}

// aggregateNotAllowed is DuckDB's error for an aggregate where only a
// scalar can be: in WHERE (and JOIN conditions, which DuckDB binds as
// WHERE), GROUP BY, or elsewhere.
func aggregateNotAllowed(n ast.Node, clause string) error {
	switch clause {
	case "WHERE", "JOIN":
		return binderErr(n, "WHERE clause cannot contain aggregates!")
	case "GROUP BY":
		return binderErr(n, "GROUP BY clause cannot contain aggregates!")
	}
	return binderErr(n, "Aggregate functions are not supported here")
}

// functionsFunc is peregrine_functions() (and duckdb_functions()): the
// registry as a table with duckdb_functions()'s main columns.
func (b *binder) functionsFunc(tf TableFunc, alias string) (planner.Node, error) {
	if len(tf.Args) > 0 || len(tf.Named) > 0 {
		return nil, fmt.Errorf("Binder Error: %s takes no arguments", tf.Name)
	}
	v := &planner.Values{}
	str, list := coldata.TypeString, coldata.ListType(coldata.TypeString)
	for _, c := range []struct {
		name string
		t    coldata.Type
	}{{"function_name", str}, {"function_type", str}, {"description", str}, {"return_type", str},
		{"parameters", list}, {"parameter_types", list}, {"examples", list}} {
		v.Out = append(v.Out, b.newCol(c.name, alias, c.t))
	}
	strs := func(xs []string) coldata.Datum {
		d := make([]coldata.Datum, len(xs))
		for i, x := range xs {
			d[i] = coldata.Datum{S: x}
		}
		return coldata.ListDatum(d...)
	}
	opt := func(s string) coldata.Datum {
		if s == "" {
			return coldata.NullDatum
		}
		return coldata.Datum{S: s}
	}
	for _, f := range Functions() {
		var ex []string
		if f.Example != "" {
			ex = []string{f.Example}
		}
		v.Rows = append(v.Rows, []coldata.Datum{{S: f.Name}, {S: f.Kind}, opt(f.Description), opt(f.Return),
			strs(f.Params), strs(f.ParamTypes), strs(ex)})
	}
	return v, nil
}
