package scan

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Row-granular late materialisation. Once the predicate columns of a batch
// have been filtered, the other columns need only the surviving rows. When
// the survivors are few (or come in a few long runs), each column decodes
// just those runs and steps over the rows between them without
// materialising them: a PLAIN value is skipped by moving a pointer (or by
// reading a BYTE_ARRAY length), a dictionary index by moving past RLE runs
// and whole bit-packed groups, and definition levels only get counted. Rows
// that fill a whole page skip the page unread, as before.

// selRunDivisor sets when a batch is read run by run: at most one run of
// consecutive survivors per selRunDivisor rows. Each run costs a skip, a
// call into the decoder and a copy, while a row decoded in full often costs
// under a nanosecond (PLAIN numbers are a memory copy), and a page with any
// survivor is decompressed either way. BenchmarkSelectiveShipdate: 2% of
// rows scattered (82 runs per 4096) read run by run was 18% slower than
// whole batches; 0.1% scattered was 14% faster, from pages between the
// survivors that are never decompressed.
const selRunDivisor = 128

// countRuns is the number of maximal runs of consecutive values in sel
// (ascending).
func countRuns(sel []int32) int {
	if len(sel) == 0 {
		return 0
	}
	runs := 1
	for i := 1; i < len(sel); i++ {
		if sel[i] != sel[i-1]+1 {
			runs++
		}
	}
	return runs
}

// readSel decodes rows base+sel[j] of the column densely into v[0:len(sel)]
// (sel ascending, base the column's current row) and skips the rows
// between without materialising them. The column is left after the last
// selected row; the caller's next skipTo steps over the rest.
func (c *colState) readSel(v *coldata.Vec, sel []int32, dec *decompressor) error {
	base := c.row
	v.Resize(len(sel))
	if c.selBuf == nil {
		c.selBuf = &coldata.Vec{Type: c.typ}
	}
	out := 0
	for j := 0; j < len(sel); {
		e := j + 1
		for e < len(sel) && sel[e] == sel[e-1]+1 {
			e++
		}
		if err := c.skipTo(base+int64(sel[j]), dec); err != nil {
			return err
		}
		n := e - j
		if err := c.read(c.selBuf, n, dec); err != nil {
			return err
		}
		if c.selBuf.Nulls != nil && v.Nulls == nil {
			c.selNulls = coldata.Grow(c.selNulls, len(sel))[:len(sel)]
			clear(c.selNulls)
			v.Nulls = c.selNulls
		}
		v.CopyFrom(c.selBuf, nil, n, out)
		out += n
		j = e
	}
	return nil
}

// skipInPage steps over the next k rows of the current page (k <=
// pageLeft) without materialising them.
func (c *colState) skipInPage(k int, dec *decompressor) error {
	switch c.enc {
	case encPlain, encPlainDict, encRLEDict, encRLE:
	default:
		// DELTA_* and BYTE_STREAM_SPLIT decode sequentially: decode and
		// drop.
		if c.scratch == nil {
			c.scratch = &coldata.Vec{Type: c.typ}
		}
		return c.read(c.scratch, k, dec)
	}
	nn := 0
	if c.li.maxDef > 0 && !c.noNulls {
		var err error
		if c.legacy {
			nn, err = c.oldDefs.countNulls(k, c.li.maxDef)
		} else {
			var all bool
			if all, err = c.defs.takeDefinedRun(k, c.li.maxDef); err == nil && !all {
				nn, err = c.defs.countNulls(k, c.li.maxDef)
			}
		}
		if err != nil {
			return fmt.Errorf("definition levels: %w", err)
		}
	}
	if err := c.skipValues(k - nn); err != nil {
		return err
	}
	c.pageLeft -= k
	c.left -= int64(k)
	c.row += int64(k)
	return nil
}

// skipValues steps over the next m non-null values of the page.
func (c *colState) skipValues(m int) error {
	if m == 0 {
		return nil
	}
	switch c.enc {
	case encPlain:
		switch w := c.li.dk.fixedWidth(c.li.typeLen); {
		case w < 0:
			if c.bitPos+uint64(m) > uint64(len(c.vals))*8 {
				return errValuesTruncated
			}
			c.bitPos += uint64(m)
		case w > 0:
			if uint64(len(c.vals)-c.vpos) < uint64(m)*uint64(w) {
				return errValuesTruncated
			}
			c.vpos += m * w
		default:
			p := c.vpos
			for range m {
				if len(c.vals)-p < 4 {
					return errValuesTruncated
				}
				l := binary.LittleEndian.Uint32(c.vals[p:])
				if uint64(l) > uint64(len(c.vals)-p-4) {
					return errValuesTruncated
				}
				p += 4 + int(l)
			}
			c.vpos = p
		}
		return nil
	case encPlainDict, encRLEDict, encRLE:
		err := c.idx.skip(m)
		if errors.Is(err, errRLEEnd) && c.enc != encRLE {
			err = errors.New("dictionary indices end before the page's values")
		}
		return err
	}
	return fmt.Errorf("internal: skip in a page encoded %s", encodingName(c.enc))
}

// skip steps over the next n values: RLE runs and whole bit-packed groups
// are passed by arithmetic; only a partial group is unpacked.
func (d *hybrid) skip(n int) error {
	for n > 0 {
		if d.rle == 0 && d.bp == 0 && d.grpN == 0 {
			if err := d.nextRun(); err != nil {
				return err
			}
		}
		switch {
		case d.rle > 0:
			k := min(d.rle, n)
			d.rle -= k
			n -= k
		case d.grpN > 0:
			k := min(d.grpN, n)
			d.grpI += k
			d.grpN -= k
			n -= k
		case n >= 8 && d.bp >= 8:
			g := min(n, d.bp) / 8
			if d.width > 0 {
				d.bpSrc = d.bpSrc[g*int(d.width):]
			}
			d.bp -= g * 8
			n -= g * 8
		default:
			_, _, k, err := d.chunk(d.scratch[:], n)
			if err != nil {
				return err
			}
			n -= k
		}
	}
	return nil
}

// countNulls consumes n definition levels and returns how many are below
// maxDef.
func (d *hybrid) countNulls(n int, maxDef uint32) (int, error) {
	nn := 0
	for n > 0 {
		run, v, k, err := d.chunk(d.scratch[:], n)
		if err != nil {
			return 0, err
		}
		if run {
			if v > maxDef {
				return 0, fmt.Errorf("definition level %d above maximum %d", v, maxDef)
			}
			if v < maxDef {
				nn += k
			}
		} else {
			for _, l := range d.scratch[:k] {
				if l > maxDef {
					return 0, fmt.Errorf("definition level %d above maximum %d", l, maxDef)
				}
				if l < maxDef {
					nn++
				}
			}
		}
		n -= k
	}
	return nn, nil
}

// countNulls is hybrid.countNulls for the deprecated BIT_PACKED levels.
func (d *legacyBitPacked) countNulls(n int, maxDef uint32) (int, error) {
	var buf [256]bool
	nn := 0
	for n > 0 {
		k := min(n, len(buf))
		m, err := d.decodeNulls(buf[:k], maxDef)
		if err != nil {
			return 0, err
		}
		nn += m
		n -= k
	}
	return nn, nil
}
