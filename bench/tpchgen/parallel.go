package tpchgen

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/peregrinedb/peregrine/bench/dbgen"
)

// Generation is split into pieces, one row group of one table each. Any
// row range of any table can be generated on its own (dbgen places its
// random streams at the range's first row), so GOMAXPROCS workers take
// pieces in turn while each table's writer encodes its row groups in
// order, its columns in parallel.

// tableJob is one table being written.
type tableJob struct {
	groups int
	fill   filler
	sink   *sink
}

// piece is row group index of a table: rows [first, first+count).
type piece struct {
	t            *tableJob
	index        int
	first, count int64
	b            *batch
}

// filler appends rows [first, first+count) of a table to a batch.
type filler func(b *batch, first, count int64) error

func fillerFor(g *dbgen.Generator, t dbgen.Table) filler {
	switch t {
	case dbgen.TableRegion:
		return func(b *batch, first, count int64) error {
			return g.Regions(keepRows(first, count, b.addRegion))
		}
	case dbgen.TableNation:
		return func(b *batch, first, count int64) error {
			return g.Nations(keepRows(first, count, b.addNation))
		}
	case dbgen.TableSupplier:
		return func(b *batch, first, count int64) error { return g.SupplierRows(first, count, adder(b.addSupplier)) }
	case dbgen.TableCustomer:
		return func(b *batch, first, count int64) error { return g.CustomerRows(first, count, adder(b.addCustomer)) }
	case dbgen.TablePart:
		return func(b *batch, first, count int64) error { return g.PartRows(first, count, adder(b.addPart)) }
	case dbgen.TablePartSupp:
		return func(b *batch, first, count int64) error { return g.PartSuppRows(first, count, adder(b.addPartSupp)) }
	case dbgen.TableOrders:
		return func(b *batch, first, count int64) error { return g.OrderRows(first, count, adder(b.addOrder)) }
	case dbgen.TableLineItem:
		return func(b *batch, first, count int64) error { return g.LineItemRows(first, count, adder(b.addLineItem)) }
	}
	return func(*batch, int64, int64) error { return fmt.Errorf("tpchgen: no generator for %s", t) }
}

func adder[T any](add func(*T)) func(*T) error {
	return func(r *T) error { add(r); return nil }
}

// keepRows adapts a whole-table generation (nation, region) to a range.
func keepRows[T any](first, count int64, add func(*T)) func(*T) error {
	var row int64
	return func(r *T) error {
		if row >= first && row < first+count {
			add(r)
		}
		row++
		return nil
	}
}

// schedule orders the pieces so that every table advances at the same
// pace: each piece is placed by the fraction of its table it completes.
func schedule(jobs []*tableJob, rows []int64, rowGroup int) []piece {
	var out []piece
	for i, j := range jobs {
		for k := range j.groups {
			first := int64(k) * int64(rowGroup)
			out = append(out, piece{t: j, index: k, first: first, count: min(int64(rowGroup), rows[i]-first)})
		}
	}
	pace := func(p piece) float64 { return (float64(p.index) + 0.5) / float64(p.t.groups) }
	slices.SortStableFunc(out, func(a, b piece) int { return cmp.Compare(pace(a), pace(b)) })
	return out
}

// run writes the tables: it opens their files, generates and writes every
// piece, and commits the files only if everything succeeded.
func run(ctx context.Context, g *dbgen.Generator, tables []dbgen.Table, dir string, rowGroup int, props *parquet.WriterProperties, kv metadata.KeyValueMetadata) error {
	workers := runtime.GOMAXPROCS(0)
	var (
		jobs []*tableJob
		rows []int64
		err  error
	)
	for _, t := range tables {
		n := g.RowCount(t)
		j := &tableJob{groups: int((n + int64(rowGroup) - 1) / int64(rowGroup)), fill: fillerFor(g, t)}
		if j.sink, err = newSink(specs[t], dir, rowGroup, n, min(workers+2, j.groups), props, kv); err != nil {
			break
		}
		jobs, rows = append(jobs, j), append(rows, n)
	}
	if err == nil {
		err = generate(ctx, jobs, schedule(jobs, rows, rowGroup), workers)
	}
	for _, j := range jobs {
		if ferr := j.sink.finish(err == nil); err == nil {
			err = ferr
		}
	}
	return err
}

// generate runs the workers and the writers until every piece is written
// or the first failure (or cancellation) stops them all.
func generate(ctx context.Context, jobs []*tableJob, pieces []piece, workers int) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Go(func() {
			if err := j.sink.writeAll(ctx, j.groups); err != nil {
				cancel(err)
			}
		})
	}
	work := make(chan piece)
	for range workers {
		wg.Go(func() {
			for p := range work {
				if ctx.Err() != nil {
					continue
				}
				p.b.reset()
				if err := p.t.fill(p.b, p.first, p.count); err != nil {
					cancel(fmt.Errorf("tpchgen: %s: %w", p.t.sink.spec.table, err))
					continue
				}
				p.t.sink.full <- p
			}
		})
	}
	// Batches are taken in piece order, so the earliest unwritten row
	// group of a table always holds one: the writers cannot stall.
dispatch:
	for _, p := range pieces {
		select {
		case p.b = <-p.t.sink.free:
		case <-ctx.Done():
			break dispatch
		}
		select {
		case work <- p:
		case <-ctx.Done():
			break dispatch
		}
	}
	close(work)
	wg.Wait()
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return nil
}
