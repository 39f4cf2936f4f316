package tpchgen

import (
	"bufio"
	"context"
	"crypto/md5"
	"encoding/binary"
	"flag"
	"math/big"
	"math/bits"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/peregrinedb/peregrine/bench/dbgen"
)

var withSF1 = flag.Bool("sf1", os.Getenv("PEREGRINE_SF1_TESTS") != "",
	"generate TPC-H SF 1 and check every column against the checksums recorded from DuckDB (also PEREGRINE_SF1_TESTS=1)")

const checksumsPath = "../../testdata/tpch-sf1-checksums.tsv"

// recorded is one line of the checksum file.
type recorded struct {
	rows      int64
	tpc, duck string // duck is "-" where the column does not differ
}

func readChecksums(t *testing.T) map[string]recorded {
	t.Helper()
	f, err := os.Open(checksumsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := make(map[string]recorded)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fl := strings.Split(line, "\t")
		if len(fl) != 5 {
			t.Fatalf("%s: bad line %q", checksumsPath, line)
		}
		rows, err := strconv.ParseInt(fl[2], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		out[fl[0]+"."+fl[1]] = recorded{rows: rows, tpc: fl[3], duck: fl[4]}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSF1Checksums generates SF 1 twice, with the default (DuckDB 1.x)
// data and with the TPC's, and checks every table's row count and every
// column's checksum against the values DuckDB computed (see the file's
// header). It takes a minute or two on two cores, so it runs only with
// -sf1 or PEREGRINE_SF1_TESTS=1.
func TestSF1Checksums(t *testing.T) {
	if !*withSF1 {
		t.Skip("generates SF 1: go test ./bench/tpchgen -run SF1 -sf1 -timeout 30m (or PEREGRINE_SF1_TESTS=1)")
	}
	want := readChecksums(t)
	for _, c := range []struct {
		name   string
		compat dbgen.Compat
	}{{"duckdb", dbgen.CompatDuckDB}, {"tpc", dbgen.CompatTPC}} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			start := time.Now()
			if err := Generate(context.Background(), Options{SF: 1, OutDir: dir, Compat: c.compat}); err != nil {
				t.Fatal(err)
			}
			t.Logf("generated SF 1 in %.1fs", time.Since(start).Seconds())
			seen := 0
			for _, table := range allTables {
				for col, got := range tableChecksums(t, filepath.Join(dir, table+".parquet")) {
					key := table + "." + col
					w, ok := want[key]
					if !ok {
						t.Errorf("%s: no recorded checksum", key)
						continue
					}
					seen++
					sum := w.tpc
					if c.compat == dbgen.CompatDuckDB && w.duck != "-" {
						sum = w.duck
					}
					if got.rows != w.rows || got.sum != sum {
						t.Errorf("%s: %d rows, checksum %s; DuckDB: %d rows, %s", key, got.rows, got.sum, w.rows, sum)
					}
				}
			}
			if seen != len(want) {
				t.Errorf("checked %d columns, the file records %d", seen, len(want))
			}
		})
	}
}

// TestChecksumFormat pins the checksum to DuckDB's: md5_number_lower('abc')
// is 8250560606382298838, and values are summed as DuckDB's CAST(… AS
// VARCHAR) prints them.
func TestChecksumFormat(t *testing.T) {
	if got := md5Lower([]byte("abc")); got != 8250560606382298838 {
		t.Fatalf("md5_number_lower('abc') = %d", got)
	}
	mem := memory.DefaultAllocator
	db := array.NewDecimal128Builder(mem, &arrow.Decimal128Type{Precision: 15, Scale: 2})
	defer db.Release()
	for _, cents := range []int64{-28384, 5, 0, 17366547, -7} {
		db.Append(decimal128.FromI64(cents))
	}
	dec := db.NewArray()
	defer dec.Release()
	var texts []string
	appendValueTexts(dec, func(b []byte) { texts = append(texts, string(b)) })
	if got := strings.Join(texts, " "); got != "-283.84 0.05 0.00 173665.47 -0.07" {
		t.Fatalf("decimals print as %q", got)
	}
}

// TestSmallTableChecksums checks nation and region, which are the same at
// every scale factor, against the SF 1 checksums with the default data:
// the recorded values and the checksum code agree without generating SF 1.
func TestSmallTableChecksums(t *testing.T) {
	want := readChecksums(t)
	dir := defaultSF001(t)
	for _, table := range []string{"nation", "region"} {
		got := tableChecksums(t, filepath.Join(dir, table+".parquet"))
		if len(got) == 0 {
			t.Fatalf("%s: no columns", table)
		}
		for col, g := range got {
			w := want[table+"."+col]
			sum := w.tpc
			if w.duck != "-" {
				sum = w.duck
			}
			if g.rows != w.rows || g.sum != sum {
				t.Errorf("%s.%s: %d rows, checksum %s; DuckDB: %d rows, %s", table, col, g.rows, g.sum, w.rows, sum)
			}
		}
	}
}

type columnSum struct {
	rows int64
	sum  string
}

// tableChecksums sums every column of a Parquet file, columns in
// parallel.
func tableChecksums(t *testing.T, path string) map[string]columnSum {
	t.Helper()
	r, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	fr, err := pqarrow.NewFileReader(r, pqarrow.ArrowReadProperties{Parallel: false}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	n := r.MetaData().Schema.NumColumns()
	groups := make([]int, r.NumRowGroups())
	for i := range groups {
		groups[i] = i
	}
	out := make(map[string]columnSum, n)
	var mu sync.Mutex
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := range next {
				cr, err := fr.GetColumn(context.Background(), i)
				if err != nil {
					t.Error(err)
					return
				}
				col, err := fr.ReadColumn(groups, cr)
				if err != nil {
					t.Error(err)
					return
				}
				var hi, lo uint64
				var rows int64
				for _, chunk := range col.Chunks() {
					appendValueTexts(chunk, func(b []byte) {
						var c uint64
						lo, c = bits.Add64(lo, md5Lower(b), 0)
						hi += c
						rows++
					})
				}
				col.Release()
				sum := new(big.Int).Lsh(new(big.Int).SetUint64(hi), 64)
				sum.Add(sum, new(big.Int).SetUint64(lo))
				mu.Lock()
				out[r.MetaData().Schema.Column(i).Name()] = columnSum{rows: rows, sum: sum.String()}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return out
}

// md5Lower is DuckDB's md5_number_lower: the digest's last 8 bytes as a
// little-endian integer.
func md5Lower(b []byte) uint64 {
	d := md5.Sum(b)
	return binary.LittleEndian.Uint64(d[8:])
}

// appendValueTexts calls fn with each value of arr as DuckDB's CAST(… AS
// VARCHAR) prints it (the buffer is reused).
func appendValueTexts(arr arrow.Array, fn func([]byte)) {
	var buf []byte
	switch a := arr.(type) {
	case *array.Int32:
		for _, v := range a.Int32Values() {
			fn(strconv.AppendInt(buf[:0], int64(v), 10))
		}
	case *array.Int64:
		for _, v := range a.Int64Values() {
			fn(strconv.AppendInt(buf[:0], v, 10))
		}
	case *array.Date32:
		for _, v := range a.Date32Values() {
			fn(v.ToTime().AppendFormat(buf[:0], time.DateOnly))
		}
	case *array.Decimal128:
		scale := a.DataType().(*arrow.Decimal128Type).Scale
		for i := range a.Len() {
			fn(appendScaled(buf[:0], a.Value(i).LowBits(), a.Value(i).Sign() < 0, scale))
		}
	case *array.String:
		for i := range a.Len() {
			fn(append(buf[:0], a.Value(i)...))
		}
	default:
		panic("unexpected column type " + arr.DataType().String())
	}
}

// appendScaled prints a decimal of the given scale whose unscaled value
// fits 64 bits (TPC-H money).
func appendScaled(dst []byte, low uint64, neg bool, scale int32) []byte {
	v := int64(low)
	if neg {
		dst = append(dst, '-')
		v = -v
	}
	pow := int64(1)
	for range scale {
		pow *= 10
	}
	dst = strconv.AppendInt(dst, v/pow, 10)
	if scale > 0 {
		dst = append(dst, '.')
		frac := strconv.AppendInt(nil, v%pow, 10)
		for range int(scale) - len(frac) {
			dst = append(dst, '0')
		}
		dst = append(dst, frac...)
	}
	return dst
}
