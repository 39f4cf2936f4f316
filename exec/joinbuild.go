package exec

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// JoinBuild is the build side of a hash join: materialised once and then
// read, without locks, by any number of probe operators in different
// goroutines (broadcast join). The first probe that needs it runs the build
// in its own goroutine (sync.Once); the others wait for it, and a build error
// is returned to all of them.
type JoinBuild struct {
	env   memEnv
	build Operator // broadcast: the whole build input (maybe a Gather)
	keys  []int
	types []coldata.Type
	err   error

	once sync.Once
	mu   sync.Mutex
	refs int
	// Probe workers pass a barrier before joining spilled partitions:
	// each arrives once, when its probe rows are written or it closes.
	probers, arrived int
	allArrived       chan struct{}

	// Written inside once.Do, read-only afterwards.
	jt      *joinTable // nil when the build side spilled
	nrows   int        // build rows, all partitions
	hasNull bool       // some build row has a NULL key (NOT IN needs to know)
	stats   OpStats

	acc   *MemoryAccount
	grace *graceBuild // non-nil when the build side spilled

	// Partitioned builds (joinpart.go): the build pipeline's workers,
	// drained in parallel into 1<<partBits partitions built by threads
	// goroutines; gmu serialises their writes once the build spills.
	inputs   []Operator
	partBits uint
	threads  int
	gmu      sync.Mutex
	spilling atomic.Bool

	// targets are the probe scans that take runtime filters from the
	// finished build (inner and semi joins only).
	targets []rtTarget
}

// joinTable is a materialised build side (or one spilled partition of it)
// hashed on its keys.
type joinTable struct {
	hasNull bool
	cols    []*coldata.Vec // every build column, all rows
	nrows   int
	table   *groupTable // distinct non-NULL keys → key id
	start   []int32     // rows of key id g: rowIdx[start[g]:start[g+1]]
	rowIdx  []int32
	unique  bool // each key id has exactly one row: probe rows match at most once
	// parts, when non-nil, replaces table: a partitioned build's tables,
	// whose ids are offset into the global id space of start (see
	// joinpart.go). cols, start and rowIdx are then global.
	parts *partTables
}

// tableBytes estimates what hashing nrows rows adds: slots, the row-key
// map and the CSR arrays.
func tableBytes(nrows int) int64 { return 52 * int64(nrows) }

// NewJoinBuild prepares to materialise build, hashing it on the columns keys.
// build may itself be a Gather over parallel workers.
func NewJoinBuild(build Operator, keys []int) *JoinBuild {
	jb := &JoinBuild{build: build, keys: keys, types: build.Types(), allArrived: make(chan struct{})}
	jb.err = checkCols("join build", keys, len(jb.types))
	if jb.err == nil && len(keys) == 0 {
		jb.err = fmt.Errorf("Internal Error: join build: no key columns")
	}
	return jb
}

// Types lists the build side's columns.
func (jb *JoinBuild) Types() []coldata.Type { return jb.types }

// OpStats reports the build: rows materialised, build time, memory held.
func (jb *JoinBuild) OpStats() OpStats { return jb.stats }

// Rows is the number of build rows; valid once a probe has started.
func (jb *JoinBuild) Rows() int { return jb.nrows }

// ensure runs the build if nobody has yet and returns its outcome.
func (jb *JoinBuild) ensure(ctx context.Context) error {
	jb.once.Do(func() {
		if jb.err == nil {
			jb.err = jb.run(ctx)
		}
	})
	return jb.err
}

func (jb *JoinBuild) run(ctx context.Context) (err error) {
	t0 := time.Now()
	if jb.inputs != nil {
		jb.acc = jb.env.pool.NewAccount("while building the hash table of a join")
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("Internal Error: join build panicked: %v\n%s", r, debug.Stack())
			}
			jb.stats.Elapsed = time.Since(t0)
		}()
		return jb.runPartitioned(ctx)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("Internal Error: join build panicked: %v\n%s", r, debug.Stack())
		}
		if cerr := jb.build.Close(); err == nil {
			err = cerr
		}
		jb.stats.Elapsed = time.Since(t0)
	}()
	if err := jb.build.Open(ctx); err != nil {
		return err
	}
	jb.acc = jb.env.pool.NewAccount("while building the hash table of a join")
	cols := newVecs(jb.types)
	var strBytes int64
	batches := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		b, err := jb.build.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if jb.grace != nil {
			if err := jb.grace.partitionBuild(b); err != nil {
				return err
			}
			continue
		}
		appendBatch(cols, b, nil)
		jb.nrows += b.Len()
		strBytes += liveStrBytes(b)
		batches++
		if err := jb.acc.Resize(colsBytes(cols, strBytes)); err != nil {
			if err := jb.startGrace(err, cols, batches); err != nil {
				return err
			}
			cols = nil
		}
	}
	if jb.grace == nil {
		if err := jb.acc.Resize(colsBytes(cols, strBytes) + tableBytes(jb.nrows)); err != nil {
			if err := jb.startGrace(err, cols, batches); err != nil {
				return err
			}
			cols = nil
		}
	}
	if jb.grace != nil {
		jb.stats.RowsOut = int64(jb.nrows)
		jb.stats.PeakBytes = jb.acc.Peak()
		jb.acc.Close()
		return jb.grace.finishBuild()
	}
	jt, err := buildJoinTable(ctx, cols, jb.nrows, jb.keys, jb.types)
	if err != nil {
		return err
	}
	jb.jt = jt
	jb.hasNull = jt.hasNull
	jb.pushRuntimeFilters()
	jb.stats.RowsOut = int64(jb.nrows)
	jb.stats.PeakBytes = jb.acc.Peak()
	return nil
}

// buildJoinTable hashes nrows rows of cols on keys.
func buildJoinTable(ctx context.Context, cols []*coldata.Vec, nrows int, keys []int, types []coldata.Type) (*joinTable, error) {
	jt := &joinTable{cols: cols, nrows: nrows}
	keyTypes := make([]coldata.Type, len(keys))
	for i, c := range keys {
		keyTypes[i] = types[c]
	}
	// Hashing after the drain sizes the table once for every row (no
	// rehash per doubling) and reads the keys densely where they now live.
	jt.table = newGroupTableSized(keyTypes, false, nrows)
	rowKey := make([]int32, nrows)
	views := make([]*coldata.Vec, len(keys))
	for from := 0; from < nrows; from += coldata.DefaultBatchSize {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		to := min(nrows, from+coldata.DefaultBatchSize)
		for i, c := range keys {
			views[i] = sliceVec(views[i], cols[c], from, to)
		}
		jt.table.insert(views, to-from, nil, rowKey[from:to])
	}
	// Counting sort of rows by key id into CSR form, so a key's rows are
	// contiguous and a probe walks them without pointer chasing.
	nk := jt.table.n
	jt.start = make([]int32, nk+1)
	for _, g := range rowKey[:nrows] {
		if g < 0 {
			jt.hasNull = true
			continue
		}
		jt.start[g+1]++
	}
	for g := 1; g <= nk; g++ {
		jt.start[g] += jt.start[g-1]
	}
	jt.rowIdx = make([]int32, jt.start[nk])
	fill := make([]int32, nk)
	copy(fill, jt.start[:nk])
	for r, g := range rowKey[:nrows] {
		if g >= 0 {
			jt.rowIdx[fill[g]] = int32(r)
			fill[g]++
		}
	}
	jt.unique = int(jt.start[nk]) == nk
	return jt, nil
}

func (jb *JoinBuild) acquire() {
	jb.mu.Lock()
	jb.refs++
	jb.probers++
	jb.mu.Unlock()
}

func (jb *JoinBuild) arrive() {
	jb.mu.Lock()
	jb.arrived++
	if jb.arrived == jb.probers {
		close(jb.allArrived)
	}
	jb.mu.Unlock()
}

// release drops one probe's reference; the last one frees the build data
// (and closes the build input if no probe ever ran it).
func (jb *JoinBuild) release() {
	jb.mu.Lock()
	jb.refs--
	last := jb.refs == 0
	jb.mu.Unlock()
	if !last {
		return
	}
	ran := true
	jb.once.Do(func() {
		ran = false
		if jb.err == nil {
			jb.err = fmt.Errorf("Internal Error: join build: released before use")
		}
	})
	if !ran {
		if jb.build != nil {
			_ = jb.build.Close()
		}
		for _, in := range jb.inputs {
			_ = in.Close()
		}
	}
	jb.jt = nil
	jb.acc.Close()
	if jb.grace != nil {
		_ = jb.grace.close()
	}
}

// pushRuntimeFilters hands the finished build's key range and membership
// filter to the probe scans in targets.
func (jb *JoinBuild) pushRuntimeFilters() {
	if len(jb.targets) == 0 || jb.jt == nil {
		return
	}
	if pt := jb.jt.parts; pt != nil {
		for _, t := range jb.targets {
			keys, n := pt.keys(t.key)
			if n == 0 {
				continue
			}
			preds, set := t.filter(keys, n)
			t.src.AddRuntimeFilter(preds, t.pos, set)
		}
		return
	}
	if jb.jt.table == nil {
		return
	}
	tab := jb.jt.table
	if tab.n == 0 {
		return // the probe is not read at all
	}
	for _, t := range jb.targets {
		if t.key >= len(tab.keys) {
			continue
		}
		preds, set := t.filter(tab.keys[t.key], tab.n)
		t.src.AddRuntimeFilter(preds, t.pos, set)
	}
}
