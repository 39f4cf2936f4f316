package planner

import (
	"fmt"

	"github.com/peregrinedb/peregrine/planner/expr"
)

// AggOrder is one ORDER BY key of an ordered aggregate
// (string_agg(x, ',' ORDER BY y DESC)): a column of the input like Arg.
type AggOrder struct {
	Key        expr.Expr
	Desc       bool
	NullsFirst bool
}

// Extra are the input expressions of the call past Arg: Arg2, the ORDER BY
// keys and the FILTER predicate, as pointers so that a rewrite (the
// projection below the aggregate, a clone) can replace them in place.
func (c *AggCall) Extra() []*expr.Expr {
	var xs []*expr.Expr
	if c.Arg2 != nil {
		xs = append(xs, &c.Arg2)
	}
	for i := range c.Order {
		xs = append(xs, &c.Order[i].Key)
	}
	if c.Filter != nil {
		xs = append(xs, &c.Filter)
	}
	return xs
}

// PhysAggOrder is an ordered aggregate's key: an input column position.
type PhysAggOrder struct {
	Col        int
	Desc       bool
	NullsFirst bool
}

// lowerAggExtras sets the physical aggregate's ORDER BY and FILTER columns.
func lowerAggExtras(pa *PhysAgg, a AggCall, pos map[ColID]int) error {
	col := func(e expr.Expr) (int, error) {
		c, ok := e.(*expr.Column)
		if !ok {
			return 0, fmt.Errorf("internal error: aggregate argument %s is not a column", e)
		}
		return pos[c.Index], nil
	}
	for _, o := range a.Order {
		c, err := col(o.Key)
		if err != nil {
			return err
		}
		pa.Order = append(pa.Order, PhysAggOrder{Col: c, Desc: o.Desc, NullsFirst: o.NullsFirst})
	}
	if a.Filter != nil {
		c, err := col(a.Filter)
		if err != nil {
			return err
		}
		pa.Filter, pa.Filtered = c, true
	}
	return nil
}
