package sql

import (
	"math"
	"runtime/debug"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// catalogFuncNames are the scalar functions about the session and its
// database, known when binding: current_database(), current_schema(),
// version().
var catalogFuncNames = map[string]bool{"current_database": true, "current_schema": true, "version": true,
	"now": true, "get_current_timestamp": true, "transaction_timestamp": true, "today": true,
	"current_localtimestamp": true}

// clockNames are the SQL keywords written without parentheses that read
// the clock (current_date, current_timestamp, localtimestamp): the
// binder takes them for these calls when no column has the name.
var clockNames = map[string]string{"current_date": "today", "current_timestamp": "now", "localtimestamp": "current_localtimestamp"}

// clockValue is the time the clock functions return, read when the
// statement is bound: one value for every row and every call of it, as
// DuckDB gives the start of the transaction. TIMESTAMPTZ values are UTC
// microseconds (the session time zone is UTC); current_date and
// localtimestamp are the UTC date and wall time.
func clockValue(now time.Time, name string) (expr.Expr, bool) {
	now = now.UTC()
	us := now.UnixMicro()
	switch name {
	case "now", "get_current_timestamp", "transaction_timestamp":
		return &expr.Const{Val: coldata.Datum{I: us}, Typ: coldata.Type{ID: coldata.Timestamp, Kind: coldata.KindTimestampTZ}}, true
	case "current_localtimestamp":
		return &expr.Const{Val: coldata.Datum{I: us}, Typ: coldata.TypeTimestamp}, true
	case "today":
		return &expr.Const{Val: coldata.Datum{I: int64(math.Floor(float64(us) / 86400e6))}, Typ: coldata.TypeDate}, true
	}
	return nil, false
}

func (c *exprCtx) catalogFunction(e *ast.FuncCall, name string, args []expr.Expr) (expr.Expr, bool, error) {
	if !catalogFuncNames[name] {
		return nil, false, nil
	}
	if len(args) != 0 {
		return nil, true, binderErr(e, "function %s does not take %d arguments", name, len(args))
	}
	if x, ok := clockValue(c.b.params.statementClock(), name); ok {
		return x, true, nil
	}
	var v string
	switch name {
	case "current_database":
		v = c.b.databaseName()
	case "current_schema":
		v = "main"
	case "version":
		v = moduleVersion()
	}
	return &expr.Const{Val: coldata.Datum{S: v}, Typ: coldata.TypeString}, true, nil
}

// moduleVersion is Peregrine's module version as built ("(devel)" from a
// work tree), whether it is the main module or a dependency.
func moduleVersion() string {
	const mod = "github.com/peregrinedb/peregrine"
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Path == mod && bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, d := range bi.Deps {
			if d.Path == mod && d.Version != "" {
				v = d.Version
			}
		}
	}
	return "peregrine " + v
}
