package sql

import (
	"reflect"
	"strings"

	"github.com/peregrinedb/peregrine/sql/ast"
	"github.com/peregrinedb/peregrine/sql/parser"
)

// Macros (CREATE MACRO f(a, b := 2) AS expr | AS TABLE query) are expanded
// in the syntax tree before binding, as DuckDB does: a call becomes the
// body with each parameter replaced by its argument, so a macro may hold
// aggregates, window functions and subqueries, and may read the columns of
// the query that calls it. A table macro in FROM becomes a derived table
// named after it.

// Macro is a macro of the database.
type Macro struct {
	Name string
	AST  *ast.CreateMacro
	Text string // the CREATE MACRO statement
	// Persistent: kept in a directory database's catalog file (not TEMP).
	Persistent bool
}

// IsTable reports a table macro.
func (m *Macro) IsTable() bool { return m.AST.Table != nil }

// CreateMacro is CREATE [OR REPLACE] [TEMP] MACRO|FUNCTION.
type CreateMacro struct {
	AST  *ast.CreateMacro
	Text string
}

func (*CreateMacro) statement() {}

// MacroCatalog is a catalog with macros.
type MacroCatalog interface {
	LocalMacro(name string) *Macro
}

// maxMacroDepth bounds macros that call macros, so that one calling itself
// is an error rather than an endless expansion.
const maxMacroDepth = 64

// expandMacros returns q with every macro call replaced by its body (q
// itself when it calls none); q is never changed.
func (b *binder) expandMacros(q *ast.Query) (*ast.Query, error) {
	mc, ok := b.cat.(MacroCatalog)
	if !ok {
		return q, nil
	}
	for depth := 0; ; depth++ {
		calls := findMacroCalls(q, mc)
		if len(calls) == 0 {
			return q, nil
		}
		if depth == maxMacroDepth {
			return nil, binderErr(calls[0], "Max expression depth limit of %d exceeded while expanding macro %s", maxMacroDepth, calls[0].Name.Last())
		}
		copied, err := cloneQuery(q)
		if err != nil {
			return nil, err
		}
		nameMacroItems(copied, mc)
		if err := expandOnce(copied, mc); err != nil {
			return nil, err
		}
		q = copied
	}
}

// nameMacroItems keeps the names of select items that call macros: the
// column is named after the call as written (add1(2)), not the body.
func nameMacroItems(q *ast.Query, mc MacroCatalog) {
	ast.Inspect(q, func(x ast.Node) bool {
		if it, ok := x.(*ast.SelectItem); ok && it.Alias == nil && it.Expr != nil {
			if _, star := it.Expr.(*ast.Star); !star && len(findMacroCalls(it.Expr, mc)) > 0 {
				it.Alias = &ast.Ident{At: it.At, Name: it.Expr.String()}
			}
		}
		return true
	})
}

// findMacroCalls lists the calls of macros in n.
func findMacroCalls(n ast.Node, mc MacroCatalog) []*ast.FuncCall {
	var out []*ast.FuncCall
	ast.Inspect(n, func(x ast.Node) bool {
		if f, ok := x.(*ast.FuncCall); ok && len(f.Name.Parts) == 1 && mc.LocalMacro(f.Name.Last()) != nil {
			out = append(out, f)
		}
		return true
	})
	return out
}

// cloneQuery copies a tree by printing and parsing it (the printer's
// contract is that the text parses to the same tree).
func cloneQuery(q *ast.Query) (*ast.Query, error) {
	st, err := parser.ParseOne(q.String())
	if err != nil {
		return nil, err
	}
	return st.(*ast.Query), nil
}

func cloneExpr(e ast.Expr) (ast.Expr, error) {
	st, err := parser.ParseOne("SELECT " + e.String())
	if err != nil {
		return nil, err
	}
	return st.(*ast.Query).Body.(*ast.Select).Items[0].Expr, nil
}

// expandOnce replaces the macro calls of the tree under root (a fresh
// copy) by their bodies; the bodies' own macro calls wait for the next
// round.
func expandOnce(root *ast.Query, mc MacroCatalog) error {
	var failed error
	rewrite(reflect.ValueOf(root), func(v reflect.Value) (reflect.Value, bool) {
		if failed != nil {
			return v, false
		}
		switch x := v.Interface().(type) {
		case *ast.FuncCall:
			m := mc.LocalMacro(x.Name.Last())
			if m == nil || len(x.Name.Parts) != 1 || m.IsTable() {
				return v, false
			}
			body, err := macroBody(m, x)
			if err != nil {
				failed = err
				return v, false
			}
			return reflect.ValueOf(body), true
		case *ast.TableFunc:
			m := mc.LocalMacro(x.Call.Name.Last())
			if m == nil || len(x.Call.Name.Parts) != 1 || !m.IsTable() {
				return v, false
			}
			q, err := macroTable(m, x.Call)
			if err != nil {
				failed = err
				return v, false
			}
			alias := x.Alias
			if alias == nil {
				alias = &ast.Alias{At: x.At, Name: ast.Ident{At: x.At, Name: m.Name}}
			}
			return reflect.ValueOf(&ast.DerivedTable{At: x.At, Query: q, Lateral: x.Lateral, Alias: alias, Sample: x.Sample}), true
		}
		return v, false
	})
	return failed
}

// macroArgs matches a call's arguments to the macro's parameters:
// positional ones first, then `name := value` for parameters with
// defaults.
func macroArgs(m *Macro, call *ast.FuncCall) (map[string]ast.Expr, error) {
	params := m.AST.Params
	args := map[string]ast.Expr{}
	required := 0
	for _, p := range params {
		if p.Default == nil {
			required++
		}
	}
	pos := 0
	for _, a := range call.Args {
		if na, ok := a.(*ast.NamedArg); ok {
			found := false
			for _, p := range params {
				if strings.EqualFold(p.Name.Name, na.Name.Name) && p.Default != nil {
					args[strings.ToLower(p.Name.Name)] = na.Value
					found = true
				}
			}
			if !found {
				return nil, macroArity(call, m, required)
			}
			continue
		}
		if pos >= len(params) {
			return nil, macroArity(call, m, required)
		}
		args[strings.ToLower(params[pos].Name.Name)] = a
		pos++
	}
	if pos < required {
		return nil, macroArity(call, m, required)
	}
	for _, p := range params {
		if _, ok := args[strings.ToLower(p.Name.Name)]; !ok && p.Default != nil {
			args[strings.ToLower(p.Name.Name)] = p.Default
		}
	}
	return args, nil
}

func macroArity(call *ast.FuncCall, m *Macro, required int) error {
	return binderErr(call, "Macro %s() does not support the supplied arguments. You might need to add explicit type casts.\nCandidate macros:\n\t%s(%s)", m.Name, m.Name, paramList(m))
}

func paramList(m *Macro) string {
	var names []string
	for _, p := range m.AST.Params {
		s := p.Name.Name
		if p.Default != nil {
			s += " := " + p.Default.String()
		}
		names = append(names, s)
	}
	return strings.Join(names, ", ")
}

// macroBody is a scalar macro's body for one call.
func macroBody(m *Macro, call *ast.FuncCall) (ast.Expr, error) {
	args, err := macroArgs(m, call)
	if err != nil {
		return nil, err
	}
	body, err := cloneExpr(m.AST.Body)
	if err != nil {
		return nil, err
	}
	holder := &exprHolder{X: body}
	substituteParams(reflect.ValueOf(holder), args)
	return holder.X, nil
}

// macroTable is a table macro's query for one call.
func macroTable(m *Macro, call *ast.FuncCall) (*ast.Query, error) {
	args, err := macroArgs(m, call)
	if err != nil {
		return nil, err
	}
	q, err := cloneQuery(m.AST.Table)
	if err != nil {
		return nil, err
	}
	substituteParams(reflect.ValueOf(q), args)
	return q, nil
}

// substituteParams replaces the bare names of parameters by (parenthesized)
// arguments.
func substituteParams(v reflect.Value, args map[string]ast.Expr) {
	rewrite(v, func(v reflect.Value) (reflect.Value, bool) {
		c, ok := v.Interface().(*ast.ColumnRef)
		if !ok || len(c.Parts) != 1 {
			return v, false
		}
		a, ok := args[strings.ToLower(c.Parts[0].Name)]
		if !ok {
			return v, false
		}
		// Each use gets its own copy: the binder keys some state by node.
		if ca, err := cloneExpr(a); err == nil {
			a = ca
		}
		return reflect.ValueOf(a), true
	})
}

// exprHolder gives a lone expression a slot that rewrite can replace.
type exprHolder struct{ X ast.Expr }

var (
	exprType  = reflect.TypeOf((*ast.Expr)(nil)).Elem()
	tableType = reflect.TypeOf((*ast.TableExpr)(nil)).Elem()
)

// rewrite walks the tree under v (pointers, structs, slices, interfaces)
// and lets f replace any ast.Expr or ast.TableExpr held in an interface
// slot; a replacement is not walked again.
func rewrite(v reflect.Value, f func(reflect.Value) (reflect.Value, bool)) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			rewrite(v.Elem(), f)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				rewrite(v.Field(i), f)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			rewrite(v.Index(i), f)
		}
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		if (v.Type() == exprType || v.Type() == tableType) && v.CanSet() {
			if nv, ok := f(v.Elem()); ok {
				if nv.Type().AssignableTo(v.Type()) {
					v.Set(nv)
				}
				return
			}
		}
		rewrite(v.Elem(), f)
	}
}
