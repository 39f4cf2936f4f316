package sql

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// madType is mad()'s result type: DOUBLE for integers and doubles (read
// as they are, HUGEINT as DOUBLE), the argument's for DECIMAL. DuckDB's
// INTERVAL result of DATE and TIMESTAMP arguments is not supported yet.
func madType(fe *ast.FuncCall, t coldata.Type, cast func(coldata.Type) error) (coldata.Type, error) {
	switch {
	case t.ID == coldata.Decimal:
		return t, nil
	case t.ID == coldata.Int32 || t.ID == coldata.Int64 || t.ID == coldata.Float64:
		return coldata.TypeFloat64, nil
	case t.IsNumeric():
		return coldata.TypeFloat64, cast(coldata.TypeFloat64)
	case t.ID == coldata.Date || t.ID == coldata.Timestamp:
		return t, notImplemented(fe, "mad of "+t.String()+" (an INTERVAL result)")
	}
	return t, binderErr(fe, "No function matches the given name and argument types 'mad(%s)'. You might need to add explicit type casts.", t)
}
