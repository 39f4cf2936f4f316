package exec

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestTuneGC: the runtime's memory limit follows the live heap with a
// quarter (at least gcMinHeadroom) of headroom, rises ahead of what pool
// accounts book, and never exceeds the ceiling.
func TestTuneGC(t *testing.T) {
	defer func() {
		gcTune.on.Store(false)
		gcTune.ceiling.Store(math.MaxInt64)
		debug.SetMemoryLimit(math.MaxInt64)
	}()
	TuneGC()
	gcTune.on.Store(true) // a previous test may have stopped it
	runtime.GC()
	time.Sleep(10 * time.Millisecond) // the finalizer runs after the cycle
	live := liveHeap()
	lim := debug.SetMemoryLimit(-1)
	if lim < live+gcMinHeadroom || lim > live+live/8+gcMinHeadroom+(64<<20) {
		t.Fatalf("limit %d for a live heap of %d", lim, live)
	}
	pool := NewMemoryPool(0)
	acc := pool.NewAccount("while testing")
	if err := acc.Grow(1 << 30); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetMemoryLimit(-1); got < live+1<<30 {
		t.Errorf("after booking 1 GiB the limit is %d, live heap %d", got, live)
	}
	acc.Close()
	SetGCCeiling(live + 8<<20)
	if got := debug.SetMemoryLimit(-1); got != live+8<<20 {
		t.Errorf("limit %d above the ceiling %d", got, live+8<<20)
	}
}
