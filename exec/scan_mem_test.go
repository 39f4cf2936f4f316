package exec

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/scan"
	"github.com/peregrinedb/peregrine/storage"
)

// memTestTable builds an in-memory table of n rows (id BIGINT, s VARCHAR
// with NULLs every 7th row) appended in pieces of the given sizes, so that
// chunks of many lengths exist.
func memTestTable(n int, pieces []int) *storage.MemTable {
	types := []coldata.Type{coldata.TypeInt64, coldata.TypeString}
	cols := []scan.Column{{Name: "id", Type: types[0]}, {Name: "s", Type: types[1]}}
	mb := storage.NewMemBuilder(types)
	for at, k := 0, 0; at < n; k++ {
		m := min(pieces[k%len(pieces)], n-at)
		b := coldata.NewBatch(types, m)
		for i := range m {
			b.Vecs[0].I64[i] = int64(at + i)
			if (at+i)%7 == 0 {
				b.Vecs[1].SetNull(i)
			} else {
				b.Vecs[1].Str[i] = fmt.Sprint("v", at+i)
			}
		}
		mb.Append(b)
		at += m
	}
	t := storage.NewMemTable(cols)
	t.Publish(mb.Data(cols))
	return t
}

// TestMemScan scans in-memory tables whose chunks were built from pieces
// of 1, 2, 3 and 1024 rows, with 1 to 4 workers, projecting columns in
// either order and the row id: every row comes out once, with its value
// and NULL, and the row id is its position.
func TestMemScan(t *testing.T) {
	ctx := context.Background()
	for _, pieces := range [][]int{{1}, {2}, {3}, {1024}, {1, 2, 3, 1024, 5000}} {
		for _, threads := range []int{1, 2, 4} {
			mem := memTestTable(5000, pieces)
			tab := mem.Table("m")
			tab.Columns = append(tab.Columns, scan.Column{Name: "rowid", Type: coldata.TypeInt64})
			tab.RowID = true
			p := &planner.PhysScan{Table: tab, ColIdx: []int{1, 2, 0}, Limit: -1}
			p.Out = []planner.ColMeta{{ID: 1, Type: coldata.TypeString}, {ID: 2, Type: coldata.TypeInt64}, {ID: 3, Type: coldata.TypeInt64}}
			q, err := Build(p, BuildOptions{Threads: threads})
			if err != nil {
				t.Fatal(err)
			}
			if err := q.Root.Open(ctx); err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for {
				b, err := q.Root.Next(ctx)
				if err != nil {
					break
				}
				for k := range b.Len() {
					i := k
					if b.Sel != nil {
						i = int(b.Sel[k])
					}
					id, rowid := b.Vecs[2].I64[i], b.Vecs[1].I64[i]
					if id != rowid {
						t.Fatalf("pieces %v: row id %d for id %d", pieces, rowid, id)
					}
					wantNull := id%7 == 0
					if b.Vecs[0].IsNull(i) != wantNull || !wantNull && b.Vecs[0].Str[i] != fmt.Sprint("v", id) {
						t.Fatalf("pieces %v: id %d has s=%q null=%v", pieces, id, b.Vecs[0].Str[i], b.Vecs[0].IsNull(i))
					}
					ids = append(ids, id)
				}
			}
			q.Root.Close()
			slices.Sort(ids)
			if len(ids) != 5000 || ids[0] != 0 || ids[4999] != 4999 || slices.Compact(ids) == nil || len(slices.Compact(ids)) != 5000 {
				t.Fatalf("pieces %v, %d threads: %d rows", pieces, threads, len(ids))
			}
		}
	}
}

// TestMemScanSnapshot: a scan built before a new snapshot is published
// reads the old one to its end.
func TestMemScanSnapshot(t *testing.T) {
	ctx := context.Background()
	mem := memTestTable(3000, []int{1000})
	p := &planner.PhysScan{Table: mem.Table("m"), ColIdx: []int{0}, Limit: -1}
	p.Out = []planner.ColMeta{{ID: 1, Type: coldata.TypeInt64}}
	q, err := Build(p, BuildOptions{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	mem.Publish(memTestTable(10, []int{10}).Snapshot())
	n := 0
	for {
		b, err := q.Root.Next(ctx)
		if err != nil {
			break
		}
		n += b.Len()
	}
	q.Root.Close()
	if n != 3000 {
		t.Fatalf("read %d rows, want the 3000 of the snapshot the scan was built on", n)
	}
}
