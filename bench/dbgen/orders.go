package dbgen

import (
	"runtime"
	"sync"
)

// Orders and their lines (specification 4.2.3). Order row r (0-based)
// has the sparse key of r+1 (keys leave gaps for the refresh functions:
// the low 3 bits are kept and 2 zero bits inserted above them), a customer
// key that is never a multiple of 3, an order date in [STARTDATE,
// ENDDATE − 151 days], and 1 to 7 lines. A line's dates follow the order
// date; its return flag and status compare them with CURRENTDATE; the
// order's total price and status are computed from its lines.

// STARTDATE, CURRENTDATE and ENDDATE as days since 1970-01-01 (Date).
const (
	startDate   = 8035  // 1992-01-01
	currentDate = 9298  // 1995-06-17
	endDate     = 10591 // 1998-12-31
)

const (
	shipDelayMin, shipDelayMax       = 1, 121
	commitDelayMin, commitDelayMax   = 30, 90
	receiptDelayMin, receiptDelayMax = 1, 30
	orderCommentMin, orderCommentMax = 19, 78
	lineCommentMin, lineCommentMax   = 10, 43
	// Order dates leave room for the last shipment and receipt.
	lastOrderDelay = shipDelayMax + receiptDelayMax
	clerksPerScale = 1000
)

// orderKey spreads order numbers: of every 32 keys only the first 8 are
// used.
func orderKey(n int64) int64 { return n>>3<<5 | n&7 }

type orderCursor struct {
	custKey, priority, clerk, comment, date, count lane

	quantity, discount, tax, instruct, mode, lineComment                 lane
	partKey, suppIndex, shipDelay, commitDelay, receiptDelay, returnFlag lane
}

func (*orderCursor) streamTable() string { return "orders" }
func (c *orderCursor) lanes() []laneRef {
	return []laneRef{
		{&c.custKey, "o_custkey"}, {&c.priority, "o_orderpriority"}, {&c.clerk, "o_clerk"},
		{&c.comment, "o_comment"}, {&c.date, "o_orderdate"}, {&c.count, "o_linecount"},
		{&c.quantity, "l_quantity"}, {&c.discount, "l_discount"}, {&c.tax, "l_tax"},
		{&c.instruct, "l_shipinstruct"}, {&c.mode, "l_shipmode"}, {&c.lineComment, "l_comment"},
		{&c.partKey, "l_partkey"}, {&c.suppIndex, "l_suppkey"}, {&c.shipDelay, "l_shipdate"},
		{&c.commitDelay, "l_commitdate"}, {&c.receiptDelay, "l_receiptdate"}, {&c.returnFlag, "l_returnflag"},
	}
}

// orderMaker fills orders from a given row on.
type orderMaker struct {
	g     *Generator
	c     orderCursor
	pack  lanePack
	text  *commentText
	a     arena
	lines [maxLines]LineItem
	// orderCols says whether the order's own drawn columns (customer,
	// priority, clerk, comment) are wanted; lineitem rows alone skip them.
	orderCols bool
}

func (g *Generator) newOrderMaker(row int64, orderCols bool) *orderMaker {
	m := &orderMaker{g: g, text: g.text(), orderCols: orderCols}
	m.pack = g.placeLanes(&m.c, row)
	return m
}

// custKey draws a customer key; a third of the customers (keys that are
// multiples of 3) place no orders, so such a draw moves to a neighbour.
func (m *orderMaker) custKey() int64 {
	n := m.g.rows[TableCustomer]
	k := m.c.custKey.between(1, n)
	for step := int64(1); k%3 == 0; step = -step {
		k = min(k+step, n)
	}
	return k
}

// fill makes order row (0-based) with its lines, then moves the lanes on.
func (m *orderMaker) fill(o *Order, row int64) {
	g, c := m.g, &m.c
	o.OrderKey = orderKey(row + 1)
	if m.orderCols {
		o.CustKey = m.custKey()
		o.OrderPriority = g.lists.priorities.choose(&c.priority)
		o.Clerk = m.a.label("Clerk#", c.clerk.between(1, max(g.scale*clerksPerScale, clerksPerScale)), 9)
		o.Comment = m.text.cut(&c.comment, orderCommentMin, orderCommentMax)
	}
	o.ShipPriority = 0
	date := startDate + c.date.between(0, endDate-startDate-lastOrderDelay)
	o.OrderDate = Date(date)
	n := c.count.between(1, maxLines)
	o.Lines = m.lines[:n]
	var total int64
	open := 0
	for i := range o.Lines {
		l := &o.Lines[i]
		l.OrderKey = o.OrderKey
		l.LineNumber = int64(i + 1)
		l.Quantity = c.quantity.between(1, 50)
		l.Discount = c.discount.between(0, 10)
		l.Tax = c.tax.between(0, 8)
		l.ShipInstruct = g.lists.instructions.choose(&c.instruct)
		l.ShipMode = g.lists.modes.choose(&c.mode)
		l.Comment = m.text.cut(&c.lineComment, lineCommentMin, lineCommentMax)
		l.PartKey = c.partKey.between(1, g.rows[TablePart])
		l.SuppKey = g.partSupplier(l.PartKey, c.suppIndex.between(0, suppsPerPart-1))
		l.ExtendedPrice = priceOf(l.PartKey) * l.Quantity
		// dbgen's integer arithmetic, truncating at each step.
		total += l.ExtendedPrice * (100 - l.Discount) / 100 * (100 + l.Tax) / 100
		ship := date + c.shipDelay.between(shipDelayMin, shipDelayMax)
		receipt := ship + c.receiptDelay.between(receiptDelayMin, receiptDelayMax)
		l.ShipDate = Date(ship)
		l.CommitDate = Date(date + c.commitDelay.between(commitDelayMin, commitDelayMax))
		l.ReceiptDate = Date(receipt)
		l.ReturnFlag = "N"
		if receipt <= currentDate {
			l.ReturnFlag = g.lists.returnFlags.choose(&c.returnFlag)
		}
		l.LineStatus = "F"
		if ship > currentDate {
			l.LineStatus = "O"
			open++
		}
	}
	o.TotalPrice = total
	switch open {
	case 0:
		o.OrderStatus = "F"
	case len(o.Lines):
		o.OrderStatus = "O"
	default:
		o.OrderStatus = "P"
	}
	m.pack.nextRow()
}

// Orders calls fn for every order, with its lines, in key order.
func (g *Generator) Orders(fn func(*Order) error) error {
	return g.OrderRows(0, g.rows[TableOrders], fn)
}

// OrderRows calls fn for the orders in rows [first, first+count), counted
// from 0, each with its lines.
func (g *Generator) OrderRows(first, count int64, fn func(*Order) error) error {
	if err := rangeCheck(TableOrders, first, count, g.rows[TableOrders]); err != nil {
		return err
	}
	m := g.newOrderMaker(first, true)
	var o Order
	for row := first; row < first+count; row++ {
		m.fill(&o, row)
		if err := fn(&o); err != nil {
			return err
		}
	}
	return nil
}

// LineItemRows calls fn for the lineitem rows [first, first+count),
// counted from 0 in key order, without the cost of the orders' own
// columns.
func (g *Generator) LineItemRows(first, count int64, fn func(*LineItem) error) error {
	idx := g.lineIndex()
	if err := rangeCheck(TableLineItem, first, count, idx.total); err != nil {
		return err
	}
	if count == 0 {
		return nil
	}
	row, skip := idx.locate(g, first)
	m := g.newOrderMaker(row, false)
	var o Order
	for ; count > 0; row++ {
		m.fill(&o, row)
		for i := skip; i < int64(len(o.Lines)) && count > 0; i++ {
			if err := fn(&o.Lines[i]); err != nil {
				return err
			}
			count--
		}
		skip = 0
	}
	return nil
}

// lineIndex records how many lines precede every stride-th order, so that
// a lineitem row can be found without drawing every earlier order's count.
type lineIndex struct {
	stride int64
	before []int64 // before[k]: lines of orders [0, k·stride)
	total  int64
}

const lineIndexStride = 4096

// lineIndex builds the index on first use, in parallel: each goroutine
// puts its own lane at the start of its share of the orders.
func (g *Generator) lineIndex() *lineIndex {
	g.linesOnce.Do(func() {
		orders := g.rows[TableOrders]
		spec := g.cat.streams["o_linecount"]
		blocks := (orders + lineIndexStride - 1) / lineIndexStride
		counts := make([]int64, blocks)
		workers := int64(max(1, min(runtime.GOMAXPROCS(0), int(blocks))))
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				lo, hi := blocks*w/workers, blocks*(w+1)/workers
				var l lane
				l.place(spec, lo*lineIndexStride)
				for b := lo; b < hi; b++ {
					n := min(lineIndexStride, orders-b*lineIndexStride)
					var sum int64
					for range n {
						sum += l.between(1, maxLines)
						l.nextRow()
					}
					counts[b] = sum
				}
			})
		}
		wg.Wait()
		idx := &lineIndex{stride: lineIndexStride, before: make([]int64, blocks+1)}
		for b, n := range counts {
			idx.before[b+1] = idx.before[b] + n
		}
		idx.total = idx.before[blocks]
		g.lines = idx
	})
	return g.lines
}

// locate returns the order row holding lineitem row line and the line's
// position within the order.
func (idx *lineIndex) locate(g *Generator, line int64) (row, skip int64) {
	lo, hi := 0, len(idx.before)-1
	for lo < hi { // the last block starting at or before line
		mid := (lo + hi + 1) / 2
		if idx.before[mid] <= line {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	row = int64(lo) * idx.stride
	seen := idx.before[lo]
	var l lane
	l.place(g.cat.streams["o_linecount"], row)
	for {
		n := l.between(1, maxLines)
		if seen+n > line {
			return row, line - seen
		}
		seen += n
		row++
		l.nextRow()
	}
}
