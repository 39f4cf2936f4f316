package sql

import (
	"math"
	"strconv"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// Samples (USING SAMPLE over the whole FROM, TABLESAMPLE over one FROM
// item) wrap the sampled node and keep its columns, so every name that
// resolved against the item still does:
//
//   - a percentage with bernoulli or system sampling (the default for a
//     percentage) keeps each row with probability p/100: a filter on
//     key < p/100;
//   - a row count (reservoir, the default for a count) keeps min(n, count)
//     rows chosen uniformly: a sort on the key and a LIMIT n;
//   - a reservoir percentage keeps round(p * count / 100) rows chosen
//     uniformly: the rows numbered in key order and counted (two windows).
//
// The key is random() in [0, 1); with a seed it is a seeded hash of the
// row's values scaled to [0, 1), so a seeded sample of the same data is
// the same sample on every run and at any parallelism (DuckDB only
// promises that single-threaded). Equal rows share a key: they are kept
// or dropped together, which keeps the expected size but not the
// independence of duplicates.
type sampleSpec struct {
	percent bool
	size    float64 // a percentage, or a row count
	method  string
	seed    *int64
}

// sampleSpecOf checks s as DuckDB's parser does: a non-negative number
// (a row count truncated to an integer), a percentage up to 100, a known
// method, counts only with reservoir sampling, an integer seed.
func sampleSpecOf(s *ast.Sample) (sampleSpec, error) {
	var sp sampleSpec
	v, err := astValue(s.Size)
	if err != nil || v.Kind != VNumber {
		return sp, errAt(s.Size, "Parser", "syntax error at or near %q", ast.String(s.Size))
	}
	if sp.size, err = strconv.ParseFloat(v.Str, 64); err != nil {
		return sp, errAt(s.Size, "Parser", "syntax error at or near %q", v.Str)
	}
	if sp.size < 0 || math.IsNaN(sp.size) {
		return sp, errAt(s.Size, "Parser", "syntax error at or near \"-\"")
	}
	sp.percent = s.Unit == "PERCENT"
	if sp.percent && sp.size > 100 {
		return sp, errAt(s.Size, "Parser", "Sample sample_size %f out of range, must be between 0 and 100", sp.size)
	}
	sp.method = s.Method
	switch sp.method {
	case "":
		sp.method = "reservoir"
		if sp.percent {
			sp.method = "system"
		}
	case "reservoir", "bernoulli", "system":
	default:
		return sp, errAt(s, "Parser", "Unrecognized sampling method %s, expected system, bernoulli or reservoir", sp.method)
	}
	if !sp.percent && sp.method != "reservoir" {
		name := "Bernoulli"
		if sp.method == "system" {
			name = "System"
		}
		return sp, errAt(s, "Parser", "Sample method %s cannot be used with a discrete sample count, either switch to reservoir sampling or use a sample_size", name)
	}
	if s.Seed != nil {
		sv, err := astValue(s.Seed)
		n, perr := strconv.ParseInt(sv.Str, 10, 64)
		switch {
		case err == nil && sv.Kind == VNumber && perr == nil && n < 0:
			return sp, errAt(s.Seed, "Parser", "syntax error at or near \"-\"")
		case err != nil || sv.Kind != VNumber || perr != nil:
			return sp, errAt(s.Seed, "Parser", "syntax error at or near %q", ast.String(s.Seed))
		}
		sp.seed = &n
	}
	return sp, nil
}

// sample wraps node in the sample s (see sampleSpec).
func (b *binder) sample(s *ast.Sample, node planner.Node) (planner.Node, error) {
	sp, err := sampleSpecOf(s)
	if err != nil {
		return nil, err
	}
	cols := node.Cols()
	key := sampleKey(cols, sp.seed)
	f64 := coldata.TypeFloat64
	if sp.percent && sp.method != "reservoir" {
		lt := &expr.Func{Op: expr.OpLt, Args: []expr.Expr{key, &expr.Const{Val: coldata.Datum{F: sp.size / 100}, Typ: f64}}, Typ: coldata.TypeBool}
		return &planner.Filter{Input: node, Pred: lt}, nil
	}
	exprs := make([]expr.Expr, len(cols), len(cols)+1)
	for i, c := range cols {
		exprs[i] = colExpr(c)
	}
	keyCol := b.newCol("__sample_key", "", f64)
	withKey := &planner.Project{Input: node, Exprs: append(exprs, key), Out: append(append([]planner.ColMeta(nil), cols...), keyCol)}
	exprs = exprs[:len(cols)]
	if sp.percent {
		return &planner.Project{Input: b.reservoirPercent(withKey, keyCol, sp.size), Exprs: exprs, Out: cols}, nil
	}
	sorted := &planner.Sort{Input: withKey, Keys: []planner.SortKey{{Col: keyCol.ID}}}
	limited := &planner.Limit{Input: sorted, Count: int64(math.Min(sp.size, math.MaxInt64/2))}
	return &planner.Project{Input: limited, Exprs: exprs, Out: cols}, nil
}

// reservoirPercent keeps the round(p * n / 100) rows of the n rows of in
// with the smallest keys (DuckDB rounds half up): the row count over the
// whole input, the row number in key order, and rn <= n * p / 100 + 0.5.
func (b *binder) reservoirPercent(in planner.Node, key planner.ColMeta, p float64) planner.Node {
	i64, f64 := coldata.TypeInt64, coldata.TypeFloat64
	cnt := b.newCol("__sample_count", "", i64)
	whole := planner.WinFrame{Start: planner.WinBound{Kind: planner.BoundUnboundedPreceding}, End: planner.WinBound{Kind: planner.BoundUnboundedFollowing}}
	counted := &planner.Window{Input: in, Calls: []planner.WindowCall{{Func: planner.WinAggregate, Agg: planner.AggCountStar, Frame: whole, Typ: i64}},
		Out: append(append([]planner.ColMeta(nil), in.Cols()...), cnt)}
	rn := b.newCol("__sample_rn", "", i64)
	numbered := &planner.Window{Input: counted, Order: []planner.SortKey{{Col: key.ID}},
		Calls: []planner.WindowCall{{Func: planner.WinRowNumber, Typ: i64}},
		Out:   append(append([]planner.ColMeta(nil), counted.Out...), rn)}
	num := func(v float64) expr.Expr { return &expr.Const{Val: coldata.Datum{F: v}, Typ: f64} }
	arith := func(op expr.Op, l, r expr.Expr) expr.Expr {
		return &expr.Func{Op: op, Args: []expr.Expr{l, r}, Typ: f64}
	}
	bound := arith(expr.OpAdd, arith(expr.OpDiv, arith(expr.OpMul, &expr.Cast{Arg: colExpr(cnt), Typ: f64}, num(p)), num(100)), num(0.5))
	pred := &expr.Func{Op: expr.OpLe, Args: []expr.Expr{&expr.Cast{Arg: colExpr(rn), Typ: f64}, bound}, Typ: coldata.TypeBool}
	return &planner.Filter{Input: numbered, Pred: pred}
}

// sampleKey is a row's key in [0, 1): random(), or with a seed the hash of
// the seed and the row's (non-nested) values over 2^64.
func sampleKey(cols []planner.ColMeta, seed *int64) expr.Expr {
	f64 := coldata.TypeFloat64
	if seed == nil {
		return &expr.Func{Op: expr.OpRandom, Typ: f64}
	}
	args := []expr.Expr{&expr.Const{Val: coldata.Datum{I: *seed}, Typ: coldata.TypeInt64}}
	for _, c := range cols {
		if !c.Type.IsNested() {
			args = append(args, colExpr(c))
		}
	}
	h := &expr.Cast{Arg: &expr.Func{Op: expr.OpHash, Args: args, Typ: coldata.TypeHugeint}, Typ: f64}
	return &expr.Func{Op: expr.OpDiv, Args: []expr.Expr{h, &expr.Const{Val: coldata.Datum{F: 1 << 64}, Typ: f64}}, Typ: f64}
}

// withoutSample is te without its TABLESAMPLE, and that sample.
func withoutSample(te ast.TableExpr) (ast.TableExpr, *ast.Sample) {
	switch t := te.(type) {
	case *ast.TableName:
		if t.Sample != nil {
			c := *t
			c.Sample = nil
			return &c, t.Sample
		}
	case *ast.TablePath:
		if t.Sample != nil {
			c := *t
			c.Sample = nil
			return &c, t.Sample
		}
	case *ast.TableFunc:
		if t.Sample != nil {
			c := *t
			c.Sample = nil
			return &c, t.Sample
		}
	case *ast.DerivedTable:
		if t.Sample != nil {
			c := *t
			c.Sample = nil
			return &c, t.Sample
		}
	}
	return te, nil
}
