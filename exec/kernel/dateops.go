package kernel

import "github.com/peregrinedb/peregrine/planner/expr"

// compileDateOp compiles the operators of planner/expr/dateops.go.
func (c *compiler) compileDateOp(e *expr.Func, args []node) (node, error) {
	switch e.Op {
	case expr.OpDatePart:
		return c.compileDatePart(e, args)
	case expr.OpEpochUnits:
		return c.compileEpochUnits(e, args)
	case expr.OpTSAddInterval:
		return c.compileTSAdd(e, args)
	case expr.OpTimeBucket:
		return c.compileTimeBucket(e, args)
	case expr.OpDateSub:
		return c.compileDateSub(e, args)
	case expr.OpStrptime:
		return c.compileStrptime(e, args)
	case expr.OpMakeTS:
		return c.compileMakeTS(e, args)
	}
	return nil, errorf("unsupported operator %s", e.Op)
}
