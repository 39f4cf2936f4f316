package ssb

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/peregrinedb/peregrine"
)

// Tables lists the files Derive writes, without their .parquet suffix.
var Tables = []string{"lineorder", "customer", "supplier", "part", "date", "nation", "region"}

// derivations are the SELECTs, over a TPC-H database, whose results become
// the SSB tables (the date dimension is generated in Go, see date.go). They
// follow the SSB specification (O'Neil, O'Neil, Chen: "Star Schema
// Benchmark", revision 3) with these deliberate differences:
//   - part keeps TPC-H's 200,000·SF rows (SSB: 200,000·⌊1+log2 SF⌋);
//   - customer and supplier keep their nation key (c_nationkey,
//     s_nationkey), and nation and region are copied, so queries can join
//     them as a snowflake as well as read the denormalised c_nation/c_region;
//   - p_color is the first word of TPC-H's p_name; p_brand1 is the category
//     followed by 1 + p_partkey mod 40;
//   - prices and costs stay DECIMAL(15,2); quantity, discount (percent) and
//     tax (percent) are INTEGER; dates are INTEGER yyyymmdd keys into date.
//
// Each is a plain SELECT in the SQL both Peregrine and DuckDB run, so the
// data can be derived by either.
var derivations = map[string]string{
	"lineorder": `SELECT l_orderkey AS lo_orderkey, l_linenumber AS lo_linenumber, o_custkey AS lo_custkey,
  l_partkey AS lo_partkey, l_suppkey AS lo_suppkey,
  CAST(year(o_orderdate) * 10000 + month(o_orderdate) * 100 + day(o_orderdate) AS INTEGER) AS lo_orderdate,
  o_orderpriority AS lo_orderpriority, o_shippriority AS lo_shippriority,
  CAST(l_quantity AS INTEGER) AS lo_quantity, l_extendedprice AS lo_extendedprice,
  o_totalprice AS lo_ordtotalprice, CAST(l_discount * 100 AS INTEGER) AS lo_discount,
  CAST(l_extendedprice * (1 - l_discount) AS DECIMAL(15,2)) AS lo_revenue,
  ps_supplycost AS lo_supplycost, CAST(l_tax * 100 AS INTEGER) AS lo_tax,
  CAST(year(l_commitdate) * 10000 + month(l_commitdate) * 100 + day(l_commitdate) AS INTEGER) AS lo_commitdate,
  l_shipmode AS lo_shipmode
FROM lineitem JOIN orders ON l_orderkey = o_orderkey
  JOIN partsupp ON l_partkey = ps_partkey AND l_suppkey = ps_suppkey
ORDER BY lo_orderkey, lo_linenumber`,
	"customer": `SELECT c_custkey, c_name, c_address, ` + city("c_custkey") + ` AS c_city,
  n_name AS c_nation, r_name AS c_region, c_phone, c_mktsegment, c_nationkey
FROM customer JOIN nation ON c_nationkey = n_nationkey JOIN region ON n_regionkey = r_regionkey
ORDER BY c_custkey`,
	"supplier": `SELECT s_suppkey, s_name, s_address, ` + city("s_suppkey") + ` AS s_city,
  n_name AS s_nation, r_name AS s_region, s_phone, s_nationkey
FROM supplier JOIN nation ON s_nationkey = n_nationkey JOIN region ON n_regionkey = r_regionkey
ORDER BY s_suppkey`,
	"part": `SELECT p_partkey, p_name, 'MFGR#' || substring(p_mfgr, 14, 1) AS p_mfgr,
  'MFGR#' || substring(p_brand, 7, 2) AS p_category,
  'MFGR#' || substring(p_brand, 7, 2) || CAST(p_partkey % 40 + 1 AS VARCHAR) AS p_brand1,
  ` + firstWord("p_name") + ` AS p_color, p_type, p_size, p_container
FROM part ORDER BY p_partkey`,
	"nation": `SELECT * FROM nation ORDER BY n_nationkey`,
	"region": `SELECT * FROM region ORDER BY r_regionkey`,
}

// city is SSB's city: the nation's name cut or blank-padded to 9
// characters, then a digit (here the key's last digit).
func city(key string) string {
	return fmt.Sprintf("substring(n_name || '         ', 1, 9) || CAST(%s %% 10 AS VARCHAR)", key)
}

// firstWord is the first blank-separated word of col, for words of 3 to 10
// characters (TPC-H's colour names), written with substring alone.
func firstWord(col string) string {
	var sb strings.Builder
	sb.WriteString("CASE")
	for n := 3; n <= 10; n++ {
		fmt.Fprintf(&sb, " WHEN substring(%s, %d, 1) = ' ' THEN substring(%s, 1, %d)", col, n+1, col, n)
	}
	fmt.Fprintf(&sb, " ELSE %s END", col)
	return sb.String()
}

// DeriveOptions configure Derive.
type DeriveOptions struct {
	// Log receives one line per table written; nil for none.
	Log func(format string, args ...any)
}

// Derive writes the SSB tables into dir (created if needed) from the
// TPC-H tables db reads: dir/lineorder.parquet, dir/date.parquet and so on.
func Derive(ctx context.Context, db *peregrine.DB, dir string, opts DeriveOptions) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	logf := opts.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	for _, t := range Tables {
		start := time.Now()
		path := filepath.Join(dir, t+".parquet")
		var err error
		if t == "date" {
			err = writeDates(ctx, path)
		} else {
			err = db.Exec(ctx, fmt.Sprintf("COPY (%s) TO %s (FORMAT parquet)", derivations[t], quote(path)))
		}
		if err != nil {
			return fmt.Errorf("deriving %s: %w", t, err)
		}
		logf("%s: %s\n", path, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// DerivationSQL returns the SELECT that derives table t from TPC-H's
// tables ("" for date, which is generated).
func DerivationSQL(t string) string { return derivations[t] }

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
