package kernel

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

func compileJSON(e *expr.Func, args []node) (node, error) {
	return nil, errorf("%s is not supported yet", e.Op)
}

var _ coldata.Type
