package planner

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// ExplainDistributed renders a distributed plan: one block per fragment,
// producers first, each headed by its tasks and where its output goes,
// then its operators one per line (exchange leaves name their producer).
func ExplainDistributed(d *DistPlan) string {
	var sb strings.Builder
	for _, f := range d.Fragments {
		sb.WriteString(FragmentHeader(f))
		sb.WriteByte('\n')
		explainDist(&sb, f.Root, 1)
	}
	return sb.String()
}

// FragmentHeader is a fragment's one-line summary.
func FragmentHeader(f *Fragment) string {
	var tasks string
	switch f.Kind {
	case FragSplits:
		rgs, files := 0, map[int]bool{}
		for _, s := range f.Splits {
			for _, p := range s.Pieces {
				rgs += p.To - p.From
				files[p.File] = true
			}
		}
		tasks = fmt.Sprintf("%d splits of %s (%d files, %d row groups)", len(f.Splits), f.Scan.Alias, len(files), rgs)
	case FragPartitions:
		tasks = fmt.Sprintf("%d hash partitions", f.Partitions)
	default:
		tasks = "1 task"
	}
	out := "RESULT"
	switch f.Output.Kind {
	case ExchangeHash:
		out = fmt.Sprintf("HASH (%s) into %d partitions", colNames(f.Root.Base().Out, f.Output.Keys), f.Output.Partitions)
	case ExchangeBroadcast, ExchangeGather:
		out = f.Output.Kind.String()
	}
	if len(f.Consumers) > 0 {
		ids := make([]string, len(f.Consumers))
		for i, c := range f.Consumers {
			ids[i] = fmt.Sprint(c.ID)
		}
		out += " to fragment " + strings.Join(ids, ", ")
	}
	return fmt.Sprintf("FRAGMENT %d: %s -> %s", f.ID, tasks, out)
}

func explainDist(sb *strings.Builder, p Physical, depth int) {
	sb.WriteString(strings.Repeat("  ", depth))
	sb.WriteString(DescribeDistributed(p))
	fmt.Fprintf(sb, " (~%s rows)\n", humanRows(p.Base().EstRows))
	for _, c := range p.Children() {
		explainDist(sb, c, depth+1)
	}
}

// DescribeDistributed is Describe for the nodes of distributed plans too.
func DescribeDistributed(p Physical) string {
	switch p := p.(type) {
	case *PhysExchange:
		return fmt.Sprintf("EXCHANGE %s from fragment %d", p.Kind, p.From.ID)
	case *PhysPartialAgg:
		s := Describe(&PhysHashAgg{Input: p.Input, Groups: p.Groups, Aggs: p.Aggs})
		return "PARTIAL_" + strings.TrimPrefix(s, "HASH_")
	case *PhysFinalAgg:
		ng := len(p.Groups)
		return fmt.Sprintf("FINAL_AGGREGATE groups: [%s] aggregates: [%s]", colNames(p.Out, allCols(ng)),
			colNames(p.Out, allCols(len(p.Out))[ng:]))
	}
	return Describe(p)
}

// Fingerprint identifies a distributed plan, splits included: workers that
// plan the query again check they arrived at the same fragments.
func Fingerprint(d *DistPlan) string {
	h := sha256.New()
	h.Write([]byte(ExplainDistributed(d)))
	for _, f := range d.Fragments {
		if f.Kind != FragSplits {
			continue
		}
		for _, file := range f.Scan.Table.Files {
			fmt.Fprintf(h, "%s %d %d\n", file.Path(), file.NumRows(), file.NumRowGroups())
		}
		for _, s := range f.Splits {
			fmt.Fprintf(h, "%v\n", s.Pieces)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// SplitString describes split i of fragment f for progress and errors.
func SplitString(f *Fragment, i int) string {
	if f.Kind != FragSplits || i < 0 || i >= len(f.Splits) {
		return ""
	}
	var parts []string
	for _, p := range f.Splits[i].Pieces {
		path := f.Scan.Table.Files[p.File].Path()
		if p.To-p.From == 1 {
			parts = append(parts, fmt.Sprintf("%s row group %d", path, p.From))
		} else {
			parts = append(parts, fmt.Sprintf("%s row groups %d-%d", path, p.From, p.To-1))
		}
	}
	return fmt.Sprintf("split %d of %s (%s)", i, f.Scan.Alias, strings.Join(parts, ", "))
}
