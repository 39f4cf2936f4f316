package exec

import (
	"context"
	"math/bits"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Partitioned hash join build. The broadcast build (joinbuild.go) hashes
// every row in one goroutine; for a large build side that leaves the other
// cores idle. The partitioned build runs in three parallel phases:
//
//  1. (Sink) Every worker of the build pipeline drains its own input,
//     hashes each row's keys and appends the row to its worker-local buffer
//     of the row's partition (hash bits). Rows with a NULL key are counted
//     and dropped (they never match; NOT IN only needs to know one existed).
//  2. (Finalize) From the per-worker, per-partition counts every buffer gets its place
//     and the buffers are concatenated a column at a time (each column's
//     copies freed as it is done), partition after partition, so partition
//     q's rows are the contiguous range [R_q, R_{q+1}).
//  3. Goroutines take partitions from a shared counter and build each one's
//     hash table independently, reading its rows sequentially, with local
//     key ids. Then ids and CSR arrays are made global: partition q's keys
//     get ids [K_q, K_q+n_q) (K_q: distinct keys in the partitions before
//     it; the int path rewrites its slots, the general path adds K_q after
//     a lookup), so the probe code after the lookup, which reads the one
//     start/rowIdx/cols of the joinTable, is the broadcast join's.
//
// A probe computes the partition from the same hash bits and looks up in
// that partition's table. Single integer keys (the common case) use
// Fibonacci hashing like the broadcast table: the partition is the top bits
// of key*φ, and the partitions' tables are equal-sized regions of one slot
// array indexed by the next bits, so partition q's region is exactly the
// slots whose index starts with q. A probe is then the broadcast probe (one
// multiply, one shift, one load) except that linear probing wraps inside the
// region, and the slots hold global ids. Measured: separate per-partition
// tables cost a dependent load of the table's header per row and ran probes
// up to 2.5x slower at 64 partitions. Other keys hash once and take the
// partition from the hash's top bits, then probe each partition's rows of
// the batch as a group in its own groupTable.
//
// Memory: workers grow their own accounts; when the pool refuses, the build
// falls back to the Grace path of hashjoin_spill.go (the workers' buffers
// and every later batch are written to the spilled partitions, serialised
// by a mutex) so the probe side joins spilled partitions as before.

// fibMul is the int path's Fibonacci hashing multiplier (see fibSlot).
const fibMul = 0x9E3779B97F4A7C15

// maxPartBits bounds the partition count (partitions are uint8).
const maxPartBits = 8

func hashPartOf(h uint64, bits uint) int { return int(h >> (64 - bits) & (1<<bits - 1)) }

// DefaultJoinPartBits is the partition count (as bits) for threads workers:
// about eight partitions per thread, so the table builds balance well.
func DefaultJoinPartBits(threads int) uint {
	bits := uint(3)
	for 1<<bits < 8*threads && bits < maxPartBits {
		bits++
	}
	return bits
}

// partTables is the lookup side of a partitioned build.
type partTables struct {
	bits   uint
	intKey bool
	// Int path: 1<<bits regions of lo+1 slots; slot index key*φ>>gshift.
	// Slots hold global id+1.
	islots []intSlot
	gshift uint
	lo     uint64
	ikeys  []*coldata.Vec // per partition: its distinct keys
	sinks  []uint32       // per partition: its build's prefetch sink
	// General path: a table per partition, ids offset by base.
	tabs []*groupTable
	base []int32 // partition q's global ids start at base[q]
}

// partScratch is a probe worker's buffers for partitioned lookups.
type partScratch struct {
	part []uint8
	cnt  []int32
	rows []int32
	alt  [2][]int32
}

// find maps the first n rows of keys to global key ids (-1: no match).
func (jt *joinTable) find(keys []*coldata.Vec, n int, gids []int32, sc *tableScratch, ps *partScratch) {
	if jt.parts == nil {
		jt.table.find(keys, n, gids, sc)
		return
	}
	pt := jt.parts
	if pt.intKey {
		v := keys[0]
		if v.Type.ID == coldata.Int32 || v.Type.ID == coldata.Date {
			findIntsParted(pt, v.I32[:n], v.Nulls, gids, sc)
		} else {
			findIntsParted(pt, v.I64[:n], v.Nulls, gids, sc)
		}
		return
	}
	pt.findGeneral(keys, n, gids, sc, ps)
}

func findIntsParted[T int32 | int64](pt *partTables, vals []T, nulls []bool, gids []int32, sc *tableScratch) {
	gids = gids[:len(vals)]
	slots, gshift, lo := pt.islots, pt.gshift, pt.lo
	if len(slots) >= prefetchMinSlots {
		var s uint32
		for _, x := range vals {
			s += uint32(slots[uint64(int64(x))*fibMul>>gshift].gid)
		}
		sc.sink += s
	}
	// Runs of equal keys reuse the previous row's answer.
	lastKey, lastGid, have := int64(0), int32(-1), false
	for k, x := range vals {
		if nulls != nil && nulls[k] {
			gids[k] = -1
			continue
		}
		key := int64(x)
		if key == lastKey && have {
			gids[k] = lastGid
			continue
		}
		p := uint64(key) * fibMul >> gshift
		g := int32(-1)
		for {
			s := slots[p]
			if s.gid == 0 {
				break
			}
			if s.key == key {
				g = s.gid - 1
				break
			}
			p = p&^lo | (p+1)&lo
		}
		gids[k] = g
		lastKey, lastGid, have = key, g, true
	}
}

// findGeneral hashes the batch once, groups its rows by partition and
// probes each partition's table with its rows.
func (pt *partTables) findGeneral(keys []*coldata.Vec, n int, gids []int32, sc *tableScratch, ps *partScratch) {
	hs := hashKeys(keys, n, sc)
	skip := (&groupTable{}).nullRows(keys, n, sc)
	np := len(pt.tabs)
	ps.part = coldata.Grow(ps.part, n)
	ps.cnt = growZero(ps.cnt[:0], np+1)
	part, cnt := ps.part[:n], ps.cnt
	for k, h := range hs[:n] {
		if skip != nil && skip[k] {
			gids[k] = -1
			part[k] = 0xff
			continue
		}
		q := hashPartOf(h, pt.bits)
		part[k] = uint8(q)
		cnt[q+1]++
	}
	for q := 1; q <= np; q++ {
		cnt[q] += cnt[q-1]
	}
	ps.rows = coldata.Grow(ps.rows, n)
	rows := ps.rows
	for k, q := range part {
		if q == 0xff && skip != nil && skip[k] {
			continue
		}
		rows[cnt[q]] = int32(k)
		cnt[q]++
	}
	// cnt[q] is now the end of partition q's rows.
	sc.pos = coldata.Grow(sc.pos, n)
	sc.mism = coldata.Grow(sc.mism, n)
	from := int32(0)
	for q := 0; q < np; q++ {
		to := cnt[q]
		if to == from {
			continue
		}
		sub := rows[from:to]
		from = to
		findRows(pt.tabs[q], keys, sub, hs, gids, sc, ps)
		if b := pt.base[q]; b != 0 {
			for _, k := range sub {
				if gids[k] >= 0 {
					gids[k] += b
				}
			}
		}
	}
}

// findRows is groupTable.probe's lookup for the rows listed in rows (keys
// are dense over the whole batch; hashes precomputed; no NULL keys).
func findRows(t *groupTable, keys []*coldata.Vec, rows []int32, hashes []uint64, gids []int32, sc *tableScratch, ps *partScratch) {
	mask := t.mask
	pos, mism := sc.pos, sc.mism
	for _, k := range rows {
		pos[k] = hashes[k] & mask
	}
	cur := rows
	for round := 0; len(cur) > 0; round++ {
		cmps := sc.cmps[:0]
		for _, k := range cur {
			h := hashes[k]
			tag := h >> 32
			p := pos[k]
			for {
				s := t.slots[p]
				if s == 0 {
					gids[k] = -1
					break
				}
				if s>>32 == tag {
					gids[k] = int32(uint32(s)) - 1
					cmps = append(cmps, k)
					break
				}
				p = (p + 1) & mask
			}
			pos[k] = p
		}
		for _, k := range cmps {
			mism[k] = false
		}
		for c, kv := range keys {
			eqCol(t.keys[c], kv, cmps, gids, mism)
		}
		next := ps.alt[round&1][:0]
		for _, k := range cmps {
			if mism[k] {
				gids[k] = -1
				pos[k] = (pos[k] + 1) & mask
				next = append(next, k)
			}
		}
		sc.cmps = cmps
		ps.alt[round&1] = next
		cur = next
	}
}

// intParts sets q[k] to the partition of integer key vals[k]: the top
// bits of key*φ (bits = 0: partition 0).
func intParts[T int32 | int64](vals []T, bits uint, q []uint8) {
	q = q[:len(vals)]
	for k, x := range vals {
		q[k] = uint8(uint64(int64(x)) * fibMul >> (64 - bits))
	}
}

// startPartGrace switches a partitioned build to the Grace spill path.
func (jb *JoinBuild) startPartGrace() {
	jb.gmu.Lock()
	defer jb.gmu.Unlock()
	if jb.grace == nil {
		g := &graceBuild{jb: jb, sels: make([][]int32, joinParts)}
		g.build = g.newFile(jb.types)
		jb.grace = g
		jb.spilling.Store(true)
	}
}

// spillWorker writes w's buffered rows (no NULL keys) to the spilled
// partitions and frees them.
func (jb *JoinBuild) spillWorker(w *partWorker) error {
	if w.n == 0 {
		return nil
	}
	jb.gmu.Lock()
	defer jb.gmu.Unlock()
	g := jb.grace
	for p, buf := range w.parts {
		if buf == nil {
			continue
		}
		for _, ch := range buf.chunks {
			if err := g.writeBuildCols(ch, ch[0].Len()); err != nil {
				return err
			}
		}
		w.parts[p] = nil
	}
	if w.nulls != nil {
		// A FULL join's NULL-key rows: the partitions keep them.
		for _, ch := range w.nulls.chunks {
			if err := g.writeBuildCols(ch, ch[0].Len()); err != nil {
				return err
			}
		}
		w.nulls = nil
	}
	w.n = 0
	w.acc.Close()
	return nil
}

// spillBatch writes one build batch to the spilled partitions.
func (jb *JoinBuild) spillBatch(b *coldata.Batch) error {
	jb.gmu.Lock()
	defer jb.gmu.Unlock()
	g := jb.grace
	return g.write(g.build, b, jb.keys, 0, false)
}

// buildPartitions lays the workers' buffers out partition after
// partition, so that partition q's rows are the contiguous range
// [R_q, R_{q+1}), and hashes them: one table when the build is not
// partitioned, else a table per partition (phases 2 and 3).
func (jb *JoinBuild) buildPartitions(ctx context.Context, ws []*partWorker) (*joinTable, error) {
	np := 1 << jb.partBits
	// Row offsets: partition q's rows are [R[q], R[q+1]); worker i's rows
	// of partition q start at at[i][q].
	R := partOffsets(ws, np)
	var only *rowBuf
	bufs := 0
	for _, w := range ws {
		for _, buf := range w.parts {
			if buf != nil && buf.Len() > 0 {
				only = buf
				bufs++
			}
		}
	}
	n := R[np]
	at := make([][]int, len(ws))
	for i := range ws {
		at[i] = make([]int, np)
	}
	for q := 0; q < np; q++ {
		off := R[q]
		for i, w := range ws {
			at[i][q] = off
			if buf := w.parts[q]; buf != nil {
				off += buf.Len()
			}
		}
	}
	var cols []*coldata.Vec
	if bufs <= 1 {
		if only != nil {
			cols = only.take()
		} else {
			cols = newVecs(jb.types)
		}
	} else {
		// Lay out a column at a time, so that only the columns being
		// copied exist twice.
		cols = make([]*coldata.Vec, len(jb.types))
		err := jb.br.tasks(ctx, len(cols), func(ctx context.Context, c int) error {
			t := jb.types[c]
			v := coldata.NewVec(t, n)
			for i, w := range ws {
				for q, buf := range w.parts {
					if buf == nil {
						continue
					}
					if t.ID != coldata.Unknown {
						buf.concatInto(v, c, at[i][q])
					}
					buf.dropCol(c)
				}
			}
			cols[c] = v
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for _, w := range ws {
		w.parts = nil
	}
	kt := jb.keyTypes()
	intKey := len(kt) == 1 && isIntKey(kt[0])
	size, ok := regionSize(R, n)
	if jb.partBits == 0 || intKey && !ok {
		return buildJoinTable(ctx, cols, n, jb.keys, jb.types)
	}
	jt := &joinTable{cols: cols, nrows: n, unique: true}
	jt.rowIdx = make([]int32, n)
	pt := &partTables{bits: jb.partBits, intKey: intKey, base: make([]int32, np)}
	if intKey {
		pt.islots = make([]intSlot, np*size)
		pt.lo = uint64(size - 1)
		pt.gshift = 64 - jb.partBits - uint(bits.TrailingZeros(uint(size)))
		pt.ikeys = make([]*coldata.Vec, np)
		pt.sinks = make([]uint32, np)
	} else {
		pt.tabs = make([]*groupTable, np)
	}
	// Phase 3a: each partition's table, with local key ids.
	rowKeys, nks := make([][]int32, np), make([]int, np)
	err := jb.br.tasks(ctx, np, func(ctx context.Context, q int) error {
		from, to := R[q], R[q+1]
		var err error
		if intKey {
			v := cols[jb.keys[0]]
			if v.Type.ID == coldata.Int32 || v.Type.ID == coldata.Date {
				rowKeys[q], nks[q], err = insertRegion(ctx, pt, q, v.I32[from:to], v.Type)
			} else {
				rowKeys[q], nks[q], err = insertRegion(ctx, pt, q, v.I64[from:to], v.Type)
			}
			return err
		}
		pt.tabs[q], rowKeys[q], err = buildPartTable(ctx, cols, from, to, jb.keys, kt)
		if err == nil {
			nks[q] = pt.tabs[q].n
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	// Phase 3b: partition q's ids become K_q+local, K_q the distinct keys
	// of the partitions before it, so the id space (and start) is dense.
	nkeys := 0
	for q, nk := range nks {
		pt.base[q] = int32(nkeys)
		nkeys += nk
		if nk != R[q+1]-R[q] {
			jt.unique = false
		}
	}
	jt.start = make([]int32, nkeys+1)
	jt.start[nkeys] = int32(n)
	err = jb.br.tasks(ctx, np, func(ctx context.Context, q int) error {
		if intKey && pt.base[q] != 0 {
			size := int(pt.lo) + 1
			b := pt.base[q]
			for i := range pt.islots[q*size : (q+1)*size] {
				if s := &pt.islots[q*size+i]; s.gid != 0 {
					s.gid += b
				}
			}
		}
		writeCSR(jt, rowKeys[q], nks[q], int(pt.base[q]), R[q])
		rowKeys[q] = nil
		return nil
	})
	if err != nil {
		return nil, err
	}
	jt.parts = pt
	return jt, nil
}

// regionSize is the int path's slots per partition: room for the largest
// partition's rows at load 1/2. ok is false when duplicate keys skew the
// partitions' row counts so much that the regions would take over 4x the
// broadcast table's slots; the build is then a broadcast table.
func regionSize(R []int, n int) (size int, ok bool) {
	np := len(R) - 1
	maxn := 0
	for q := 0; q < np; q++ {
		maxn = max(maxn, R[q+1]-R[q])
	}
	size, whole := minTableSlots, minTableSlots
	for size < 2*maxn {
		size *= 2
	}
	for whole < 2*n {
		whole *= 2
	}
	return size, np*size <= 4*whole
}

// insertRegion hashes the integer keys vals of partition q's rows (no NULL
// keys) into its region of pt.islots, numbering new keys from 0 (phase 3b
// offsets them), and stores its distinct keys in pt.ikeys[q].
// It returns each row's local key id and the number of distinct keys.
func insertRegion[T int32 | int64](ctx context.Context, pt *partTables, q int, vals []T, typ coldata.Type) ([]int32, int, error) {
	slots, gshift, lo := pt.islots, pt.gshift, pt.lo
	rowKey := make([]int32, len(vals))
	var keys []T
	var sink uint32
	prefetch := len(slots) >= prefetchMinSlots
	for from := 0; from < len(vals); from += coldata.DefaultBatchSize {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		chunk := vals[from:min(len(vals), from+coldata.DefaultBatchSize)]
		if prefetch {
			// Independent loads first, so their cache misses overlap.
			var s uint32
			for _, x := range chunk {
				s += uint32(slots[uint64(int64(x))*fibMul>>gshift].gid)
			}
			sink += s
		}
		rk := rowKey[from : from+len(chunk)]
		for i, x := range chunk {
			key := int64(x)
			p := uint64(key) * fibMul >> gshift
			for {
				s := &slots[p]
				if s.gid == 0 {
					nk := int32(len(keys))
					s.key, s.gid = key, nk+1
					rk[i] = nk
					keys = append(keys, T(key))
					break
				}
				if s.key == key {
					rk[i] = s.gid - 1
					break
				}
				p = p&^lo | (p+1)&lo
			}
		}
	}
	v := &coldata.Vec{Type: typ}
	switch k := any(keys).(type) {
	case []int32:
		v.I32 = k
	case []int64:
		v.I64 = k
	}
	pt.ikeys[q] = v
	pt.sinks[q] = sink // keeps the prefetch loads; one slot per partition
	return rowKey, len(keys), nil
}

// writeCSR writes a partition's rows (global rows at.., local key ids
// rowKey, nk of them) grouped by key into jt's global arrays: start at
// [kbase, kbase+nk), rowIdx at [at, at+len(rowKey)).
func writeCSR(jt *joinTable, rowKey []int32, nk, kbase, at int) {
	nq := len(rowKey)
	cnt := make([]int32, nk+1)
	for _, g := range rowKey {
		cnt[g+1]++
	}
	for g := 1; g <= nk; g++ {
		cnt[g] += cnt[g-1]
	}
	start, rowIdx := jt.start[kbase:kbase+nk], jt.rowIdx[at:at+nq]
	b := int32(at)
	for g := range start {
		start[g] = b + cnt[g]
	}
	for i, g := range rowKey {
		rowIdx[cnt[g]] = b + int32(i)
		cnt[g]++
	}
}

// buildPartTable hashes one partition's rows [from, to) of cols (no NULL
// keys) on the general path; it returns the table and each row's key id.
func buildPartTable(ctx context.Context, cols []*coldata.Vec, from, to int, keys []int, kt []coldata.Type) (*groupTable, []int32, error) {
	nq := to - from
	t := newGroupTableSized(kt, false, nq)
	rowKey := make([]int32, nq)
	views := make([]*coldata.Vec, len(keys))
	for lo := from; lo < to; lo += coldata.DefaultBatchSize {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		hi := min(to, lo+coldata.DefaultBatchSize)
		for i, c := range keys {
			views[i] = sliceVec(views[i], cols[c], lo, hi)
		}
		t.insert(views, hi-lo, nil, rowKey[lo-from:hi-from])
	}
	t.hashes = nil // only inserts rehash from them
	return t, rowKey, nil
}

// partKeys concatenates column c of every partition's distinct keys, for
// the runtime filters.
func (pt *partTables) keys(c int) (*coldata.Vec, int) {
	var v *coldata.Vec
	n := 0
	if pt.intKey {
		if c != 0 {
			return nil, 0
		}
		for _, k := range pt.ikeys {
			if v == nil {
				v = coldata.NewVec(k.Type, 0)
			}
			appendVec(v, k, nil, k.Len())
			n += k.Len()
		}
		return v, n
	}
	for _, t := range pt.tabs {
		if c >= len(t.keys) {
			return nil, 0
		}
		if v == nil {
			v = coldata.NewVec(t.keys[c].Type, 0)
		}
		appendVec(v, t.keys[c], nil, t.n)
		n += t.n
	}
	return v, n
}
