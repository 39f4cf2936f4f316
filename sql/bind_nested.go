package sql

import (
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/scan"
	"github.com/peregrinedb/peregrine/sql/ast"
	"github.com/peregrinedb/peregrine/storage"
)

// Nested values in SQL, as DuckDB spells them:
//
//	s.a, t.s.a, s.a.b          struct field (when no table s is in scope)
//	s['a'], struct_extract(s, 'a')
//	l[1], l[-1]                list element, 1-based, NULL out of range
//	len(l), array_length(l)    list length
//	m['k'], map_extract_value(m, 'k')   map value, NULL when absent
//	list_contains(l, x), map_keys(m), map_values(m)

// lookupCol resolves table.name like a column reference does.
func (c *exprCtx) lookupCol(table, name string) (planner.ColMeta, error) {
	var m planner.ColMeta
	var err error
	if c.innerFirst != nil {
		m, err = c.innerFirst.lookup(table, name)
	}
	if c.innerFirst == nil || err != nil {
		m, err = c.sc.lookup(table, name)
	}
	return m, err
}

// structField binds a qualified name that is not a table's column as
// field access on a struct column: s.a, t.s.a or s.a.b.
func (c *exprCtx) structField(e *ast.ColumnRef) (expr.Expr, bool, error) {
	parts := e.Parts
	var col planner.ColMeta
	var path []string
	if m, err := c.lookupCol(parts[0].Name, parts[1].Name); len(parts) > 2 && err == nil && m.Type.ID == coldata.Struct {
		col, path = m, names(parts[2:])
	} else if m, err := c.lookupCol("", parts[0].Name); err == nil && m.Type.ID == coldata.Struct {
		col, path = m, names(parts[1:])
	} else {
		return nil, false, nil
	}
	base := expr.Expr(colExpr(col))
	for _, f := range path {
		x, err := structExtract(base, f)
		if err != nil {
			return nil, true, at(err, e)
		}
		base = x
	}
	if c.agg != nil {
		// Under GROUP BY the field access itself may be a group key.
		if g, ok := c.agg.group(exprKey(base)); ok {
			return colExpr(g), true, nil
		}
		if x, ok := c.nestedGroup(base); ok {
			return x, true, nil
		}
		x, err := c.colRef(col)
		if err != nil {
			return nil, true, at(err, e)
		}
		base = x
		for _, f := range path {
			if base, err = structExtract(base, f); err != nil {
				return nil, true, at(err, e)
			}
		}
	}
	return base, true, nil
}

func names(ids []ast.Ident) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id.Name
	}
	return out
}

// index binds x[i]: a list element, a struct field by name or a map value.
func (c *exprCtx) index(e *ast.Index) (expr.Expr, error) {
	x, err := c.bind(e.X)
	if err != nil {
		return nil, err
	}
	i, err := c.bind(e.Index)
	if err != nil {
		return nil, err
	}
	if x.Type().ID == coldata.String {
		out, _, err := strSubscript(x, i, nil)
		return out, at(err, e)
	}
	out, ok, err := nestedFunction("list_element", []expr.Expr{x, i})
	if !ok {
		return nil, binderErr(e, "cannot subscript a value of type %s", x.Type())
	}
	return out, err
}

func structExtract(s expr.Expr, field string) (expr.Expr, error) {
	t := s.Type()
	if t.ID != coldata.Struct {
		return nil, fmt.Errorf("Binder Error: cannot extract field %q from %s: not a STRUCT", field, t)
	}
	k := t.FieldIndex(field)
	if k < 0 {
		var names []string
		for _, f := range t.Nest.Fields {
			names = append(names, f.Name)
		}
		return nil, fmt.Errorf("Binder Error: Could not find key %q in struct; candidates: %s", field, strings.Join(names, ", "))
	}
	name := &expr.Const{Val: coldata.Datum{S: t.Nest.Fields[k].Name}, Typ: coldata.TypeString}
	return &expr.Func{Op: expr.OpStructExtract, Args: []expr.Expr{s, name}, Typ: t.Nest.Fields[k].Type}, nil
}

// nestedFuncs are the names nestedFunction binds.
var nestedFuncs = map[string]bool{
	"struct_extract": true, "list_element": true, "list_extract": true, "array_extract": true, "map_extract_value": true,
	"list_contains": true, "array_contains": true, "list_has": true, "array_has": true, "map_keys": true, "map_values": true,
	"len": true, "length": true, "array_length": true, "cardinality": true,
}

// nestedFunction binds the functions on nested values; ok is false when
// name with these arguments is not one of them.
func nestedFunction(name string, args []expr.Expr) (x expr.Expr, ok bool, err error) {
	first := coldata.TypeUnknown
	if len(args) > 0 {
		first = args[0].Type()
	}
	arity := func(n int) error {
		if len(args) != n {
			return fmt.Errorf("Binder Error: function %s does not take %d arguments", name, len(args))
		}
		return nil
	}
	switch name {
	case "struct_extract", "list_element", "list_extract", "array_extract", "map_extract_value":
		if err := arity(2); err != nil {
			return nil, true, err
		}
		switch first.ID {
		case coldata.String:
			return strSubscript(args[0], args[1], nil)
		case coldata.Struct:
			k, isConst := args[1].(*expr.Const)
			if !isConst || k.Typ.ID != coldata.String || k.Val.Null {
				return nil, true, fmt.Errorf("Binder Error: a STRUCT field must be named by a constant string")
			}
			x, err := structExtract(args[0], k.Val.S)
			return x, true, err
		case coldata.List:
			i, err := castTo(args[1], coldata.TypeInt64)
			if err != nil {
				return nil, true, err
			}
			return &expr.Func{Op: expr.OpListElement, Args: []expr.Expr{args[0], i}, Typ: first.Nest.Elem}, true, nil
		case coldata.Map:
			k, err := castTo(args[1], first.Nest.Key)
			if err != nil {
				return nil, true, err
			}
			return &expr.Func{Op: expr.OpMapElement, Args: []expr.Expr{args[0], k}, Typ: first.Nest.Value}, true, nil
		}
		if name == "struct_extract" || first.ID != coldata.Unknown {
			return nil, true, &Error{Kind: "Binder", Msg: fmt.Sprintf("cannot subscript a value of type %s", first), Pos: -1}
		}
	case "list_contains", "array_contains", "list_has", "array_has":
		if first.ID != coldata.List {
			return nil, false, nil
		}
		if err := arity(2); err != nil {
			return nil, true, err
		}
		if first.Nest.Elem.IsNested() {
			return nil, true, fmt.Errorf("Not implemented Error: %s on a list of %s is not supported", name, first.Nest.Elem)
		}
		x, err := castTo(args[1], first.Nest.Elem)
		if err != nil {
			return nil, true, err
		}
		return &expr.Func{Op: expr.OpListContains, Args: []expr.Expr{args[0], x}, Typ: coldata.TypeBool}, true, nil
	case "map_keys", "map_values":
		if first.ID != coldata.Map {
			return nil, false, nil
		}
		if err := arity(1); err != nil {
			return nil, true, err
		}
		op, t := expr.OpMapKeys, coldata.ListType(first.Nest.Key)
		if name == "map_values" {
			op, t = expr.OpMapValues, coldata.ListType(first.Nest.Value)
		}
		return &expr.Func{Op: op, Args: args, Typ: t}, true, nil
	case "len", "length", "array_length", "cardinality":
		if first.ID != coldata.List && first.ID != coldata.Map {
			return nil, false, nil
		}
		if err := arity(1); err != nil {
			return nil, true, err
		}
		return &expr.Func{Op: expr.OpListLength, Args: args, Typ: coldata.TypeInt64}, true, nil
	}
	return nil, false, nil
}

// checkNotNested refuses nested values where the engine needs to hash or
// order them (GROUP BY, join keys, ORDER BY, DISTINCT).
func checkNotNested(what string, e expr.Expr) error {
	if t := e.Type(); t.IsNested() {
		return fmt.Errorf("Not implemented Error: %s on the nested value %s (%s) is not supported", what, e, t)
	}
	return nil
}

// nodeReads returns the column IDs a node's inputs must supply: those read
// above it (above) plus those its own expressions read. Node kinds without
// expressions of their own pass everything through.
func nodeReads(n planner.Node, above map[planner.ColID]bool) map[planner.ColID]bool {
	refs := map[planner.ColID]bool{}
	for id := range above {
		refs[id] = true
	}
	add := func(e expr.Expr) {
		if e == nil {
			return
		}
		for id := range expr.Columns(e) {
			refs[planner.ColID(id)] = true
		}
	}
	switch n := n.(type) {
	case *planner.Filter:
		add(n.Pred)
	case *planner.Project:
		for _, e := range n.Exprs {
			add(e)
		}
	case *planner.Aggregate:
		for _, g := range n.Groups {
			refs[g.ID] = true
		}
		for _, a := range n.Aggs {
			add(a.Arg)
			for _, x := range a.Extra() {
				add(*x)
			}
		}
	case *planner.Sort:
		for _, k := range n.Keys {
			refs[k.Col] = true
		}
	case *planner.Join:
		add(n.Cond)
		for _, k := range n.LeftKeys {
			add(k)
		}
		for _, k := range n.RightKeys {
			add(k)
		}
	case *planner.Scan, *planner.Values, *planner.Limit:
	default:
		for _, c := range n.Cols() {
			refs[c.ID] = true
		}
	}
	return refs
}

// walkNestedJoins refuses plans where a nested column is read above a join
// it comes through, for the node kinds encodeNestedBelow does not rewrite:
// the hash join's build side carries only flat vectors.
func walkNestedJoins(n planner.Node, above map[planner.ColID]bool) error {
	switch n := n.(type) {
	case *planner.Scan:
		return nil
	case *planner.Join:
		for _, in := range n.Inputs() {
			for _, c := range in.Cols() {
				if c.Type.IsNested() && above[c.ID] {
					hint := fmt.Sprintf("len(%s) or %s[1]", c.Name, c.Name)
					switch c.Type.ID {
					case coldata.Struct:
						hint = c.Name + "." + c.Type.Nest.Fields[0].Name
					case coldata.Map:
						hint = c.Name + "['key']"
					}
					return fmt.Errorf("Not implemented Error: the nested column %s (%s) cannot pass through a join yet; take scalars from it (such as %s) in a subquery below the join", c.Name, c.Type, hint)
				}
			}
		}
	}
	refs := nodeReads(n, above)
	for _, in := range n.Inputs() {
		if err := walkNestedJoins(in, refs); err != nil {
			return err
		}
	}
	return nil
}

// pruneNestedFields lets scans read only the leaves of struct and list
// columns that the query uses through access paths alone (s.a, s['b'].c,
// l[1].x, len(l)): such a scan
// gets a view of its table whose files read the other fields as NULL
// (scan.File.WithFields), so their column chunks are never fetched.
func pruneNestedFields(root planner.Node) planner.Node {
	whole := map[int]bool{}
	paths := map[int][][]string{}
	var visit func(e expr.Expr)
	visit = func(e expr.Expr) {
		if e == nil {
			return
		}
		if col, p, idx, ok := fieldPath(e); ok {
			paths[col] = append(paths[col], p)
			for _, x := range idx {
				visit(x)
			}
			return
		}
		if c, ok := e.(*expr.Column); ok {
			whole[c.Index] = true
			return
		}
		for _, ch := range expr.Children(e) {
			visit(ch)
		}
	}
	for _, c := range root.Cols() {
		whole[int(c.ID)] = true
	}
	var scans []*planner.Scan
	var walk func(n planner.Node)
	walk = func(n planner.Node) {
		switch n := n.(type) {
		case *planner.Scan:
			scans = append(scans, n)
			for _, f := range n.Filters {
				visit(f)
			}
		case *planner.Filter:
			visit(n.Pred)
		case *planner.Project:
			for _, e := range n.Exprs {
				visit(e)
			}
		case *planner.Join:
			visit(n.Cond)
			for _, k := range n.LeftKeys {
				visit(k)
			}
			for _, k := range n.RightKeys {
				visit(k)
			}
		case *planner.Aggregate:
			for _, g := range n.Groups {
				whole[int(g.ID)] = true
			}
			for _, a := range n.Aggs {
				visit(a.Arg)
				for _, x := range a.Extra() {
					visit(*x)
				}
			}
		case *planner.Sort:
			for _, k := range n.Keys {
				whole[int(k.Col)] = true
			}
		case *planner.Limit, *planner.Values:
		default:
			for _, c := range n.Cols() {
				whole[int(c.ID)] = true
			}
		}
		for _, in := range n.Inputs() {
			walk(in)
		}
	}
	walk(root)
	for _, s := range scans {
		if s.Table == nil || s.Table.Mem != nil {
			continue
		}
		byTableCol := map[int][][]string{}
		for i, c := range s.Out {
			if (c.Type.ID == coldata.Struct || c.Type.ID == coldata.List) && !whole[int(c.ID)] && len(paths[int(c.ID)]) > 0 {
				byTableCol[s.ColIdx[i]] = paths[int(c.ID)]
			}
		}
		if len(byTableCol) == 0 {
			continue
		}
		t := *s.Table
		t.Files = make([]*scan.File, len(s.Table.Files))
		t.DataFiles = append([]storage.DataFile(nil), s.Table.DataFiles...)
		for k, f := range s.Table.Files {
			fields := map[int][][]string{}
			for tc, p := range byTableCol {
				fc := tc
				if k < len(t.DataFiles) && t.DataFiles[k].ColumnMap != nil {
					if tc >= len(t.DataFiles[k].ColumnMap) {
						continue
					}
					fc = t.DataFiles[k].ColumnMap[tc]
				}
				if fc >= 0 {
					fields[fc] = p
				}
			}
			t.Files[k] = f.WithFields(fields)
			if k < len(t.DataFiles) && t.DataFiles[k].File == f {
				t.DataFiles[k].File = t.Files[k]
			}
		}
		s.Table = &t
	}
	return root
}

// fieldPath recognises access paths over a column: s.a.b gives (s, [a b]);
// l[i].x gives (l, [* x]) with the index expressions in idx; len(l) gives
// (l, [#len]), which needs the levels of one leaf only.
func fieldPath(e expr.Expr) (col int, path []string, idx []expr.Expr, ok bool) {
	var rev []string
	if f, isF := e.(*expr.Func); isF && f.Op == expr.OpListLength && len(f.Args) == 1 {
		rev = append(rev, "#len")
		e = f.Args[0]
	}
	for {
		f, isF := e.(*expr.Func)
		if !isF || len(f.Args) != 2 {
			break
		}
		switch f.Op {
		case expr.OpStructExtract:
			k, isConst := f.Args[1].(*expr.Const)
			if !isConst {
				return 0, nil, nil, false
			}
			rev = append(rev, k.Val.S)
		case expr.OpListElement:
			rev = append(rev, "*")
			idx = append(idx, f.Args[1])
		default:
			return 0, nil, nil, false
		}
		e = f.Args[0]
	}
	c, isCol := e.(*expr.Column)
	if !isCol || len(rev) == 0 {
		return 0, nil, nil, false
	}
	path = make([]string, len(rev))
	for i, s := range rev {
		path[len(rev)-1-i] = s
	}
	return c.Index, path, idx, true
}

// encodeNestedJoins lets nested columns pass through joins: below a join,
// each nested column that is read above it is encoded into a VARCHAR (the
// hash join's build side only carries flat vectors), and a projection
// above the join decodes it back under its original column ID. Plans with
// node kinds it does not know keep the clear error of walkNestedJoins.
func (b *binder) encodeNestedJoins(root planner.Node) (planner.Node, error) {
	above := map[planner.ColID]bool{}
	for _, c := range root.Cols() {
		above[c.ID] = true
	}
	return b.encodeNestedBelow(root, above)
}

func (b *binder) encodeNestedBelow(n planner.Node, above map[planner.ColID]bool) (planner.Node, error) {
	refs := nodeReads(n, above)
	switch n := n.(type) {
	case *planner.Scan, *planner.Values:
		return n, nil
	case *planner.Filter:
		in, err := b.encodeNestedBelow(n.Input, refs)
		if err != nil {
			return nil, err
		}
		return &planner.Filter{Input: in, Pred: n.Pred}, nil
	case *planner.Project:
		in, err := b.encodeNestedBelow(n.Input, refs)
		if err != nil {
			return nil, err
		}
		return &planner.Project{Input: in, Exprs: n.Exprs, Out: n.Out}, nil
	case *planner.Aggregate:
		in, err := b.encodeNestedBelow(n.Input, refs)
		if err != nil {
			return nil, err
		}
		a := *n
		a.Input = in
		return &a, nil
	case *planner.Sort:
		in, err := b.encodeNestedBelow(n.Input, refs)
		if err != nil {
			return nil, err
		}
		return &planner.Sort{Input: in, Keys: n.Keys}, nil
	case *planner.Limit:
		in, err := b.encodeNestedBelow(n.Input, refs)
		if err != nil {
			return nil, err
		}
		// The same node: parameters of LIMIT/OFFSET are recorded by it.
		n.Input = in
		return n, nil
	case *planner.Join:
		j := *n
		var err error
		if j.Left, err = b.encodeNestedBelow(n.Left, refs); err != nil {
			return nil, err
		}
		if j.Right, err = b.encodeNestedBelow(n.Right, refs); err != nil {
			return nil, err
		}
		orig := map[planner.ColID]planner.ColMeta{} // encoded ID → the column it carries
		wrap := func(side planner.Node) planner.Node {
			var exprs []expr.Expr
			var out []planner.ColMeta
			changed := false
			for _, c := range side.Cols() {
				if c.Type.IsNested() && refs[c.ID] { // read above or by the condition
					enc := b.newCol(c.Name, c.Table, coldata.TypeString)
					exprs = append(exprs, nestedEncode(colExpr(c)))
					out = append(out, enc)
					orig[enc.ID] = c
					changed = true
					continue
				}
				exprs = append(exprs, colExpr(c))
				out = append(out, c)
			}
			if !changed {
				return side
			}
			return &planner.Project{Input: side, Exprs: exprs, Out: out}
		}
		j.Left = wrap(j.Left)
		j.Right = wrap(j.Right)
		if len(orig) == 0 {
			return &j, nil
		}
		j.Cond = decodeIn(j.Cond, orig) // bind_nested_more.go
		var exprs []expr.Expr
		var out []planner.ColMeta
		for _, c := range j.Cols() {
			if o, ok := orig[c.ID]; ok {
				exprs = append(exprs, nestedDecode(colExpr(c), o.Type))
				out = append(out, o)
				continue
			}
			exprs = append(exprs, colExpr(c))
			out = append(out, c)
		}
		return &planner.Project{Input: &j, Exprs: exprs, Out: out}, nil
	}
	if m, ok, err := b.encodeNestedMore(n, above); ok { // bind_nested_more.go
		return m, err
	}
	// A node kind this pass does not rewrite: keep it, and refuse nested
	// columns through joins below it.
	return n, walkNestedJoins(n, above)
}

func nestedEncode(e expr.Expr) expr.Expr {
	return &expr.Func{Op: expr.OpNestedEncode, Args: []expr.Expr{e}, Typ: coldata.TypeString}
}

func nestedDecode(e expr.Expr, t coldata.Type) expr.Expr {
	return &expr.Func{Op: expr.OpNestedDecode, Args: []expr.Expr{e}, Typ: t}
}

// nestedGroup finds a nested group key (grouped by its encoding) and
// returns it decoded.
func (c *exprCtx) nestedGroup(x expr.Expr) (expr.Expr, bool) {
	if !x.Type().IsNested() {
		return nil, false
	}
	g, ok := c.agg.group(exprKey(nestedEncode(x)))
	if !ok {
		return nil, false
	}
	return nestedDecode(colExpr(g), x.Type()), true
}

// distinct is SELECT DISTINCT over cols: nested columns are grouped by
// their encoding and decoded back under their own IDs.
func (b *binder) distinct(in planner.Node, cols []planner.ColMeta) planner.Node {
	nested := false
	for _, c := range cols {
		nested = nested || c.Type.IsNested()
	}
	if !nested {
		return &planner.Aggregate{Input: in, Groups: cols, Out: cols}
	}
	var enc, dec []expr.Expr
	var encOut []planner.ColMeta
	for _, c := range cols {
		if !c.Type.IsNested() {
			enc, dec = append(enc, colExpr(c)), append(dec, colExpr(c))
			encOut = append(encOut, c)
			continue
		}
		k := b.newCol(c.Name, c.Table, coldata.TypeString)
		enc = append(enc, nestedEncode(colExpr(c)))
		dec = append(dec, nestedDecode(colExpr(k), c.Type))
		encOut = append(encOut, k)
	}
	p := &planner.Project{Input: in, Exprs: enc, Out: encOut}
	a := &planner.Aggregate{Input: p, Groups: encOut, Out: encOut}
	return &planner.Project{Input: a, Exprs: dec, Out: cols}
}
