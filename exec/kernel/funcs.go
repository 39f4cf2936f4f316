package kernel

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// compileFunc checks the arity of e and hands it to the family that
// implements its operator.
func (c *compiler) compileFunc(e *expr.Func) (node, error) {
	if err := checkType(e.Typ); err != nil {
		return nil, err
	}
	args, err := c.compileArgs(e.Args)
	if err != nil {
		return nil, err
	}
	arity := func(lo, hi int) error {
		if len(args) < lo || len(args) > hi {
			return errorf("%s takes %d to %d arguments, got %d", e.Op, lo, hi, len(args))
		}
		return nil
	}
	switch e.Op {
	case expr.OpAdd, expr.OpSub, expr.OpMul, expr.OpDiv, expr.OpMod, expr.OpIntDiv:
		if err := arity(2, 2); err != nil {
			return nil, err
		}
		return c.compileArith(e, args)
	case expr.OpNeg, expr.OpAbs:
		if err := arity(1, 1); err != nil {
			return nil, err
		}
		return c.compileMath(e, args)
	case expr.OpRound:
		if err := arity(1, 2); err != nil {
			return nil, err
		}
		return c.compileMath(e, args)
	case expr.OpEq, expr.OpNe, expr.OpLt, expr.OpLe, expr.OpGt, expr.OpGe:
		if err := arity(2, 2); err != nil {
			return nil, err
		}
		return c.compileCompare(e, args)
	case expr.OpAnd, expr.OpOr:
		if err := arity(1, 1<<20); err != nil {
			return nil, err
		}
		return c.compileLogic(e, args)
	case expr.OpNot:
		if err := arity(1, 1); err != nil {
			return nil, err
		}
		return c.compileNot(args)
	case expr.OpSingleRow:
		if err := arity(2, 2); err != nil {
			return nil, err
		}
		if args[0].typ() != (coldata.Type{ID: coldata.Int64}) || args[1].typ() != e.Typ {
			return nil, errorf("single_row takes (BIGINT, %s), got (%s, %s)", e.Typ, args[0].typ(), args[1].typ())
		}
		return &singleRowNode{count: args[0], val: args[1]}, nil
	case expr.OpCoalesce:
		if err := arity(1, 1<<20); err != nil {
			return nil, err
		}
		return c.compileCoalesce(e, args)
	case expr.OpConcat, expr.OpSubstring, expr.OpUpper, expr.OpLower, expr.OpLength, expr.OpTrim,
		expr.OpStartsWith, expr.OpContains:
		return c.compileStrFunc(e, args)
	case expr.OpLTrim, expr.OpRTrim, expr.OpTrimChars, expr.OpReplace, expr.OpReverse, expr.OpRepeat,
		expr.OpLeft, expr.OpRight, expr.OpLpad, expr.OpRpad, expr.OpSplitPart, expr.OpEndsWith, expr.OpStrpos,
		expr.OpAscii, expr.OpChr, expr.OpMD5:
		return c.compileStrOp(e, args)
	case expr.OpRegexpMatches, expr.OpRegexpFullMatch, expr.OpRegexpReplace, expr.OpRegexpExtract:
		return c.compileRegexp(e, args)
	case expr.OpSqrt, expr.OpCbrt, expr.OpExp, expr.OpLn, expr.OpLog10, expr.OpLog2, expr.OpCeil, expr.OpFloor, expr.OpTrunc:
		return c.compileFloatFn(e, args)
	case expr.OpGreatest, expr.OpLeast:
		return c.compileExtreme(e, args)
	case expr.OpDateTrunc, expr.OpDateDiff, expr.OpLastDay, expr.OpDayName, expr.OpMonthName, expr.OpMakeDate:
		return c.compileCalFunc(e, args)
	case expr.OpGcd, expr.OpLcm:
		return c.compileGcd(e, args)
	case expr.OpStrftime:
		return c.compileStrftime(e, args)
	case expr.OpConcatWS:
		return c.compileConcatWS(e, args)
	case expr.OpExtractYear, expr.OpExtractMonth, expr.OpExtractDay:
		if err := arity(1, 1); err != nil {
			return nil, err
		}
		return c.compileDateFunc(e, args)
	case expr.OpBitAnd, expr.OpBitOr, expr.OpBitXor, expr.OpBitNot, expr.OpShiftLeft, expr.OpShiftRight, expr.OpPow:
		return c.compileBitwise(e, args)
	case expr.OpDateAddDays, expr.OpDateAddMonths:
		if err := arity(2, 2); err != nil {
			return nil, err
		}
		return c.compileDateFunc(e, args)
	}
	if expr.IsDateOp(e.Op) {
		return c.compileDateOp(e, args)
	}
	return nil, errorf("unsupported operator %s", e.Op)
}
