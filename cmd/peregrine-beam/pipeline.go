package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/planner"
)

// The pipeline: one ParDo per fragment, whose elements are the fragment's
// tasks. Every fragment's output is a PCollection<KV<int, []byte>> of
// Arrow IPC batches keyed by partition. A fragment of hash partitions reads
// its hash inputs through Flatten + GroupByKey (a task per key); split and
// single-task fragments take their task numbers from Create. Broadcast and
// gathered inputs are one side input: the Flatten of those producers'
// values. Each element names its producer, so a task's exchange leaves
// pick theirs from the same iterables.

func init() {
	register.DoFn4x1[context.Context, int, func() func(*[]byte) bool, func(int, []byte), error](&taskFn{})
	register.DoFn5x1[context.Context, int, func(*[]byte) bool, func() func(*[]byte) bool, func(int, []byte), error](&groupFn{})
	register.Emitter2[int, []byte]()
	register.Iter1[[]byte]()
}

// query is what a worker needs to plan the query again: the data, the SQL,
// the options, and the driver's fingerprint to check the plan against.
type query struct {
	Data        string
	SQL         string
	Opts        planner.DistOptions
	Fingerprint string
	Threads     int
	MemoryLimit int64
	// Result is where the root fragment's tasks write their output
	// (result.go); Out and Names are set for a Parquet output.
	Result string
	Out    bool
	Names  []string
}

var plans struct {
	sync.Mutex
	m map[string]*peregrine.Distributed
}

// plan returns the query's distributed plan, planned once per process.
func (q *query) plan() (*peregrine.Distributed, error) {
	key := fmt.Sprintf("%s\x00%s\x00%+v\x00%d\x00%d", q.Data, q.SQL, q.Opts, q.Threads, q.MemoryLimit)
	plans.Lock()
	defer plans.Unlock()
	if d := plans.m[key]; d != nil {
		return d, nil
	}
	db, err := openDB(q.Data, q.Threads, q.MemoryLimit)
	if err != nil {
		return nil, err
	}
	d, err := db.PlanDistributed(q.SQL, q.Opts)
	if err != nil {
		return nil, err
	}
	if d.Fingerprint != q.Fingerprint {
		return nil, fmt.Errorf("this worker planned the query differently (plan %s, the driver's %s): the data changed under the query, or workers run another build", d.Fingerprint, q.Fingerprint)
	}
	if plans.m == nil {
		plans.m = map[string]*peregrine.Distributed{}
	}
	plans.m[key] = d
	return d, nil
}

func openDB(data string, threads int, memoryLimit int64) (*peregrine.DB, error) {
	db, err := peregrine.Open(data)
	if err != nil {
		return nil, err
	}
	if threads > 0 {
		if err := db.SetThreads(threads); err != nil {
			return nil, err
		}
	}
	if memoryLimit > 0 {
		db.SetMemoryLimit(memoryLimit)
	}
	return db, nil
}

// taskFn runs the tasks of a split or single-task fragment.
type taskFn struct {
	Q    query
	Frag int
}

func (f *taskFn) ProcessElement(ctx context.Context, task int, side func() func(*[]byte) bool, emit func(int, []byte)) error {
	return runTask(ctx, &f.Q, f.Frag, task, nil, side, emit)
}

// groupFn runs the tasks of a fragment of hash partitions: one per key.
type groupFn struct {
	Q    query
	Frag int
}

func (f *groupFn) ProcessElement(ctx context.Context, part int, values func(*[]byte) bool, side func() func(*[]byte) bool, emit func(int, []byte)) error {
	return runTask(ctx, &f.Q, f.Frag, part, values, side, emit)
}

// runTask runs one task inside a transform and reports it in the
// fragment's metrics. The partition's own input is read once, into memory
// (its leaves may read it in any order); side inputs are read per leaf.
func runTask(ctx context.Context, q *query, frag, task int, values func(*[]byte) bool, side func() func(*[]byte) bool, emit func(int, []byte)) (err error) {
	defer func() {
		if err != nil {
			beam.NewCounter("peregrine", fmt.Sprintf("f%d.failed", frag)).Inc(ctx, 1)
			err = fmt.Errorf("peregrine: %w", err)
		}
	}()
	d, err := q.plan()
	if err != nil {
		return err
	}
	f, err := d.Fragment(frag)
	if err != nil {
		return err
	}
	var own [][]byte
	if values != nil {
		var release func()
		own, release, err = d.BufferElements(func() ([]byte, bool) {
			var e []byte
			ok := values(&e)
			return e, ok
		})
		if err != nil {
			return fmt.Errorf("fragment %d, %s: %w", frag, peregrine.TaskName(f, task), err)
		}
		defer release()
	}
	in := func() func() ([]byte, bool) {
		i := 0
		var next func(*[]byte) bool
		if side != nil {
			next = side()
		}
		return func() ([]byte, bool) {
			if i < len(own) {
				i++
				return own[i-1], true
			}
			var e []byte
			if next != nil && next(&e) {
				return e, true
			}
			return nil, false
		}
	}
	var st peregrine.TaskStats
	if f.Output.Kind == planner.ExchangeResult {
		st, err = writeResult(ctx, q, d, frag, task, in)
	} else {
		st, err = d.RunTask(ctx, frag, task, in, func(part int, data []byte) error {
			emit(part, data)
			return nil
		})
	}
	if err != nil {
		return err
	}
	count := func(name string, n int64) {
		beam.NewCounter("peregrine", fmt.Sprintf("f%d.%s", frag, name)).Inc(ctx, n)
	}
	count("tasks", 1)
	count("rows_in", st.RowsIn)
	count("rows_out", st.RowsOut)
	count("batches_in", st.BatchesIn)
	count("batches_out", st.BatchesOut)
	count("bytes_in", st.BytesIn)
	count("bytes_out", st.BytesOut)
	count("decode_us", st.Decode.Microseconds())
	count("encode_us", st.Encode.Microseconds())
	count("task_us", st.Total.Microseconds())
	count("spilled_bytes", st.SpilledBytes)
	return nil
}

// buildPipeline lays the fragments out as transforms.
func buildPipeline(d *peregrine.Distributed, q query) *beam.Pipeline {
	p, s := beam.NewPipelineWithRoot()
	outs := map[int]beam.PCollection{}
	for _, f := range d.Plan.Fragments {
		fs := s.Scope(fmt.Sprintf("fragment%d", f.ID))
		var hash, other []beam.PCollection
		seen := map[int]bool{}
		for _, x := range f.Inputs {
			if seen[x.From.ID] {
				continue
			}
			seen[x.From.ID] = true
			if x.Kind == planner.ExchangeHash {
				hash = append(hash, outs[x.From.ID])
			} else {
				other = append(other, beam.DropKey(fs, outs[x.From.ID]))
			}
		}
		var side beam.PCollection
		switch len(other) {
		case 0:
			side = beam.CreateList(fs, [][]byte{})
		case 1:
			side = other[0]
		default:
			side = beam.Flatten(fs, other...)
		}
		if f.Kind == planner.FragPartitions {
			in := hash[0]
			if len(hash) > 1 {
				in = beam.Flatten(fs, hash...)
			}
			grouped := beam.GroupByKey(fs, in)
			outs[f.ID] = beam.ParDo(fs, &groupFn{Q: q, Frag: f.ID}, grouped, beam.SideInput{Input: side})
			continue
		}
		tasks := make([]int, f.Tasks())
		for i := range tasks {
			tasks[i] = i
		}
		col := beam.CreateList(fs, tasks)
		if len(tasks) > 1 {
			// Lets a runner spread the tasks over its workers.
			col = beam.Reshuffle(fs, col)
		}
		outs[f.ID] = beam.ParDo(fs, &taskFn{Q: q, Frag: f.ID}, col, beam.SideInput{Input: side})
	}
	return p
}

// since formats a duration for progress lines.
func since(t0 time.Time) string { return time.Since(t0).Round(time.Millisecond).String() }
