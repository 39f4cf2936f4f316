package exec

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/exec/kernel"
	"github.com/peregrinedb/peregrine/planner"
)

// SampleScan runs scan p on one worker at plan time and hands each batch
// of rows that pass its filter to fn, until the scan ends or fn returns
// false. The planner uses it to measure a small dimension's filtered rows
// and key values (planner.PlanOptions.Sample) instead of guessing them.
// Tables whose files do not share one layout (hive datasets with varying
// schemas) are not sampled.
func SampleScan(ctx context.Context, p *planner.PhysScan, fn func(*coldata.Batch) bool) (err error) {
	if t := p.Table; t.Dataset != nil && !t.Dataset.Uniform(t.DataFiles) {
		return fmt.Errorf("sample: %s has files of different layouts", p.Alias)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: sampling %s: %v", p.Alias, r)
		}
	}()
	src := NewScanSource(p.Table.Files, p.ColIdx, planner.Types(p), p.Preds, p.Limit)
	src.SetDisjunctions(p.OrPreds)
	var op Operator = NewScan(src)
	if p.Filter != nil {
		f, err := kernel.CompileFilter(p.Filter, planner.Types(p))
		if err != nil {
			return err
		}
		op = NewFilter(op, f)
	}
	if err := op.Open(ctx); err != nil {
		op.Close()
		return err
	}
	defer op.Close()
	for {
		b, err := op.Next(ctx)
		if errors.Is(err, io.EOF) || (err == nil && b == nil) {
			return nil
		}
		if err != nil {
			return err
		}
		if !fn(b) {
			return nil
		}
	}
}
