package peregrine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/peregrinedb/peregrine/exec"
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/sql"
)

// Distributed execution (issue 16). A query is planned as usual, then cut
// into fragments (planner.Distribute); a distributed engine runs each
// fragment's tasks and carries the batches between them. This package
// knows no engine: cmd/peregrine-beam maps fragments to Apache Beam
// transforms and calls RunTask inside them. Workers plan the query again
// from its text (the plan is a pure function of the query, the files'
// footers and the options) and check the fingerprint, so that no plan has
// to be serialised.

func init() {
	planner.AggStateTypes = exec.AggStateTypes
}

// Distributed is a query planned for distributed execution.
type Distributed struct {
	Plan        *planner.DistPlan
	Columns     []Column
	Fingerprint string
	db          *DB
}

// PlanDistributed plans a SELECT for distributed execution.
func (db *DB) PlanDistributed(text string, opts planner.DistOptions) (d *Distributed, err error) {
	defer recoverInternal(&err)
	st, err := sql.Parse(text)
	if err != nil {
		return nil, err
	}
	q, ok := st.(*sql.Query)
	if !ok {
		return nil, fmt.Errorf("Not implemented Error: only queries run distributed, not %T", st)
	}
	phys, names, err := db.plan(q)
	if err != nil {
		return nil, err
	}
	dp, err := planner.Distribute(phys, opts)
	if err != nil {
		return nil, err
	}
	d = &Distributed{Plan: dp, Fingerprint: planner.Fingerprint(dp), db: db}
	for i, c := range phys.Base().Out {
		d.Columns = append(d.Columns, Column{Name: names[i], Type: c.Type})
	}
	return d, nil
}

// Explain renders the fragments and exchanges (EXPLAIN (DISTRIBUTED)).
func (d *Distributed) Explain() string { return planner.ExplainDistributed(d.Plan) }

// Fragment returns the fragment with the given ID.
func (d *Distributed) Fragment(id int) (*planner.Fragment, error) {
	if id < 1 || id > len(d.Plan.Fragments) {
		return nil, fmt.Errorf("no fragment %d (the plan has %d)", id, len(d.Plan.Fragments))
	}
	return d.Plan.Fragments[id-1], nil
}

// Elements opens a new pass over the encoded elements a task receives;
// each pass yields them all, in any order, then false.
type Elements func() (next func() ([]byte, bool))

// TaskStats is what one task did: rows and batches in and out, encoded
// bytes, and the time spent decoding, encoding and in all.
type TaskStats struct {
	RowsIn, RowsOut       int64
	BatchesIn, BatchesOut int64
	BytesIn, BytesOut     int64
	Decode, Encode, Total time.Duration
}

// TaskName describes task task of fragment f for progress and errors: the
// split it reads, or its partition.
func TaskName(f *planner.Fragment, task int) string {
	switch f.Kind {
	case planner.FragSplits:
		return planner.SplitString(f, task)
	case planner.FragPartitions:
		return fmt.Sprintf("partition %d of %d", task, f.Partitions)
	}
	return "its single task"
}

// TargetBatchRows is how many rows an exchange element aims for: about
// 4 MiB of the types' columns, between 1Ki and 64Ki rows.
func TargetBatchRows(types []coldata.Type) int {
	w := 0
	for _, t := range types {
		switch t.ID {
		case coldata.Bool:
			w++
		case coldata.Int32, coldata.Date:
			w += 4
		case coldata.String:
			w += 24
		default:
			w += 8
		}
	}
	return min(max((4<<20)/max(w, 1), 1024), 64<<10)
}

// RunTask runs one task of fragment fragID: task is its split or partition
// (0 for single-task fragments). in yields the elements the task receives
// (it picks each exchange leaf's by producer); emit receives the encoded
// output, with its partition (0 unless the output is a hash exchange).
// Errors name the fragment and the task's split or partition.
func (d *Distributed) RunTask(ctx context.Context, fragID, task int, in Elements, emit func(part int, data []byte) error) (st TaskStats, err error) {
	t0 := time.Now()
	f, err := d.Fragment(fragID)
	if err != nil {
		return st, err
	}
	if task < 0 || task >= f.Tasks() {
		return st, fmt.Errorf("fragment %d has %d tasks, not task %d", fragID, f.Tasks(), task)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %v", r)
		}
		if err != nil {
			err = fmt.Errorf("fragment %d, %s: %w", fragID, TaskName(f, task), err)
		}
		st.Total = time.Since(t0)
	}()
	var sources []*elementSource
	defer func() {
		for _, s := range sources {
			st.RowsIn += s.st.RowsIn
			st.BatchesIn += s.st.BatchesIn
			st.BytesIn += s.st.BytesIn
			st.Decode += s.st.Decode
		}
	}()
	ft := exec.FragmentTask{Input: func(x *planner.PhysExchange) (exec.BatchSource, error) {
		s := &elementSource{from: x.From.ID, types: planner.Types(x), pass: in}
		sources = append(sources, s)
		return s, nil
	}}
	if f.Kind == planner.FragSplits {
		ft.Scan, ft.Split = f.Scan, &f.Splits[task]
	}
	opts := d.db.buildOptions()
	q, err := exec.BuildFragment(f.Root, ft, opts)
	if err != nil {
		return st, err
	}
	root := q.Root
	types := root.Types()
	parts, keys := 1, []int(nil)
	if f.Output.Kind == planner.ExchangeHash {
		parts, keys = f.Output.Partitions, f.Output.Keys
	}
	out := exec.NewPartitioner(types, keys, parts, TargetBatchRows(types), func(part int, b *coldata.Batch) error {
		t := time.Now()
		data, err := EncodeBatch(fragID, types, b)
		st.Encode += time.Since(t)
		if err != nil {
			return err
		}
		st.BatchesOut++
		st.RowsOut += int64(b.Len())
		st.BytesOut += int64(len(data))
		return emit(part, data)
	})
	if err := root.Open(ctx); err != nil {
		root.Close()
		return st, err
	}
	for {
		var b *coldata.Batch
		b, err = root.Next(ctx)
		if err != nil {
			break
		}
		if err = out.Add(b); err != nil {
			break
		}
	}
	cerr := root.Close()
	if errors.Is(err, io.EOF) {
		err = cerr
		if err == nil {
			err = out.Flush()
		}
	}
	return st, err
}

// elementSource decodes the elements one exchange leaf reads: those of its
// producer, in a pass of their own.
type elementSource struct {
	st    TaskStats // its share of the task's
	from  int
	types []coldata.Type
	pass  Elements
	next  func() ([]byte, bool)
}

func (s *elementSource) Next(ctx context.Context) (*coldata.Batch, error) {
	if s.next == nil {
		if s.pass == nil {
			return nil, io.EOF
		}
		s.next = s.pass()
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		elem, ok := s.next()
		if !ok {
			return nil, io.EOF
		}
		id, _, err := ElementFragment(elem)
		if err != nil {
			return nil, err
		}
		if id != s.from {
			continue
		}
		t := time.Now()
		b, err := DecodeBatch(elem, s.types)
		s.st.Decode += time.Since(t)
		if err != nil {
			return nil, fmt.Errorf("batch from fragment %d: %w", s.from, err)
		}
		s.st.BatchesIn++
		s.st.RowsIn += int64(b.N)
		s.st.BytesIn += int64(len(elem))
		return b, nil
	}
}
