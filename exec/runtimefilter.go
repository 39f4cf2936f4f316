package exec

import (
	"hash/maphash"
	"math/bits"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/scan"
)

// Runtime filters: when the build side of an inner or semi hash join is
// finished, each key column's range and a membership filter over its values
// (an IN list, an exact bitset or a bloom filter) are handed to the scan
// that feeds the probe key. The reader applies them as it applies the
// plan's predicates: row groups and pages by the range, dictionaries by
// either, and rows during late materialisation, so a row that cannot find
// a match is dropped before the scan's other columns are decoded.
// Filters are conservative: they may keep rows that do not match, never
// drop one that does. A NULL key never matches, so dropping NULLs is safe.
// With several keys each column gets its own filter over the values it
// takes in the build's keys: a probe row whose value in one key column
// appears in no build key cannot match, whatever its other columns hold.

// rtTarget is one probe key column that comes straight from a scan column.
type rtTarget struct {
	src     *ScanSource
	key     int // index into the join's keys
	fileCol int // the file column the scan reads for pos
	typ     coldata.Type
}

// Limits of the runtime filters.
const (
	rtMaxInList   = 64      // up to this many distinct keys become an IN list
	rtMaxDistinct = 1 << 20 // beyond this many keys only the range is used
	rtMaxBitset   = 1 << 26 // bits of an exact bitset over the key range
)

// rtKind reports whether runtime filters can carry values of build key
// type bt to a probe column of type pt.
func rtCompatible(pt, bt coldata.Type) bool {
	switch pt.ID {
	case coldata.Int32, coldata.Date, coldata.Timestamp, coldata.Decimal, coldata.String:
		return pt == bt
	case coldata.Int64:
		return bt.ID == coldata.Int64 || bt.ID == coldata.Int32
	}
	return false
}

// keySet is a membership filter: an exact bitset over [lo, lo+nbits) for
// integers with a narrow range, else a bloom filter over the key hash.
type keySet struct {
	isStr bool
	lo    int64
	nbits uint64
	bits  []uint64
	bloom bool
	mask  uint64 // bloom: number of bits - 1
}

var rtSeed = maphash.MakeSeed()

func (k *keySet) setBit(i uint64) { k.bits[i>>6] |= 1 << (i & 63) }
func (k *keySet) bit(i uint64) bool {
	return k.bits[i>>6]&(1<<(i&63)) != 0
}

func (k *keySet) addHash(h uint64) {
	k.setBit(h & k.mask)
	k.setBit((h >> 32) & k.mask)
}

func (k *keySet) hasHash(h uint64) bool {
	return k.bit(h&k.mask) && k.bit((h>>32)&k.mask)
}

func (k *keySet) hasInt(v int64) bool {
	if !k.bloom {
		d := uint64(v - k.lo)
		return v >= k.lo && d < k.nbits && k.bit(d)
	}
	return k.hasHash(mix64(uint64(v)))
}

func (k *keySet) hasStr(s string) bool { return k.hasHash(maphash.String(rtSeed, s)) }

// newBloom sizes a bloom filter at ~16 bits per key (2 probes: ~1.5% false
// positives), and at least 64 Kbit (8 KiB, in L1) for few keys.
func newBloom(n int) *keySet {
	nb := uint64(1) << bits.Len64(uint64(max(n, 4096))*16-1)
	return &keySet{bloom: true, mask: nb - 1, bits: make([]uint64, (nb+63)/64)}
}

// intVals returns the values of an integer-like vector as int64.
func vecInt(v *coldata.Vec, i int) int64 {
	if v.Type.ID == coldata.Int32 || v.Type.ID == coldata.Date {
		return int64(v.I32[i])
	}
	return v.I64[i]
}

// filter computes the predicates of target t (over its file column) from
// the distinct build keys (column t.key of the join table's key vectors, n
// of them): the range, then an IN list or a membership set.
func (t rtTarget) filter(keys *coldata.Vec, n int) []scan.Predicate {
	preds, set := t.filterSet(keys, n)
	if set != nil {
		preds = append(preds, scan.Predicate{Col: t.fileCol, Op: scan.OpInSet, Set: set})
	}
	return preds
}

func (t rtTarget) filterSet(keys *coldata.Vec, n int) (preds []scan.Predicate, set *keySet) {
	if n == 0 {
		return nil, nil
	}
	col := t.fileCol
	if keys.Type.ID == coldata.String {
		lo, hi := keys.Str[0], keys.Str[0]
		for _, s := range keys.Str[1:n] {
			lo, hi = min(lo, s), max(hi, s)
		}
		preds = []scan.Predicate{
			{Col: col, Op: scan.OpGe, Vals: []coldata.Datum{{S: lo}}},
			{Col: col, Op: scan.OpLe, Vals: []coldata.Datum{{S: hi}}},
		}
		if n <= rtMaxInList {
			vals := make([]coldata.Datum, n)
			for i, s := range keys.Str[:n] {
				vals[i] = coldata.Datum{S: s}
			}
			return append(preds, scan.Predicate{Col: col, Op: scan.OpIn, Vals: vals}), nil
		}
		if n > rtMaxDistinct {
			return preds, nil
		}
		set = newBloom(n)
		set.isStr = true
		for _, s := range keys.Str[:n] {
			set.addHash(maphash.String(rtSeed, s))
		}
		return preds, set
	}
	lo, hi := vecInt(keys, 0), vecInt(keys, 0)
	for i := 1; i < n; i++ {
		v := vecInt(keys, i)
		lo, hi = min(lo, v), max(hi, v)
	}
	preds = []scan.Predicate{
		{Col: col, Op: scan.OpGe, Vals: []coldata.Datum{{I: lo}}},
		{Col: col, Op: scan.OpLe, Vals: []coldata.Datum{{I: hi}}},
	}
	if lo == hi {
		return preds, nil
	}
	if n <= rtMaxInList {
		vals := make([]coldata.Datum, n)
		for i := range vals {
			vals[i] = coldata.Datum{I: vecInt(keys, i)}
		}
		return append(preds, scan.Predicate{Col: col, Op: scan.OpIn, Vals: vals}), nil
	}
	if n > rtMaxDistinct {
		return preds, nil
	}
	if span := uint64(hi - lo); span < rtMaxBitset && span/64 <= uint64(n) {
		set = &keySet{lo: lo, nbits: span + 1, bits: make([]uint64, (span+1+63)/64)}
		for i := 0; i < n; i++ {
			set.setBit(uint64(vecInt(keys, i) - lo))
		}
		return preds, set
	}
	set = newBloom(n)
	for i := 0; i < n; i++ {
		set.addHash(mix64(uint64(vecInt(keys, i))))
	}
	return preds, set
}

// runtimeState is the scan's predicates: the plan's and the runtime ones.
type runtimeState struct {
	all     []scan.Predicate // static then runtime, for the reader
	runtime []scan.Predicate // for row-group pruning after the static ones
	n       int              // filters added
}

// AddRuntimeFilter adds predicates (over file columns) that rows of the
// scan need not satisfy to be dropped safely: any row they rule out is known
// to be useless downstream. It must be called before the scan's workers
// take their first morsel to have full effect; later calls apply to later
// morsels.
func (s *ScanSource) AddRuntimeFilter(preds []scan.Predicate) {
	if len(preds) == 0 {
		return
	}
	s.rtMu.Lock()
	defer s.rtMu.Unlock()
	old := s.rt.Load()
	st := &runtimeState{}
	if old != nil {
		*st = *old
	} else {
		st.all = s.preds
	}
	st.all = append(append([]scan.Predicate{}, st.all...), preds...)
	st.runtime = append(append([]scan.Predicate{}, st.runtime...), preds...)
	st.n++
	s.rt.Store(st)
}

// Filter appends to out the rows of v (sel, or the first n) that may be in
// the set (scan.ValueSet).
func (k *keySet) Filter(v *coldata.Vec, sel []int32, n int, out []int32) []int32 {
	nulls := v.Nulls
	switch {
	case k.isStr:
		strs := v.Str
		for j := 0; j < n; j++ {
			i := j
			if sel != nil {
				i = int(sel[j])
			}
			if (nulls == nil || !nulls[i]) && k.hasHash(maphash.String(rtSeed, strs[i])) {
				out = append(out, int32(i))
			}
		}
	case v.Type.ID == coldata.Int32 || v.Type.ID == coldata.Date:
		out = filterInts(k, v.I32, nulls, sel, n, out)
	default:
		out = filterInts(k, v.I64, nulls, sel, n, out)
	}
	return out
}

func filterInts[T int32 | int64](k *keySet, vals []T, nulls []bool, sel []int32, n int, out []int32) []int32 {
	// Rows are selected without a branch per row (the row is written, the
	// count moves by the test): the rows a join keeps fall at random.
	base := len(out)
	out = coldata.Grow(out, base+n)
	o := out[base:]
	m := 0
	bitsv, lo, nbits, mask := k.bits, k.lo, k.nbits, k.mask
	row := func(j int) int {
		if sel != nil {
			return int(sel[j])
		}
		return j
	}
	if !k.bloom {
		if sel == nil && nulls == nil {
			vals = vals[:n]
			for i, x := range vals {
				d := uint64(int64(x) - lo)
				in := d < nbits
				d &= -uint64(b2i(in)) // 0 when out of range: bit 0 is read, then masked
				o[m] = int32(i)
				m += b2i(in) & int(bitsv[d>>6]>>(d&63)&1)
			}
			return out[:base+m]
		}
		for j := 0; j < n; j++ {
			i := row(j)
			d := uint64(int64(vals[i]) - lo)
			in := d < nbits && (nulls == nil || !nulls[i])
			d &= -uint64(b2i(in))
			o[m] = int32(i)
			m += b2i(in) & int(bitsv[d>>6]>>(d&63)&1)
		}
		return out[:base+m]
	}
	for j := 0; j < n; j++ {
		i := row(j)
		h := mix64(uint64(int64(vals[i])))
		a, c := h&mask, (h>>32)&mask
		hit := int(bitsv[a>>6]>>(a&63)&1) & int(bitsv[c>>6]>>(c&63)&1)
		if nulls != nil && nulls[i] {
			hit = 0
		}
		o[m] = int32(i)
		m += hit
	}
	return out[:base+m]
}
