package peregrine

import (
	"context"

	"github.com/peregrinedb/peregrine/sql"
)

// splitScript splits a database/sql query holding several statements
// (`INSERT ...; INSERT ...;`), which DuckDB's Go driver runs in turn. It
// returns ok=false for a single statement, a parameterised one (its
// arguments number the whole text) or text the lexer cannot split, which
// then runs as given and reports its own error.
func splitScript(query string, nargs int) (head []string, last string, ok bool) {
	if nargs > 0 {
		return nil, "", false
	}
	parts, err := sql.SplitStatements(query)
	if err != nil || len(parts) < 2 {
		return nil, "", false
	}
	return parts[:len(parts)-1], parts[len(parts)-1], true
}

// execHead runs the statements before a script's last one (Exec already
// runs whole scripts; Query returns the last statement's rows).
func (c *conn) execHead(ctx context.Context, head []string) error {
	for _, q := range head {
		if _, err := c.db.exec(c.s.with(ctx), q, nil); err != nil {
			return err
		}
	}
	return nil
}
