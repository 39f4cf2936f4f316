package dbgen

import "strconv"

// Parts and their suppliers (specification 4.2.3). A part's name is five
// distinct words of the colors list, the first five of a shuffle of the
// whole list (the stream is sized for the full shuffle, 92 draws, but only
// the first five swaps decide the name); manufacturer m and brand m·10+b
// are uniform in 1..5; type and container are picked from their lists; the
// retail price is a function of the key. Each part has four partsupp rows
// whose supplier keys spread the part over the supplier table.

const (
	nameWords                  = 5
	partCommentMin             = 5
	partCommentMax             = 22
	psCommentMin, psCommentMax = 49, 198
)

type partCursor struct {
	name, mfgr, brand, ptype, size, container, comment lane
	availQty, supplyCost, psComment                    lane
}

func (*partCursor) streamTable() string { return "part" }
func (c *partCursor) lanes() []laneRef {
	return []laneRef{
		{&c.name, "p_name"}, {&c.mfgr, "p_mfgr"}, {&c.brand, "p_brand"}, {&c.ptype, "p_type"},
		{&c.size, "p_size"}, {&c.container, "p_container"}, {&c.comment, "p_comment"},
		{&c.availQty, "ps_availqty"}, {&c.supplyCost, "ps_supplycost"}, {&c.psComment, "ps_comment"},
	}
}

// priceOf is P_RETAILPRICE in cents: 90000 + ((key/10) mod 20001) +
// 100·(key mod 1000).
func priceOf(key int64) int64 {
	return 90000 + (key/10)%20001 + 100*(key%1000)
}

// partSupplier is the i-th (0..3) supplier key of a part: with S suppliers,
// (key + i·(S/4 + (key−1)/S)) mod S + 1.
func (g *Generator) partSupplier(key, i int64) int64 {
	s := g.rows[TableSupplier]
	return (key+i*(s/suppsPerPart+(key-1)/s))%s + 1
}

// partMaker fills parts; it holds what one range of rows reuses.
type partMaker struct {
	g      *Generator
	c      partCursor
	text   *commentText
	a      arena
	order  []uint8
	mfgrs  [6]string
	brands [6][6]string
}

func (g *Generator) newPartMaker() *partMaker {
	m := &partMaker{g: g, text: g.text(), order: make([]uint8, len(g.lists.colors.words))}
	for i := 1; i <= 5; i++ {
		m.mfgrs[i] = "Manufacturer#" + strconv.Itoa(i)
		for j := 1; j <= 5; j++ {
			m.brands[i][j] = "Brand#" + strconv.Itoa(i*10+j)
		}
	}
	return m
}

// name shuffles the first five positions of the color list.
func (m *partMaker) name() string {
	colors := m.g.lists.colors.words
	last := int64(len(colors) - 1)
	for i := range m.order {
		m.order[i] = uint8(i)
	}
	b := m.a.room(nameWords * 16)
	for i := int64(0); i < nameWords; i++ {
		j := m.c.name.between(i, last)
		m.order[i], m.order[j] = m.order[j], m.order[i]
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, colors[m.order[i]]...)
	}
	return m.a.keep(b)
}

// part fills the part columns of key.
func (m *partMaker) part(p *Part, key int64) {
	l := &m.g.lists
	mfgr := m.c.mfgr.between(1, 5)
	p.PartKey = key
	p.Name = m.name()
	p.Mfgr = m.mfgrs[mfgr]
	p.Brand = m.brands[mfgr][m.c.brand.between(1, 5)]
	p.Type = l.types.choose(&m.c.ptype)
	p.Size = int32(m.c.size.between(1, 50))
	p.Container = l.containers.choose(&m.c.container)
	p.RetailPrice = priceOf(key)
	p.Comment = m.text.cut(&m.c.comment, partCommentMin, partCommentMax)
}

// supps fills the four partsupp rows of key.
func (m *partMaker) supps(p *Part, key int64) {
	for i := range p.Supps {
		p.Supps[i] = PartSupp{
			PartKey:    key,
			SuppKey:    m.g.partSupplier(key, int64(i)),
			AvailQty:   m.c.availQty.between(1, 9999),
			SupplyCost: m.c.supplyCost.between(100, 100000),
			Comment:    m.text.cut(&m.c.psComment, psCommentMin, psCommentMax),
		}
	}
}

// Parts calls fn for every part, with its partsupp rows, in key order.
func (g *Generator) Parts(fn func(*Part) error) error {
	return g.PartRows(0, g.rows[TablePart], fn)
}

// PartRows calls fn for the parts in rows [first, first+count), counted
// from 0 (the key of row r is r+1), each with its partsupp rows.
func (g *Generator) PartRows(first, count int64, fn func(*Part) error) error {
	m := g.newPartMaker()
	return eachRow(g, TablePart, first, count, &m.c, func(p *Part, key int64) {
		m.part(p, key)
		m.supps(p, key)
	}, fn)
}

// PartSuppRows calls fn for the partsupp rows [first, first+count),
// counted from 0: row r is supplier r mod 4 of part r/4 + 1.
func (g *Generator) PartSuppRows(first, count int64, fn func(*PartSupp) error) error {
	if err := rangeCheck(TablePartSupp, first, count, g.rows[TablePartSupp]); err != nil {
		return err
	}
	row := first / suppsPerPart
	skip := first % suppsPerPart
	m := g.newPartMaker()
	pack := g.placeLanes(&m.c, row)
	var p Part
	for count > 0 {
		m.supps(&p, row+1)
		for i := skip; i < suppsPerPart && count > 0; i++ {
			if err := fn(&p.Supps[i]); err != nil {
				return err
			}
			count--
		}
		skip = 0
		row++
		pack.nextRow()
	}
	return nil
}
