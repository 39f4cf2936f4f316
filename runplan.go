package peregrine

import (
	"context"

	"github.com/peregrinedb/peregrine/exec"
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
)

// planRunner runs a plan the binder needs the rows of before it can finish
// binding (PIVOT without an IN list reads its ON column's values first).
type planRunner struct{ db *DB }

func (r planRunner) RunPlan(ctx context.Context, n planner.Node) ([][]coldata.Datum, error) {
	phys, err := planner.PlanWith(n, planner.PlanOptions{Threads: r.db.Threads(), Sample: exec.SampleScan})
	if err != nil {
		return nil, err
	}
	names := make([]string, len(phys.Base().Out))
	rows, err := r.db.start(ctx, phys, names)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]coldata.Datum
	for {
		b, err := rows.Next(ctx)
		if err != nil {
			return nil, err
		}
		if b == nil {
			return out, nil
		}
		for k := 0; k < b.Len(); k++ {
			out = append(out, b.Row(k))
		}
	}
}
