package exec

import (
	"hash/maphash"
	"math"
	"math/bits"
	"slices"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// groupTable maps composite keys to dense ids 0..n-1 and stores each
// distinct key once, columnar, in keys. Hash aggregation uses the ids to
// index its accumulators, the join build to index its row lists, DISTINCT
// aggregates to deduplicate (group, value) pairs.
//
// Work is done a batch at a time: a hash column is computed over typed slices
// one key column per pass, then rows probe an open-addressing table whose
// slots hold 32 hash bits and the id; candidate matches are verified column by
// column over the whole batch (DuckDB's FindOrCreateGroups), and rows whose
// candidate was a false positive probe on in the next round. A single integer
// key, the common case (order keys, part keys), takes a one-pass path whose
// slots hold the key itself, so a probe costs one cache miss and no re-check.
type groupTable struct {
	types []coldata.Type
	// nullsEqual: GROUP BY semantics, NULL keys form a group. Otherwise (join
	// keys, DISTINCT values) a row with any NULL key is never inserted nor
	// found and gets id -1.
	nullsEqual bool

	keys     []*coldata.Vec // distinct keys, length n
	hashes   []uint64       // per id; general path only
	n        int
	strBytes int64 // string contents of keys, for bytes() without a walk

	intKey  bool
	islots  []intSlot
	shift   uint  // int path: slot = key*fib >> shift
	nullGID int32 // id of the NULL key on the int path, -1 until seen

	slots []uint64 // general path: hash>>32<<32 | id+1, 0 = empty
	mask  uint64

	// Packed keys (hashtable_packed.go): tryPack until the first batch
	// decides; packed, when set, looks keys up by their packed integer in
	// islots.
	tryPack bool
	packed  *keyPacker

	sc tableScratch // for insert; concurrent finds bring their own
}

// tableScratch holds per-batch buffers. A finished table is probed by many
// goroutines at once (join probes), each with its own scratch.
type tableScratch struct {
	hbuf, pos        []uint64
	rows, next, cmps []int32
	fresh            []int32
	mism, nullRow    []bool
	// sink receives the prefetch pass's loads so the compiler keeps them;
	// per scratch, so concurrent probes never write shared memory.
	sink uint32
}

type intSlot struct {
	key int64
	gid int32 // id+1; 0 = empty
}

const minTableSlots = 64

func newGroupTable(types []coldata.Type, nullsEqual bool) *groupTable {
	return newGroupTableSized(types, nullsEqual, 0)
}

// newGroupTableSized sizes the table for about expected keys up front, which
// saves the rehashing of every doubling when the caller knows (join builds).
func newGroupTableSized(types []coldata.Type, nullsEqual bool, expected int) *groupTable {
	t := &groupTable{types: types, nullsEqual: nullsEqual, keys: newVecs(types), nullGID: -1,
		tryPack: nullsEqual && packable(types)}
	size := minTableSlots
	for size < 2*expected {
		size *= 2
	}
	if len(types) == 1 && isIntKey(types[0]) {
		t.intKey = true
		t.islots = make([]intSlot, size)
		t.shift = 64 - uint(bits.TrailingZeros(uint(size)))
	} else {
		t.slots = make([]uint64, size)
	}
	t.mask = uint64(size - 1)
	return t
}

// reset drops every key, keeping the slots' and key columns' storage for
// the next keys (a partial aggregate that flushed its groups).
func (t *groupTable) reset() {
	t.n, t.strBytes, t.nullGID = 0, 0, -1
	clear(t.islots)
	clear(t.slots)
	t.hashes = t.hashes[:0]
	for _, v := range t.keys {
		clear(v.Str)
		v.B, v.I32, v.I64, v.F64, v.Str = v.B[:0], v.I32[:0], v.I64[:0], v.F64[:0], v.Str[:0]
		v.Nulls = nil
	}
}

// reserveKeys gives the key columns (and hashes) room for n keys, so that a
// table whose size is known up front never copies them to grow.
func (t *groupTable) reserveKeys(n int) {
	for _, v := range t.keys {
		switch v.Type.ID {
		case coldata.Bool:
			v.B = slices.Grow(v.B, n)
		case coldata.Int32, coldata.Date:
			v.I32 = slices.Grow(v.I32, n)
		case coldata.Int64, coldata.Decimal, coldata.Timestamp:
			v.I64 = slices.Grow(v.I64, n)
		case coldata.Float64:
			v.F64 = slices.Grow(v.F64, n)
		case coldata.String:
			v.Str = slices.Grow(v.Str, n)
		case coldata.Hugeint:
			v.I128 = slices.Grow(v.I128, n)
		}
	}
	if !t.intKey {
		t.hashes = slices.Grow(t.hashes, n)
	}
}

func isIntKey(t coldata.Type) bool {
	switch t.ID {
	case coldata.Int32, coldata.Date, coldata.Int64, coldata.Decimal, coldata.Timestamp:
		return true
	}
	return false
}

// sameKeyClass reports whether keys of types a and b can be compared by the
// table: identical physical storage, or two integer widths on the int path.
func sameKeyClass(a, b coldata.Type) bool {
	if isIntKey(a) && isIntKey(b) {
		return true
	}
	return a.ID == b.ID
}

var hashSeed = maphash.MakeSeed()

const nullKeyHash uint64 = 0x5bd1e9955bd1e995

// mix64 is murmur3's finaliser: every input bit affects every output bit, so
// both the low bits (slot) and the high bits (tag) are usable.
func mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

func combine(h, x uint64) uint64 { return mix64(bits.RotateLeft64(h, 27) ^ x) }

// fibSlot is the int path's hash: Fibonacci hashing takes the top bits of
// one multiply, which spreads sequential and strided keys alike and costs a
// third of mix64. No tag is stored, so the low bits need not be good.
func fibSlot(key int64, shift uint) uint64 { return uint64(key) * 0x9E3779B97F4A7C15 >> shift }

// hashKeys computes the hash of the first n rows of keys into sc.hbuf.
func hashKeys(keys []*coldata.Vec, n int, sc *tableScratch) []uint64 {
	sc.hbuf = coldata.Grow(sc.hbuf, n)
	h := sc.hbuf
	for c, v := range keys {
		hashVec(h, v, c == 0)
	}
	if degradeHashForTest {
		for k := range h {
			h[k] &= 7
		}
	}
	return h
}

// degradeHashForTest makes all general-path keys collide into 8 hash values
// so tests exercise verification and long probe sequences.
var degradeHashForTest = false

// hashVec folds the first len(h) values of v into h (initialising h when
// first). Integers of both widths hash alike so Int32 and Int64 keys agree.
func hashVec(h []uint64, v *coldata.Vec, first bool) {
	n := len(h)
	var nulls []bool
	if v.Nulls != nil {
		nulls = v.Nulls[:n]
	}
	switch v.Type.ID {
	case coldata.Int32, coldata.Date:
		hashInts(h, v.I32[:n], nulls, first)
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		hashInts(h, v.I64[:n], nulls, first)
	case coldata.Float64:
		for k, f := range v.F64[:n] {
			if f == 0 {
				f = 0 // -0 and +0 are one key
			}
			u := math.Float64bits(f)
			if f != f {
				u = 0x7ff8000000000001
			}
			if nulls != nil && nulls[k] {
				u = nullKeyHash
			}
			h[k] = hashStep(h[k], u, first)
		}
	case coldata.Bool:
		for k, b := range v.B[:n] {
			u := uint64(0)
			if b {
				u = 1
			}
			if nulls != nil && nulls[k] {
				u = nullKeyHash
			}
			h[k] = hashStep(h[k], u, first)
		}
	case coldata.String:
		for k, s := range v.Str[:n] {
			var u uint64
			if nulls != nil && nulls[k] {
				u = nullKeyHash
			} else {
				u = strHash(s)
			}
			h[k] = hashStep(h[k], u, first)
		}
	case coldata.Hugeint:
		for k, x := range v.I128[:n] {
			u := x.Lo ^ bits.RotateLeft64(uint64(x.Hi), 29)*0x9e3779b97f4a7c15
			if nulls != nil && nulls[k] {
				u = nullKeyHash
			}
			h[k] = hashStep(h[k], u, first)
		}
	default: // Unknown: all NULL
		for k := range h {
			h[k] = hashStep(h[k], nullKeyHash, first)
		}
	}
}

// strHash hashes a string key. Short strings, the usual grouping keys
// (flags, codes, names of few values), are loaded as integers and mixed, far
// cheaper than a call into maphash; the load is injective for a given
// length, which the mix also takes in.
func strHash(s string) uint64 {
	n := len(s)
	var u uint64
	switch {
	case n > 8:
		return maphash.String(hashSeed, s)
	case n >= 4:
		u = uint64(le32(s)) | uint64(le32(s[n-4:]))<<32
	case n > 0:
		u = uint64(s[0]) | uint64(s[n>>1])<<8 | uint64(s[n-1])<<16
	}
	return mix64(u^uint64(n)<<59) ^ strHashSalt
}

// strHashSalt keeps short-string hashes apart from those of integer keys
// with the same bits (a union of both never shares a table, but the salt
// costs nothing).
const strHashSalt = 0x2545f4914f6cdd1d

func le32(s string) uint32 {
	_ = s[3]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

func hashStep(h, u uint64, first bool) uint64 {
	if first {
		return mix64(u)
	}
	return combine(h, u)
}

func hashInts[T int32 | int64](h []uint64, vals []T, nulls []bool, first bool) {
	vals = vals[:len(h)]
	switch {
	case nulls == nil && first:
		for k, x := range vals {
			h[k] = mix64(uint64(int64(x)))
		}
	case nulls == nil:
		for k, x := range vals {
			h[k] = combine(h[k], uint64(int64(x)))
		}
	default:
		nulls = nulls[:len(h)]
		for k, x := range vals {
			u := uint64(int64(x))
			if nulls[k] {
				u = nullKeyHash
			}
			h[k] = hashStep(h[k], u, first)
		}
	}
}

// insert maps the first n rows of keys (dense, of the table's key types) to
// ids in gids[:n], creating ids for unseen keys. hashes, when non-nil, are
// the rows' precomputed hashes (used when merging tables). It returns the
// rows that created an id, in creation order; the slice is scratch.
func (t *groupTable) insert(keys []*coldata.Vec, n int, hashes []uint64, gids []int32) []int32 {
	if t.tryPack {
		t.tryPack = false
		if pk := newKeyPacker(keys, n); pk != nil {
			t.packed = pk
			t.islots = make([]intSlot, len(t.slots))
			t.shift = 64 - uint(bits.TrailingZeros(uint(len(t.slots))))
			t.slots = nil
		}
	}
	if t.packed != nil {
		if t.insertPacked(keys, n, gids) {
			return t.sc.fresh
		}
		t.unpack()
	}
	if t.intKey {
		t.sc.fresh = t.sc.fresh[:0]
		v := keys[0]
		if v.Type.ID == coldata.Int32 || v.Type.ID == coldata.Date {
			insertInts(t, v.I32[:n], v.Nulls, gids)
		} else {
			insertInts(t, v.I64[:n], v.Nulls, gids)
		}
		return t.sc.fresh
	}
	return t.probe(keys, n, hashes, gids, true, &t.sc)
}

// find maps the first n rows of keys to existing ids, -1 when absent. It
// does not modify the table: any number of goroutines may call it at once,
// each with its own scratch.
func (t *groupTable) find(keys []*coldata.Vec, n int, gids []int32, sc *tableScratch) {
	if t.intKey {
		v := keys[0]
		if v.Type.ID == coldata.Int32 || v.Type.ID == coldata.Date {
			findInts(t, v.I32[:n], v.Nulls, gids, sc)
		} else {
			findInts(t, v.I64[:n], v.Nulls, gids, sc)
		}
		return
	}
	t.probe(keys, n, nil, gids, false, sc)
}

// prefetchMinSlots is the table size (slots, 16 bytes each) from which
// probes first touch all their slots in a separate pass: those loads are
// independent, so the CPU overlaps their cache misses instead of taking them
// one probe at a time. Measured ~15% faster at 1M groups, no gain while the
// table fits in cache, hence the threshold.
const prefetchMinSlots = 1 << 20

// prefetchInts touches the slot of every key of vals and returns a value
// derived from the loads, which the caller stores in its scratch's sink.
func prefetchInts[T int32 | int64](slots []intSlot, vals []T, shift uint) uint32 {
	var s uint32
	for _, x := range vals {
		s += uint32(slots[fibSlot(int64(x), shift)].gid)
	}
	return s
}

func insertInts[T int32 | int64](t *groupTable, vals []T, nulls []bool, gids []int32) {
	gids = gids[:len(vals)]
	slots, mask, shift := t.islots, t.mask, t.shift
	if len(slots) >= prefetchMinSlots {
		t.sc.sink += prefetchInts(slots, vals, shift)
	}
	// Runs of equal keys (input clustered by the key: lineitem by order)
	// reuse the previous row's id without probing.
	lastKey, lastGid := int64(0), int32(-1)
	for k, x := range vals {
		if nulls != nil && nulls[k] {
			gids[k] = t.nullGroup(k)
			continue
		}
		key := int64(x)
		if key == lastKey && lastGid >= 0 {
			gids[k] = lastGid
			continue
		}
		p := fibSlot(key, shift)
		for {
			s := &slots[p]
			if s.gid == 0 {
				gid := t.newIntGroup(key, k)
				s.key, s.gid = key, gid+1
				gids[k] = gid
				if 2*t.n > len(slots) {
					t.growInt()
					slots, mask, shift = t.islots, t.mask, t.shift
				}
				break
			}
			if s.key == key {
				gids[k] = s.gid - 1
				break
			}
			p = (p + 1) & mask
		}
		lastKey, lastGid = key, gids[k]
	}
}

func findInts[T int32 | int64](t *groupTable, vals []T, nulls []bool, gids []int32, sc *tableScratch) {
	gids = gids[:len(vals)]
	slots, mask, shift := t.islots, t.mask, t.shift
	if len(slots) >= prefetchMinSlots {
		sc.sink += prefetchInts(slots, vals, shift)
	}
	// Runs of equal keys reuse the previous row's answer.
	lastKey, lastGid, have := int64(0), int32(-1), false
	for k, x := range vals {
		if nulls != nil && nulls[k] {
			gids[k] = -1
			if t.nullsEqual {
				gids[k] = t.nullGID
			}
			continue
		}
		key := int64(x)
		if key == lastKey && have {
			gids[k] = lastGid
			continue
		}
		p := fibSlot(key, shift)
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
			p = (p + 1) & mask
		}
		gids[k] = g
		lastKey, lastGid, have = key, g, true
	}
}

func (t *groupTable) newIntGroup(key int64, row int) int32 {
	gid := int32(t.n)
	t.n++
	v := t.keys[0]
	if v.Type.ID == coldata.Int32 || v.Type.ID == coldata.Date {
		v.I32 = append(v.I32, int32(key))
	} else {
		v.I64 = append(v.I64, key)
	}
	if v.Nulls != nil {
		v.Nulls = append(v.Nulls, false)
	}
	t.sc.fresh = append(t.sc.fresh, int32(row))
	return gid
}

func (t *groupTable) nullGroup(row int) int32 {
	if !t.nullsEqual {
		return -1
	}
	if t.nullGID < 0 {
		t.nullGID = t.newIntGroup(0, row)
		v := t.keys[0]
		v.EnsureNulls()[t.nullGID] = true
	}
	return t.nullGID
}

func (t *groupTable) growInt() {
	old := t.islots
	t.islots = make([]intSlot, 2*len(old))
	t.mask = uint64(len(t.islots) - 1)
	t.shift--
	for _, s := range old {
		if s.gid == 0 {
			continue
		}
		p := fibSlot(s.key, t.shift)
		for t.islots[p].gid != 0 {
			p = (p + 1) & t.mask
		}
		t.islots[p] = s
	}
}

// reserve sizes the general table so that extra more ids keep the load
// factor at most 1/2; done per batch so probing rounds never see a resize.
func (t *groupTable) reserve(extra int) {
	need := 2 * (t.n + extra)
	if need <= len(t.slots) {
		return
	}
	size := len(t.slots)
	for size < need {
		size *= 2
	}
	t.slots = make([]uint64, size)
	t.mask = uint64(size - 1)
	for gid, h := range t.hashes[:t.n] {
		p := h & t.mask
		for t.slots[p] != 0 {
			p = (p + 1) & t.mask
		}
		t.slots[p] = h>>32<<32 | uint64(gid+1)
	}
}

// probe is the general path of insert (create true) and find.
func (t *groupTable) probe(keys []*coldata.Vec, n int, hashes []uint64, gids []int32, create bool, sc *tableScratch) []int32 {
	if create {
		t.reserve(n)
	}
	if hashes == nil {
		hashes = hashKeys(keys, n, sc)
	}
	sc.pos = coldata.Grow(sc.pos, n)
	sc.mism = coldata.Grow(sc.mism, n)
	pos, mask := sc.pos, t.mask
	rows := sc.rows[:0]
	skip := t.nullRows(keys, n, sc)
	for k := 0; k < n; k++ {
		if skip != nil && skip[k] {
			gids[k] = -1
			continue
		}
		rows = append(rows, int32(k))
		pos[k] = hashes[k] & mask
	}
	sc.fresh = sc.fresh[:0]
	next := sc.next[:0]
	for len(rows) > 0 {
		cmps := sc.cmps[:0]
		start := len(sc.fresh)
		for _, k := range rows {
			h := hashes[k]
			tag := h >> 32
			p := pos[k]
			for {
				s := t.slots[p]
				if s == 0 {
					if !create {
						gids[k] = -1
						break
					}
					gid := int32(t.n)
					t.n++
					t.hashes = append(t.hashes, h)
					t.slots[p] = tag<<32 | uint64(gid+1)
					gids[k] = gid
					sc.fresh = append(sc.fresh, k)
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
		// New keys are stored before verification so that later rows of the
		// same batch that landed on them compare against real values.
		if added := sc.fresh[start:]; len(added) > 0 {
			for c, kv := range keys {
				appendVec(t.keys[c], kv, added, len(added))
				if kv.Type.ID == coldata.String {
					for _, k := range added {
						t.strBytes += int64(len(kv.Str[k]))
					}
				}
			}
		}
		for _, k := range cmps {
			sc.mism[k] = false
		}
		for c, kv := range keys {
			eqCol(t.keys[c], kv, cmps, gids, sc.mism)
		}
		next = next[:0]
		for _, k := range cmps {
			if sc.mism[k] {
				gids[k] = -1
				pos[k] = (pos[k] + 1) & mask
				next = append(next, k)
			}
		}
		sc.cmps = cmps
		rows, next = next, rows
	}
	sc.rows, sc.next = rows, next
	return sc.fresh
}

// nullRows marks rows with a NULL in any key when NULL keys are excluded;
// nil when there are none to exclude.
func (t *groupTable) nullRows(keys []*coldata.Vec, n int, sc *tableScratch) []bool {
	if t.nullsEqual {
		return nil
	}
	var out []bool
	for _, v := range keys {
		if v.Nulls == nil && v.Type.ID != coldata.Unknown {
			continue
		}
		if out == nil {
			sc.nullRow = coldata.Grow(sc.nullRow, n)
			out = sc.nullRow
			clear(out)
		}
		if v.Type.ID == coldata.Unknown {
			for k := range out {
				out[k] = true
			}
			continue
		}
		for k, isNull := range v.Nulls[:n] {
			if isNull {
				out[k] = true
			}
		}
	}
	return out
}

// eqCol sets mism[k] for rows k whose value differs from group gids[k]'s key.
func eqCol(g, b *coldata.Vec, rows, gids []int32, mism []bool) {
	gn, bn := g.Nulls, b.Nulls
	switch g.Type.ID {
	case coldata.Int32, coldata.Date:
		eqTyped(g.I32, b.I32, gn, bn, rows, gids, mism)
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		eqTyped(g.I64, b.I64, gn, bn, rows, gids, mism)
	case coldata.String:
		eqTyped(g.Str, b.Str, gn, bn, rows, gids, mism)
	case coldata.Hugeint:
		eqTyped(g.I128, b.I128, gn, bn, rows, gids, mism)
	case coldata.Bool:
		eqTyped(g.B, b.B, gn, bn, rows, gids, mism)
	case coldata.Float64:
		for _, k := range rows {
			gi := gids[k]
			gNull, bNull := gn != nil && gn[gi], bn != nil && bn[k]
			x, y := g.F64[gi], b.F64[k]
			if gNull != bNull || (!gNull && x != y && (x == x || y == y)) {
				mism[k] = true
			}
		}
	}
}

func eqTyped[T comparable](gv, bv []T, gn, bn []bool, rows, gids []int32, mism []bool) {
	if gn == nil && bn == nil {
		for _, k := range rows {
			if gv[gids[k]] != bv[k] {
				mism[k] = true
			}
		}
		return
	}
	for _, k := range rows {
		gi := gids[k]
		gNull, bNull := gn != nil && gn[gi], bn != nil && bn[k]
		if gNull != bNull || (!gNull && gv[gi] != bv[k]) {
			mism[k] = true
		}
	}
}

func (t *groupTable) bytes() int64 {
	return colsBytes(t.keys, t.strBytes) + 8*int64(cap(t.hashes)) + 16*int64(cap(t.islots)) + 8*int64(cap(t.slots))
}

// growthBytes bounds what inserting up to extra new keys may allocate before
// the table is next accounted: a rehash holds the old and the new slot arrays
// at once, and full key columns double. Reserving it first keeps a growing
// table inside the memory limit instead of overshooting it by a doubling.
func (t *groupTable) growthBytes(extra int) int64 {
	var b int64
	need := 2 * (t.n + extra)
	if t.intKey || t.packed != nil {
		if need > len(t.islots) {
			b += 16 * 2 * int64(len(t.islots))
		}
	} else if need > len(t.slots) {
		size := max(len(t.slots), 1)
		for size < need {
			size *= 2
		}
		b += 8 * int64(size)
	}
	if len(t.keys) > 0 && t.n+extra > vecCap(t.keys[0]) {
		b += colsBytes(t.keys, 0) + 8*int64(cap(t.hashes))
	}
	return b
}

// vecCap is the number of values v's storage holds without growing.
func vecCap(v *coldata.Vec) int {
	switch {
	case v.I64 != nil:
		return cap(v.I64)
	case v.I32 != nil:
		return cap(v.I32)
	case v.Str != nil:
		return cap(v.Str)
	case v.F64 != nil:
		return cap(v.F64)
	case v.B != nil:
		return cap(v.B)
	}
	return 0
}

// hashOf returns the hash of group g's key: the stored hash on the general
// path, the int path's mix64 of the key otherwise. Spilling partitions
// groups by its top bits.
func (t *groupTable) hashOf(g int) uint64 {
	switch {
	case !t.intKey:
		return t.hashes[g]
	case t.keys[0].IsNull(g):
		return nullKeyHash
	case t.keys[0].I32 != nil:
		return mix64(uint64(int64(t.keys[0].I32[g])))
	}
	return mix64(uint64(t.keys[0].I64[g]))
}
