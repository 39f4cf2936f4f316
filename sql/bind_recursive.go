package sql

import (
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// WITH RECURSIVE: a CTE of a recursive WITH whose body is
// `anchor UNION [ALL] step` with the step reading the CTE's own name binds
// to a planner.RecursiveCTE at each reference. The anchor fixes the column
// names and types (the step's columns are cast to them); inside the step
// the name reads the working table (planner.WorkScan).

// selfReferencing reports whether cte is recursive: its body is a UNION
// whose right side names the CTE.
func selfReferencing(cte visibleCTE) (*ast.SetOp, bool) {
	if cte.with == nil || !cte.with.Recursive {
		return nil, false
	}
	set, ok := cte.cte.Query.Body.(*ast.SetOp)
	if !ok || set.Op != "UNION" || set.ByName {
		return nil, false
	}
	name := strings.ToLower(cte.cte.Name.Name)
	found := false
	ast.Inspect(set.R, func(n ast.Node) bool {
		if t, ok := n.(*ast.TableName); ok && len(t.Name.Parts) == 1 && strings.ToLower(t.Name.Parts[0].Name) == name {
			found = true
		}
		return !found
	})
	return set, found
}

// bindRecursiveRef binds one reference to a recursive CTE.
func (b *binder) bindRecursiveRef(cte visibleCTE, set *ast.SetOp, alias string, colNames []ast.Ident, sc *scope, at ast.Node) (planner.Node, error) {
	q := cte.cte.Query
	if q.OrderBy != nil || q.Limit != nil || q.Offset != nil {
		return nil, notImplemented(q, "ORDER BY or LIMIT on a recursive CTE's body")
	}
	cb := &binder{cat: b.cat, ids: b.ids, ctes: ctesBefore(b.ctes, cte), shared: b.shared, params: b.params, outer: b.outer}
	cb = cb.withCTEs(q.With)
	anchor, err := cb.bindSetSide(set.L, nil)
	if err != nil {
		return nil, err
	}
	names := append([]string(nil), anchor.names...)
	for i, c := range cte.cte.Columns {
		if i < len(names) {
			names[i] = c.Name
		}
	}
	types := make([]coldata.Type, len(names))
	for i, c := range anchor.node.Cols()[:len(names)] {
		types[i] = c.Type
		if c.Type.ID == coldata.Unknown {
			types[i] = coldata.TypeInt32
		}
	}
	rc := &planner.RecursiveCTE{Name: cte.cte.Name.Name, Distinct: !set.All}
	work := make([]planner.ColMeta, len(names))
	for i := range names {
		work[i] = planner.ColMeta{Name: names[i], Type: types[i]}
	}
	sb := *cb
	sb.ctes = map[string]visibleCTE{}
	for k, v := range cb.ctes {
		sb.ctes[k] = v
	}
	sb.ctes[strings.ToLower(cte.cte.Name.Name)] = visibleCTE{cte: cte.cte, with: cte.with, idx: cte.idx, work: rc, workCols: work}
	step, err := sb.bindSetSide(set.R, nil)
	if err != nil {
		return nil, err
	}
	if len(step.names) != len(names) {
		return nil, binderErr(set, "Set operations can only apply to expressions with the same number of result columns")
	}
	if rc.Anchor, err = b.setSide(anchor.node, exprsOf(anchor.node.Cols()[:len(names)]), types, names, false, 0); err != nil {
		return nil, err
	}
	if rc.Step, err = b.setSide(step.node, exprsOf(step.node.Cols()[:len(names)]), types, names, false, 1); err != nil {
		return nil, err
	}
	if alias == "" {
		alias = cte.cte.Name.Name
	}
	for i := range names {
		rc.Out = append(rc.Out, b.newCol(names[i], alias, types[i]))
	}
	if err := renameCols(rc.Out, colNames, alias, at); err != nil {
		return nil, err
	}
	sc.add(alias, rc.Out)
	return rc, nil
}

// bindWorkScan binds the CTE's name inside its own step.
func (b *binder) bindWorkScan(cte visibleCTE, alias string, colNames []ast.Ident, sc *scope, at ast.Node) (planner.Node, error) {
	if alias == "" {
		alias = cte.cte.Name.Name
	}
	ws := &planner.WorkScan{CTE: cte.work}
	for _, c := range cte.workCols {
		ws.Out = append(ws.Out, b.newCol(c.Name, alias, c.Type))
	}
	if err := renameCols(ws.Out, colNames, alias, at); err != nil {
		return nil, err
	}
	sc.add(alias, ws.Out)
	return ws, nil
}
