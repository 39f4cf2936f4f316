package planner

import "math"

// JoinMode is how a hash join's build side is built.
type JoinMode uint8

const (
	// JoinBroadcast has the build side's workers buffer their rows and one
	// goroutine hash them all into one table: cheapest for small build
	// sides.
	JoinBroadcast JoinMode = iota
	// JoinPartitioned has every build worker hash and radix-partition its
	// own rows, then builds the partitions' tables in parallel.
	JoinPartitioned
)

// String is the mode's name in EXPLAIN's HASH_JOIN line: broadcast or
// partitioned.
func (m JoinMode) String() string {
	if m == JoinPartitioned {
		return "partitioned"
	}
	return "broadcast"
}

// Join build costs, in nanoseconds. Both modes buffer the build rows on all
// workers and lay them out alike; they differ in how the rows are hashed:
// broadcast inserts every row on one thread into one table, partitioned
// first scatters the rows by partition (hash bits) and then builds the
// partitions' small tables on all threads, paying a fixed cost for the
// tasks and tables. Inserting costs little while the table fits in cache
// and up to a cache miss per row beyond. Calibrated with
// BenchmarkJoinBuildProbe (exec; integer keys, -cpu 2): partitioned no
// faster at 256K build rows, clearly faster from 1M. Extra threads are
// counted at a third of a core each: the machine is shared, and on a busy
// one the parallel form's extra CPU is lost time.
const (
	joinInsertCachedNs = 20      // per row, into a table that fits in cache
	joinInsertMissNs   = 60      // per row, into one far larger than the cache
	joinScatterNs      = 15      // per row: partition bits and scatter
	joinPartitionedNs  = 2e6     // per build: partition tables and tasks
	joinCacheBytes     = 8 << 20 // where a table stops fitting in cache
	joinSlotBytes      = 32      // table bytes per build row (slots, ids)
)

// joinInsertNs is the cost per row of hashing rows rows into one table.
func joinInsertNs(rows float64) float64 {
	bytes := rows * joinSlotBytes
	if bytes <= joinCacheBytes {
		return joinInsertCachedNs
	}
	beyond := min(1, math.Log2(bytes/joinCacheBytes)/3)
	return joinInsertCachedNs + (joinInsertMissNs-joinInsertCachedNs)*beyond
}

// JoinBuildCost estimates the time to hash rows build rows on threads
// workers in mode (the buffering and layout both modes share left out).
func JoinBuildCost(mode JoinMode, rows float64, threads int) float64 {
	if mode == JoinBroadcast || threads <= 1 {
		return rows * joinInsertNs(rows)
	}
	parts := float64(8 * threads) // exec.DefaultJoinPartBits: ~8 per thread
	eff := 1 + float64(threads-1)/3
	return rows*(joinScatterNs+joinInsertNs(rows/parts))/eff + joinPartitionedNs
}

// joinMode picks the cheaper build by JoinBuildCost for the estimated
// build side; one thread and cross products (whose single key would put
// every row in one partition) always build broadcast. threads 0 (unknown)
// plans for two.
func (o *optimizer) joinMode(j *PhysHashJoin) JoinMode {
	threads := o.opts.Threads
	if threads == 0 {
		threads = 2
	}
	if threads == 1 || j.Cross {
		return JoinBroadcast
	}
	rows := j.Build.Base().EstRows
	if JoinBuildCost(JoinPartitioned, rows, threads) < JoinBuildCost(JoinBroadcast, rows, threads) {
		return JoinPartitioned
	}
	return JoinBroadcast
}
