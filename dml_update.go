package peregrine

import (
	"context"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/sql"
	"github.com/peregrinedb/peregrine/storage"
)

// UPDATE and DELETE run a query over the table's current snapshot that
// yields the positions of the rows they touch (and UPDATE's new values),
// then build the next snapshot: chunks without a touched row are shared,
// the others copied with their rows replaced or left out.

// rowRef is where a touched row's new values are: chunk and row of the
// query's collected output.
type rowRef struct{ chunk, row int32 }

func (db *DB) update(ctx context.Context, st *sql.Update, args []sql.Arg) (*Rows, error) {
	db.objs.write.Lock()
	defer db.objs.write.Unlock()
	t, err := db.writeTarget(ctx, st.AST.Table.Last())
	if err != nil {
		return nil, err
	}
	bound, err := sql.BindUpdate(st, db.queryCatalog(ctx), t.schema, args...)
	if err != nil {
		return nil, err
	}
	retq, err := db.prepareReturning(ctx, st.AST.Table, st.AST.Returning, t)
	if err != nil {
		return nil, err
	}
	changed, refs, err := db.touched(ctx, bound, args, append([]coldata.Type{coldata.TypeInt64}, t.schema.Types()...))
	ret := storage.NewMemBuilder(t.schema.Types()) // the new values, for RETURNING
	if err != nil || len(refs) == 0 {
		if err == nil && retq != nil {
			return retq.run(ctx, ret)
		}
		return changedRows(0), err
	}
	// The new values without the row-id column, for the row checks.
	var vals [][]*coldata.Vec
	for _, ch := range changed.Chunks() {
		vals = append(vals, ch[1:])
	}
	if err := db.checkRows(ctx, t, vals); err != nil {
		return nil, err
	}
	old := t.mem.Snapshot()
	nb := storage.NewMemBuilder(t.schema.Types())
	var start int64
	for _, ch := range old.Chunks {
		n := storage.ChunkLen(ch)
		var hit bool
		for r := range n {
			if _, ok := refs[start+int64(r)]; ok {
				hit = true
				break
			}
		}
		if !hit {
			nb.AppendChunks([][]*coldata.Vec{ch})
			start += int64(n)
			continue
		}
		cp := make([]*coldata.Vec, len(ch))
		for c, v := range ch {
			cp[c] = coldata.NewVec(v.Type, n)
			cp[c].CopyFrom(v, nil, n, 0)
		}
		one := []int32{0}
		var hits []int32
		for r := range n {
			ref, ok := refs[start+int64(r)]
			if !ok {
				continue
			}
			src := changed.Chunks()[ref.chunk]
			one[0] = ref.row
			for c := range cp {
				cp[c].CopyFrom(src[c+1], one, 1, r)
			}
			hits = append(hits, int32(r))
		}
		nb.AppendChunks([][]*coldata.Vec{cp})
		if retq != nil {
			ret.Append(&coldata.Batch{Vecs: cp, N: n, Sel: hits})
		}
		start += int64(n)
	}
	if err := db.replace(ctx, t, nb.Data(old.Columns), refs, false); err != nil {
		return nil, err
	}
	if retq != nil {
		return retq.run(ctx, ret)
	}
	return changedRows(int64(len(refs))), nil
}

func (db *DB) delete(ctx context.Context, st *sql.Delete, args []sql.Arg) (*Rows, error) {
	db.objs.write.Lock()
	defer db.objs.write.Unlock()
	t, err := db.writeTarget(ctx, st.AST.Table.Last())
	if err != nil {
		return nil, err
	}
	bound, err := sql.BindDelete(st, db.queryCatalog(ctx), t.schema, args...)
	if err != nil {
		return nil, err
	}
	retq, err := db.prepareReturning(ctx, st.AST.Table, st.AST.Returning, t)
	if err != nil {
		return nil, err
	}
	_, refs, err := db.touched(ctx, bound, args, []coldata.Type{coldata.TypeInt64})
	gone := storage.NewMemBuilder(t.schema.Types()) // the deleted rows, for RETURNING
	if err != nil || len(refs) == 0 {
		if err == nil && retq != nil {
			return retq.run(ctx, gone)
		}
		return changedRows(0), err
	}
	var drop []int32
	old := t.mem.Snapshot()
	nb := storage.NewMemBuilder(t.schema.Types())
	var start int64
	var keep []int32
	for _, ch := range old.Chunks {
		n := storage.ChunkLen(ch)
		keep, drop = keep[:0], drop[:0]
		for r := range n {
			if _, del := refs[start+int64(r)]; !del {
				keep = append(keep, int32(r))
			} else {
				drop = append(drop, int32(r))
			}
		}
		if len(drop) > 0 && retq != nil {
			gone.Append(&coldata.Batch{Vecs: ch, N: n, Sel: drop})
		}
		switch {
		case len(keep) == n:
			nb.AppendChunks([][]*coldata.Vec{ch})
		case len(keep) > 0:
			nb.Append(&coldata.Batch{Vecs: ch, N: n, Sel: keep})
		}
		start += int64(n)
	}
	if err := db.replace(ctx, t, nb.Data(old.Columns), refs, true); err != nil {
		return nil, err
	}
	if retq != nil {
		return retq.run(ctx, gone)
	}
	return changedRows(int64(len(refs))), nil
}

// touched runs a bound UPDATE/DELETE query and returns its rows and, by
// row id, where each touched row's output is (a row matched twice by
// UPDATE ... FROM keeps its first values).
func (db *DB) touched(ctx context.Context, bound *sql.Bound, args []sql.Arg, types []coldata.Type) (*storage.MemBuilder, map[int64]rowRef, error) {
	node := bound.Plan
	if len(args) > 0 {
		var err error
		if node, err = bound.Instantiate(args); err != nil {
			return nil, nil, err
		}
	}
	out, err := db.collect(ctx, node, bound.Names, types)
	if err != nil {
		return nil, nil, err
	}
	refs := map[int64]rowRef{}
	for k, ch := range out.Chunks() {
		ids := ch[0].I64
		for r := range storage.ChunkLen(ch) {
			if _, seen := refs[ids[r]]; !seen {
				refs[ids[r]] = rowRef{int32(k), int32(r)}
			}
		}
	}
	return out, refs, nil
}

// replace publishes a rewritten snapshot after checking its keys.
func (db *DB) replace(ctx context.Context, t *localTable, d *storage.MemData, refs map[int64]rowRef, deleted bool) error {
	keys, err := t.rebuildKeys(d)
	if err != nil {
		return err
	}
	finish, undo := func() {}, func() {}
	if t.file != nil {
		if finish, undo, err = db.fileRewriteRows(ctx, t, d, refs, deleted); err != nil {
			return err
		}
	}
	if err := db.publish(t, d); err != nil {
		undo()
		return err
	}
	finish()
	t.keys = keys
	return nil
}
