// Derived from github.com/pingcap/go-tpc v1.0.12, tpch/dbgen (Apache License
// 2.0), a Go port of the TPC-H dbgen. See NOTICE for what was changed.

package dbgen

import (
	"fmt"
	"math"
)

// Table identifies a TPC-H table. The order is dbgen's, which the random
// stream table tags rely on.
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

	tableNone Table = -1
)

// Tables lists every table in dbgen's order.
func Tables() []Table {
	return []Table{TablePart, TablePartSupp, TableSupplier, TableCustomer, TableOrders, TableLineItem, TableNation, TableRegion}
}

var tableNames = [...]string{"part", "partsupp", "supplier", "customer", "orders", "lineitem", "nation", "region"}

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
	return tableNone, fmt.Errorf("dbgen: unknown table %q", name)
}

// Compat selects whose dbgen the data reproduces. The two differ only in
// the comment columns (text pool size) and in the address columns (an
// integer overflow the TPC's code has and DuckDB's fixed); every key, number,
// date and dictionary-drawn string is the same.
type Compat int

const (
	// CompatDuckDB reproduces DuckDB's tpch extension (CALL dbgen(sf=...)),
	// the data the project's reference answers were computed from.
	CompatDuckDB Compat = iota
	// CompatTPC reproduces the TPC's dbgen. Its text pool takes 300 MiB.
	CompatTPC
)

// Options tunes a Generator. The zero value reproduces DuckDB's dbgen().
type Options struct {
	Compat Compat
}

const (
	suppPerPart   = 4
	ordersPerCust = 10
	oLcntMin      = 1
	oLcntMax      = 7
	// maxScale is dbgen's MAX_SCALE.
	maxScale = 100000
	// hugeScale is where dbgen switches keys to 64-bit random draws.
	hugeScale = 30000
)

// Generator produces the rows of one scale factor. It is immutable once
// built: every table generation keeps its random state to itself, so any
// number of tables may be generated concurrently from one Generator.
type Generator struct {
	sf    float64
	scale int64
	// rows holds dbgen's tdefs[].base * scale: the number of rows (for
	// PartSupp: parts; for LineItem: orders) a full generation produces.
	rows [len(tableNames)]int64
	d    *dists
	pool *textPool
	text string
	// charRange is the range of a_rnd's character draws; see appendVStr.
	charRange float64
}

// New prepares a generator for scale factor sf.
//
// Like dbgen, a scale factor below 1 shrinks every table but nation and
// region to (int)(1000*sf) thousandths of its SF 1 size (at least one row)
// while the "scale" used inside key and clerk ranges stays 1; scale factors
// of 1 and above must be whole numbers.
func New(sf float64, opts Options) (*Generator, error) {
	if math.IsNaN(sf) || sf <= 0 || sf > maxScale {
		return nil, fmt.Errorf("dbgen: scale factor %v out of range (0, %d]", sf, maxScale)
	}
	if sf >= 1 && sf != math.Trunc(sf) {
		return nil, fmt.Errorf("dbgen: scale factor %v: scale factors of 1 and above must be whole numbers", sf)
	}
	g := &Generator{sf: sf, d: loadDists()}
	poolSize := duckdbTextPoolSize
	switch opts.Compat {
	case CompatDuckDB:
		g.charRange = 1 << 31
	case CompatTPC:
		poolSize = tpcTextPoolSize
		g.charRange = -(1 << 31)
	default:
		return nil, fmt.Errorf("dbgen: unknown Compat %d", opts.Compat)
	}
	base := [len(tableNames)]int64{
		TablePart:     200000,
		TablePartSupp: 200000,
		TableSupplier: 10000,
		TableCustomer: 150000,
		TableOrders:   150000 * ordersPerCust,
		TableLineItem: 150000 * ordersPerCust,
	}
	if sf < 1 {
		g.scale = 1
		// The float product truncated to int is exactly what driver.c does,
		// so 0.01 gives 10 even though 1000*0.01 is 10.000000000000002.
		intScale := int64(1000 * sf)
		for t := TablePart; t <= TableLineItem; t++ {
			base[t] = intScale * base[t] / 1000
			if base[t] < 1 {
				base[t] = 1
			}
		}
	} else {
		g.scale = int64(sf)
	}
	for t := TablePart; t <= TableLineItem; t++ {
		g.rows[t] = base[t] * g.scale
	}
	g.rows[TableNation] = int64(len(g.d.nations.text))
	g.rows[TableRegion] = int64(len(g.d.regions.text))

	g.pool = getTextPool(poolSize, g.d)
	g.text = g.pool.text
	return g, nil
}

// ScaleFactor returns the scale factor the generator was built for.
func (g *Generator) ScaleFactor() float64 { return g.sf }

// RowCount returns the number of rows a full generation of t yields. For
// LineItem it replays the one stream that draws each order's line count,
// which costs a few milliseconds per million orders.
func (g *Generator) RowCount(t Table) int64 {
	switch t {
	case TablePartSupp:
		return g.rows[TablePart] * suppPerPart
	case TableLineItem:
		s := initialStreams
		var n int64
		for i := int64(0); i < g.rows[TableOrders]; i++ {
			// O_LCNT_SD has a boundary of one draw per order, so the
			// row_start/row_stop bookkeeping reduces to a plain draw.
			n += s.unifInt(oLcntMin, oLcntMax, oLcntSd)
		}
		return n
	case TablePart, TableSupplier, TableCustomer, TableOrders, TableNation, TableRegion:
		return g.rows[t]
	}
	return 0
}

// makeText is dbgen's TEXT macro (dbg_text): a random slice of the text
// pool. Slicing shares the pool's memory, so comments cost no allocation.
func (g *Generator) makeText(s *streams, avg, sd int) string {
	lo := int64(float64(avg) * 0.4)
	hi := int64(float64(avg) * 1.6)
	off := s.random(0, int64(len(g.text))-hi, sd)
	n := s.random(lo, hi, sd)
	return g.text[off : off+n]
}

const alphaNum = "0123456789abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ,"

// appendVStr is dbgen's V_STR macro (a_rnd): random alphanumerics, five
// characters per RANDOM(0, MAX_LONG) draw. The TPC's UnifInt computes that
// draw's range, 2^31, in int32 arithmetic, which overflows to -2^31 and makes
// the draws negative; DuckDB widened the arithmetic, so its draws are
// positive and its addresses differ from the TPC's (the lengths agree).
func (g *Generator) appendVStr(dst []byte, s *streams, avg, sd int) []byte {
	n := s.random(int64(float64(avg)*0.4), int64(float64(avg)*1.6), sd)
	st := &s[sd]
	var c int64
	for i := int64(0); i < n; i++ {
		if i%5 == 0 {
			st.usage++
			st.value = (st.value * lehmerMultiplier) % lehmerModulus
			c = int64(float64(st.value) / dM * g.charRange)
		}
		dst = append(dst, alphaNum[c&0o77])
		c >>= 6
	}
	return dst
}

// appendPhone is dbgen's gen_phone: the country code follows the nation.
func appendPhone(dst []byte, s *streams, nation int64, sd int) []byte {
	const nationsMax = 90
	area := s.random(100, 999, sd)
	exchange := s.random(100, 999, sd)
	number := s.random(1000, 9999, sd)
	dst = appendPadded(dst, 10+nation%nationsMax, 2)
	dst = append(dst, '-')
	dst = appendPadded(dst, area, 3)
	dst = append(dst, '-')
	dst = appendPadded(dst, exchange, 3)
	dst = append(dst, '-')
	return appendPadded(dst, number, 4)
}

// appendPadded formats a non-negative v like printf's %0*d.
func appendPadded(dst []byte, v int64, width int) []byte {
	var tmp [20]byte
	i := len(tmp)
	for v >= 10 {
		i--
		tmp[i] = byte('0' + v%10)
		v /= 10
	}
	i--
	tmp[i] = byte('0' + v)
	for pad := width - (len(tmp) - i); pad > 0; pad-- {
		dst = append(dst, '0')
	}
	return append(dst, tmp[i:]...)
}

// retailPrice is dbgen's rpb_routine, in cents.
func retailPrice(partKey int64) int64 {
	return 90000 + (partKey/10)%20001 + (partKey%1000)*100
}

// partSuppBridge is dbgen's PART_SUPP_BRIDGE: the supplier of a part's
// s-th partsupp row.
func (g *Generator) partSuppBridge(partKey, s int64) int64 {
	n := g.rows[TableSupplier]
	return (partKey+s*(n/suppPerPart+(partKey-1)/n))%n + 1
}
