package planner

import (
	"strings"
	"testing"
	"time"
)

func TestExplainAnalyzeTreeBars(t *testing.T) {
	scanA := &PhysValues{}
	scanB := &PhysValues{}
	join := &PhysHashJoin{Probe: scanA, Build: scanB}
	el := map[Physical]time.Duration{join: 100 * time.Millisecond, scanA: 60 * time.Millisecond, scanB: 15 * time.Millisecond}
	out := ExplainAnalyzeTree(join, func(p Physical) time.Duration { return el[p] },
		[]AnalyzeColumn{{Name: "extra", Value: func(Physical) string { return "x" }}})
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "Total Time: 100.0ms") {
		t.Fatalf("got:\n%s", out)
	}
	// self times 25, 60, 15 ms of 100: bars of 5, 12 and 3 cells.
	for i, want := range []string{"25.0%", "60.0%", "15.0%"} {
		l := lines[2+i]
		if !strings.Contains(l, want) || !strings.Contains(l, "extra: x") {
			t.Errorf("line %d lacks %s: %q", i, want, l)
		}
	}
	if strings.Count(lines[3], "█") != 12 || !strings.Contains(lines[3], "├─ ") || !strings.Contains(lines[4], "└─ ") {
		t.Errorf("bars or tree wrong:\n%s", out)
	}
}
