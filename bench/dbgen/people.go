package dbgen

// Customers and suppliers (specification 4.2.3). Both have a key equal to
// the row number plus one, a "Customer#"/"Supplier#" name, a v-string
// address of [10, 40] characters, a uniform nation key, a phone number of
// that nation, an account balance of [-999.99, 9999.99] and a comment.
// Customers add a market segment; about one supplier in a thousand gets
// "Customer … Complaints" or "Customer … Recommends" written into its
// comment (the remark streams).

const (
	addressMin, addressMax = 10, 40
	balanceMin, balanceMax = -99999, 999999

	custCommentMin, custCommentMax = 29, 116
	suppCommentMin, suppCommentMax = 25, 100

	// One supplier in remarkOdds gets a remark; half of those (kind
	// below remarkComplaints of [0, 100]) complaints, the others praise.
	remarkOdds       = 10000
	remarkPerOdds    = 10
	remarkComplaints = 50
	remarkHead       = "Customer "
	remarkBad        = "Complaints"
	remarkGood       = "Recommends"
)

// party is what customers and suppliers share, drawn from the lanes of
// one table: the name, address, nation, phone and account balance.
type party struct {
	address, nation, phone, balance lane
	a                               arena
	text                            *commentText
}

type partyRow struct {
	name, address, phone string
	nation               int32
	balance              int64
}

func (p *party) refs(prefix string) []laneRef {
	return []laneRef{
		{&p.address, prefix + "_address"}, {&p.nation, prefix + "_nationkey"},
		{&p.phone, prefix + "_phone"}, {&p.balance, prefix + "_acctbal"},
	}
}

// draw fills the shared columns of the row with key; label is "Customer#"
// or "Supplier#".
func (p *party) draw(g *Generator, label string, key int64) partyRow {
	nation := p.nation.between(0, int64(len(g.lists.nations.words))-1)
	return partyRow{
		name:    p.a.label(label, key, 9),
		address: g.vstring(&p.a, &p.address, addressMin, addressMax),
		nation:  int32(nation),
		phone:   phone(&p.a, &p.phone, nation),
		balance: p.balance.between(balanceMin, balanceMax),
	}
}

type customerCursor struct {
	party
	segment, comment lane
}

func (*customerCursor) streamTable() string { return "customer" }
func (c *customerCursor) lanes() []laneRef {
	return append(c.refs("c"), laneRef{&c.segment, "c_mktsegment"}, laneRef{&c.comment, "c_comment"})
}

// Customers calls fn for every customer in key order.
func (g *Generator) Customers(fn func(*Customer) error) error {
	return g.CustomerRows(0, g.rows[TableCustomer], fn)
}

// CustomerRows calls fn for the customers in rows [first, first+count),
// counted from 0 (the key of row r is r+1).
func (g *Generator) CustomerRows(first, count int64, fn func(*Customer) error) error {
	c := customerCursor{party: party{text: g.text()}}
	return eachRow(g, TableCustomer, first, count, &c, func(cu *Customer, key int64) {
		p := c.draw(g, "Customer#", key)
		*cu = Customer{CustKey: key, Name: p.name, Address: p.address, NationKey: p.nation, Phone: p.phone, AcctBal: p.balance,
			MktSegment: g.lists.segments.choose(&c.segment), Comment: c.text.cut(&c.comment, custCommentMin, custCommentMax)}
	}, fn)
}

type supplierCursor struct {
	party
	comment                                           lane
	remarkChance, remarkKind, remarkGap, remarkOffset lane
}

func (*supplierCursor) streamTable() string { return "supplier" }
func (c *supplierCursor) lanes() []laneRef {
	return append(c.refs("s"), laneRef{&c.comment, "s_comment"},
		laneRef{&c.remarkChance, "s_remark_chance"}, laneRef{&c.remarkKind, "s_remark_kind"},
		laneRef{&c.remarkGap, "s_remark_gap"}, laneRef{&c.remarkOffset, "s_remark_offset"})
}

// Suppliers calls fn for every supplier in key order.
func (g *Generator) Suppliers(fn func(*Supplier) error) error {
	return g.SupplierRows(0, g.rows[TableSupplier], fn)
}

// SupplierRows calls fn for the suppliers in rows [first, first+count),
// counted from 0 (the key of row r is r+1).
func (g *Generator) SupplierRows(first, count int64, fn func(*Supplier) error) error {
	c := supplierCursor{party: party{text: g.text()}}
	return eachRow(g, TableSupplier, first, count, &c, func(s *Supplier, key int64) {
		p := c.draw(g, "Supplier#", key)
		*s = Supplier{SuppKey: key, Name: p.name, Address: p.address, NationKey: p.nation, Phone: p.phone, AcctBal: p.balance,
			Comment: c.remark(c.text.cut(&c.comment, suppCommentMin, suppCommentMax))}
	}, fn)
}

// remark draws whether a supplier's comment carries a customer remark and
// where: "Customer " at a random offset, then after a random gap the
// complaint or recommendation, overwriting the comment's characters.
func (c *supplierCursor) remark(comment string) string {
	chance := c.remarkChance.between(1, remarkOdds)
	kind := c.remarkKind.between(0, 100)
	span := int64(len(remarkHead) + len(remarkBad))
	gap := c.remarkGap.between(0, int64(len(comment))-span)
	off := c.remarkOffset.between(0, int64(len(comment))-span-gap)
	if chance > remarkPerOdds {
		return comment
	}
	b := append(c.a.room(len(comment)), comment...)
	copy(b[off:], remarkHead)
	tail := remarkGood
	if kind < remarkComplaints {
		tail = remarkBad
	}
	copy(b[off+int64(len(remarkHead))+gap:], tail)
	return c.a.keep(b)
}
