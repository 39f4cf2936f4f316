package exec

import (
	"context"
	"slices"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// unnestBatch is how many rows an unnest emits per batch at most.
const unnestBatch = 2048

// NewUnnest emits, for each input row, as many rows as its longest list
// among the columns lists: the input's other columns repeated (not the
// lists: that would be quadratic), then one column per list holding its
// k-th element (NULL past its end). A row whose
// lists are all NULL or empty emits nothing. Rows with more elements than
// a batch holds span several batches.
func NewUnnest(child Operator, lists []int) Operator {
	var types []coldata.Type
	var keep []int
	for c, t := range child.Types() {
		if !slices.Contains(lists, c) {
			types, keep = append(types, t), append(keep, c)
		}
	}
	for _, l := range lists {
		types = append(types, child.Types()[l].Nest.Elem)
	}
	return &unnestOp{child: child, lists: lists, keep: keep, types: types}
}

type unnestOp struct {
	opStats
	child   Operator
	lists   []int
	keep    []int // the input columns passed through
	types   []coldata.Type
	in      *coldata.Batch // the batch being unnested (nil: read the next)
	k       int            // its live row being unnested
	emitted int            // elements of row k already emitted
	rows    []int32        // input row of each output row
	elems   [][]int32      // per list: element position of each output row, -1 for NULL
	out     *coldata.Batch
}

func (u *unnestOp) Types() []coldata.Type { return u.types }

func (u *unnestOp) Open(ctx context.Context) error { return u.child.Open(ctx) }

func (u *unnestOp) Next(ctx context.Context) (*coldata.Batch, error) {
	t0 := time.Now()
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if u.in == nil {
			b, err := u.child.Next(ctx)
			if err != nil {
				return nil, err // io.EOF included
			}
			u.in, u.k, u.emitted = b, 0, 0
		}
		b := u.in
		u.fill()
		if len(u.rows) > 0 {
			u.gather(b)
			u.done(t0, u.out.N)
			return u.out, nil
		}
	}
}

// fill collects the next output batch's input rows and element positions;
// it leaves u.in nil when the input batch is used up.
func (u *unnestOp) fill() {
	b := u.in
	u.rows = u.rows[:0]
	if len(u.elems) != len(u.lists) {
		u.elems = make([][]int32, len(u.lists))
	}
	for k := range u.elems {
		u.elems[k] = u.elems[k][:0]
	}
	n := b.Len()
	for u.k < n && len(u.rows) < unnestBatch {
		i := u.k
		if b.Sel != nil {
			i = int(b.Sel[u.k])
		}
		longest := 0
		for _, l := range u.lists {
			v := b.Vecs[l]
			if !v.IsNull(i) {
				longest = max(longest, int(v.Offsets[i+1]-v.Offsets[i]))
			}
		}
		for ; u.emitted < longest && len(u.rows) < unnestBatch; u.emitted++ {
			u.rows = append(u.rows, int32(i))
			for k, l := range u.lists {
				v := b.Vecs[l]
				pos := int32(-1)
				if !v.IsNull(i) && u.emitted < int(v.Offsets[i+1]-v.Offsets[i]) {
					pos = v.Offsets[i] + int32(u.emitted)
				}
				u.elems[k] = append(u.elems[k], pos)
			}
		}
		if u.emitted >= longest {
			u.k, u.emitted = u.k+1, 0
		}
	}
	if u.k >= n {
		u.in = nil
	}
}

// gather copies the input rows and the elements densely into the output.
func (u *unnestOp) gather(b *coldata.Batch) {
	n := len(u.rows)
	if u.out == nil {
		u.out = coldata.NewBatch(u.types, n)
	}
	u.out.Reset(n)
	for k, c := range u.keep {
		u.out.Vecs[k].CopyFrom(b.Vecs[c], u.rows, n, 0)
	}
	for k, l := range u.lists {
		child := b.Vecs[l].Child[0]
		dst := u.out.Vecs[len(u.keep)+k]
		pos := u.elems[k]
		missing := false
		for _, p := range pos {
			missing = missing || p < 0
		}
		var nulls []bool
		if missing {
			nulls = make([]bool, n)
			for x, p := range pos {
				if p < 0 {
					nulls[x], pos[x] = true, 0
				}
			}
		}
		if child.Len() > 0 {
			dst.CopyFrom(child, pos, n, 0)
		}
		if missing {
			d := dst.EnsureNulls()
			for x, isNull := range nulls {
				d[x] = d[x] || isNull
			}
		}
	}
}

func (u *unnestOp) Close() error {
	u.in, u.out = nil, nil
	return u.child.Close()
}
