package tpchgen

import (
	"context"
	"encoding/binary"
	"hash/fnv"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

var allTables = []string{"region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem"}

// sf001 generates SF 0.01 with default options once for all tests that
// only read it.
var sf001 struct {
	once sync.Once
	dir  string
	err  error
}

var tmpRoot string

func TestMain(m *testing.M) {
	var err error
	tmpRoot, err = os.MkdirTemp("", "tpchgen-test-")
	if err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(tmpRoot)
	os.Exit(code)
}

func defaultSF001(t testing.TB) string {
	t.Helper()
	sf001.once.Do(func() {
		sf001.dir = filepath.Join(tmpRoot, "sf0.01")
		sf001.err = Generate(context.Background(), Options{SF: 0.01, OutDir: sf001.dir})
	})
	if sf001.err != nil {
		t.Fatal(sf001.err)
	}
	return sf001.dir
}

type parquetFile struct {
	meta  *file.Reader
	table arrow.Table
}

func readParquet(t testing.TB, path string) parquetFile {
	t.Helper()
	r, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	fr, err := pqarrow.NewFileReader(r, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tbl.Release)
	return parquetFile{meta: r, table: tbl}
}

// arrayOf returns column i as one array, whatever its chunking.
func arrayOf(t testing.TB, tbl arrow.Table, i int) arrow.Array {
	t.Helper()
	arr, err := array.Concatenate(tbl.Column(i).Data().Chunks(), memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(arr.Release)
	return arr
}

// hashColumn is an FNV-64a of a column's values in a type-specific binary
// form (decimals as their unscaled integers).
func hashColumn(t testing.TB, arr arrow.Array) uint64 {
	t.Helper()
	h := fnv.New64a()
	var buf [16]byte
	for i := 0; i < arr.Len(); i++ {
		switch a := arr.(type) {
		case *array.Int32:
			binary.LittleEndian.PutUint32(buf[:], uint32(a.Value(i)))
			h.Write(buf[:4])
		case *array.Date32:
			binary.LittleEndian.PutUint32(buf[:], uint32(a.Value(i)))
			h.Write(buf[:4])
		case *array.Int64:
			binary.LittleEndian.PutUint64(buf[:], uint64(a.Value(i)))
			h.Write(buf[:8])
		case *array.Decimal128:
			v := a.Value(i)
			binary.LittleEndian.PutUint64(buf[:], v.LowBits())
			binary.LittleEndian.PutUint64(buf[8:], uint64(v.HighBits()))
			h.Write(buf[:16])
		case *array.String:
			h.Write([]byte(a.Value(i)))
			h.Write([]byte{0})
		default:
			t.Fatalf("unexpected column type %s", arr.DataType())
		}
	}
	return h.Sum64()
}

// columnStrings renders every value of column i, whatever its chunking.
func columnStrings(tbl arrow.Table, i int) []string {
	out := make([]string, 0, tbl.NumRows())
	for _, ch := range tbl.Column(i).Data().Chunks() {
		for j := 0; j < ch.Len(); j++ {
			if ch.IsNull(j) {
				out = append(out, "<null>")
			} else {
				out = append(out, ch.ValueStr(j))
			}
		}
	}
	return out
}
