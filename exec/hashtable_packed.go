package exec

import (
	"math/bits"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Packed group keys. Grouping by a few short strings, booleans or small
// integers (TPC-H Q1 groups by two one-letter flags, Q12 by a ship mode)
// on the general path hashes every key column of every row and verifies
// candidates column by column, strings by memory comparison. When every
// key of a batch fits, the table instead packs each row's keys into one
// 64-bit integer — a string as its bytes and length, an integer as its
// offset from a base, a boolean as a bit, each with a NULL flag — and looks
// the integer up on the single-integer path: one multiply, one probe, one
// comparison. The key columns and per-group hashes are still kept as on
// the general path (output, spilling and partitioning read them), and the
// layout is fixed by the first batch: a later key that does not fit (a
// longer string, an integer out of range) turns the table into a general
// one, rebuilt from the stored hashes, with the same group ids.

// packCol is one key column's place in the packed integer.
type packCol struct {
	id    coldata.TypeID
	shift uint  // bits below this column's field
	width uint  // bits of the field, NULL flag included
	maxN  int   // strings: longest length that fits
	base  int64 // integers: the value packed as 0
	span  int64 // integers: values base..base+span-1 fit
}

// keyPacker is a packed layout.
type keyPacker struct {
	cols []packCol
	buf  []uint64
	ok   bool
}

const maxPackBits = 63 // bit 63 stays clear: packed keys are non-negative

// packable reports whether tables with these key types may pack: several
// columns, or one that is not an integer (a lone integer key already takes
// the integer path), all strings, booleans or 32-bit integers.
func packable(types []coldata.Type) bool {
	if len(types) == 1 && isIntKey(types[0]) {
		return false
	}
	for _, t := range types {
		switch t.ID {
		case coldata.String, coldata.Bool, coldata.Int32, coldata.Date:
		default:
			return false
		}
	}
	return true
}

// newKeyPacker fits a layout to the first n rows of keys (dense); nil when
// they would not fit in 63 bits.
func newKeyPacker(keys []*coldata.Vec, n int) *keyPacker {
	pk := &keyPacker{cols: make([]packCol, len(keys))}
	var used uint
	for c, v := range keys {
		pc := packCol{id: v.Type.ID}
		switch v.Type.ID {
		case coldata.String:
			longest := 0
			for _, s := range v.Str[:n] {
				longest = max(longest, len(s))
			}
			longest = max(longest, 1)
			if longest > 7 {
				return nil
			}
			pc.maxN = longest
			pc.width = 8*uint(longest) + uint(bits.Len(uint(longest))) + 1
		case coldata.Bool:
			pc.width = 2
		case coldata.Int32, coldata.Date:
			lo, hi := int64(0), int64(0)
			for k, x := range v.I32[:n] {
				if k == 0 || int64(x) < lo {
					lo = int64(x)
				}
				if k == 0 || int64(x) > hi {
					hi = int64(x)
				}
			}
			// Room for four times the range seen, centred on it.
			span := max(4*(hi-lo+1), 16)
			pc.base = lo - (span-(hi-lo+1))/2
			pc.width = uint(bits.Len64(uint64(span))) + 1
			pc.span = int64(1)<<(pc.width-1) - 1
		default:
			return nil
		}
		pc.shift = used
		used += pc.width
		if used > maxPackBits {
			return nil
		}
		pk.cols[c] = pc
	}
	return pk
}

// pack packs the first n rows of keys into pk.buf; false when some key
// does not fit the layout.
func (pk *keyPacker) pack(keys []*coldata.Vec, n int) bool {
	pk.buf = coldata.Grow(pk.buf, n)
	out := pk.buf[:n]
	clear(out)
	for c, v := range keys {
		pc := &pk.cols[c]
		var nulls []bool
		if v.Nulls != nil {
			nulls = v.Nulls[:n]
		}
		null := uint64(1) << (pc.shift + pc.width - 1)
		switch pc.id {
		case coldata.String:
			if !packStrings(out, v.Str[:n], nulls, pc, null) {
				return false
			}
		case coldata.Bool:
			for k, b := range v.B[:n] {
				switch {
				case nulls != nil && nulls[k]:
					out[k] |= null
				case b:
					out[k] |= 1 << pc.shift
				}
			}
		case coldata.Int32, coldata.Date:
			for k, x := range v.I32[:n] {
				if nulls != nil && nulls[k] {
					out[k] |= null
					continue
				}
				d := int64(x) - pc.base
				if d < 0 || d >= pc.span {
					return false
				}
				out[k] |= uint64(d) << pc.shift
			}
		default:
			return false
		}
	}
	return true
}

// insertPacked is insert on a packed table; false (nothing inserted) when
// the batch does not fit its layout.
func (t *groupTable) insertPacked(keys []*coldata.Vec, n int, gids []int32) bool {
	pk := t.packed
	if !pk.pack(keys, n) {
		return false
	}
	t.sc.fresh = t.sc.fresh[:0]
	slots, mask, shift := t.islots, t.mask, t.shift
	for k, u := range pk.buf[:n] {
		key := int64(u)
		p := fibSlot(key, shift)
		for {
			s := &slots[p]
			if s.gid == 0 {
				gid := int32(t.n)
				t.n++
				s.key, s.gid = key, gid+1
				gids[k] = gid
				t.sc.fresh = append(t.sc.fresh, int32(k))
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
	}
	if fresh := t.sc.fresh; len(fresh) > 0 {
		// The new groups' keys and hashes, as the general path keeps them.
		from := len(t.hashes)
		for c, kv := range keys {
			appendVec(t.keys[c], kv, fresh, len(fresh))
			if kv.Type.ID == coldata.String {
				for _, k := range fresh {
					t.strBytes += int64(len(kv.Str[k]))
				}
			}
		}
		views := make([]*coldata.Vec, len(t.keys))
		for c, v := range t.keys {
			views[c] = sliceVec(nil, v, from, t.n)
		}
		t.hashes = append(t.hashes, hashKeys(views, t.n-from, &t.sc)...)
	}
	return true
}

// unpack turns a packed table into a general one with the same ids: the
// general slots are rebuilt from the stored hashes.
func (t *groupTable) unpack() {
	t.packed = nil
	t.islots = nil
	size := minTableSlots
	for size < 2*max(t.n, 1) {
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

// packStrings packs one string column: its length in the low bits, then
// its bytes.
func packStrings(out []uint64, strs []string, nulls []bool, pc *packCol, null uint64) bool {
	lb := uint(bits.Len(uint(pc.maxN)))
	maxN, shift := pc.maxN, pc.shift
	out = out[:len(strs)]
	for k, s := range strs {
		if nulls != nil && nulls[k] {
			out[k] |= null
			continue
		}
		n := len(s)
		if n > maxN {
			return false
		}
		u := uint64(n)
		switch n {
		case 0:
		case 1:
			u |= uint64(s[0]) << lb
		default:
			for i := 0; i < n; i++ {
				u |= uint64(s[i]) << (lb + 8*uint(i))
			}
		}
		out[k] |= u << shift
	}
	return true
}
