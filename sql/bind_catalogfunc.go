package sql

import (
	"runtime/debug"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// catalogFuncNames are the scalar functions about the session and its
// database, known when binding: current_database(), current_schema(),
// version().
var catalogFuncNames = map[string]bool{"current_database": true, "current_schema": true, "version": true}

func (c *exprCtx) catalogFunction(e *ast.FuncCall, name string, args []expr.Expr) (expr.Expr, bool, error) {
	if !catalogFuncNames[name] {
		return nil, false, nil
	}
	if len(args) != 0 {
		return nil, true, binderErr(e, "function %s does not take %d arguments", name, len(args))
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
