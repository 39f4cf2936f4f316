package sql

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// textOnly are text functions DuckDB has no BLOB overload of: a BLOB
// does not cast to VARCHAR implicitly, so they fail to bind rather than
// measure or change the blob's escaped text.
var textOnly = map[string]bool{
	"length": true, "len": true, "strlen": true, "char_length": true, "character_length": true,
	"upper": true, "ucase": true, "lower": true, "lcase": true,
}

// blobFunction binds the functions that take a BLOB as bytes:
// octet_length (bytes of a BLOB; DuckDB has no VARCHAR overload, so a
// string literal is cast). ok is false for other names.
func blobFunction(e *ast.FuncCall, name string, args []expr.Expr) (expr.Expr, bool, error) {
	if textOnly[name] {
		for _, a := range args {
			if a.Type().Kind == coldata.KindBlob {
				return nil, true, noMatch(e, name, args)
			}
		}
		return nil, false, nil
	}
	if name != "octet_length" {
		return nil, false, nil
	}
	if len(args) != 1 {
		return nil, true, noMatch(e, name, args)
	}
	a := args[0]
	switch t := a.Type(); {
	case t.Kind == coldata.KindBlob:
	case t.ID == coldata.Unknown:
		var err error
		if a, err = castTo(a, coldata.TypeBlob); err != nil {
			return nil, true, err
		}
	default:
		return nil, true, noMatch(e, name, args)
	}
	return &expr.Func{Op: expr.OpStrlen, Args: []expr.Expr{a}, Typ: coldata.TypeInt64}, true, nil
}
