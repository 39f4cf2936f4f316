package kernel

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// compileList compiles the list constructors and functions (the nested
// operators from OpListValue on).
func (c *compiler) compileList(e *expr.Func) (node, error) {
	if e.Op >= expr.OpMapFromLists {
		return c.compileMap(e)
	}
	if e.Op == expr.OpListTransform || e.Op == expr.OpListFilter || e.Op == expr.OpListReduce {
		return c.compileLambdaCall(e)
	}
	args, err := c.compileArgs(e.Args)
	if err != nil {
		return nil, err
	}
	want := func(n int, listArg int) error {
		if len(args) != n {
			return errorf("%s takes %d arguments, got %d", e.Op, n, len(args))
		}
		if listArg >= 0 && args[listArg].typ().ID != coldata.List {
			return errorf("%s takes a LIST, got %s", e.Op, args[listArg].typ())
		}
		return nil
	}
	boolConst := func(i int) bool {
		k, ok := e.Args[i].(*expr.Const)
		return ok && !k.Val.Null && k.Val.B
	}
	switch e.Op {
	case expr.OpListValue:
		if e.Typ.ID != coldata.List {
			return nil, errorf("list_value of type %s", e.Typ)
		}
		for _, a := range args {
			if !a.typ().Equal(e.Typ.Nest.Elem) {
				return nil, internalf("list_value element %s is not %s", a.typ(), e.Typ.Nest.Elem)
			}
		}
		return &listValueNode{args: args, t: e.Typ}, nil
	case expr.OpStructPack:
		if e.Typ.ID != coldata.Struct || len(e.Typ.Nest.Fields) != len(args) {
			return nil, internalf("struct_pack of %d values typed %s", len(args), e.Typ)
		}
		return &structPackNode{args: args, t: e.Typ}, nil
	case expr.OpListSlice:
		if err := want(3, 0); err != nil {
			return nil, err
		}
		return &listShapeNode{op: e.Op, args: args, t: e.Typ}, nil
	case expr.OpListReverse, expr.OpListDistinct, expr.OpFlatten:
		if err := want(1, 0); err != nil {
			return nil, err
		}
		if e.Op == expr.OpFlatten && args[0].typ().Nest.Elem.ID != coldata.List {
			return nil, errorf("flatten takes a list of lists, got %s", args[0].typ())
		}
		return &listShapeNode{op: e.Op, args: args, t: e.Typ}, nil
	case expr.OpListSort:
		if err := want(3, 0); err != nil {
			return nil, err
		}
		return &listShapeNode{op: e.Op, args: args[:1], t: e.Typ, desc: boolConst(1), nullsF: boolConst(2)}, nil
	case expr.OpListConcat, expr.OpListAppend, expr.OpListPrepend:
		if len(args) != 2 && (e.Op != expr.OpListConcat || len(args) != 3) {
			return nil, errorf("%s takes 2 arguments, got %d", e.Op, len(args))
		}
		return &listCombineNode{op: e.Op, a: args[0], b: args[1], t: e.Typ, strict: len(args) == 3 && boolConst(2)}, nil
	case expr.OpListUnique:
		if err := want(1, 0); err != nil {
			return nil, err
		}
		return &listScalarNode{op: e.Op, args: args, t: coldata.TypeInt64}, nil
	case expr.OpListPosition:
		if err := want(2, 0); err != nil {
			return nil, err
		}
		return &listScalarNode{op: e.Op, args: args, t: coldata.TypeInt32}, nil
	case expr.OpListToString:
		if err := want(3, 0); err != nil {
			return nil, err
		}
		return &listScalarNode{op: e.Op, args: args[:2], t: coldata.TypeString, nullEmpty: boolConst(2)}, nil
	case expr.OpListAggregate:
		if err := want(2, 0); err != nil {
			return nil, err
		}
		k, ok := e.Args[1].(*expr.Const)
		if !ok || k.Typ.ID != coldata.String {
			return nil, errorf("list_aggregate needs a constant aggregate name")
		}
		return &listScalarNode{op: e.Op, args: args[:1], agg: k.Val.S, t: e.Typ}, nil
	case expr.OpListRange:
		if len(args) != 4 {
			return nil, errorf("range takes (start, stop, step), got %d arguments", len(args))
		}
		return &rangeNode{args: args[:3], inclusive: boolConst(3)}, nil
	case expr.OpStringSplit:
		if len(args) != 2 {
			return nil, errorf("string_split takes 2 arguments, got %d", len(args))
		}
		return &splitNode{s: args[0], sep: args[1]}, nil
	}
	return nil, errorf("unsupported operator %s", e.Op)
}

func (c *compiler) compileLambdaCall(e *expr.Func) (node, error) {
	if len(e.Args) < 2 {
		return nil, errorf("%s takes 2 arguments, got %d", e.Op, len(e.Args))
	}
	l, ok := e.Args[1].(*expr.Lambda)
	if !ok {
		return nil, errorf("%s needs a lambda, got %s", e.Op, e.Args[1])
	}
	list, err := c.compile(e.Args[0])
	if err != nil {
		return nil, err
	}
	if list.typ().ID != coldata.List {
		return nil, errorf("%s takes a LIST, got %s", e.Op, list.typ())
	}
	body, err := compileLambda(l)
	if err != nil {
		return nil, err
	}
	caps, err := c.compileArgs(e.Args[2:])
	if err != nil {
		return nil, err
	}
	if e.Op == expr.OpListReduce {
		return &reduceNode{list: list, body: body, t: e.Typ, caps: captures{args: caps}}, nil
	}
	return &lambdaNode{op: e.Op, list: list, body: body, t: e.Typ, caps: captures{args: caps}}, nil
}
