package scan

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math/bits"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// leafData is one leaf of a nested column decoded for a whole row group:
// one repetition and definition level per entry, and the non-NULL values
// (entries whose level is the leaf's maximum) densely.
type leafData struct {
	def, rep []uint8
	vals     *coldata.Vec
}

// nestState reads one nested column of a row group: its leaves' chunks are
// decoded and assembled on the first read, then batches are cut from the
// assembled vector by top-level row.
type nestState struct {
	nc     *nestedCol
	want   []bool   // leaves to read (nil: all); the others read as NULL
	chunks [][]byte // per leaf
	codecs []int32
	nvals  []int64 // values declared by each leaf chunk's metadata
	rows   int64
	full   *coldata.Vec
	pos    int
	sel    []int32
}

// readNested delivers the next n rows of a nested column into v.
func (c *colState) readNested(v *coldata.Vec, n int, dec *decompressor) error {
	s := c.nest
	if s.full == nil {
		full, err := s.assemble(dec, c.stats)
		if err != nil {
			return err
		}
		s.full = full
	}
	if s.pos+n > s.full.Len() {
		return fmt.Errorf("internal: %d rows requested past the %d assembled", s.pos+n, s.full.Len())
	}
	s.sel = coldata.Grow(s.sel, n)
	for k := range s.sel {
		s.sel[k] = int32(s.pos + k)
	}
	v.Resize(n)
	v.CopyFrom(s.full, s.sel, n, 0)
	s.pos += n
	c.left -= int64(n)
	c.row += int64(n)
	return nil
}

// skipNested advances a nested column to row target.
func (c *colState) skipNested(target int64) {
	if target > c.row {
		c.nest.pos += int(target - c.row)
		c.left -= target - c.row
		c.row = target
	}
}

func (s *nestState) assemble(dec *decompressor, stats *ReaderStats) (*coldata.Vec, error) {
	data := make([]leafData, len(s.nc.leaves))
	for i, l := range s.nc.leaves {
		if s.want != nil && !s.want[i] {
			continue
		}
		d, err := decodeLeaf(l, s.chunks[i], s.codecs[i], s.nvals[i], s.rows, dec, stats)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", leafPath(s.nc, i), err)
		}
		data[i] = d
		s.chunks[i] = nil
	}
	a := assembler{data: data, want: s.want, rows: s.rows}
	v, err := a.build(s.nc.root, 0, 0)
	if err != nil {
		return nil, err
	}
	if int64(v.Len()) != s.rows {
		return nil, fmt.Errorf("levels describe %d rows, row group has %d", v.Len(), s.rows)
	}
	return v, nil
}

func leafPath(nc *nestedCol, i int) string {
	var path string
	var walk func(n *nestNode, p string) bool
	walk = func(n *nestNode, p string) bool {
		if p != "" {
			p += "."
		}
		p += n.name
		if n.kind == nkLeaf {
			if n == nc.leaves[i] {
				path = p
				return true
			}
			return false
		}
		for _, ch := range n.children {
			if walk(ch, p) {
				return true
			}
		}
		return false
	}
	walk(nc.root, "")
	return path
}

// A chunk's levels are bounded by what its pages plausibly hold: RLE can
// describe millions of NULLs in a few bytes (one level per row), but beyond
// the row group's rows every level costs bits of page data. A corrupt
// header must not make us allocate gigabytes.
const (
	levelsPerByte = 64
	maxPageLevels = 1 << 27
)

// decodeLeaf decodes every page of a leaf's column chunk.
func decodeLeaf(l *nestNode, chunk []byte, codec int32, numValues, rows int64, dec *decompressor, stats *ReaderStats) (leafData, error) {
	c := &colState{name: l.name, li: l.li, typ: l.typ, codec: codec, chunk: chunk, left: 1 << 62, stats: stats}
	var out leafData
	out.vals = coldata.NewVec(l.typ, 0)
	nv := 0
	var total, pageBytes int64
	var scratch []uint32
	for len(c.chunk) > 0 {
		h, hl, err := decodePageHeader(c.chunk)
		if err != nil {
			return out, err
		}
		body := c.chunk[hl:]
		if int64(h.compressedSize) > int64(len(body)) || h.compressedSize < 0 {
			return out, fmt.Errorf("page of %d bytes runs past the end of the column chunk (%d bytes left)", h.compressedSize, len(body))
		}
		body = body[:h.compressedSize]
		c.chunk = c.chunk[hl+int(h.compressedSize):]
		if h.hasCRC && crc32.ChecksumIEEE(body) != uint32(h.crc) {
			return out, crcError(h.typ, len(body), -1)
		}
		switch h.typ {
		case pageDictionary:
			if c.seenData || c.dict != nil {
				return out, errors.New("dictionary page after the first page")
			}
			if err := c.loadDict(&h, body, dec); err != nil {
				return out, fmt.Errorf("dictionary page: %w", err)
			}
			continue
		case pageData, pageDataV2:
		default:
			continue
		}
		c.seenData = true
		n := int(h.numValues)
		if n < 0 || total+int64(n) > numValues {
			return out, fmt.Errorf("pages hold more than the %d values the column chunk declares", numValues)
		}
		if n == 0 {
			continue
		}
		pageBytes += int64(max(h.uncompressedSize, h.compressedSize, 0))
		if n > maxPageLevels || total+int64(n) > rows+levelsPerByte*pageBytes+4096 {
			return out, fmt.Errorf("pages declare %d values in %d bytes for %d rows", total+int64(n), pageBytes, rows)
		}
		off := len(out.def)
		out.def = append(out.def, make([]uint8, n)...)
		out.rep = append(out.rep, make([]uint8, n)...)
		defs, reps := out.def[off:], out.rep[off:]
		scratch = coldata.Grow(scratch, min(n, 4096))
		var rest []byte
		if h.typ == pageDataV2 {
			if h.repLen < 0 || h.defLen < 0 || int64(h.repLen)+int64(h.defLen) > int64(len(body)) {
				return out, errors.New("data page v2 levels run past the page")
			}
			lv := int(h.repLen) + int(h.defLen)
			if err := decodeLevelsRLE(reps, body[:h.repLen], l.maxRep, scratch); err != nil {
				return out, fmt.Errorf("repetition levels: %w", err)
			}
			if err := decodeLevelsRLE(defs, body[h.repLen:lv], l.maxDef, scratch); err != nil {
				return out, fmt.Errorf("definition levels: %w", err)
			}
			rest = body[lv:]
			if h.v2IsCompressed {
				rest, err = c.decompress(dec, rest, int(h.uncompressedSize)-lv, c.freshBuffer(false, h.encoding))
				if err != nil {
					return out, err
				}
			}
		} else {
			data, err := c.decompress(dec, body, int(h.uncompressedSize), c.freshBuffer(false, h.encoding))
			if err != nil {
				return out, err
			}
			if rest, err = decodeLevelsV1(reps, data, h.repEnc, l.maxRep, scratch); err != nil {
				return out, fmt.Errorf("repetition levels: %w", err)
			}
			if rest, err = decodeLevelsV1(defs, rest, h.defEnc, l.maxDef, scratch); err != nil {
				return out, fmt.Errorf("definition levels: %w", err)
			}
		}
		if total == 0 && reps[0] != 0 {
			return out, fmt.Errorf("record starts with a nonzero repetition level (%d)", reps[0])
		}
		total += int64(n)
		k := 0
		for _, d := range defs {
			if uint32(d) == l.maxDef {
				k++
			}
		}
		if k == 0 {
			continue
		}
		if err := c.startValues(&h, rest); err != nil {
			return out, err
		}
		if stats != nil {
			stats.PagesRead++
		}
		out.vals.Resize(nv + k)
		if err := c.decodeValues(out.vals, nv, k); err != nil {
			return out, err
		}
		nv += k
	}
	if total != numValues {
		return out, fmt.Errorf("column chunk ends with %d values still expected", numValues-total)
	}
	return out, nil
}

// decodeLevelsRLE decodes len(dst) levels of at most max from an
// RLE/bit-packed hybrid stream without a length prefix.
func decodeLevelsRLE(dst []uint8, data []byte, max uint32, scratch []uint32) error {
	if max == 0 {
		clear(dst)
		return nil
	}
	var h hybrid
	if err := h.reset(data, bits.Len32(max)); err != nil {
		return err
	}
	for len(dst) > 0 {
		k := min(len(dst), len(scratch))
		if err := h.decode(scratch[:k]); err != nil {
			return err
		}
		for i, x := range scratch[:k] {
			if x > max {
				return fmt.Errorf("level %d above maximum %d", x, max)
			}
			dst[i] = uint8(x)
		}
		dst = dst[k:]
	}
	return nil
}

// decodeLevelsV1 decodes the levels at the front of a v1 data page and
// returns the bytes after them.
func decodeLevelsV1(dst []uint8, data []byte, enc int32, max uint32, scratch []uint32) ([]byte, error) {
	if max == 0 {
		clear(dst)
		return data, nil
	}
	switch enc {
	case encRLE:
		if len(data) < 4 {
			return nil, errors.New("truncated")
		}
		l := binary.LittleEndian.Uint32(data)
		if uint64(l) > uint64(len(data)-4) {
			return nil, errors.New("truncated")
		}
		if err := decodeLevelsRLE(dst, data[4:4+l], max, scratch); err != nil {
			return nil, err
		}
		return data[4+l:], nil
	case encBitPacked:
		w := uint64(bits.Len32(max))
		nb := (uint64(len(dst))*w + 7) / 8
		if nb > uint64(len(data)) {
			return nil, errors.New("truncated")
		}
		bit := uint64(0)
		for i := range dst {
			var v uint32
			for k := uint64(0); k < w; k++ {
				v = v<<1 | uint32(data[bit>>3]>>(7-bit&7))&1
				bit++
			}
			if v > max {
				return nil, fmt.Errorf("level %d above maximum %d", v, max)
			}
			dst[i] = uint8(v)
		}
		return data[nb:], nil
	}
	return nil, fmt.Errorf("level encoding %s not supported", encodingName(enc))
}

// assembler builds the vectors of a nested column from its leaves' levels.
// A node's slots are the entries of its first leaf that start a new value
// of it: rep <= rN (the repetition level of the enclosing list) and
// def >= dN (the enclosing list has an element there).
type assembler struct {
	data []leafData
	want []bool
	rows int64
}

var errLevels = errors.New("inconsistent repetition/definition levels")

func (a *assembler) build(n *nestNode, rN, dN uint32) (*coldata.Vec, error) {
	first := n.first
	if a.want != nil && !a.want[first] {
		// The node's own slots come from a leaf that was not read: find
		// one that was, or return NULLs of the enclosing slot count.
		first = -1
		for i := range a.want {
			if a.want[i] && i >= n.first && i < n.first+countLeaves(n) {
				first = i
				break
			}
		}
		if first < 0 {
			return nil, errUnread
		}
	}
	ld := &a.data[first]
	switch n.kind {
	case nkLeaf:
		return a.leaf(n, ld, rN, dN)
	case nkStruct:
		slots := 0
		var nulls []bool
		for i, d := range ld.def {
			if uint32(ld.rep[i]) <= rN && uint32(d) >= dN {
				if uint32(d) < n.defLevel {
					if nulls == nil {
						nulls = make([]bool, slots, len(ld.def))
					}
					nulls = append(nulls, true)
				} else if nulls != nil {
					nulls = append(nulls, false)
				}
				slots++
			}
		}
		v := &coldata.Vec{Type: n.typ, SLen: slots, Nulls: nulls, Child: make([]*coldata.Vec, len(n.children))}
		for k, ch := range n.children {
			cv, err := a.build(ch, rN, dN)
			if err == errUnread {
				cv = coldata.NewVec(ch.typ, slots)
				nullAll(cv)
			} else if err != nil {
				return nil, err
			}
			if cv.Len() != slots {
				return nil, fmt.Errorf("%w: field %s has %d values, struct %s has %d", errLevels, ch.name, cv.Len(), n.name, slots)
			}
			v.Child[k] = cv
		}
		return v, nil
	}
	// List or map.
	offsets := make([]int32, 1, 64)
	var nulls []bool
	count := int32(0)
	started := false
	for i, d := range ld.def {
		r := ld.rep[i]
		if uint32(r) <= rN && uint32(d) >= dN {
			if started {
				offsets = append(offsets, count)
			}
			started = true
			if uint32(d) < n.defLevel {
				if nulls == nil {
					nulls = make([]bool, len(offsets)-1, len(ld.def))
				}
				nulls = append(nulls, true)
			} else if nulls != nil {
				nulls = append(nulls, false)
			}
		}
		if uint32(r) <= n.repRep && uint32(d) >= n.repDef {
			if !started {
				return nil, fmt.Errorf("%w: element of %s before its first row", errLevels, n.name)
			}
			count++
		}
	}
	if started {
		offsets = append(offsets, count)
	}
	v := &coldata.Vec{Type: n.typ, Offsets: offsets, Nulls: nulls, Child: make([]*coldata.Vec, len(n.children))}
	for k, ch := range n.children {
		cv, err := a.build(ch, n.repRep, n.repDef)
		if err == errUnread {
			cv = coldata.NewVec(ch.typ, int(count))
			nullAll(cv)
		} else if err != nil {
			return nil, err
		}
		if cv.Len() != int(count) {
			return nil, fmt.Errorf("%w: %s has %d elements, its %s has %d", errLevels, n.name, count, ch.name, cv.Len())
		}
		v.Child[k] = cv
	}
	return v, nil
}

var errUnread = errors.New("internal: no leaf read under node")

func countLeaves(n *nestNode) int {
	if n.kind == nkLeaf {
		return 1
	}
	c := 0
	for _, ch := range n.children {
		c += countLeaves(ch)
	}
	return c
}

func nullAll(v *coldata.Vec) {
	nulls := v.EnsureNulls()
	for i := range nulls {
		nulls[i] = true
	}
}

func (a *assembler) leaf(n *nestNode, ld *leafData, rN, dN uint32) (*coldata.Vec, error) {
	slots := 0
	for i, d := range ld.def {
		if ld.rep[i] <= uint8(rN) && uint32(d) >= dN {
			slots++
		}
	}
	nv := ld.vals.Len()
	if slots == nv {
		return ld.vals, nil
	}
	idx := make([]int32, slots)
	nulls := make([]bool, slots)
	k, vi := 0, 0
	for i, d := range ld.def {
		if ld.rep[i] > uint8(rN) || uint32(d) < dN {
			if uint32(d) == n.maxDef {
				return nil, fmt.Errorf("%w: value of %s outside any row", errLevels, n.name)
			}
			continue
		}
		if uint32(d) == n.maxDef {
			idx[k] = int32(vi)
			vi++
		} else {
			nulls[k] = true
		}
		k++
	}
	if vi != nv {
		return nil, fmt.Errorf("%w: %s has %d values for %d defined levels", errLevels, n.name, nv, vi)
	}
	v := coldata.NewVec(n.typ, slots)
	if nv > 0 {
		v.CopyFrom(ld.vals, idx, slots, 0)
	}
	v.Nulls = nulls
	return v, nil
}

// newNestState checks what reading nested column nc of row group rg needs.
func (f *File) newNestState(rg int, nc *nestedCol, name string) (*nestState, error) {
	s := &nestState{nc: nc, rows: f.md.RowGroups[rg].NumRows,
		chunks: make([][]byte, len(nc.leaves)), codecs: make([]int32, len(nc.leaves)), nvals: make([]int64, len(nc.leaves))}
	for i, l := range nc.leaves {
		cc := f.md.RowGroups[rg].Columns[l.leaf]
		md := cc.MetaData
		codec := int32(md.Codec)
		if !codecSupported(codec) {
			return nil, fmt.Errorf("column %s of %s: codec %s not supported", name, f.path, codecName(codec))
		}
		if cc.FilePath != nil {
			return nil, fmt.Errorf("column %s of %s: column chunks in external files are not supported", name, f.path)
		}
		if md.NumValues < 0 {
			return nil, fmt.Errorf("column %s of %s: corrupt value count %d", name, f.path, md.NumValues)
		}
		s.codecs[i] = codec
		s.nvals[i] = md.NumValues
	}
	return s, nil
}

// loadNested fetches the chunks of a nested column's leaves (the page-level
// pushdown path, which otherwise fetches page runs of flat columns).
func (r *Reader) loadNested(c *colState) error {
	ns := c.nest
	for k, l := range ns.nc.leaves {
		if ns.want != nil && !ns.want[k] {
			continue
		}
		s, e, err := r.f.leafRange(r.rg, l.leaf)
		if err != nil {
			return err
		}
		buf, err := r.readRange(nil, s, e)
		if err != nil {
			return err
		}
		ns.chunks[k] = buf
	}
	return nil
}
