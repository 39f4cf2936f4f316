package dbgen

import (
	"fmt"
	"unsafe"
)

// A cursor is a table's row generator positioned at a row: one lane per
// stream the table draws from, all moved to the next row together.

// laneRef names the stream behind one of a cursor's lanes.
type laneRef struct {
	lane *lane
	name string
}

// cursorLanes is what every cursor type provides: the table its streams
// belong to in streams.tsv and its lanes with their stream names.
type cursorLanes interface {
	streamTable() string
	lanes() []laneRef
}

// checkStreams makes sure streams.tsv has every stream the cursors use,
// under the table they expect.
func (g *Generator) checkStreams() error {
	for _, c := range []cursorLanes{&partCursor{}, &customerCursor{}, &supplierCursor{}, &orderCursor{}, &nationCursor{}, &regionCursor{}} {
		for _, r := range c.lanes() {
			s, ok := g.cat.streams[r.name]
			if !ok {
				return fmt.Errorf("dbgen: streams.tsv has no stream %q", r.name)
			}
			if s.table != c.streamTable() {
				return fmt.Errorf("dbgen: streams.tsv puts %s under %s, the generator expects %s", r.name, s.table, c.streamTable())
			}
		}
	}
	if _, ok := g.cat.streams["text_pool"]; !ok {
		return fmt.Errorf("dbgen: streams.tsv has no stream %q", "text_pool")
	}
	return nil
}

// lanePack moves a cursor's lanes together.
type lanePack []*lane

// placeLanes puts every lane of c at the start of row (0-based).
func (g *Generator) placeLanes(c cursorLanes, row int64) lanePack {
	refs := c.lanes()
	pack := make(lanePack, len(refs))
	for i, r := range refs {
		r.lane.place(g.cat.streams[r.name], row)
		pack[i] = r.lane
	}
	return pack
}

func (p lanePack) nextRow() {
	for _, l := range p {
		l.nextRow()
	}
}

// eachRow calls fill and then fn for rows [first, first+count) of table t
// (fill gets the row's key, its number plus one), with c's lanes placed at
// first and moved on after every row.
func eachRow[R any](g *Generator, t Table, first, count int64, c cursorLanes, fill func(*R, int64), fn func(*R) error) error {
	if err := rangeCheck(t, first, count, g.rows[t]); err != nil {
		return err
	}
	pack := g.placeLanes(c, first)
	var r R
	for key := first + 1; key <= first+count; key++ {
		fill(&r, key)
		if err := fn(&r); err != nil {
			return err
		}
		pack.nextRow()
	}
	return nil
}

// arena hands out strings carved from large byte blocks, so that a row's
// formatted strings cost no allocation each. A block is never written
// again once a string points into it.
type arena struct {
	buf []byte
}

const arenaBlock = 64 << 10

// room returns a slice of length 0 and capacity at least n at the end of
// the current block.
func (a *arena) room(n int) []byte {
	if cap(a.buf)-len(a.buf) < n {
		a.buf = make([]byte, 0, max(arenaBlock, n))
	}
	return a.buf[len(a.buf):]
}

// keep turns b, built in a.room(n) without growing past n, into a string.
func (a *arena) keep(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	a.buf = a.buf[:len(a.buf)+len(b)]
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// appendZeros appends v in decimal, left-padded with zeros to width.
func appendZeros(dst []byte, v int64, width int) []byte {
	var digits [20]byte
	i := len(digits)
	for v >= 10 {
		i--
		digits[i] = byte('0' + v%10)
		v /= 10
	}
	i--
	digits[i] = byte('0' + v)
	for n := len(digits) - i; n < width; n++ {
		dst = append(dst, '0')
	}
	return append(dst, digits[i:]...)
}

// label formats prefix followed by v zero-padded to width ("Clerk#000000951").
func (a *arena) label(prefix string, v int64, width int) string {
	b := a.room(len(prefix) + max(width, 20))
	b = append(b, prefix...)
	return a.keep(appendZeros(b, v, width))
}

// alnum is the character set of v-strings (specification 4.2.2.7: at least
// 64 symbols); a draw gives five characters, six bits each.
const alnum = "0123456789abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ,"

// vstring draws a v-string of length [lo, hi] from l.
func (g *Generator) vstring(a *arena, l *lane, lo, hi int64) string {
	n := int(l.between(lo, hi))
	b := a.room(n)[:n]
	var bits int64
	for i := range b {
		if i%5 == 0 {
			bits = l.scaled(g.vspan)
		}
		b[i] = alnum[bits&63]
		bits >>= 6
	}
	return a.keep(b)
}

// phone draws a phone number (specification 4.2.2.9): the country code is
// the nation key plus 10, then three draws of 3, 3 and 4 digits.
func phone(a *arena, l *lane, nation int64) string {
	b := a.room(15)
	b = appendZeros(b, nation+10, 2)
	b = append(b, '-')
	b = appendZeros(b, l.between(100, 999), 3)
	b = append(b, '-')
	b = appendZeros(b, l.between(100, 999), 3)
	b = append(b, '-')
	b = appendZeros(b, l.between(1000, 9999), 4)
	return a.keep(b)
}
