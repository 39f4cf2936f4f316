package sql

import (
	"strings"

	"github.com/peregrinedb/peregrine/sql/ast"
)

// Copy is `COPY (query) TO 'path' (options)` or `COPY table TO 'path' ...`.
type Copy struct {
	Query *Query
	Path  string
	// Options by lower-case name. A bare flag (OVERWRITE_OR_IGNORE) is
	// true; PARTITION_BY (a, b) is a list of identifiers.
	Options map[string]Value
}

func convertCopy(c *ast.Copy, text string) (Statement, error) {
	if c.From {
		return copyInsert(c, text)
	}
	out := &Copy{Options: map[string]Value{}}
	if c.Query != nil {
		out.Query = &Query{AST: c.Query, Text: text}
	} else {
		if len(c.Columns) > 0 {
			return nil, notImplemented(c, "COPY with a column list")
		}
		t := &ast.TableName{At: c.Table.At, Name: c.Table}
		out.Query = describedQuery(t, nil, text)
	}
	path, err := astValue(c.Path)
	if err != nil || path.Kind != VString {
		return nil, binderErr(c.Path, "COPY needs a quoted path after TO, got %s", clip(c.Path.String()))
	}
	out.Path = path.Str
	for _, o := range c.Options {
		v := Value{Kind: VBool, Bool: true}
		if o.Value != nil {
			if v, err = astValue(o.Value); err != nil {
				return nil, err
			}
		}
		out.Options[strings.ToLower(o.Name.Name)] = v
	}
	return out, nil
}
