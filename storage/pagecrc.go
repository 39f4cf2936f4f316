package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"sort"
)

// addPageChecksums copies the Parquet file src (size bytes) to dst with
// the CRC-32 of every page written into its header (PageHeader.crc, field
// 4: the checksum of the page's bytes as stored, as the format defines
// it), which arrow-go's writer does not do. The bigger headers move every
// page, so the pass also moves what points at pages: the column chunks'
// offsets and sizes in the footer and in the copies of the column metadata
// that follow each chunk, and the page locations of the offset index.
// Everything else (column indexes, bloom filters, statistics, key/value
// metadata) is copied as it is.
func addPageChecksums(src io.ReaderAt, size int64, dst io.Writer) error {
	md, footerStart, err := readFooterThrift(src, size)
	if err != nil {
		return err
	}
	p := &crcPass{src: src, dst: dst, moved: map[int64]int64{}, pageSize: map[int64]int64{}}
	rgs := md.get(4)
	if rgs == nil || rgs.list == nil {
		return fmt.Errorf("no row groups in the footer")
	}
	// The regions to rewrite, in file order: page runs of column chunks,
	// the column metadata copies after them, offset indexes.
	var regions []region
	for _, rg := range rgs.list.items {
		cols := rg.st.get(1)
		if cols == nil || cols.list == nil {
			return errThrift
		}
		for _, c := range cols.list.items {
			cc := c.st
			meta := cc.get(3)
			if meta == nil || meta.st == nil {
				return errThrift
			}
			start := meta.st.int(9, 0)
			if d := meta.st.int(11, 0); d > 0 && d < start {
				start = d
			}
			end := start + meta.st.int(7, 0)
			regions = append(regions, region{start, end, regionPages})
			if fo := cc.int(2, 0); fo >= end {
				regions = append(regions, region{fo, -1, regionMeta})
			}
			if off := cc.int(4, 0); off > 0 {
				regions = append(regions, region{off, off + cc.int(5, 0), regionOffsetIndex})
			}
			// Structures copied as they are still move: mark where they
			// start so that their offsets can be translated.
			for _, off := range []int64{cc.int(6, 0), meta.st.int(14, 0)} {
				if off > 0 {
					regions = append(regions, region{off, off, regionMark})
				}
			}
		}
	}
	sort.SliceStable(regions, func(i, j int) bool { return regions[i].start < regions[j].start })
	if err := p.copyRange(0, 4); err != nil { // PAR1
		return err
	}
	at := int64(4)
	for _, r := range regions {
		if r.start < at || r.start > footerStart {
			return fmt.Errorf("overlapping or misplaced column chunk regions")
		}
		if err := p.copyRange(at, r.start); err != nil {
			return err
		}
		if at, err = p.rewrite(r); err != nil {
			return err
		}
	}
	if err := p.copyRange(at, footerStart); err != nil {
		return err
	}
	// The footer, with every offset moved.
	for _, rg := range rgs.list.items {
		var total, grown int64
		for _, c := range rg.st.get(1).list.items {
			cc, meta := c.st, c.st.get(3).st
			g := p.chunkGrowth[meta.int(9, 0)]
			meta.setInt(7, tcI64, meta.int(7, 0)+g)
			meta.setInt(6, tcI64, meta.int(6, 0)+g)
			total += meta.int(7, 0)
			grown += g
			if l, ok := p.offsetIndexLen[cc.int(4, 0)]; ok {
				cc.setInt(5, tcI32, l)
			}
			p.moveFields(meta, 9, 10, 11, 14)
			p.moveFields(cc, 2, 4, 6)
		}
		if rg.st.get(6) != nil {
			rg.st.setInt(6, tcI64, total)
		}
		rg.st.setInt(2, tcI64, rg.st.int(2, 0)+grown)
		p.moveFields(rg.st, 5)
	}
	footer := md.encode(nil)
	footer = binary.LittleEndian.AppendUint32(footer, uint32(len(footer)))
	footer = append(footer, "PAR1"...)
	return p.write(footer)
}

type regionKind uint8

const (
	regionPages regionKind = iota
	regionMeta
	regionOffsetIndex
	regionMark // nothing to rewrite; its start moves
)

type region struct {
	start, end int64 // end -1: as long as the struct there
	kind       regionKind
}

type crcPass struct {
	src io.ReaderAt
	dst io.Writer
	out int64 // bytes written so far
	// moved maps old offsets of pages, chunks and structures to new ones;
	// pageSize is each page's new size (header and body) by old offset.
	moved, pageSize map[int64]int64
	// chunkGrowth is the bytes a chunk grew, by its old data page offset;
	// offsetIndexLen the new length of an offset index by old offset.
	chunkGrowth    map[int64]int64
	offsetIndexLen map[int64]int64
	buf            []byte
}

func (p *crcPass) write(b []byte) error {
	n, err := p.dst.Write(b)
	p.out += int64(n)
	return err
}

func (p *crcPass) read(off, n int64) ([]byte, error) {
	if cap(p.buf) < int(n) {
		p.buf = make([]byte, n)
	}
	b := p.buf[:n]
	if _, err := p.src.ReadAt(b, off); err != nil && !(errors.Is(err, io.EOF) && n == 0) {
		return nil, err
	}
	return b, nil
}

func (p *crcPass) copyRange(from, to int64) error {
	for from < to {
		n := min(to-from, 1<<20)
		b, err := p.read(from, n)
		if err != nil {
			return err
		}
		if err := p.write(b); err != nil {
			return err
		}
		from += n
	}
	return nil
}

func (p *crcPass) moveFields(s *tStruct, ids ...int16) {
	for _, id := range ids {
		if v := s.get(id); v != nil {
			if n, ok := p.moved[v.I]; ok {
				v.I = n
			}
		}
	}
}

// rewrite copies one region and returns where the source continues.
func (p *crcPass) rewrite(r region) (int64, error) {
	p.moved[r.start] = p.out
	switch r.kind {
	case regionMark:
		return r.start, nil
	case regionPages:
		return r.end, p.rewritePages(r.start, r.end)
	case regionMeta:
		b, err := p.read(r.start, 64<<10)
		if err != nil && !errors.Is(err, io.EOF) {
			return 0, err
		}
		meta, n, err := decodeThrift(b)
		if err != nil {
			return 0, err
		}
		if g, ok := p.chunkGrowth[meta.int(9, 0)]; ok {
			meta.setInt(7, tcI64, meta.int(7, 0)+g)
			meta.setInt(6, tcI64, meta.int(6, 0)+g)
		}
		p.moveFields(meta, 9, 10, 11, 14)
		return r.start + int64(n), p.write(meta.encode(nil))
	}
	b, err := p.read(r.start, r.end-r.start)
	if err != nil {
		return 0, err
	}
	oi, _, err := decodeThrift(b)
	if err != nil {
		return 0, err
	}
	if locs := oi.get(1); locs != nil && locs.list != nil {
		for _, loc := range locs.list.items {
			old := loc.st.int(1, -1)
			if n, ok := p.pageSize[old]; ok {
				loc.st.setInt(2, tcI32, n)
			}
			p.moveFields(loc.st, 1)
		}
	}
	enc := oi.encode(nil)
	if p.offsetIndexLen == nil {
		p.offsetIndexLen = map[int64]int64{}
	}
	p.offsetIndexLen[r.start] = int64(len(enc))
	return r.end, p.write(enc)
}

// rewritePages copies the pages in [start,end) with checksums.
func (p *crcPass) rewritePages(start, end int64) error {
	if p.chunkGrowth == nil {
		p.chunkGrowth = map[int64]int64{}
	}
	chunkOut := p.out
	dataOffset := int64(-1)
	for at := start; at < end; {
		window := min(end-at, 64<<10)
		b, err := p.read(at, window)
		if err != nil {
			return err
		}
		h, hl, err := decodeThrift(b)
		for err != nil && window < end-at {
			window = min(end-at, window*4)
			if b, err = p.read(at, window); err != nil {
				return err
			}
			h, hl, err = decodeThrift(b)
		}
		if err != nil {
			return fmt.Errorf("page header at %d: %w", at, err)
		}
		body := h.int(3, -1)
		if body < 0 || at+int64(hl)+body > end {
			return fmt.Errorf("page at %d runs past its column chunk", at)
		}
		if dataOffset < 0 && h.int(1, -1) != 2 { // not a dictionary page
			dataOffset = at
		}
		data, err := p.read(at+int64(hl), body)
		if err != nil {
			return err
		}
		h.setInt(4, tcI32, int64(int32(crc32.ChecksumIEEE(data))))
		var hdr bytes.Buffer
		hdr.Write(h.encode(nil))
		p.moved[at] = p.out
		p.pageSize[at] = int64(hdr.Len()) + body
		if err := p.write(hdr.Bytes()); err != nil {
			return err
		}
		if err := p.write(data); err != nil {
			return err
		}
		at += int64(hl) + body
	}
	growth := (p.out - chunkOut) - (end - start)
	p.chunkGrowth[dataOffset] = growth
	return nil
}

// readFooterThrift decodes the footer of a Parquet file.
func readFooterThrift(src io.ReaderAt, size int64) (*tStruct, int64, error) {
	if size < 12 {
		return nil, 0, fmt.Errorf("not a Parquet file")
	}
	var tail [8]byte
	if _, err := src.ReadAt(tail[:], size-8); err != nil {
		return nil, 0, err
	}
	if string(tail[4:]) != "PAR1" {
		return nil, 0, fmt.Errorf("not a Parquet file")
	}
	n := int64(binary.LittleEndian.Uint32(tail[:4]))
	if n > size-12 {
		return nil, 0, fmt.Errorf("corrupt footer length")
	}
	b := make([]byte, n)
	if _, err := src.ReadAt(b, size-8-n); err != nil {
		return nil, 0, err
	}
	md, _, err := decodeThrift(b)
	if err != nil {
		return nil, 0, err
	}
	return md, size - 8 - n, nil
}
