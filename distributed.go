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
	phys, names, err := db.plan(context.Background(), q, nil, nil)
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
	// SpilledBytes is what the task's operators wrote to spill files
	// under the memory limit.
	SpilledBytes int64
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

// Task is one running task of a fragment, read a batch at a time.
type Task struct {
	frag    *planner.Fragment
	task    int
	q       *exec.Query
	root    exec.Operator
	sources []*elementSource
	t0      time.Time
	rows    int64
	closed  bool
}

// OpenTask starts task task of fragment fragID (its split or partition; 0
// for single-task fragments); in yields the elements the task receives
// (each exchange leaf picks its producer's).
func (d *Distributed) OpenTask(ctx context.Context, fragID, task int, in Elements) (t *Task, err error) {
	defer recoverInternal(&err)
	f, err := d.Fragment(fragID)
	if err != nil {
		return nil, err
	}
	if task < 0 || task >= f.Tasks() {
		return nil, fmt.Errorf("fragment %d has %d tasks, not task %d", fragID, f.Tasks(), task)
	}
	t = &Task{frag: f, task: task, t0: time.Now()}
	ft := exec.FragmentTask{Input: func(x *planner.PhysExchange) (exec.BatchSource, error) {
		s := &elementSource{from: x.From.ID, types: planner.Types(x), pass: in}
		t.sources = append(t.sources, s)
		return s, nil
	}}
	if f.Kind == planner.FragSplits {
		ft.Scan, ft.Split = f.Scan, &f.Splits[task]
	}
	q, err := exec.BuildFragment(f.Root, ft, d.db.buildOptions())
	if err != nil {
		return nil, t.wrap(err)
	}
	t.q, t.root = q, q.Root
	if err := t.root.Open(ctx); err != nil {
		t.root.Close()
		return nil, t.wrap(err)
	}
	return t, nil
}

// wrap names the fragment and the task's split or partition in err.
func (t *Task) wrap(err error) error {
	return fmt.Errorf("fragment %d, %s: %w", t.frag.ID, TaskName(t.frag, t.task), err)
}

// Types are the task's output columns.
func (t *Task) Types() []coldata.Type { return t.root.Types() }

// Next returns the next output batch, or (nil, io.EOF) at the end.
func (t *Task) Next(ctx context.Context) (b *coldata.Batch, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %v", r)
		}
		if err != nil && !errors.Is(err, io.EOF) {
			err = t.wrap(err)
		}
	}()
	for {
		b, err = t.root.Next(ctx)
		if err != nil || b.Len() > 0 {
			if b != nil {
				t.rows += int64(b.Len())
			}
			return b, err
		}
	}
}

// Close stops the task and frees what it holds.
func (t *Task) Close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	if err := t.root.Close(); err != nil {
		return t.wrap(err)
	}
	return nil
}

// Stats reports what the task read and how long it has run (RowsOut: the
// rows Next returned).
func (t *Task) Stats() TaskStats {
	st := TaskStats{RowsOut: t.rows, Total: time.Since(t.t0)}
	for _, s := range t.sources {
		st.RowsIn += s.st.RowsIn
		st.BatchesIn += s.st.BatchesIn
		st.BytesIn += s.st.BytesIn
		st.Decode += s.st.Decode
	}
	var spilled func(p planner.Physical)
	spilled = func(p planner.Physical) {
		st.SpilledBytes += t.q.Figures(p).SpilledBytes
		for _, c := range p.Children() {
			spilled(c)
		}
	}
	spilled(t.frag.Root)
	return st
}

// RunTask runs a task to its end, encoding its output for the exchange:
// emit receives each element with its partition (0 unless the fragment's
// output is a hash exchange). Errors name the fragment and the task's
// split or partition.
func (d *Distributed) RunTask(ctx context.Context, fragID, task int, in Elements, emit func(part int, data []byte) error) (TaskStats, error) {
	t, err := d.OpenTask(ctx, fragID, task, in)
	if err != nil {
		return TaskStats{}, err
	}
	f := t.frag
	types := t.Types()
	parts, keys := 1, []int(nil)
	if f.Output.Kind == planner.ExchangeHash {
		parts, keys = f.Output.Partitions, f.Output.Keys
	}
	var enc TaskStats
	out := exec.NewPartitioner(types, keys, parts, TargetBatchRows(types), func(part int, b *coldata.Batch) error {
		t0 := time.Now()
		data, err := EncodeBatch(fragID, types, b)
		enc.Encode += time.Since(t0)
		if err != nil {
			return err
		}
		enc.BatchesOut++
		enc.BytesOut += int64(len(data))
		return emit(part, data)
	})
	for {
		var b *coldata.Batch
		b, err = t.Next(ctx)
		if err != nil {
			break
		}
		if err = out.Add(b); err != nil {
			err = t.wrap(err)
			break
		}
	}
	cerr := t.Close()
	if errors.Is(err, io.EOF) {
		err = cerr
		if err == nil {
			if err = out.Flush(); err != nil {
				err = t.wrap(err)
			}
		}
	}
	st := t.Stats()
	st.BatchesOut, st.BytesOut, st.Encode = enc.BatchesOut, enc.BytesOut, enc.Encode
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

// ResultRows presents a distributed query's result batches, as next yields
// them ((nil, io.EOF) at the end), as Rows: read and printed like a local
// result.
func (d *Distributed) ResultRows(next func(ctx context.Context) (*coldata.Batch, error)) *Rows {
	types := make([]coldata.Type, len(d.Columns))
	for i, c := range d.Columns {
		types[i] = c.Type
	}
	return &Rows{cols: d.Columns, op: &funcOp{types: types, next: next}}
}

// funcOp is an operator over a function's batches.
type funcOp struct {
	types []coldata.Type
	next  func(ctx context.Context) (*coldata.Batch, error)
}

func (o *funcOp) Open(context.Context) error { return nil }
func (o *funcOp) Next(ctx context.Context) (*coldata.Batch, error) {
	return o.next(ctx)
}
func (o *funcOp) Close() error          { return nil }
func (o *funcOp) Types() []coldata.Type { return o.types }

// BufferElements reads a task's own input (a hash partition's elements,
// which a runner hands over in one pass while the task's exchange leaves
// each want a pass of their own) into memory, booked in the memory budget
// like any buffer of the query. It cannot spill: past the limit the task
// fails with the limit's error, and more partitions make each smaller.
// release returns the memory.
func (d *Distributed) BufferElements(next func() ([]byte, bool)) (elems [][]byte, release func(), err error) {
	acc := d.db.mem.NewAccount("while buffering a partition's exchange input")
	for {
		e, ok := next()
		if !ok {
			return elems, acc.Close, nil
		}
		if err := acc.Grow(int64(len(e))); err != nil {
			acc.Close()
			return nil, nil, err
		}
		elems = append(elems, e)
	}
}
