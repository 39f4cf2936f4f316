package kernel

import (
	"errors"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

var errManyRows = errors.New("Invalid Input Error: More than one row returned by a subquery used as an expression - scalar subqueries can only return a single row.")

// singleRowNode passes a scalar subquery's value through once its row count
// is known to be at most one; more rows is the error DuckDB raises.
type singleRowNode struct {
	count, val node
}

func (n *singleRowNode) typ() coldata.Type { return n.val.typ() }

func (n *singleRowNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	c, err := n.count.eval(b, sel)
	if err != nil {
		return nil, err
	}
	check := func(i int) error {
		if !c.IsNull(i) && c.I64[i] > 1 {
			return errManyRows
		}
		return nil
	}
	if sel == nil {
		for i := range b.N {
			if err := check(i); err != nil {
				return nil, err
			}
		}
	} else {
		for _, i := range sel {
			if err := check(int(i)); err != nil {
				return nil, err
			}
		}
	}
	return n.val.eval(b, sel)
}
