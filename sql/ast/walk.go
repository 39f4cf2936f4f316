package ast

import "reflect"

// Inspect calls f on n and, while f returns true, on each of its children
// depth first. Children are visited in source order.
func Inspect(n Node, f func(Node) bool) {
	if isNil(n) {
		return
	}
	var visit func(Node)
	visit = func(c Node) {
		if f(c) {
			eachChild(c, kids{visit})
		}
	}
	visit(n)
}

// isNil catches nil interfaces and typed nil pointers stored in them.
func isNil(n Node) bool {
	if n == nil {
		return true
	}
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// kids hands each non-nil child to f (no slice is built: Inspect walks
// 100,000-term predicates).
type kids struct{ f func(Node) }

func (k *kids) add(ns ...Node) {
	for _, n := range ns {
		if !isNil(n) {
			k.f(n)
		}
	}
}

func addAll[T Node](k *kids, xs []T) {
	for _, x := range xs {
		k.add(x)
	}
}

// Children returns the direct children of n.
func Children(n Node) []Node {
	var out []Node
	eachChild(n, kids{func(c Node) { out = append(out, c) }})
	return out
}

// eachChild calls k.f on each direct child of n, in source order.
func eachChild(n Node, k kids) {
	switch x := n.(type) {
	case *Star:
		addAll(&k, x.Exclude)
		addAll(&k, x.Replace)
		for _, r := range x.Rename {
			k.add(r.Old)
		}
		if x.Pattern != nil {
			k.add(x.Pattern.Pattern)
		}
	case *Columns:
		k.add(x.Arg)
	case *TypedLit:
		k.add(x.Type)
	case *Interval:
		k.add(x.Value)
	case *Unary:
		k.add(x.X)
	case *Binary:
		k.add(x.L, x.R)
	case *And:
		addAll(&k, x.Terms)
	case *Or:
		addAll(&k, x.Terms)
	case *IsNull:
		k.add(x.X)
	case *IsBool:
		k.add(x.X)
	case *IsDistinct:
		k.add(x.L, x.R)
	case *Between:
		k.add(x.X, x.Lo, x.Hi)
	case *InList:
		k.add(x.X)
		addAll(&k, x.List)
	case *InSubquery:
		k.add(x.X, x.Query)
	case *Like:
		k.add(x.X, x.Pattern, x.Escape)
	case *Quantified:
		k.add(x.X, x.Query, x.List)
	case *Exists:
		k.add(x.Query)
	case *Subquery:
		k.add(x.Query)
	case *Case:
		k.add(x.Operand)
		for _, w := range x.Whens {
			k.add(w.Cond, w.Then)
		}
		k.add(x.Else)
	case *Cast:
		k.add(x.X, x.Type)
	case *FuncCall:
		k.add(x.Receiver)
		addAll(&k, x.Args)
		addAll(&k, x.OrderBy)
		addAll(&k, x.WithinGroup)
		k.add(x.Filter, x.Over)
	case *NamedArg:
		k.add(x.Value)
	case *Lambda:
		k.add(x.Body)
	case *ListLit:
		addAll(&k, x.Items)
	case *StructLit:
		for _, f := range x.Fields {
			k.add(f.Value)
		}
	case *MapLit:
		for _, e := range x.Entries {
			k.add(e.Key, e.Value)
		}
	case *RowExpr:
		addAll(&k, x.Items)
	case *Index:
		k.add(x.X, x.Index)
	case *Slice:
		k.add(x.X, x.Lo, x.Hi, x.Step)
	case *Field:
		k.add(x.X)
	case *ListComprehension:
		k.add(x.Result, x.List, x.Cond)
	case *Collate:
		k.add(x.X)
	case *AtTimeZone:
		k.add(x.X, x.Zone)
	case *Rollup:
		addAll(&k, x.Items)
	case *Cube:
		addAll(&k, x.Items)
	case *GroupingSets:
		addAll(&k, x.Sets)
	case *WindowSpec:
		addAll(&k, x.PartitionBy)
		addAll(&k, x.OrderBy)
		if x.Frame != nil {
			k.add(x.Frame.Start.Offset)
			if x.Frame.End != nil {
				k.add(x.Frame.End.Offset)
			}
		}
	case *TypeName:
		addAll(&k, x.Mods)
	case *Query:
		k.add(x.With, x.Body)
		addAll(&k, x.OrderBy)
		k.add(x.Limit, x.Offset)
	case *With:
		addAll(&k, x.CTEs)
	case *CTE:
		k.add(x.Query)
	case *Select:
		addAll(&k, x.DistinctOn)
		addAll(&k, x.Items)
		addAll(&k, x.From)
		k.add(x.Where, x.GroupBy, x.Having)
		addAll(&k, x.Windows)
		k.add(x.Qualify, x.Sample)
	case *SelectItem:
		k.add(x.Expr)
	case *GroupBy:
		addAll(&k, x.Items)
	case *WindowDef:
		k.add(x.Spec)
	case *OrderItem:
		k.add(x.Expr)
	case *SetOp:
		k.add(x.L, x.R)
	case *Values:
		for _, r := range x.Rows {
			addAll(&k, r)
		}
	case *Sample:
		k.add(x.Size, x.Seed)
	case *TableName:
		k.add(x.AtClause, x.Sample)
	case *TablePath:
		k.add(x.Sample)
	case *TableFunc:
		k.add(x.Call, x.Sample)
	case *DerivedTable:
		k.add(x.Query, x.Sample)
	case *ParenTable:
		k.add(x.Inner)
	case *StatementTable:
		k.add(x.Stmt)
	case *CommentOn:
		k.add(x.Value)
	case *Join:
		k.add(x.L, x.R, x.On)
	case *Pivot:
		k.add(x.Source)
		for _, on := range x.On {
			k.add(on.Expr)
			addAll(&k, on.In)
		}
		addAll(&k, x.Using)
		addAll(&k, x.GroupBy)
	case *Unpivot:
		k.add(x.Source)
		addAll(&k, x.On)
	case *Explain:
		options(&k, x.Options)
		k.add(x.Stmt)
	case *Merge:
		k.add(x.With, x.Source, x.On)
		for _, c := range x.Clauses {
			k.add(c.Cond)
			addAll(&k, c.Set)
			addAll(&k, c.Values)
		}
		addAll(&k, x.Returning)
	case *Describe:
		k.add(x.Table, x.Query)
	case *Summarize:
		k.add(x.Table, x.Query)
	case *Set:
		addAll(&k, x.Values)
	case *Pragma:
		addAll(&k, x.Args)
	case *Copy:
		k.add(x.Query, x.Path)
		options(&k, x.Options)
	case *Prepare:
		k.add(x.Stmt)
	case *Execute:
		addAll(&k, x.Args)
	case *Install:
		k.add(x.From)
	case *Attach:
		k.add(x.Path)
		options(&k, x.Options)
	case *Call:
		k.add(x.Call)
	case *ExportDatabase:
		k.add(x.Path)
		options(&k, x.Options)
	case *ImportDatabase:
		k.add(x.Path)
	case *CreateTable:
		addAll(&k, x.Columns)
		addAll(&k, x.Constraints)
		k.add(x.As)
	case *ColumnDef:
		k.add(x.Type)
		for _, c := range x.Constraints {
			k.add(c.Expr)
		}
	case *TableConstraint:
		k.add(x.Check)
	case *CreateView:
		k.add(x.Query)
	case *CreateSecret:
		options(&k, x.Options)
	case *CreateMacro:
		for _, p := range x.Params {
			k.add(p.Default)
		}
		k.add(x.Body, x.Table)
	case *CreateSequence:
		for _, o := range x.Options {
			k.add(o.Value)
		}
	case *CreateIndex:
		addAll(&k, x.Exprs)
	case *CreateType:
		k.add(x.Type)
	case *AlterTable:
		k.add(x.Def, x.Type, x.Expr)
		if x.Constraint != nil {
			k.add(x.Constraint)
		}
	case *Insert:
		k.add(x.With, x.Query)
		if c := x.OnConflict; c != nil {
			k.add(c.Where)
			addAll(&k, c.Set)
			k.add(c.UpdateWhere)
		}
		addAll(&k, x.Returning)
	case *Assignment:
		k.add(x.Value)
	case *Update:
		k.add(x.With)
		addAll(&k, x.Set)
		addAll(&k, x.From)
		k.add(x.Where)
		addAll(&k, x.Returning)
	case *Delete:
		k.add(x.With)
		addAll(&k, x.Using)
		k.add(x.Where)
		addAll(&k, x.Returning)
	}
}

func options(k *kids, opts []Option) {
	for _, o := range opts {
		k.add(o.Value)
	}
}
