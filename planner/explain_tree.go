package planner

import (
	"fmt"
	"strings"
	"time"
)

// AnalyzeColumn is one column of EXPLAIN ANALYZE's tree: a name for the
// header and the text for each node. Columns are data, so that a figure
// (estimated against actual rows, memory, ...) is added by appending one.
type AnalyzeColumn struct {
	Name  string
	Value func(p Physical) string
}

// barWidth is the width of the time-share bars in cells.
const barWidth = 20

// ExplainAnalyzeTree draws the plan as a tree, one operator per line, with
// each operator's share of the query's time as a bar: elapsed(p) is the
// time spent in p including its children, so p's own time is elapsed
// minus its children's. The columns follow the operator's description.
func ExplainAnalyzeTree(p Physical, elapsed func(Physical) time.Duration, cols []AnalyzeColumn) string {
	self := map[Physical]time.Duration{}
	var total time.Duration
	var walk func(Physical)
	walk = func(n Physical) {
		d := elapsed(n)
		for _, c := range n.Children() {
			d -= elapsed(c)
			walk(c)
		}
		d = max(d, 0)
		self[n] = d
		total += d
	}
	walk(p)
	var sb strings.Builder
	fmt.Fprintf(&sb, "Total Time: %s\n", fmtDuration(elapsed(p)))
	fmt.Fprintf(&sb, "%9s  %-*s %6s  %s\n", "self time", barWidth, "share of time", "", "operator")
	var draw func(n Physical, prefix, branch string)
	draw = func(n Physical, prefix, branch string) {
		share := 0.0
		if total > 0 {
			share = float64(self[n]) / float64(total)
		}
		sb.WriteString(fmt.Sprintf("%9s  %s %5.1f%%  %s%s%s", fmtDuration(self[n]), bar(share), 100*share, prefix, branch, Describe(n)))
		fmt.Fprintf(&sb, " (~%s rows)", humanRows(n.Base().EstRows))
		for _, c := range cols {
			if v := c.Value(n); v != "" {
				if c.Name != "" {
					v = c.Name + ": " + v
				}
				sb.WriteString(" " + v)
			}
		}
		sb.WriteByte('\n')
		kids := n.Children()
		next := prefix
		switch branch {
		case "├─ ":
			next += "│  "
		case "└─ ":
			next += "   "
		}
		for i, c := range kids {
			b := "├─ "
			if i == len(kids)-1 {
				b = "└─ "
			}
			draw(c, next, b)
		}
	}
	draw(p, "", "")
	return sb.String()
}

// bar draws a share between 0 and 1 with eighth blocks.
func bar(share float64) string {
	eighths := int(share*barWidth*8 + 0.5)
	full, part := eighths/8, eighths%8
	s := strings.Repeat("█", full)
	if part > 0 && full < barWidth {
		s += string([]rune("▏▎▍▌▋▊▉")[part-1])
		full++
	}
	return s + strings.Repeat("·", max(barWidth-full, 0))
}

func fmtDuration(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.2fs", d.Seconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%.1fms", float64(d)/1e6)
	}
	return fmt.Sprintf("%dµs", d.Microseconds())
}
