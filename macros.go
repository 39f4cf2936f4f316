package peregrine

import (
	"context"
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/sql"
)

// Macros live beside tables and views in localObjects (their own
// namespace, as DuckDB's functions): the binder expands them
// (sql/macro.go); a directory database keeps its non-TEMP macros in the
// folder's catalog file with its views.

// LocalMacro is the binder's lookup of a macro by name.
func (c queryCatalog) LocalMacro(name string) *sql.Macro {
	c.objs.mu.RLock()
	defer c.objs.mu.RUnlock()
	return c.objs.macros[strings.ToLower(name)]
}

func (db *DB) createMacro(ctx context.Context, st *sql.CreateMacro) (*Rows, error) {
	cm := st.AST
	name := cm.Name.Last()
	db.objs.write.Lock()
	defer db.objs.write.Unlock()
	key := strings.ToLower(name)
	o := db.objs
	o.mu.RLock()
	old := o.macros[key]
	o.mu.RUnlock()
	if old != nil && !cm.OrReplace {
		return nil, fmt.Errorf("Catalog Error: Macro Function with name \"%s\" already exists!", name)
	}
	m := &sql.Macro{Name: name, AST: cm, Text: st.Text, Persistent: db.persistent(cm.Temp)}
	if m.Persistent {
		if err := db.lockDir(); err != nil {
			return nil, err
		}
	}
	o.mu.Lock()
	o.macros[key] = m
	o.mu.Unlock()
	o.version.Add(1)
	if m.Persistent || old != nil && old.Persistent {
		if err := db.saveViews(); err != nil {
			o.mu.Lock()
			if old != nil {
				o.macros[key] = old
			} else {
				delete(o.macros, key)
			}
			o.mu.Unlock()
			return nil, err
		}
	}
	return emptyCount(), nil
}

// dropMacros is DROP MACRO [TABLE] / DROP FUNCTION.
func (db *DB) dropMacros(names []string, table, ifExists bool) (*Rows, error) {
	db.objs.write.Lock()
	defer db.objs.write.Unlock()
	o := db.objs
	for _, name := range names {
		key := strings.ToLower(name)
		o.mu.Lock()
		m := o.macros[key]
		if m == nil || m.IsTable() != table {
			o.mu.Unlock()
			if ifExists {
				continue
			}
			kind := "Macro Function"
			if table {
				kind = "Table Macro Function"
			}
			return nil, fmt.Errorf("Catalog Error: %s with name %s does not exist!", kind, name)
		}
		delete(o.macros, key)
		o.mu.Unlock()
		o.version.Add(1)
		if m.Persistent {
			if err := db.saveViews(); err != nil {
				o.mu.Lock()
				o.macros[key] = m
				o.mu.Unlock()
				return nil, err
			}
		}
	}
	return emptyCount(), nil
}

// persistentMacros are the CREATE MACRO statements the catalog file keeps.
func (o *localObjects) persistentMacros() []string {
	o.mu.RLock()
	defer o.mu.RUnlock()
	var out []string
	for _, m := range o.macros {
		if m.Persistent {
			out = append(out, m.Text)
		}
	}
	return out
}
