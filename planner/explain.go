package planner

import (
	"fmt"
	"strings"
)

// Explain renders a physical plan one operator per line, children indented,
// with estimated row counts.
func Explain(p Physical) string {
	var sb strings.Builder
	explainNode(&sb, p, 0, nil)
	return sb.String()
}

// Annotator adds run-time figures (EXPLAIN ANALYZE) to a node's line.
type Annotator func(p Physical) string

// ExplainAnalyze renders like Explain, appending ann(p) to every line.
func ExplainAnalyze(p Physical, ann Annotator) string {
	var sb strings.Builder
	explainNode(&sb, p, 0, ann)
	return sb.String()
}

func explainNode(sb *strings.Builder, p Physical, depth int, ann Annotator) {
	sb.WriteString(strings.Repeat("  ", depth))
	sb.WriteString(Describe(p))
	fmt.Fprintf(sb, " (~%s rows)", humanRows(p.Base().EstRows))
	if ann != nil {
		if s := ann(p); s != "" {
			sb.WriteString(" " + s)
		}
	}
	sb.WriteByte('\n')
	for _, c := range p.Children() {
		explainNode(sb, c, depth+1, ann)
	}
}

func humanRows(r float64) string {
	switch {
	case r >= 1e9:
		return fmt.Sprintf("%.1fG", r/1e9)
	case r >= 1e6:
		return fmt.Sprintf("%.1fM", r/1e6)
	case r >= 1e4:
		return fmt.Sprintf("%.1fK", r/1e3)
	}
	return fmt.Sprintf("%.0f", r)
}

func colNames(cols []ColMeta, idx []int) string {
	parts := make([]string, len(idx))
	for i, k := range idx {
		parts[i] = cols[k].Name
	}
	return strings.Join(parts, ", ")
}

// Describe is the one-line description of p without estimates.
func Describe(p Physical) string {
	switch p := p.(type) {
	case *PhysDistinctOn:
		return p.describe()
	case *PhysScan:
		names := make([]string, len(p.Out))
		for i, c := range p.Out {
			names[i] = c.Name
		}
		s := fmt.Sprintf("PARQUET_SCAN %s [%s]", p.Alias, strings.Join(names, ", "))
		if p.Filter != nil {
			s += " filter: " + p.Filter.String()
		}
		if n := len(p.Preds) + len(p.OrPreds); n > 0 {
			s += fmt.Sprintf(" (%d pushed to row-group pruning)", n)
		}
		if p.Limit >= 0 {
			s += fmt.Sprintf(" limit: %d", p.Limit)
		}
		if p.Pruned != nil {
			s += fmt.Sprintf(" partitions: %d of %d files, %d of %d partitions", p.Pruned.FilesKept, p.Pruned.Files, p.Pruned.PartitionsKept, p.Pruned.Partitions)
		}
		return s
	case *PhysFilter:
		return "FILTER " + p.Pred.String()
	case *PhysProject:
		parts := make([]string, len(p.Exprs))
		for i, e := range p.Exprs {
			parts[i] = e.String()
			if p.Out[i].Name != "" && p.Out[i].Name != parts[i] {
				parts[i] += " AS " + p.Out[i].Name
			}
		}
		return "PROJECT " + strings.Join(parts, ", ")
	case *PhysHashJoin:
		keys := make([]string, len(p.ProbeKeys))
		pc, bc := p.Probe.Base().Out, p.Build.Base().Out
		for i := range p.ProbeKeys {
			keys[i] = pc[p.ProbeKeys[i]].Name + " = " + bc[p.BuildKeys[i]].Name
		}
		s := fmt.Sprintf("HASH_JOIN %s on %s (build: right, %s)", p.Type, strings.Join(keys, " AND "), p.Mode)
		if p.Cross {
			s = fmt.Sprintf("HASH_JOIN %s CROSS PRODUCT", p.Type)
		}
		if p.Residual != nil {
			s += " residual: " + p.Residual.String()
		}
		if a := p.Asof; a != nil {
			s += fmt.Sprintf(" nearest: %s %s %s", pc[a.ProbeCol].Name, a.Op, bc[a.BuildCol].Name)
		}
		return s
	case *PhysLeftBuildJoin:
		return p.describe()
	case *PhysPositionalJoin:
		return "POSITIONAL_JOIN"
	case *PhysAdaptive:
		return p.describe()
	case *PhysMaterialized:
		return fmt.Sprintf("MATERIALIZED stage %d", p.Slot)
	case *PhysHashAgg:
		in := p.Input.Base().Out
		aggs := make([]string, len(p.Aggs))
		for i, a := range p.Aggs {
			arg := "*"
			if a.Arg >= 0 {
				arg = in[a.Arg].Name
			}
			if a.Distinct {
				arg = "DISTINCT " + arg
			}
			fn := a.Func.String()
			if a.Func == AggNamed {
				fn = a.Name
			}
			aggs[i] = fmt.Sprintf("%s(%s)", fn, arg)
		}
		return fmt.Sprintf("HASH_AGGREGATE groups: [%s] aggregates: [%s]", colNames(in, p.Groups), strings.Join(aggs, ", "))
	case *PhysSort:
		return "ORDER_BY " + sortDesc(p.Keys, p.Input.Base().Out)
	case *PhysTopN:
		s := fmt.Sprintf("TOP_N %d %s", p.Count, sortDesc(p.Keys, p.Input.Base().Out))
		if p.Offset > 0 {
			s += fmt.Sprintf(" offset %d", p.Offset)
		}
		return s
	case *PhysLimit:
		return fmt.Sprintf("LIMIT %d OFFSET %d", p.Count, p.Offset)
	case *PhysValues:
		if p.Source != nil {
			return p.Source.Describe()
		}
		return fmt.Sprintf("VALUES (%d rows)", len(p.Rows))
	case *PhysWindow:
		return p.describe()
	case *PhysSeries:
		return p.describe()
	case *PhysRecursiveCTE:
		return p.describe()
	case *PhysWorkScan:
		return p.describe()
	case *PhysUnnest:
		return p.explain()
	case *PhysRepeat:
		return "REPEAT rows by " + p.Input.Base().Out[p.Count].Name
	case *PhysUnion:
		return fmt.Sprintf("UNION_ALL (%d inputs)", len(p.Ins))
	case *PhysCTEScan:
		s := "CTE_SCAN " + p.Shared.Name
		if p.First {
			s += " (computed once, shared by its references)"
		}
		return s
	}
	return fmt.Sprintf("%T", p)
}

func sortDesc(keys []PhysSortKey, cols []ColMeta) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = cols[k.Col].Name
		if k.Desc {
			parts[i] += " DESC"
		}
		if k.NullsFirst {
			parts[i] += " NULLS FIRST"
		}
	}
	return strings.Join(parts, ", ")
}
