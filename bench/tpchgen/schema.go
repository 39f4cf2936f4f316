package tpchgen

import (
	"fmt"
	"unsafe"

	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/schema"
	"github.com/peregrinedb/peregrine/bench/dbgen"
)

// kind is a column's Parquet representation. The choices copy the files
// DuckDB writes for its TPC-H tables (see shared/tpch/duckdb-sf0.01), so
// that engines and tests can treat our files and DuckDB's alike.
type kind int

const (
	kInt32   kind = iota // INT32, Int(32, signed): DuckDB INTEGER
	kInt64               // INT64, Int(64, signed): DuckDB BIGINT
	kDecimal             // INT64, Decimal(15, 2): values in hundredths
	kDate                // INT32, Date: days since 1970-01-01
	kString              // BYTE_ARRAY, String (UTF8)
)

type column struct {
	name string
	kind kind
	// dict marks columns drawn from a domain that does not grow with the
	// scale factor (flags, dates, quantities, nation keys, ...). Only those
	// get dictionary encoding: for keys, prices, names and comments the
	// dictionary would reach the page size limit and be thrown away, after
	// costing more time than all the rest of the encoding.
	dict bool
}

// tableSpec describes one output file.
type tableSpec struct {
	table   dbgen.Table
	columns []column
}

func spec(t dbgen.Table, cols ...column) *tableSpec {
	return &tableSpec{table: t, columns: cols}
}

var specs = map[dbgen.Table]*tableSpec{
	dbgen.TableRegion: spec(dbgen.TableRegion,
		column{"r_regionkey", kInt32, false},
		column{"r_name", kString, true},
		column{"r_comment", kString, false},
	),
	dbgen.TableNation: spec(dbgen.TableNation,
		column{"n_nationkey", kInt32, false},
		column{"n_name", kString, true},
		column{"n_regionkey", kInt32, true},
		column{"n_comment", kString, false},
	),
	dbgen.TableSupplier: spec(dbgen.TableSupplier,
		column{"s_suppkey", kInt64, false},
		column{"s_name", kString, false},
		column{"s_address", kString, false},
		column{"s_nationkey", kInt32, true},
		column{"s_phone", kString, false},
		column{"s_acctbal", kDecimal, false},
		column{"s_comment", kString, false},
	),
	dbgen.TableCustomer: spec(dbgen.TableCustomer,
		column{"c_custkey", kInt64, false},
		column{"c_name", kString, false},
		column{"c_address", kString, false},
		column{"c_nationkey", kInt32, true},
		column{"c_phone", kString, false},
		column{"c_acctbal", kDecimal, false},
		column{"c_mktsegment", kString, true},
		column{"c_comment", kString, false},
	),
	dbgen.TablePart: spec(dbgen.TablePart,
		column{"p_partkey", kInt64, false},
		column{"p_name", kString, false},
		column{"p_mfgr", kString, true},
		column{"p_brand", kString, true},
		column{"p_type", kString, true},
		column{"p_size", kInt32, true},
		column{"p_container", kString, true},
		column{"p_retailprice", kDecimal, false},
		column{"p_comment", kString, false},
	),
	dbgen.TablePartSupp: spec(dbgen.TablePartSupp,
		column{"ps_partkey", kInt64, false},
		column{"ps_suppkey", kInt64, false},
		column{"ps_availqty", kInt64, true},
		column{"ps_supplycost", kDecimal, false},
		column{"ps_comment", kString, false},
	),
	dbgen.TableOrders: spec(dbgen.TableOrders,
		column{"o_orderkey", kInt64, false},
		column{"o_custkey", kInt64, false},
		column{"o_orderstatus", kString, true},
		column{"o_totalprice", kDecimal, false},
		column{"o_orderdate", kDate, true},
		column{"o_orderpriority", kString, true},
		column{"o_clerk", kString, true},
		column{"o_shippriority", kInt32, true},
		column{"o_comment", kString, false},
	),
	dbgen.TableLineItem: spec(dbgen.TableLineItem,
		column{"l_orderkey", kInt64, false},
		column{"l_partkey", kInt64, false},
		column{"l_suppkey", kInt64, false},
		column{"l_linenumber", kInt64, true},
		column{"l_quantity", kDecimal, true},
		column{"l_extendedprice", kDecimal, false},
		column{"l_discount", kDecimal, true},
		column{"l_tax", kDecimal, true},
		column{"l_returnflag", kString, true},
		column{"l_linestatus", kString, true},
		column{"l_shipdate", kDate, true},
		column{"l_commitdate", kDate, true},
		column{"l_receiptdate", kDate, true},
		column{"l_shipinstruct", kString, true},
		column{"l_shipmode", kString, true},
		column{"l_comment", kString, false},
	),
}

// parquetSchema builds the file schema. Every TPC-H column is NOT NULL, so
// all are REQUIRED (DuckDB marks them OPTIONAL without writing any null;
// readers see the same values either way).
func (ts *tableSpec) parquetSchema() (*schema.GroupNode, error) {
	fields := make(schema.FieldList, len(ts.columns))
	for i, c := range ts.columns {
		var (
			lt   schema.LogicalType
			phys parquet.Type
		)
		switch c.kind {
		case kInt32:
			lt, phys = schema.NewIntLogicalType(32, true), parquet.Types.Int32
		case kInt64:
			lt, phys = schema.NewIntLogicalType(64, true), parquet.Types.Int64
		case kDecimal:
			lt, phys = schema.NewDecimalLogicalType(15, 2), parquet.Types.Int64
		case kDate:
			lt, phys = schema.DateLogicalType{}, parquet.Types.Int32
		case kString:
			lt, phys = schema.StringLogicalType{}, parquet.Types.ByteArray
		default:
			return nil, fmt.Errorf("tpchgen: column %s: unknown kind %d", c.name, c.kind)
		}
		n, err := schema.NewPrimitiveNodeLogical(c.name, parquet.Repetitions.Required, lt, phys, -1, -1)
		if err != nil {
			return nil, fmt.Errorf("tpchgen: column %s: %w", c.name, err)
		}
		fields[i] = n
	}
	return schema.NewGroupNode("schema", parquet.Repetitions.Required, fields, -1)
}

// batch holds one row group of a table column by column. Each column uses
// the one slice that matches its kind.
type batch struct {
	rows int
	cols []colBuf
}

type colBuf struct {
	i32 []int32
	i64 []int64
	str []parquet.ByteArray
	// Dictionary-encoded string columns keep indices into dict instead of
	// str: a Go map lookup is far cheaper than the writer's own hashing of
	// every value, which allocates per value. Integer dictionary columns
	// are indexed when written (see indexInts): idx, with the distinct
	// values in ints and slots as scratch.
	idx   []int32
	dict  *stringDict
	ints  []int64
	slots []int32
}

// stringDict numbers distinct strings in order of first appearance, the
// order the writer's own dictionary encoder would give them.
type stringDict struct {
	ids    map[string]int32
	values []string
}

func (d *stringDict) id(s string) int32 {
	// The generator hands out the same few strings again and again (list
	// words and literals): comparing where they point is cheaper than
	// hashing them. A miss falls back to the map, which compares content.
	if len(d.values) <= 8 {
		p := unsafe.StringData(s)
		for i, v := range d.values {
			if unsafe.StringData(v) == p && len(v) == len(s) {
				return int32(i)
			}
		}
	}
	if id, ok := d.ids[s]; ok {
		return id
	}
	id := int32(len(d.values))
	d.ids[s] = id
	d.values = append(d.values, s)
	return id
}

func (c *colBuf) addString(s string) {
	if c.dict != nil {
		c.idx = append(c.idx, c.dict.id(s))
		return
	}
	c.str = append(c.str, bytesOf(s))
}

func newBatch(ts *tableSpec, capacity int) *batch {
	b := &batch{cols: make([]colBuf, len(ts.columns))}
	for i, c := range ts.columns {
		switch c.kind {
		case kInt32, kDate:
			b.cols[i].i32 = make([]int32, 0, capacity)
		case kInt64, kDecimal:
			b.cols[i].i64 = make([]int64, 0, capacity)
		case kString:
			if c.dict {
				b.cols[i].idx = make([]int32, 0, capacity)
				b.cols[i].dict = &stringDict{ids: make(map[string]int32)}
			} else {
				b.cols[i].str = make([]parquet.ByteArray, 0, capacity)
			}
		}
	}
	return b
}

func (b *batch) reset() {
	b.rows = 0
	for i := range b.cols {
		c := &b.cols[i]
		c.i32, c.i64, c.idx = c.i32[:0], c.i64[:0], c.idx[:0]
		if c.dict != nil {
			clear(c.dict.ids)
			clear(c.dict.values)
			c.dict.values = c.dict.values[:0]
		}
		// Drop the string references so written rows can be collected.
		clear(c.str)
		c.str = c.str[:0]
	}
}

// bytesOf views a string's bytes without copying. dbgen never reuses a
// string's memory and the Parquet writer only reads values, so the view
// stays valid and unmodified for as long as the batch refers to it.
func bytesOf(s string) parquet.ByteArray {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// The append functions below must list the columns in spec order.

func (b *batch) addRegion(r *dbgen.Region) {
	c := b.cols
	c[0].i32 = append(c[0].i32, r.RegionKey)
	c[1].addString(r.Name)
	c[2].addString(r.Comment)
	b.rows++
}

func (b *batch) addNation(n *dbgen.Nation) {
	c := b.cols
	c[0].i32 = append(c[0].i32, n.NationKey)
	c[1].addString(n.Name)
	c[2].i32 = append(c[2].i32, n.RegionKey)
	c[3].addString(n.Comment)
	b.rows++
}

func (b *batch) addSupplier(s *dbgen.Supplier) {
	c := b.cols
	c[0].i64 = append(c[0].i64, s.SuppKey)
	c[1].addString(s.Name)
	c[2].addString(s.Address)
	c[3].i32 = append(c[3].i32, s.NationKey)
	c[4].addString(s.Phone)
	c[5].i64 = append(c[5].i64, s.AcctBal)
	c[6].addString(s.Comment)
	b.rows++
}

func (b *batch) addCustomer(cu *dbgen.Customer) {
	c := b.cols
	c[0].i64 = append(c[0].i64, cu.CustKey)
	c[1].addString(cu.Name)
	c[2].addString(cu.Address)
	c[3].i32 = append(c[3].i32, cu.NationKey)
	c[4].addString(cu.Phone)
	c[5].i64 = append(c[5].i64, cu.AcctBal)
	c[6].addString(cu.MktSegment)
	c[7].addString(cu.Comment)
	b.rows++
}

func (b *batch) addPart(p *dbgen.Part) {
	c := b.cols
	c[0].i64 = append(c[0].i64, p.PartKey)
	c[1].addString(p.Name)
	c[2].addString(p.Mfgr)
	c[3].addString(p.Brand)
	c[4].addString(p.Type)
	c[5].i32 = append(c[5].i32, p.Size)
	c[6].addString(p.Container)
	c[7].i64 = append(c[7].i64, p.RetailPrice)
	c[8].addString(p.Comment)
	b.rows++
}

func (b *batch) addPartSupp(ps *dbgen.PartSupp) {
	c := b.cols
	c[0].i64 = append(c[0].i64, ps.PartKey)
	c[1].i64 = append(c[1].i64, ps.SuppKey)
	c[2].i64 = append(c[2].i64, ps.AvailQty)
	c[3].i64 = append(c[3].i64, ps.SupplyCost)
	c[4].addString(ps.Comment)
	b.rows++
}

func (b *batch) addOrder(o *dbgen.Order) {
	c := b.cols
	c[0].i64 = append(c[0].i64, o.OrderKey)
	c[1].i64 = append(c[1].i64, o.CustKey)
	c[2].addString(o.OrderStatus)
	c[3].i64 = append(c[3].i64, o.TotalPrice)
	c[4].i32 = append(c[4].i32, int32(o.OrderDate))
	c[5].addString(o.OrderPriority)
	c[6].addString(o.Clerk)
	c[7].i32 = append(c[7].i32, o.ShipPriority)
	c[8].addString(o.Comment)
	b.rows++
}

func (b *batch) addLineItem(l *dbgen.LineItem) {
	c := b.cols
	c[0].i64 = append(c[0].i64, l.OrderKey)
	c[1].i64 = append(c[1].i64, l.PartKey)
	c[2].i64 = append(c[2].i64, l.SuppKey)
	c[3].i64 = append(c[3].i64, l.LineNumber)
	c[4].i64 = append(c[4].i64, l.Quantity*100)
	c[5].i64 = append(c[5].i64, l.ExtendedPrice)
	c[6].i64 = append(c[6].i64, l.Discount)
	c[7].i64 = append(c[7].i64, l.Tax)
	c[8].addString(l.ReturnFlag)
	c[9].addString(l.LineStatus)
	c[10].i32 = append(c[10].i32, int32(l.ShipDate))
	c[11].i32 = append(c[11].i32, int32(l.CommitDate))
	c[12].i32 = append(c[12].i32, int32(l.ReceiptDate))
	c[13].addString(l.ShipInstruct)
	c[14].addString(l.ShipMode)
	c[15].addString(l.Comment)
	b.rows++
}
