package scan

import (
	"bytes"
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// genTable builds a table covering every type the scanner maps, with
// runs (for RLE), repeats (for dictionaries), long strings (for dictionary
// fallback) and optional nulls.
func genTable(rng *rand.Rand, n int, nullFrac float64) arrow.Table {
	mem := memory.DefaultAllocator
	fields := []arrow.Field{
		{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		{Name: "i32", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "i64", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "f32", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
		{Name: "f64", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "d", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "ts_ms", Type: &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}, Nullable: true},
		{Name: "ts_us", Type: &arrow.TimestampType{Unit: arrow.Microsecond}, Nullable: true},
		{Name: "ts_ns", Type: &arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "UTC"}, Nullable: true},
		{Name: "dec9", Type: &arrow.Decimal128Type{Precision: 9, Scale: 2}, Nullable: true},
		{Name: "dec18", Type: &arrow.Decimal128Type{Precision: 18, Scale: 4}, Nullable: true},
		{Name: "i8", Type: arrow.PrimitiveTypes.Int8, Nullable: true},
		{Name: "u16", Type: arrow.PrimitiveTypes.Uint16, Nullable: true},
		{Name: "u32", Type: arrow.PrimitiveTypes.Uint32, Nullable: true},
		{Name: "u64", Type: arrow.PrimitiveTypes.Uint64, Nullable: true},
		{Name: "runs", Type: arrow.PrimitiveTypes.Int64, Nullable: false},
	}
	schema := arrow.NewSchema(fields, nil)
	bld := array.NewRecordBuilder(mem, schema)
	defer bld.Release()
	words := []string{"", "a", "AIR", "MAIL", "REG AIR", "TRUCK", "DELIVER IN PERSON", "ñandú", "\x00bin\xff"}
	run, runLeft := int64(0), 0
	for i := 0; i < n; i++ {
		for c := 0; c < len(fields); c++ {
			fb := bld.Field(c)
			if fields[c].Nullable && rng.Float64() < nullFrac {
				fb.AppendNull()
				continue
			}
			switch fb := fb.(type) {
			case *array.BooleanBuilder:
				fb.Append(rng.Intn(3) == 0)
			case *array.Int32Builder:
				fb.Append(int32(rng.Uint32()) >> uint(rng.Intn(32)))
			case *array.Int64Builder:
				if fields[c].Name == "runs" {
					if runLeft == 0 {
						run, runLeft = rng.Int63n(5), 1+rng.Intn(300)
					}
					runLeft--
					fb.Append(run)
				} else {
					fb.Append(int64(rng.Uint64()) >> uint(rng.Intn(64)))
				}
			case *array.Float32Builder:
				fb.Append(float32(rng.NormFloat64() * 1000))
			case *array.Float64Builder:
				v := rng.NormFloat64() * 1e6
				if rng.Intn(50) == 0 {
					v = math.Inf(1 - 2*rng.Intn(2))
				}
				fb.Append(v)
			case *array.StringBuilder:
				if rng.Intn(4) == 0 {
					b := make([]byte, rng.Intn(60))
					for k := range b {
						b[k] = byte('a' + rng.Intn(26))
					}
					fb.Append(string(b))
				} else {
					fb.Append(words[rng.Intn(len(words))])
				}
			case *array.Date32Builder:
				fb.Append(arrow.Date32(rng.Intn(40000) - 10000))
			case *array.TimestampBuilder:
				fb.Append(arrow.Timestamp(rng.Int63n(4e12) - 1e12))
			case *array.Decimal128Builder:
				p := fields[c].Type.(*arrow.Decimal128Type).Precision
				lim := int64(math.Pow10(int(p)))
				fb.Append(decimal128.FromI64(rng.Int63n(2*lim-1) - lim + 1))
			case *array.Int8Builder:
				fb.Append(int8(rng.Intn(256) - 128))
			case *array.Uint16Builder:
				fb.Append(uint16(rng.Intn(65536)))
			case *array.Uint32Builder:
				fb.Append(rng.Uint32())
			case *array.Uint64Builder:
				fb.Append(uint64(rng.Int63()))
			default:
				panic(fmt.Sprintf("no generator for %T", fb))
			}
		}
	}
	rec := bld.NewRecordBatch()
	defer rec.Release()
	return array.NewTableFromRecords(schema, []arrow.RecordBatch{rec})
}

func writeTable(t testing.TB, tbl arrow.Table, rowGroup int64, props *parquet.WriterProperties, aprops pqarrow.ArrowWriterProperties) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := pqarrow.WriteTable(tbl, &buf, rowGroup, props, aprops); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDifferentialArrowWriter(t *testing.T) {
	codecs := []compress.Compression{compress.Codecs.Uncompressed, compress.Codecs.Snappy, compress.Codecs.Gzip, compress.Codecs.Zstd}
	pageSizes := []int64{300, 2048, 64 << 10}
	rowGroups := []int64{700, 1500, 5000}
	rng := rand.New(rand.NewSource(1))
	combo := 0
	for _, codec := range codecs {
		for _, v2 := range []bool{false, true} {
			for _, dict := range []bool{false, true} {
				for _, nulls := range []bool{false, true} {
					combo++
					pageSize := pageSizes[combo%len(pageSizes)]
					rowGroup := rowGroups[(combo/3)%len(rowGroups)]
					name := fmt.Sprintf("%s/v2=%v/dict=%v/nulls=%v/page=%d/rg=%d", codec, v2, dict, nulls, pageSize, rowGroup)
					t.Run(name, func(t *testing.T) {
						nullFrac := 0.0
						if nulls {
							nullFrac = 0.2
						}
						tbl := genTable(rng, 2200, nullFrac)
						defer tbl.Release()
						ver := parquet.DataPageV1
						if v2 {
							ver = parquet.DataPageV2
						}
						opts := []parquet.WriterProperty{
							parquet.WithCompression(codec),
							parquet.WithDataPageVersion(ver),
							parquet.WithDictionaryDefault(dict),
							parquet.WithDataPageSize(pageSize),
							parquet.WithBatchSize(64),
							parquet.WithMaxRowGroupLength(rowGroup),
							// Integer decimals half the time; FLBA otherwise.
							parquet.WithStoreDecimalAsInteger(combo%2 == 0),
						}
						if combo%3 == 0 {
							// Forces fallback from dictionary to PLAIN within a chunk.
							opts = append(opts, parquet.WithDictionaryPageSizeLimit(512))
						}
						aopts := []pqarrow.WriterOption{}
						if combo%4 == 1 {
							aopts = append(aopts, pqarrow.WithDeprecatedInt96Timestamps(true))
						}
						data := writeTable(t, tbl, rowGroup, parquet.NewWriterProperties(opts...), pqarrow.NewArrowWriterProperties(aopts...))
						checkAgainstArrow(t, data, name, rng)
					})
				}
			}
		}
	}
}

// checkAgainstArrow compares our reader with arrow-go's on every supported
// column, with several batch sizes and column subsets.
func checkAgainstArrow(t *testing.T, data []byte, name string, rng *rand.Rand) {
	t.Helper()
	f := openBytes(t, data, name)
	want := arrowColumns(t, bytes.NewReader(data), columnTypes(f))
	all := supportedCols(f)
	subsets := [][]int{all}
	if len(all) > 1 {
		perm := rng.Perm(len(all))
		k := 1 + rng.Intn(len(all)-1)
		sub := make([]int, k)
		for i := range sub {
			sub[i] = all[perm[i]]
		}
		subsets = append(subsets, sub, []int{all[len(all)-1]})
	}
	for _, batch := range []int{1, 7, 1024, 4096} {
		for _, cols := range subsets {
			if batch == 1 && len(cols) == len(all) && len(all) > 4 {
				continue // the subsets cover batch size 1 more cheaply
			}
			got, err := readAll(t, f, cols, batch)
			if err != nil {
				t.Fatalf("batch %d cols %v: %v", batch, cols, err)
			}
			compareColumns(t, f, cols, got, want, fmt.Sprintf("batch %d cols %v", batch, cols))
		}
	}
}

func TestDifferentialEncodings(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	cases := []struct {
		name string
		encs map[string]parquet.Encoding
	}{
		{"delta", map[string]parquet.Encoding{
			"i32": parquet.Encodings.DeltaBinaryPacked, "i64": parquet.Encodings.DeltaBinaryPacked,
			"d": parquet.Encodings.DeltaBinaryPacked, "ts_ms": parquet.Encodings.DeltaBinaryPacked,
			"ts_ns": parquet.Encodings.DeltaBinaryPacked, "runs": parquet.Encodings.DeltaBinaryPacked,
			"u32": parquet.Encodings.DeltaBinaryPacked, "u64": parquet.Encodings.DeltaBinaryPacked,
			"dec9": parquet.Encodings.DeltaBinaryPacked, "i8": parquet.Encodings.DeltaBinaryPacked,
			"s": parquet.Encodings.DeltaByteArray,
		}},
		{"delta-length", map[string]parquet.Encoding{
			"s": parquet.Encodings.DeltaLengthByteArray, "ts_us": parquet.Encodings.DeltaBinaryPacked,
		}},
		{"byte-stream-split", map[string]parquet.Encoding{
			"f32": parquet.Encodings.ByteStreamSplit, "f64": parquet.Encodings.ByteStreamSplit,
			"i32": parquet.Encodings.ByteStreamSplit, "i64": parquet.Encodings.ByteStreamSplit,
			"dec18": parquet.Encodings.ByteStreamSplit,
		}},
	}
	for _, c := range cases {
		for _, v2 := range []bool{false, true} {
			for _, nulls := range []bool{false, true} {
				name := fmt.Sprintf("%s/v2=%v/nulls=%v", c.name, v2, nulls)
				t.Run(name, func(t *testing.T) {
					nullFrac := 0.0
					if nulls {
						nullFrac = 0.3
					}
					tbl := genTable(rng, 1800, nullFrac)
					defer tbl.Release()
					ver := parquet.DataPageV1
					if v2 {
						ver = parquet.DataPageV2
					}
					opts := []parquet.WriterProperty{
						parquet.WithCompression(compress.Codecs.Snappy),
						parquet.WithDataPageVersion(ver),
						parquet.WithDictionaryDefault(false),
						parquet.WithDataPageSize(700),
						parquet.WithBatchSize(50),
						parquet.WithStoreDecimalAsInteger(c.name != "byte-stream-split"),
					}
					for col, enc := range c.encs {
						opts = append(opts, parquet.WithEncodingFor(col, enc))
					}
					data := writeTable(t, tbl, 1000, parquet.NewWriterProperties(opts...), pqarrow.NewArrowWriterProperties())
					checkAgainstArrow(t, data, name, rng)
				})
			}
		}
	}
}
