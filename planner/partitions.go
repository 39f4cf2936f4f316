package planner

import (
	"context"

	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/storage"
)

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
	opened, err := d.Table(context.Background(), kept)
	if err != nil {
		return err
	}
	s.Table = opened
	s.Pruned = &stats
	o.est.register(s)
	return nil
}
