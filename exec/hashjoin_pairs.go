package exec

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// pairBatch expands the current probe batch's matches into at most
// coldata.DefaultBatchSize (probe row, build row) pairs, resuming where the
// previous call stopped, and turns them into output (or, for SEMI/ANTI with a
// residual, into match marks).
func (j *hashJoin) pairBatch() (*coldata.Batch, error) {
	start, rowIdx := j.jt.start, j.jt.rowIdx
	j.pi, j.bi, j.pk = j.pi[:0], j.bi[:0], j.pk[:0]
	room := coldata.DefaultBatchSize
	nullExtend := j.outer() && j.residual == nil
	for j.k < j.n && room > 0 {
		g := j.gids[j.k]
		if g < 0 {
			if nullExtend {
				j.pi = append(j.pi, j.phys(j.k))
				j.bi = append(j.bi, -1)
				room--
			}
			j.k++
			continue
		}
		rows := rowIdx[start[g]+j.off : start[g+1]]
		take := min(len(rows), room)
		p := j.phys(j.k)
		for _, r := range rows[:take] {
			j.pi = append(j.pi, p)
			j.bi = append(j.bi, r)
			j.pk = append(j.pk, int32(j.k))
		}
		room -= take
		if take == len(rows) {
			j.k++
			j.off = 0
		} else {
			j.off += int32(take)
		}
	}
	if j.k >= j.n {
		switch {
		case j.residual != nil && j.outer():
			j.stage, j.k = stageUnmatched, 0
		case j.residual != nil && !j.emitsBuild():
			j.stage = stageFinish
		default:
			j.stage = stageNext
		}
	}
	m := len(j.pi)
	if m == 0 {
		return nil, nil
	}
	if j.residual == nil {
		if j.markBuild != nil {
			j.markBuild(j.bi)
		}
		return j.gatherPairs(), nil
	}
	for i, v := range j.candOwned {
		v.Resize(m)
		if i < j.nprobe {
			v.CopyFrom(j.in.Vecs[i], j.pi, m, 0)
		} else {
			gatherInto(v, j.jt.cols[i-j.nprobe], nil, j.bi)
		}
		j.candVecs[i] = v
	}
	j.cand = coldata.Batch{Vecs: j.candVecs, N: m}
	if err := j.residual.Select(&j.cand); err != nil {
		return nil, err
	}
	live := j.cand.Len()
	for x := 0; x < live; x++ {
		c := x
		if j.cand.Sel != nil {
			c = int(j.cand.Sel[x])
		}
		j.matched[j.pk[c]] = true
		if j.markBuild != nil {
			j.markBuild(j.bi[c : c+1])
		}
	}
	if !j.emitsBuild() {
		return nil, nil
	}
	j.out.Vecs = j.out.Vecs[:0]
	for _, c := range j.probeOut {
		j.out.Vecs = append(j.out.Vecs, j.candVecs[c])
	}
	for _, c := range j.buildOut {
		j.out.Vecs = append(j.out.Vecs, j.candVecs[j.nprobe+c])
	}
	j.out.N, j.out.Sel = m, j.cand.Sel
	return &j.out, nil
}

// gatherPairs copies the pairs' output columns densely.
func (j *hashJoin) gatherPairs() *coldata.Batch {
	m := len(j.pi)
	j.out.Vecs = j.out.Vecs[:0]
	for i, c := range j.probeOut {
		v := j.outVecs[i]
		v.Resize(m)
		v.CopyFrom(j.in.Vecs[c], j.pi, m, 0)
		j.out.Vecs = append(j.out.Vecs, v)
	}
	for i, c := range j.buildOut {
		v := j.outVecs[len(j.probeOut)+i]
		v.Resize(m)
		gatherInto(v, j.jt.cols[c], nil, j.bi)
		j.out.Vecs = append(j.out.Vecs, v)
	}
	j.out.N, j.out.Sel = m, nil
	return &j.out
}

// unmatchedBatch emits, for LEFT with a residual, the probe rows none of
// whose pairs survived, NULL-extended.
func (j *hashJoin) unmatchedBatch() (*coldata.Batch, error) {
	j.pi, j.bi = j.pi[:0], j.bi[:0]
	for j.k < j.n && len(j.pi) < coldata.DefaultBatchSize {
		if !j.matched[j.k] {
			j.pi = append(j.pi, j.phys(j.k))
			j.bi = append(j.bi, -1)
		}
		j.k++
	}
	if j.k >= j.n {
		j.stage = stageNext
	}
	if len(j.pi) == 0 {
		return nil, nil
	}
	return j.gatherPairs(), nil
}

func (j *hashJoin) Close() error {
	if j.closed {
		return nil
	}
	j.closed = true
	j.in, j.out, j.cand = nil, coldata.Batch{}, coldata.Batch{}
	j.candVecs, j.candOwned, j.outVecs = nil, nil, nil
	j.grace.close(j.jb)
	j.jb.release()
	return j.probe.Close()
}

// gatherInto sets dst[at[x]] (dst[x] when at is nil) to src[idx[x]], or to
// NULL where idx[x] < 0. dst must be long enough; other positions are left
// as they are.
func gatherInto(dst, src *coldata.Vec, at, idx []int32) {
	switch dst.Type.ID {
	case coldata.Bool:
		gatherAt(dst.B, src.B, at, idx)
	case coldata.Int32, coldata.Date:
		gatherAt(dst.I32, src.I32, at, idx)
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		gatherAt(dst.I64, src.I64, at, idx)
	case coldata.Float64:
		gatherAt(dst.F64, src.F64, at, idx)
	case coldata.String:
		gatherAt(dst.Str, src.Str, at, idx)
	case coldata.Hugeint:
		gatherAt(dst.I128, src.I128, at, idx)
	case coldata.Unknown:
		return
	}
	sn := src.Nulls
	if sn == nil && dst.Nulls == nil {
		neg := false
		for _, i := range idx {
			if i < 0 {
				neg = true
				break
			}
		}
		if !neg {
			return
		}
	}
	dn := dst.EnsureNulls()
	for x, i := range idx {
		d := x
		if at != nil {
			d = int(at[x])
		}
		dn[d] = i < 0 || (sn != nil && sn[i])
	}
}

func gatherAt[T any](dst, src []T, at, idx []int32) {
	if at == nil {
		dst = dst[:len(idx)]
		for x, i := range idx {
			if i >= 0 {
				dst[x] = src[i]
			}
		}
		return
	}
	at = at[:len(idx)]
	for x, i := range idx {
		if i >= 0 {
			dst[at[x]] = src[i]
		}
	}
}
