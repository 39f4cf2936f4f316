package sql

import (
	"errors"
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/sql/ast"
	"github.com/peregrinedb/peregrine/sql/parser"
)

// Error is an error found while binding a statement, pointing at the node
// it is about: "<Kind> Error: msg" followed by DuckDB's LINE/caret context
// when the statement text is known.
type Error struct {
	Kind string // Binder, Catalog, Not implemented, Conversion, Invalid Input
	Msg  string
	Pos  int // byte offset in Src, -1 when unknown
	Src  string
}

// Error formats the error as DuckDB does: "Kind Error: message", then the
// statement's line with a caret under Pos when it is known.
func (e *Error) Error() string {
	return parser.WithContext(e.Kind+" Error: "+e.Msg, e.Src, e.Pos)
}

// errAt makes an error of kind about node n.
func errAt(n ast.Node, kind, format string, args ...any) *Error {
	pos := -1
	if n != nil {
		pos = int(n.Position())
	}
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...), Pos: pos}
}

func binderErr(n ast.Node, format string, args ...any) error {
	return errAt(n, "Binder", format, args...)
}

// notImplemented reports a construct the engine parses but cannot run yet.
func notImplemented(n ast.Node, construct string) error {
	return errAt(n, "Not implemented", "%s is not supported yet", construct)
}

// withSource gives positioned errors the statement text they point into.
func withSource(err error, src string) error {
	var e *Error
	if errors.As(err, &e) && e.Src == "" {
		e.Src = src
	}
	return err
}

// clip shortens a name or literal quoted in a message.
func clip(s string) string { return parser.Clip(s) }

// fromCatalog turns an error of the catalog about name into a positioned
// one (with DuckDB's LINE context) whose quoted name is cut to a sensible
// length.
func fromCatalog(err error, name string, n ast.Node) error {
	msg := err.Error()
	if len(name) > 64 {
		msg = strings.ReplaceAll(msg, name, clip(name))
	}
	kind, rest, ok := strings.Cut(msg, " Error: ")
	if !ok || strings.Contains(kind, " ") && kind != "Not implemented" && kind != "Invalid Input" {
		if msg == err.Error() {
			return err
		}
		return errors.New(msg)
	}
	return errAt(n, kind, "%s", rest)
}

// categorized turns an error of the executor, which reads
// "<Kind> Error: msg" as DuckDB's do, into an unpositioned *Error of that
// kind (def when the text names none), so that the binder can point it at
// the expression it came from.
func categorized(err error, def string) *Error {
	msg := err.Error()
	if i := strings.Index(msg, " Error: "); i > 0 && !strings.ContainsAny(msg[:i], ":\n") {
		return &Error{Kind: msg[:i], Msg: msg[i+len(" Error: "):], Pos: -1}
	}
	return &Error{Kind: def, Msg: msg, Pos: -1}
}
