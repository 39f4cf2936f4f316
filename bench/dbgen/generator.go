package dbgen

import (
	"fmt"
	"math"
	"sync"
)

// Table identifies a TPC-H table. The numbering follows dbgen's table
// order.
type Table int

// The eight TPC-H tables.
const (
	TablePart Table = iota
	TablePartSupp
	TableSupplier
	TableCustomer
	TableOrders
	TableLineItem
	TableNation
	TableRegion
)

var tableNames = [...]string{"part", "partsupp", "supplier", "customer", "orders", "lineitem", "nation", "region"}

// Tables lists every table.
func Tables() []Table {
	return []Table{TablePart, TablePartSupp, TableSupplier, TableCustomer, TableOrders, TableLineItem, TableNation, TableRegion}
}

// String returns the table's SQL name, e.g. "lineitem".
func (t Table) String() string {
	if t < 0 || int(t) >= len(tableNames) {
		return fmt.Sprintf("Table(%d)", int(t))
	}
	return tableNames[t]
}

// ParseTable maps a SQL table name ("lineitem") to its Table.
func ParseTable(name string) (Table, error) {
	for i, n := range tableNames {
		if n == name {
			return Table(i), nil
		}
	}
	return -1, fmt.Errorf("dbgen: unknown table %q", name)
}

// Compat selects whose dbgen the data reproduces. The two differ only in
// the comment columns (the size of the text they are cut from) and in the
// address columns (the TPC's code computes the span of the draws behind
// an address's characters with a 32-bit overflow); every key, number, date
// and word-list string is the same.
type Compat int

const (
	// CompatDuckDB reproduces the tpch extension of DuckDB 1.x (CALL
	// dbgen(sf=…) in DuckDB 1.5.5), whose data the project's reference
	// answers and shared TPC-H files were made from: a 10 MiB comment
	// text and addresses computed without the overflow.
	CompatDuckDB Compat = iota
	// CompatTPC reproduces the TPC's dbgen, and with it DuckDB 2.0's
	// built-in tpch extension, which generates exactly that. Its comment
	// text takes 300 MiB.
	CompatTPC
)

// Options tunes a Generator. The zero value reproduces DuckDB's dbgen().
type Options struct {
	Compat Compat
}

// Facts of the TPC-H specification (clause 4.2) that fix table sizes.
const (
	// maxScale is the first scale factor not supported: from 30000 on,
	// dbgen draws keys from a second, 64-bit generator.
	maxScale     = 30000
	suppsPerPart = 4
	maxLines     = 7
)

// sf1Rows is a table's row count at scale factor 1 (orders: 10 per
// customer; partsupp and lineitem follow from part and orders).
func sf1Rows(t Table) int64 {
	switch t {
	case TablePart:
		return 200000
	case TableSupplier:
		return 10000
	case TableCustomer:
		return 150000
	case TableOrders:
		return 1500000
	}
	return 0
}

// Generator produces the rows of one scale factor. Apart from two
// values computed once on first use (the comment text and the index of
// line counts), it never changes after New, so any number of goroutines
// may generate from it at once, the same table or different ones.
type Generator struct {
	sf float64
	// scale multiplies the clerk range; it is the scale factor from 1 on
	// and 1 below (dbgen shrinks the tables instead).
	scale int64
	rows  [len(tableNames)]int64

	cat      *catalog
	rules    *prose
	lists    namedLists
	poolSize int
	// vspan is the width of the draws behind v-string characters.
	vspan float64

	poolOnce sync.Once
	pool     commentText

	linesOnce sync.Once
	lines     *lineIndex
}

// namedLists are the word lists the row generators pick from.
type namedLists struct {
	colors, types, containers, segments, priorities *wordList
	instructions, modes, returnFlags                *wordList
	nations, regions                                *wordList
}

// New prepares a generator for scale factor sf.
//
// Below 1 the scale factor shrinks every table but nation and region to
// (int)(1000·sf) thousandths of its SF 1 size, at least one row, as dbgen
// does; from 1 on it must be a whole number below 30000.
func New(sf float64, opts Options) (*Generator, error) {
	if math.IsNaN(sf) || sf <= 0 || sf >= maxScale {
		return nil, fmt.Errorf("dbgen: scale factor %v out of range (0, %d)", sf, maxScale)
	}
	if sf >= 1 && sf != math.Trunc(sf) {
		return nil, fmt.Errorf("dbgen: scale factor %v: scale factors of 1 and above must be whole numbers", sf)
	}
	g := &Generator{sf: sf}
	switch opts.Compat {
	case CompatDuckDB:
		g.poolSize, g.vspan = duckdbPoolSize, vstrSpan
	case CompatTPC:
		g.poolSize, g.vspan = tpcPoolSize, -vstrSpan
	default:
		return nil, fmt.Errorf("dbgen: unknown Compat %d", opts.Compat)
	}
	var err error
	if g.cat, err = loadCatalog(); err != nil {
		return nil, err
	}
	if g.rules, err = newProse(g.cat); err != nil {
		return nil, err
	}
	c := g.cat
	g.lists = namedLists{
		colors: c.list("colors", &err), types: c.list("p_types", &err), containers: c.list("p_cntr", &err),
		segments: c.list("msegmnt", &err), priorities: c.list("o_oprio", &err),
		instructions: c.list("instruct", &err), modes: c.list("smode", &err), returnFlags: c.list("rflag", &err),
		nations: c.list("nations", &err), regions: c.list("regions", &err),
	}
	if err != nil {
		return nil, err
	}
	if err := g.checkStreams(); err != nil {
		return nil, err
	}

	g.scale = 1
	shrink := int64(1000)
	if sf >= 1 {
		g.scale = int64(sf)
	} else {
		// The float product truncated is what dbgen computes: 1000·0.01
		// is 10.000000000000002 and gives 10.
		shrink = int64(1000 * sf)
	}
	for _, t := range []Table{TablePart, TableSupplier, TableCustomer, TableOrders} {
		g.rows[t] = max(shrink*sf1Rows(t)/1000, 1) * g.scale
	}
	g.rows[TablePartSupp] = g.rows[TablePart] * suppsPerPart
	g.rows[TableNation] = int64(len(g.lists.nations.words))
	g.rows[TableRegion] = int64(len(g.lists.regions.words))
	return g, nil
}

// ScaleFactor returns the scale factor the generator was built for.
func (g *Generator) ScaleFactor() float64 { return g.sf }

// RowCount returns the number of rows of table t. For lineitem it is the
// sum of every order's line count, which the first call computes (by
// drawing each order's count, without generating any row).
func (g *Generator) RowCount(t Table) int64 {
	if t < 0 || int(t) >= len(g.rows) {
		return 0
	}
	if t == TableLineItem {
		return g.lineIndex().total
	}
	return g.rows[t]
}

// text returns the comment text, written on first use.
func (g *Generator) text() *commentText {
	g.poolOnce.Do(func() {
		g.pool.text = g.rules.writePool(g.poolSize, g.cat.streams["text_pool"])
	})
	return &g.pool
}

// rangeCheck validates a row range of a table with n rows.
func rangeCheck(t Table, first, count, n int64) error {
	if first < 0 || count < 0 || first > n || count > n-first {
		return fmt.Errorf("dbgen: rows [%d, %d) out of range for %s (%d rows)", first, first+count, t, n)
	}
	return nil
}
