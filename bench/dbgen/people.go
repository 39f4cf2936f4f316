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

type customerCursor struct {
	address, nation, phone, balance, segment, comment lane
}

func (*customerCursor) streamTable() string { return "customer" }
func (c *customerCursor) lanes() []laneRef {
	return []laneRef{
		{&c.address, "c_address"}, {&c.nation, "c_nationkey"}, {&c.phone, "c_phone"},
		{&c.balance, "c_acctbal"}, {&c.segment, "c_mktsegment"}, {&c.comment, "c_comment"},
	}
}

// Customers calls fn for every customer in key order.
func (g *Generator) Customers(fn func(*Customer) error) error {
	return g.CustomerRows(0, g.rows[TableCustomer], fn)
}

// CustomerRows calls fn for the customers in rows [first, first+count),
// counted from 0 (the key of row r is r+1).
func (g *Generator) CustomerRows(first, count int64, fn func(*Customer) error) error {
	if err := rangeCheck(TableCustomer, first, count, g.rows[TableCustomer]); err != nil {
		return err
	}
	var c customerCursor
	pack := g.placeLanes(&c, first)
	text := g.text()
	var a arena
	var cu Customer
	for key := first + 1; key <= first+count; key++ {
		nation := c.nation.between(0, int64(len(g.lists.nations.words))-1)
		cu = Customer{
			CustKey:    key,
			Name:       a.label("Customer#", key, 9),
			Address:    g.vstring(&a, &c.address, addressMin, addressMax),
			NationKey:  int32(nation),
			Phone:      phone(&a, &c.phone, nation),
			AcctBal:    c.balance.between(balanceMin, balanceMax),
			MktSegment: g.lists.segments.pick(&c.segment),
			Comment:    text.cut(&c.comment, custCommentMin, custCommentMax),
		}
		if err := fn(&cu); err != nil {
			return err
		}
		pack.nextRow()
	}
	return nil
}

type supplierCursor struct {
	address, nation, phone, balance, comment          lane
	remarkChance, remarkKind, remarkGap, remarkOffset lane
}

func (*supplierCursor) streamTable() string { return "supplier" }
func (c *supplierCursor) lanes() []laneRef {
	return []laneRef{
		{&c.address, "s_address"}, {&c.nation, "s_nationkey"}, {&c.phone, "s_phone"},
		{&c.balance, "s_acctbal"}, {&c.comment, "s_comment"},
		{&c.remarkChance, "s_remark_chance"}, {&c.remarkKind, "s_remark_kind"},
		{&c.remarkGap, "s_remark_gap"}, {&c.remarkOffset, "s_remark_offset"},
	}
}

// Suppliers calls fn for every supplier in key order.
func (g *Generator) Suppliers(fn func(*Supplier) error) error {
	return g.SupplierRows(0, g.rows[TableSupplier], fn)
}

// SupplierRows calls fn for the suppliers in rows [first, first+count),
// counted from 0 (the key of row r is r+1).
func (g *Generator) SupplierRows(first, count int64, fn func(*Supplier) error) error {
	if err := rangeCheck(TableSupplier, first, count, g.rows[TableSupplier]); err != nil {
		return err
	}
	var c supplierCursor
	pack := g.placeLanes(&c, first)
	text := g.text()
	var a arena
	var s Supplier
	for key := first + 1; key <= first+count; key++ {
		nation := c.nation.between(0, int64(len(g.lists.nations.words))-1)
		s = Supplier{
			SuppKey:   key,
			Name:      a.label("Supplier#", key, 9),
			Address:   g.vstring(&a, &c.address, addressMin, addressMax),
			NationKey: int32(nation),
			Phone:     phone(&a, &c.phone, nation),
			AcctBal:   c.balance.between(balanceMin, balanceMax),
			Comment:   text.cut(&c.comment, suppCommentMin, suppCommentMax),
		}
		s.Comment = c.remark(&a, s.Comment)
		if err := fn(&s); err != nil {
			return err
		}
		pack.nextRow()
	}
	return nil
}

// remark draws whether a supplier's comment carries a customer remark and
// where: "Customer " at a random offset, then after a random gap the
// complaint or recommendation, overwriting the comment's characters.
func (c *supplierCursor) remark(a *arena, comment string) string {
	chance := c.remarkChance.between(1, remarkOdds)
	kind := c.remarkKind.between(0, 100)
	span := int64(len(remarkHead) + len(remarkBad))
	gap := c.remarkGap.between(0, int64(len(comment))-span)
	off := c.remarkOffset.between(0, int64(len(comment))-span-gap)
	if chance > remarkPerOdds {
		return comment
	}
	b := append(a.room(len(comment)), comment...)
	copy(b[off:], remarkHead)
	tail := remarkGood
	if kind < remarkComplaints {
		tail = remarkBad
	}
	copy(b[off+int64(len(remarkHead))+gap:], tail)
	return a.keep(b)
}
