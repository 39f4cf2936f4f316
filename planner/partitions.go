package planner

import (
	"context"
	"fmt"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/storage"
)

// EvalConst evaluates an expression without column references. The
// planner must not depend on the executor, so the embedding package
// installs the executor's evaluator here; without one, only
// `column op constant` predicates prune partitions.
var EvalConst func(expr.Expr) (coldata.Datum, error)

// prunePartitionExprs drops files whose partition values make a filter
// conjunct that reads only partition columns FALSE or NULL: expressions
// (yr + 1 = 1996), ORs and functions of partition keys, evaluated once per
// partition with the executor's own kernels.
func prunePartitionExprs(s *Scan, d *storage.Dataset, files []storage.DataFile, st storage.PruneStats) ([]storage.DataFile, storage.PruneStats) {
	if EvalConst == nil || len(s.Filters) == 0 {
		return files, st
	}
	part := map[ColID]int{} // scan column → partition index
	for i, c := range s.Out {
		if p := d.PartitionOf(s.ColIdx[i]); p >= 0 {
			part[c.ID] = p
		}
	}
	var conds []expr.Expr
	for _, f := range s.Filters {
		cols := expr.Columns(f)
		only := len(cols) > 0 && !expr.HasVolatile(f) // random() is not a function of the partition
		for c := range cols {
			if _, ok := part[c]; !ok {
				only = false
			}
		}
		if only {
			conds = append(conds, f)
		}
	}
	if len(conds) == 0 {
		return files, st
	}
	verdict := map[string]bool{} // partition tuple → kept
	var kept []storage.DataFile
	tuples := map[string]bool{}
	for _, f := range files {
		key := fmt.Sprint(f.Partition)
		keep, seen := verdict[key]
		if !seen {
			keep = true
			for _, c := range conds {
				v, err := EvalConst(expr.Rewrite(c, func(x expr.Expr) expr.Expr {
					if col, ok := x.(*expr.Column); ok {
						if p, ok := part[col.Index]; ok {
							return &expr.Const{Val: f.Partition[p], Typ: col.Typ}
						}
					}
					return x
				}))
				// An error (say, a failing cast) prunes nothing: the row
				// filter will report it, or the rows decide.
				if err == nil && (v.Null || !v.B) {
					keep = false
					break
				}
			}
			verdict[key] = keep
		}
		if keep {
			kept = append(kept, f)
			tuples[key] = true
		}
	}
	st.FilesKept = len(kept)
	st.PartitionsKept = len(tuples)
	return kept, st
}

// prunePartitions opens an unopened hive-partitioned table (the binder
// leaves it so) keeping only the files whose key=value folders can satisfy
// the scan's filters on partition columns. The other files' footers are
// never read.
func (o *optimizer) prunePartitions(s *Scan) error {
	t := s.Table
	if t.Dataset == nil || t.Files != nil {
		return nil
	}
	d := t.Dataset
	var preds []storage.PartitionPredicate
	if len(s.Filters) > 0 {
		f, err := toPos(expr.And(s.Filters...), s.Out)
		if err != nil {
			return err
		}
		for _, p := range scanPredicates(expr.SplitAnd(f), s.ColIdx) {
			if pc := d.PartitionOf(p.Col); pc >= 0 {
				preds = append(preds, storage.PartitionPredicate{Col: pc, Op: p.Op, Vals: p.Vals})
			}
		}
	}
	kept, stats := d.PrunePartitions(preds)
	kept, stats = prunePartitionExprs(s, d, kept, stats)
	opened, err := d.Table(context.Background(), kept)
	if err != nil {
		return err
	}
	s.Table = opened
	s.Pruned = &stats
	o.est.register(s)
	return nil
}
