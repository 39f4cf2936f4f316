package exec

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"sync"
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
	build Operator
	keys  []int
	types []coldata.Type
	err   error

	once sync.Once
	mu   sync.Mutex
	refs int

	// Written inside once.Do, read-only afterwards.
	cols    []*coldata.Vec // every build column, all rows
	nrows   int
	table   *groupTable // distinct non-NULL keys → key id
	start   []int32     // rows of key id g: rowIdx[start[g]:start[g+1]]
	rowIdx  []int32
	unique  bool // each key id has exactly one row: probe rows match at most once
	hasNull bool // some build row has a NULL key (NOT IN needs to know)
	stats   OpStats
}

// NewJoinBuild prepares to materialise build, hashing it on the columns keys.
// build may itself be a Gather over parallel workers.
func NewJoinBuild(build Operator, keys []int) *JoinBuild {
	jb := &JoinBuild{build: build, keys: keys, types: build.Types()}
	jb.err = checkCols("join build", keys, len(jb.types))
	if jb.err == nil && len(keys) == 0 {
		jb.err = fmt.Errorf("join build: no key columns")
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
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("join build panicked: %v\n%s", r, debug.Stack())
		}
		if cerr := jb.build.Close(); err == nil {
			err = cerr
		}
		jb.stats.Elapsed = time.Since(t0)
	}()
	if err := jb.build.Open(ctx); err != nil {
		return err
	}
	keyTypes := make([]coldata.Type, len(jb.keys))
	for i, c := range jb.keys {
		keyTypes[i] = jb.types[c]
	}
	jb.cols = newVecs(jb.types)
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
		appendBatch(jb.cols, b, nil)
		jb.nrows += b.Len()
	}
	// Hashing after the drain sizes the table once for every row (no
	// rehash per doubling) and reads the keys densely where they now live.
	jb.table = newGroupTableSized(keyTypes, false, jb.nrows)
	rowKey := make([]int32, jb.nrows)
	views := make([]*coldata.Vec, len(jb.keys))
	for from := 0; from < jb.nrows; from += coldata.DefaultBatchSize {
		if err := ctx.Err(); err != nil {
			return err
		}
		to := min(jb.nrows, from+coldata.DefaultBatchSize)
		for i, c := range jb.keys {
			views[i] = sliceVec(views[i], jb.cols[c], from, to)
		}
		jb.table.insert(views, to-from, nil, rowKey[from:to])
	}
	// Counting sort of rows by key id into CSR form, so a key's rows are
	// contiguous and a probe walks them without pointer chasing.
	nk := jb.table.n
	jb.start = make([]int32, nk+1)
	for _, g := range rowKey[:jb.nrows] {
		if g < 0 {
			jb.hasNull = true
			continue
		}
		jb.start[g+1]++
	}
	for g := 1; g <= nk; g++ {
		jb.start[g] += jb.start[g-1]
	}
	jb.rowIdx = make([]int32, jb.start[nk])
	fill := make([]int32, nk)
	copy(fill, jb.start[:nk])
	for r, g := range rowKey[:jb.nrows] {
		if g >= 0 {
			jb.rowIdx[fill[g]] = int32(r)
			fill[g]++
		}
	}
	jb.unique = int(jb.start[nk]) == nk
	jb.stats.RowsOut = int64(jb.nrows)
	jb.stats.PeakBytes = vecsBytes(jb.cols) + jb.table.bytes() + 4*int64(len(jb.start)+len(jb.rowIdx)+len(rowKey))
	return nil
}

func (jb *JoinBuild) acquire() {
	jb.mu.Lock()
	jb.refs++
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
			jb.err = fmt.Errorf("join build: released before use")
		}
	})
	if !ran {
		_ = jb.build.Close()
	}
	jb.cols, jb.table, jb.start, jb.rowIdx = nil, nil, nil, nil
}
