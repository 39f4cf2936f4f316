package coldata

// Batch is a set of equally long vectors plus an optional selection vector.
// When Sel is nil every row in [0,N) is live; otherwise only rows Sel[k] are,
// in that order. Filters narrow Sel rather than copying the vectors; operators
// that hash, sort or spill compact first.
//
// "No live rows" is a non-nil, empty Sel (Go's s[:0] of a nil slice is nil,
// which would mean "all rows"): producers must keep it non-nil.
//
// A batch returned by an operator's Next stays valid until the next call.
// Strings in it may point into buffers owned by the batch's producer (a
// page, a kernel's per-batch arena): an operator that keeps a string
// across batches (hash-table keys, sort runs) must copy it (strings.Clone).
type Batch struct {
	Vecs []*Vec
	N    int
	Sel  []int32
}

// NewBatch allocates a batch with one vector per type, each of length n.
func NewBatch(types []Type, n int) *Batch {
	b := &Batch{Vecs: make([]*Vec, len(types)), N: n}
	for i, t := range types {
		b.Vecs[i] = NewVec(t, n)
	}
	return b
}

// Len is the number of live rows.
func (b *Batch) Len() int {
	if b.Sel != nil {
		return len(b.Sel)
	}
	return b.N
}

// Types lists the vector types.
func (b *Batch) Types() []Type {
	ts := make([]Type, len(b.Vecs))
	for i, v := range b.Vecs {
		ts[i] = v.Type
	}
	return ts
}

// Reset resizes every vector to n rows and clears the selection and nulls.
func (b *Batch) Reset(n int) {
	b.N = n
	b.Sel = nil
	for _, v := range b.Vecs {
		v.Resize(n)
	}
}

// Compact returns a batch with no selection: b itself when Sel is nil,
// otherwise the live rows copied densely into dst (allocated when nil or of
// the wrong shape). dst is reusable across calls.
func (b *Batch) Compact(dst *Batch) *Batch {
	if b.Sel == nil {
		return b
	}
	n := len(b.Sel)
	if dst == nil || len(dst.Vecs) != len(b.Vecs) {
		dst = &Batch{Vecs: make([]*Vec, len(b.Vecs))}
	}
	for i, v := range b.Vecs {
		if dst.Vecs[i] == nil || dst.Vecs[i].Type != v.Type {
			dst.Vecs[i] = &Vec{Type: v.Type}
		}
		dv := dst.Vecs[i]
		dv.Resize(n)
		dv.CopyFrom(v, b.Sel, n, 0)
	}
	dst.N = n
	dst.Sel = nil
	return dst
}

// Row returns live row k as datums (slow path: printing and tests).
func (b *Batch) Row(k int) []Datum {
	i := k
	if b.Sel != nil {
		i = int(b.Sel[k])
	}
	out := make([]Datum, len(b.Vecs))
	for c, v := range b.Vecs {
		out[c] = v.Get(i)
	}
	return out
}
