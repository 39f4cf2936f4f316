package peregrine

import (
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/sql"
	"github.com/peregrinedb/peregrine/sql/ast"
	"github.com/peregrinedb/peregrine/storage"
)

// INSERT ... ON CONFLICT DO NOTHING and INSERT OR IGNORE keep the rows
// whose keys are new: a row whose key is already in the table, or repeats
// an earlier row of the same statement, is dropped (DuckDB's semantics).
// The conflict target is the constraint over the listed columns, or every
// PRIMARY KEY/UNIQUE constraint when none are listed.

// nullKey stands for a key with a NULL in the rows of one statement.
const nullKey = "\x00null"

// conflictKeys are the indexes into t.schema.Keys an ON CONFLICT checks.
func conflictKeys(t *localTable, cols []ast.Ident) ([]int, error) {
	keys := t.schema.Keys
	if len(keys) == 0 {
		return nil, fmt.Errorf("Binder Error: There are no UNIQUE/PRIMARY KEY constraints that refer to this table, specify ON CONFLICT columns manually")
	}
	if len(cols) == 0 {
		out := make([]int, len(keys))
		for i := range out {
			out[i] = i
		}
		return out, nil
	}
	want := map[int]bool{}
	for _, c := range cols {
		i := t.schema.ColumnIndex(c.Name)
		if i < 0 {
			return nil, fmt.Errorf("Binder Error: Table \"%s\" does not have a column with name \"%s\"", t.schema.Name, c.Name)
		}
		want[i] = true
	}
	for k, key := range keys {
		if len(key.Cols) != len(want) {
			continue
		}
		match := true
		for _, c := range key.Cols {
			match = match && want[c]
		}
		if match {
			return []int{k}, nil
		}
	}
	return nil, fmt.Errorf("Binder Error: The specified columns as conflict target are not referenced by a UNIQUE/PRIMARY KEY CONSTRAINT or INDEX")
}

// dropConflicts keeps the rows of added whose keys (those of keyIdx) are
// in neither the table nor an earlier row.
func dropConflicts(t *localTable, added *storage.MemBuilder, keyIdx []int) *storage.MemBuilder {
	out := storage.NewMemBuilder(t.schema.Types())
	seen := make([]map[string]bool, len(keyIdx))
	for i := range seen {
		seen[i] = map[string]bool{}
	}
	for _, ch := range added.Chunks() {
		n := storage.ChunkLen(ch)
		sel := make([]int32, 0, n)
		for r := range n {
			keep := true
			for i, k := range keyIdx {
				enc, _, _, ok := t.keyOf(t.schema.Keys[k], ch, r)
				if !ok {
					// A NULL key conflicts with no stored row, but DuckDB
					// keeps only the first NULL key of one statement.
					enc = nullKey
				} else if _, dup := t.keys[k][enc]; dup {
					keep = false
				}
				if seen[i][enc] {
					keep = false
				}
			}
			if !keep {
				continue
			}
			for i, k := range keyIdx {
				enc, _, _, ok := t.keyOf(t.schema.Keys[k], ch, r)
				if !ok {
					enc = nullKey
				}
				seen[i][enc] = true
			}
			sel = append(sel, int32(r))
		}
		if len(sel) > 0 {
			out.Append(&coldata.Batch{Vecs: ch, N: n, Sel: sel})
		}
	}
	return out
}

// ignoresConflicts reports INSERT OR IGNORE and ON CONFLICT DO NOTHING,
// with the conflict target's columns.
func ignoresConflicts(st *sql.Insert) (bool, []ast.Ident) {
	ins := st.AST
	if strings.EqualFold(ins.Or, "IGNORE") {
		return true, nil
	}
	if ins.OnConflict != nil && ins.OnConflict.DoNothing {
		return true, ins.OnConflict.Columns
	}
	return false, nil
}
