package kernel

import "github.com/peregrinedb/peregrine/exec/coldata"

// retryRows finishes a TRY_CAST batch whose vectorised conversion failed:
// each live row converts on its own and a row that fails becomes NULL. Only
// batches holding a failure pay for this; the others keep the batch loop.
func (n *castNode) retryRows(out, v *coldata.Vec, sel []int32, rows int) {
	nulls := n.res.copyNulls(sel, rows, v)
	one := n.one[:]
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		if nulls[i] {
			continue
		}
		one[0] = int32(i)
		if n.convert(out, v, one, rows) != nil {
			nulls[i] = true
		}
	}
}
