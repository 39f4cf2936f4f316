package sql

import (
	"fmt"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/exec/kernel"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// encodeNestedMore extends encodeNestedBelow to the operators that keep
// their input's columns by ID (UNNEST, windows, REPEAT, DISTINCT ON, the
// inputs of a UNION): their inputs are rewritten, which keeps every
// column's ID and type, so the node itself stays as it is. ok is false for
// other node kinds.
func (b *binder) encodeNestedMore(n planner.Node, above map[planner.ColID]bool) (planner.Node, bool, error) {
	refs := nodeReads(n, above)
	one := func(in planner.Node) (planner.Node, error) { return b.encodeNestedBelow(in, refs) }
	var err error
	switch n := n.(type) {
	case *planner.Unnest:
		for _, l := range n.Lists {
			refs[l.ID] = true
		}
		u := *n
		u.Input, err = one(n.Input)
		return &u, true, err
	case *planner.Window:
		for _, c := range n.Input.Cols() {
			refs[c.ID] = true
		}
		w := *n
		w.Input, err = one(n.Input)
		return &w, true, err
	case *planner.Repeat:
		r := *n
		r.Input, err = one(n.Input)
		return &r, true, err
	case *planner.DistinctOn:
		d := *n
		d.Input, err = one(n.Input)
		return &d, true, err
	case *planner.Union:
		u := *n
		u.Ins = make([]planner.Node, len(n.Ins))
		for i, in := range n.Ins {
			// A union reads its inputs by position: all their columns.
			all := map[planner.ColID]bool{}
			for _, c := range in.Cols() {
				all[c.ID] = true
			}
			if u.Ins[i], err = b.encodeNestedBelow(in, all); err != nil {
				return nil, true, err
			}
		}
		return &u, true, nil
	}
	return nil, false, nil
}

// decodeIn makes a join condition that reads nested columns encoded below
// the join read their decodings, and nested_encode of them the encoded
// column itself.
func decodeIn(cond expr.Expr, orig map[planner.ColID]planner.ColMeta) expr.Expr {
	if cond == nil {
		return nil
	}
	enc := map[int]planner.ColMeta{}
	for id, o := range orig {
		c := o
		c.ID = id
		c.Type = coldata.TypeString
		enc[int(o.ID)] = c
	}
	return expr.Rewrite(cond, func(e expr.Expr) expr.Expr {
		switch x := e.(type) {
		case *expr.Column:
			if c, ok := enc[x.Index]; ok {
				return nestedDecode(colExpr(c), x.Typ)
			}
		case *expr.Func:
			if d, ok := x.Args[0].(*expr.Func); ok && x.Op == expr.OpNestedEncode && d.Op == expr.OpNestedDecode {
				return d.Args[0]
			}
		}
		return e
	})
}

// nestedEquality is l = r or l <> r on LIST/STRUCT/MAP values: both cast
// to one type, equal when their encodings are (DuckDB compares nested
// values field by field with NULL fields equal to each other); NULL when
// either value is NULL.
func nestedEquality(op expr.Op, l, r expr.Expr) (expr.Expr, error) {
	t, err := unifyTypes(l.Type(), r.Type())
	if err != nil {
		return nil, &Error{Kind: "Binder", Msg: fmt.Sprintf("Cannot compare values of type %s and type %s", l.Type(), r.Type()), Pos: -1}
	}
	if l, r, err = castBoth(l, r, t); err != nil {
		return nil, err
	}
	return &expr.Func{Op: op, Args: []expr.Expr{nestedEncode(l), nestedEncode(r)}, Typ: coldata.TypeBool}, nil
}

// sortKeys adds the sort keys of nested ORDER BY columns below a sort
// (a projection computing __nested_sort_key) and drops them above it.
type sortKeys struct {
	b    *binder
	in   planner.Node
	proj *planner.Project
}

func (b *binder) nestedSortKeys(in planner.Node) *sortKeys { return &sortKeys{b: b, in: in} }

// key is the sort key column standing for nested column c.
func (k *sortKeys) key(c planner.ColMeta, at ast.Node) (planner.ColMeta, error) {
	if !kernel.SortKeyable(c.Type) {
		return c, errAt(at, "Not implemented", "ORDER BY on the nested column %s (%s) is not supported", c.Name, c.Type)
	}
	if k.proj == nil {
		k.proj = &planner.Project{Input: k.in}
		for _, x := range k.in.Cols() {
			k.proj.Exprs, k.proj.Out = append(k.proj.Exprs, colExpr(x)), append(k.proj.Out, x)
		}
	}
	key := k.b.newCol(c.Name, "", coldata.TypeString)
	k.proj.Exprs = append(k.proj.Exprs, &expr.Func{Op: expr.OpNestedSortKey, Args: []expr.Expr{colExpr(c)}, Typ: coldata.TypeString})
	k.proj.Out = append(k.proj.Out, key)
	return key, nil
}

func (k *sortKeys) input() planner.Node {
	if k.proj == nil {
		return k.in
	}
	return k.proj
}

// drop removes the keys from the sorted rows' columns.
func (k *sortKeys) drop(s planner.Node) planner.Node {
	if k.proj == nil {
		return s
	}
	p := &planner.Project{Input: s}
	for _, x := range k.in.Cols() {
		p.Exprs, p.Out = append(p.Exprs, colExpr(x)), append(p.Out, x)
	}
	return p
}
