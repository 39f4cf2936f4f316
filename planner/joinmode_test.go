package planner

import (
	"strings"
	"testing"
)

func TestJoinMode(t *testing.T) {
	build := func(rows float64) Physical { return &PhysScan{PhysBase: PhysBase{EstRows: rows}} }
	cases := []struct {
		threads int
		rows    float64
		cross   bool
		want    JoinMode
	}{
		{0, 1000, false, JoinBroadcast},
		{0, PartitionedJoinMinRows - 1, false, JoinBroadcast},
		{0, PartitionedJoinMinRows, false, JoinPartitioned},
		{4, 6e6, false, JoinPartitioned},
		{1, 6e6, false, JoinBroadcast},
		{4, 6e6, true, JoinBroadcast},
	}
	for _, c := range cases {
		o := &optimizer{opts: PlanOptions{Threads: c.threads}}
		j := &PhysHashJoin{Build: build(c.rows), Cross: c.cross}
		if got := o.joinMode(j); got != c.want {
			t.Errorf("threads=%d rows=%.0f cross=%v: %s, want %s", c.threads, c.rows, c.cross, got, c.want)
		}
		if d := Describe(&PhysHashJoin{Probe: build(1), Build: build(1), Mode: c.want}); !strings.Contains(d, "build: right, "+c.want.String()) {
			t.Errorf("EXPLAIN line %q does not show the mode", d)
		}
	}
}
