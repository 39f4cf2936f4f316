package exec

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// GC tuning. Go collects when the heap has grown GOGC% (100) over what the
// last collection left live, so a query holding 1 GB of hash tables lets
// the heap reach 2 GB before the collector runs again, and the process's
// RSS follows. TuneGC keeps the runtime's soft memory limit
// (debug.SetMemoryLimit) near the live heap instead:
//
//   - after every collection (a finalizer that re-arms itself each cycle)
//     the limit becomes live + max(live/8, gcMinHeadroom), so a large live
//     heap grows by an eighth, not by its own size, before the next
//     collection (measured on TPC-H Q18 at SF 10, 1 GB live: peak RSS
//     0.87-0.91 GB against 1.03 GB with a quarter, GC CPU no higher); a
//     small one keeps GOGC's pace (its goal, twice the live heap, is then
//     below the limit);
//   - the memory pools report what operators' accounts hold: when they grow
//     past what the limit allows for, the limit rises with them before the
//     memory is allocated, so a hash table being built does not make the
//     collector run back to back;
//   - the limit never exceeds the ceiling (SetGCCeiling: the memory_limit
//     the user set plus a margin).
//
// The limit also makes the runtime return freed memory to the OS sooner,
// so the RSS drops between queries.

// gcMinHeadroom is the smallest growth allowed between collections.
const gcMinHeadroom = 64 << 20

var gcTune struct {
	once     sync.Once
	on       atomic.Bool
	ceiling  atomic.Int64 // math.MaxInt64: none
	live     atomic.Int64 // live heap after the last collection
	poolAtGC atomic.Int64 // accounted bytes at the last collection
	limit    atomic.Int64 // the limit last set
	mu       sync.Mutex   // serialises SetMemoryLimit calls
}

// accounted is what every memory pool's accounts hold, process-wide.
var accounted atomic.Int64

func init() { gcTune.ceiling.Store(math.MaxInt64) }

// TuneGC starts keeping the runtime's memory limit near the live heap (see
// above); idempotent. The embedding API calls it when a database opens.
func TuneGC() {
	gcTune.once.Do(func() {
		gcTune.on.Store(true)
		gcTune.live.Store(liveHeap())
		gcTune.poolAtGC.Store(accounted.Load())
		setGCLimit(gcTarget(gcTune.live.Load()))
		armGCSentinel()
	})
}

// SetGCCeiling bounds the runtime's memory limit (bytes <= 0: no bound
// beyond the live heap's headroom). Without TuneGC it is the limit.
func SetGCCeiling(bytes int64) {
	if bytes <= 0 {
		bytes = math.MaxInt64
	}
	gcTune.ceiling.Store(bytes)
	if !gcTune.on.Load() {
		debug.SetMemoryLimit(bytes)
		return
	}
	setGCLimit(gcTarget(gcTune.live.Load()))
}

// gcTarget is the limit for a live heap of live bytes.
func gcTarget(live int64) int64 {
	return min(live+max(live/8, gcMinHeadroom), gcTune.ceiling.Load())
}

func setGCLimit(limit int64) {
	gcTune.mu.Lock()
	defer gcTune.mu.Unlock()
	if gcTune.limit.Load() == limit {
		return
	}
	gcTune.limit.Store(limit)
	debug.SetMemoryLimit(limit)
}

// poolGrew is called by memory pools after their accounts grew: the live
// heap is about to grow by as much, so the limit follows ahead of it
// (raised only by a sixteenth or more, so calls stay rare).
func poolGrew() {
	if !gcTune.on.Load() {
		return
	}
	grown := accounted.Load() - gcTune.poolAtGC.Load()
	if grown <= 0 {
		return
	}
	want := gcTarget(gcTune.live.Load() + grown)
	if cur := gcTune.limit.Load(); want > cur+cur/16 {
		setGCLimit(want)
	}
}

// gcSentinel is garbage from birth: its finalizer runs once per
// collection. It holds a pointer so that the runtime does not place it in
// a tiny block, whose finalizers may never run.
type gcSentinel struct {
	_ *int
	_ [2]int64
}

func armGCSentinel() {
	runtime.SetFinalizer(&gcSentinel{}, func(*gcSentinel) {
		if !gcTune.on.Load() {
			return
		}
		live := liveHeap()
		gcTune.live.Store(live)
		gcTune.poolAtGC.Store(accounted.Load())
		setGCLimit(gcTarget(live))
		armGCSentinel()
	})
}

var liveSample = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
var liveMu sync.Mutex

// liveHeap is the heap the last collection found live.
func liveHeap() int64 {
	liveMu.Lock()
	defer liveMu.Unlock()
	metrics.Read(liveSample)
	if liveSample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(liveSample[0].Value.Uint64())
}
