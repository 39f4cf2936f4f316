package exec

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Partitioner is the sending side of an exchange: it routes the rows of a
// task's output batches to partitions by the hash of their key columns
// (or all to partition 0 without keys) and hands each partition's rows on
// in batches of about target rows, so that what crosses the exchange is a
// few large batches, never single rows. Keys hash as the executor's hash
// tables hash them (integers of both widths alike), remixed so that the
// partition does not correlate with the slots a partition's own hash
// table uses.
type Partitioner struct {
	types  []coldata.Type
	keys   []int
	parts  int
	target int
	emit   func(part int, b *coldata.Batch) error

	bufs    []*coldata.Batch
	dense   []*coldata.Vec
	scratch []*coldata.Vec
	sels    [][]int32
	sc      tableScratch
}

// NewPartitioner sends batches of types to parts partitions by keys
// (nil keys: one partition), calling emit with batches of about target
// rows. emit may keep the batch.
func NewPartitioner(types []coldata.Type, keys []int, parts, target int, emit func(part int, b *coldata.Batch) error) *Partitioner {
	if len(keys) == 0 {
		parts = 1
	}
	p := &Partitioner{types: types, keys: keys, parts: max(parts, 1), target: max(target, 1), emit: emit}
	p.bufs = make([]*coldata.Batch, p.parts)
	p.sels = make([][]int32, p.parts)
	p.dense = make([]*coldata.Vec, len(keys))
	p.scratch = newVecs(pick(types, keys))
	return p
}

func pick(types []coldata.Type, cols []int) []coldata.Type {
	out := make([]coldata.Type, len(cols))
	for i, c := range cols {
		out[i] = types[c]
	}
	return out
}

// PartitionOf returns the partition of a row whose keys hash to h.
func PartitionOf(h uint64, parts int) int {
	return int((mix64(h) >> 32) * uint64(parts) >> 32)
}

// Add routes the live rows of b.
func (p *Partitioner) Add(b *coldata.Batch) error {
	n := b.Len()
	if n == 0 {
		return nil
	}
	if p.parts == 1 {
		return p.append(0, b, b.Sel, n)
	}
	denseCols(b, p.keys, p.dense, p.scratch)
	hs := hashKeys(p.dense, n, &p.sc)
	for q := range p.sels {
		p.sels[q] = p.sels[q][:0]
	}
	for k, h := range hs[:n] {
		row := int32(k)
		if b.Sel != nil {
			row = b.Sel[k]
		}
		q := PartitionOf(h, p.parts)
		p.sels[q] = append(p.sels[q], row)
	}
	for q, sel := range p.sels {
		if len(sel) > 0 {
			if err := p.append(q, b, sel, len(sel)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *Partitioner) append(q int, b *coldata.Batch, sel []int32, n int) error {
	buf := p.bufs[q]
	if buf == nil {
		buf = &coldata.Batch{Vecs: newVecs(p.types)}
		p.bufs[q] = buf
	}
	for i, v := range buf.Vecs {
		if v.Type.ID == coldata.Unknown {
			v.Resize(buf.N + n)
			continue
		}
		v.AppendRows(b.Vecs[i], sel, n)
	}
	buf.N += n
	if buf.N >= p.target {
		return p.flush(q)
	}
	return nil
}

func (p *Partitioner) flush(q int) error {
	buf := p.bufs[q]
	if buf == nil || buf.N == 0 {
		return nil
	}
	p.bufs[q] = nil // emit may keep it
	return p.emit(q, buf)
}

// Flush hands on every partition's remaining rows.
func (p *Partitioner) Flush() error {
	for q := range p.bufs {
		if err := p.flush(q); err != nil {
			return err
		}
	}
	return nil
}
