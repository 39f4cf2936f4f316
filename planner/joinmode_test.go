package planner

import (
	"math"
	"strings"
	"testing"
)

// TestJoinMode: small builds broadcast, large ones partition, the
// break-even falls as threads grow, one thread and cross products always
// broadcast.
func TestJoinMode(t *testing.T) {
	build := func(rows float64) Physical { return &PhysScan{PhysBase: PhysBase{EstRows: rows}} }
	cases := []struct {
		threads int
		rows    float64
		cross   bool
		want    JoinMode
	}{
		{0, 1000, false, JoinBroadcast},
		{2, 256 << 10, false, JoinBroadcast},
		{2, 1 << 20, false, JoinPartitioned},
		{0, 1 << 20, false, JoinPartitioned},
		{8, 256 << 10, false, JoinPartitioned},
		{4, 6e6, false, JoinPartitioned},
		{1, 6e6, false, JoinBroadcast},
		{4, 6e6, true, JoinBroadcast},
	}
	for _, c := range cases {
		o := &optimizer{opts: PlanOptions{Threads: c.threads}}
		j := &PhysHashJoin{Build: build(c.rows), Cross: c.cross}
		if got := o.joinMode(j); got != c.want {
			t.Errorf("threads=%d rows=%.0f cross=%v: %s, want %s (costs %.0f / %.0f)", c.threads, c.rows, c.cross, got, c.want,
				JoinBuildCost(JoinBroadcast, c.rows, c.threads), JoinBuildCost(JoinPartitioned, c.rows, c.threads))
		}
		if d := Describe(&PhysHashJoin{Probe: build(1), Build: build(1), Mode: c.want}); !strings.Contains(d, "build: right, "+c.want.String()) {
			t.Errorf("EXPLAIN line %q does not show the mode", d)
		}
	}
	// Where the modes break even at two threads.
	lo, hi := 1e4, 1e8
	for hi/lo > 1.01 {
		mid := math.Sqrt(lo * hi)
		if JoinBuildCost(JoinPartitioned, mid, 2) < JoinBuildCost(JoinBroadcast, mid, 2) {
			hi = mid
		} else {
			lo = mid
		}
	}
	t.Logf("two threads: partitioned from about %.0fK build rows", hi/1e3)
}
