package peregrine

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/scan"
	"github.com/peregrinedb/peregrine/sql"
	"github.com/peregrinedb/peregrine/storage"
)

// Go programs' Arrow data as tables. The columns become the chunks of an
// in-memory table: fixed-width values (INTEGER, BIGINT, DOUBLE) are used in
// place and strings point into the Arrow buffers, so a registered table is
// not copied; the Arrow data stays retained until Unregister.

// RegisterArrowTable makes t queryable as table name, as many times as
// needed and next to the database's other tables. The table must not be
// changed while it is registered.
func (db *DB) RegisterArrowTable(name string, t arrow.Table) error {
	tr := array.NewTableReader(t, coldata.DefaultBatchSize)
	defer tr.Release()
	return db.registerArrow(name, t.Schema(), tr)
}

// RegisterArrowReader makes the records of r queryable as table name, for
// one pass: the first query that scans it pulls the records as it goes
// (each copied out of its record, so r may reuse its buffers) and later
// ones fail. r is released by Unregister.
func (db *DB) RegisterArrowReader(name string, r array.RecordReader) error {
	schemaDef, cols, err := arrowSchema(name, r.Schema())
	if err != nil {
		return err
	}
	types := schemaDef.Types()
	var pending [][]*coldata.Vec // a record's chunks not handed out yet
	next := func() ([]*coldata.Vec, error) {
		if len(pending) > 0 {
			ch := pending[0]
			pending = pending[1:]
			return ch, nil
		}
		for r.Next() {
			rec := r.RecordBatch()
			n := int(rec.NumRows())
			if n == 0 {
				continue
			}
			mb := storage.NewMemBuilder(types)
			b := &coldata.Batch{Vecs: make([]*coldata.Vec, len(cols)), N: n}
			for i, c := range cols {
				v, err := fromArrow(rec.Column(i), c.Type, n)
				if err != nil {
					return nil, fmt.Errorf("Invalid Input Error: column %s: %v", c.Name, err)
				}
				b.Vecs[i] = v
			}
			mb.Append(b)
			pending = mb.Chunks()[1:]
			return mb.Chunks()[0], nil
		}
		return nil, r.Err()
	}
	db.objs.write.Lock()
	defer db.objs.write.Unlock()
	if db.exists(context.Background(), name) != "" {
		return fmt.Errorf("Catalog Error: Table with name \"%s\" already exists!", name)
	}
	r.Retain()
	t := db.newLocalTable(schemaDef, false)
	t.mem = storage.NewMemStream(cols, next)
	t.source = func() { r.Release() }
	db.putTable(name, t)
	return nil
}

// arrowSchema maps an Arrow schema to a table's columns.
func arrowSchema(name string, schema *arrow.Schema) (*sql.TableSchema, []scan.Column, error) {
	schemaDef := &sql.TableSchema{Name: name}
	cols := make([]scan.Column, len(schema.Fields()))
	for i, f := range schema.Fields() {
		t, err := coldataType(f.Type)
		if err != nil {
			return nil, nil, fmt.Errorf("Not implemented Error: column %s: %v", f.Name, err)
		}
		cols[i] = scan.Column{Name: f.Name, Type: t, Nullable: true}
		schemaDef.Columns = append(schemaDef.Columns, sql.ColumnDef{Name: f.Name, Type: t})
	}
	return schemaDef, cols, nil
}

// Unregister removes a table registered from Go (or any table of the
// database's own) and releases its data.
func (db *DB) Unregister(name string) error {
	db.objs.write.Lock()
	defer db.objs.write.Unlock()
	o := db.objs
	key := strings.ToLower(name)
	o.mu.Lock()
	t, ok := o.tables[key]
	delete(o.tables, key)
	o.mu.Unlock()
	if !ok {
		return fmt.Errorf("Catalog Error: Table with name %s does not exist!", name)
	}
	t.close()
	o.version.Add(1)
	return nil
}

// recordSource is the table reader RegisterArrowTable reads.
type recordSource interface {
	Next() bool
	RecordBatch() arrow.RecordBatch
	Err() error
}

func (db *DB) registerArrow(name string, schema *arrow.Schema, src recordSource) error {
	schemaDef, cols, err := arrowSchema(name, schema)
	if err != nil {
		return err
	}
	mb := storage.NewMemBuilder(schemaDef.Types())
	var kept []arrow.RecordBatch
	release := func() {
		for _, r := range kept {
			r.Release()
		}
	}
	for src.Next() {
		rec := src.RecordBatch()
		n := int(rec.NumRows())
		if n == 0 {
			continue
		}
		rec.Retain()
		kept = append(kept, rec)
		ch := make([]*coldata.Vec, len(cols))
		for i, c := range cols {
			v, err := fromArrow(rec.Column(i), c.Type, n)
			if err != nil {
				release()
				return fmt.Errorf("Invalid Input Error: column %s: %v", c.Name, err)
			}
			ch[i] = v
		}
		mb.AppendChunks([][]*coldata.Vec{ch})
	}
	if err := src.Err(); err != nil {
		release()
		return err
	}
	db.objs.write.Lock()
	defer db.objs.write.Unlock()
	if db.exists(context.Background(), name) != "" {
		release()
		return fmt.Errorf("Catalog Error: Table with name \"%s\" already exists!", name)
	}
	t := db.newLocalTable(schemaDef, false)
	t.source = release
	d := mb.Data(cols)
	d.Bytes = 0 // the caller's table: referenced, not held by us
	if err := db.publish(t, d); err != nil {
		release()
		return err
	}
	db.putTable(name, t)
	return nil
}

// coldataType maps the Arrow types a registered table may have.
func coldataType(t arrow.DataType) (coldata.Type, error) {
	switch t.ID() {
	case arrow.BOOL:
		return coldata.TypeBool, nil
	case arrow.INT32:
		return coldata.TypeInt32, nil
	case arrow.INT64:
		return coldata.TypeInt64, nil
	case arrow.FLOAT64:
		return coldata.TypeFloat64, nil
	case arrow.STRING:
		return coldata.TypeString, nil
	case arrow.DATE32:
		return coldata.TypeDate, nil
	case arrow.TIMESTAMP:
		if t.(*arrow.TimestampType).Unit == arrow.Microsecond {
			return coldata.TypeTimestamp, nil
		}
	case arrow.DECIMAL128:
		d := t.(*arrow.Decimal128Type)
		if d.Precision <= 18 {
			return coldata.DecimalType(int(d.Precision), int(d.Scale)), nil
		}
	}
	return coldata.Type{}, fmt.Errorf("Arrow type %s is not supported yet", t)
}
