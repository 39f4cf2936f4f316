package sql

import (
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/sql/ast"
	"github.com/peregrinedb/peregrine/sql/parser"
	"github.com/peregrinedb/peregrine/storage"
)

// CreateSecret is CREATE [OR REPLACE] [PERSISTENT|TEMPORARY] SECRET [IF
// NOT EXISTS] [name] (TYPE t, PROVIDER p, SCOPE s, key value, ...).
// Params holds the other options by lower-case name, as text.
type CreateSecret struct {
	Name, Type, Provider   string
	Scope                  []string
	Params                 map[string]string
	OrReplace, IfNotExists bool
	Persistent             bool // PERSISTENT was written
}

// DropSecret is DROP [PERSISTENT|TEMPORARY] SECRET [IF EXISTS] name [FROM
// storage].
type DropSecret struct {
	Name       string
	IfExists   bool
	Persistent bool   // PERSISTENT was written
	Temporary  bool   // TEMPORARY was written
	From       string // the storage named by FROM, lower case
}

func (*CreateSecret) statement() {}
func (*DropSecret) statement()   {}

// convertCreateSecret reads the options of CREATE SECRET. Its messages
// name options, never their values, which may be credentials.
func convertCreateSecret(s *ast.CreateSecret) (Statement, error) {
	if s.OrReplace && s.IfNotExists {
		// DuckDB's grammar has no such form.
		return nil, &parser.Error{Msg: `syntax error at or near "NOT"`, Pos: -1}
	}
	cs := &CreateSecret{OrReplace: s.OrReplace, IfNotExists: s.IfNotExists, Persistent: s.Storage == "PERSISTENT",
		Params: map[string]string{}}
	if s.Name != nil {
		cs.Name = strings.ToLower(s.Name.Name)
	}
	typed := false
	for _, o := range s.Options {
		name := strings.ToLower(o.Name.Name)
		if o.Value == nil {
			return nil, binderErr(o.Value, "CREATE SECRET option '%s' needs a value", name)
		}
		if name == "scope" {
			sc, err := secretScope(o.Value)
			if err != nil {
				return nil, err
			}
			cs.Scope = sc
			continue
		}
		v, err := secretValue(name, o.Value)
		if err != nil {
			return nil, err
		}
		switch name {
		case "type":
			cs.Type, typed = strings.ToLower(v), true
		case "provider":
			cs.Provider = strings.ToLower(v)
		default:
			if _, dup := cs.Params[name]; dup {
				return nil, binderErr(o.Value, "Duplicate query param found while parsing create secret: '%s'", name)
			}
			cs.Params[name] = v
		}
	}
	if !typed {
		return nil, &parser.Error{Msg: "Failed to create secret - secret must have a type defined", Pos: -1}
	}
	return cs, nil
}

// secretValue is an option's constant value as text.
func secretValue(name string, e ast.Expr) (string, error) {
	if s, ok := constText(e); ok {
		return s, nil
	}
	return "", binderErr(e, "CREATE SECRET option '%s' needs a constant value", name)
}

// secretScope is SCOPE 'prefix', SCOPE ['a', 'b'] or SCOPE ('a', 'b').
func secretScope(e ast.Expr) ([]string, error) {
	var items []ast.Expr
	switch v := e.(type) {
	case *ast.StringLit:
		return []string{v.Value}, nil
	case *ast.ListLit:
		items = v.Items
	case *ast.RowExpr:
		items = v.Items
	default:
		return nil, errAt(e, "Invalid Input", "Create Secret scope must be of type VARCHAR or LIST(VARCHAR)")
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, ok := it.(*ast.StringLit)
		if !ok {
			return nil, errAt(it, "Invalid Input", "Create Secret scope must be of type VARCHAR or LIST(VARCHAR)")
		}
		out = append(out, s.Value)
	}
	return out, nil
}

func convertDropSecret(d *ast.Drop) (Statement, error) {
	if len(d.Names) != 1 || len(d.Names[0].Parts) != 1 {
		return nil, binderErr(d, "DROP SECRET takes one secret name")
	}
	ds := &DropSecret{Name: strings.ToLower(d.Names[0].Parts[0].Name), IfExists: d.IfExists,
		Persistent: d.Storage == "PERSISTENT", Temporary: d.Storage == "TEMPORARY"}
	if d.From != nil {
		ds.From = strings.ToLower(d.From.Name)
	}
	return ds, nil
}

// maskSecretText hides the contents of the string literals of a statement
// that creates a secret (CREATE ... SECRET, also under EXPLAIN or
// PREPARE), so that no error's LINE context or "at or near" quotes a
// credential. Masking keeps every byte offset, so positions still point
// at the right place; other statements come back unchanged.
func maskSecretText(text string) string {
	toks, _ := parser.Tokens(text)
	create, secret := false, false
	for _, t := range toks {
		switch strings.ToUpper(t.Text) {
		case "CREATE":
			create = true
		case "SECRET":
			secret = secret || create
		}
	}
	if !secret {
		return text
	}
	b := []byte(text)
	for _, t := range toks {
		if t.Kind != parser.String {
			continue
		}
		lo, hi := literalBody(t.Text)
		for i := t.Pos + lo; i < t.Pos+hi; i++ {
			b[i] = '*'
		}
	}
	return string(b)
}

// literalBody is the span of a string token's contents: inside 'x',
// E'x' or $tag$x$tag$; an unterminated one runs to its end.
func literalBody(tok string) (lo, hi int) {
	if strings.HasPrefix(tok, "$") {
		end := strings.IndexByte(tok[1:], '$') + 2
		if end < 2 {
			return len(tok), len(tok)
		}
		hi = len(tok)
		if len(tok) >= 2*end && strings.HasSuffix(tok, tok[:end]) {
			hi -= end
		}
		return end, hi
	}
	lo = strings.IndexByte(tok, '\'') + 1
	hi = len(tok)
	if hi > lo && strings.HasSuffix(tok, "'") {
		hi--
	}
	return lo, hi
}

// secretsFunc binds duckdb_secrets([redact := true]) and which_secret(url,
// type): the secrets as DuckDB lists them, credentials redacted.
func (b *binder) secretsFunc(tf TableFunc, alias string) (planner.Node, error) {
	sc, ok := b.cat.(interface{ Secrets() *storage.Secrets })
	if !ok {
		return nil, fmt.Errorf("Not implemented Error: %s needs a database catalog", tf.Name)
	}
	v := &planner.Values{}
	add := func(name string, t coldata.Type) { v.Out = append(v.Out, b.newCol(name, alias, t)) }
	if tf.Name == "which_secret" {
		if len(tf.Args) != 2 || tf.Args[0].Kind != VString || tf.Args[1].Kind != VString || len(tf.Named) > 0 {
			return nil, fmt.Errorf("Binder Error: which_secret takes a path and a secret type: which_secret(VARCHAR, VARCHAR)")
		}
		for _, n := range []string{"name", "persistent", "storage"} {
			add(n, coldata.TypeString)
		}
		if s, ok := sc.Secrets().Which(tf.Args[0].Str, tf.Args[1].Str); ok {
			persistent := "TEMPORARY"
			if s.Persistent {
				persistent = "PERSISTENT"
			}
			v.Rows = append(v.Rows, []coldata.Datum{{S: s.Name}, {S: persistent}, {S: s.Storage}})
		}
		return v, nil
	}
	if len(tf.Args) > 0 {
		return nil, fmt.Errorf("Binder Error: duckdb_secrets takes no positional arguments")
	}
	for name, val := range tf.Named {
		if name != "redact" {
			return nil, fmt.Errorf("Binder Error: Invalid named parameter \"%s\" for function duckdb_secrets", name)
		}
		redact, err := val.AsBool()
		if err != nil {
			return nil, fmt.Errorf("Binder Error: duckdb_secrets: redact: %v", err)
		}
		if !redact {
			return nil, fmt.Errorf("Invalid Input Error: Displaying unredacted secrets is disabled")
		}
	}
	for _, n := range []string{"name", "type", "provider"} {
		add(n, coldata.TypeString)
	}
	add("persistent", coldata.TypeBool)
	add("storage", coldata.TypeString)
	add("scope", coldata.ListType(coldata.TypeString))
	add("secret_string", coldata.TypeString)
	list, err := sc.Secrets().List()
	if err != nil {
		return nil, err
	}
	for _, s := range list {
		scope := make([]coldata.Datum, len(s.Scope))
		for i, p := range s.Scope {
			scope[i] = coldata.Datum{S: p}
		}
		v.Rows = append(v.Rows, []coldata.Datum{{S: s.Name}, {S: s.Type}, {S: s.Provider}, {B: s.Persistent},
			{S: s.Storage}, coldata.ListDatum(scope...), {S: s.Redacted}})
	}
	return v, nil
}
