package storage

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/schema"
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/scan"
)

type colDef struct {
	name string
	typ  coldata.Type
}

func defs(cols []colDef) ([]string, []coldata.Type) {
	names := make([]string, len(cols))
	types := make([]coldata.Type, len(cols))
	for i, c := range cols {
		names[i], types[i] = c.name, c.typ
	}
	return names, types
}

var (
	vchar   = coldata.TypeString
	bigint  = coldata.TypeInt64
	boolean = coldata.TypeBool
)

// metadataCols are DuckDB's parquet_metadata columns, in its order. DuckDB
// types key_value_metadata as MAP(BLOB, BLOB); without a MAP type it is a
// VARCHAR rendered as {key=value, ...}.
var metadataCols = []colDef{
	{"file_name", vchar}, {"row_group_id", bigint}, {"row_group_num_rows", bigint},
	{"row_group_num_columns", bigint}, {"row_group_bytes", bigint}, {"column_id", bigint},
	{"file_offset", bigint}, {"num_values", bigint}, {"path_in_schema", vchar}, {"type", vchar},
	{"stats_min", vchar}, {"stats_max", vchar}, {"stats_null_count", bigint}, {"stats_distinct_count", bigint},
	{"stats_min_value", vchar}, {"stats_max_value", vchar}, {"compression", vchar}, {"encodings", vchar},
	{"index_page_offset", bigint}, {"dictionary_page_offset", bigint}, {"data_page_offset", bigint},
	{"total_compressed_size", bigint}, {"total_uncompressed_size", bigint}, {"key_value_metadata", vchar},
	{"bloom_filter_offset", bigint}, {"bloom_filter_length", bigint}, {"min_is_exact", boolean},
	{"max_is_exact", boolean}, {"row_group_compressed_bytes", bigint},
}

// schemaCols are DuckDB's parquet_schema columns.
var schemaCols = []colDef{
	{"file_name", vchar}, {"name", vchar}, {"type", vchar}, {"type_length", vchar},
	{"repetition_type", vchar}, {"num_children", bigint}, {"converted_type", vchar},
	{"scale", bigint}, {"precision", bigint}, {"field_id", bigint}, {"logical_type", vchar},
}

func str(s string) coldata.Datum { return coldata.Datum{S: s} }
func num(i int64) coldata.Datum  { return coldata.Datum{I: i} }

func openFooter(f *scan.File) (*metadata.FileMetaData, func(), error) {
	return f.Metadata(), func() {}, nil
}

// ParquetMetadata returns parquet_metadata(files): one row per row group and
// column chunk. Statistics are rendered in the column's logical type (dates
// as dates, decimals with their scale) as DuckDB does.
func ParquetMetadata(files ...*scan.File) (names []string, types []coldata.Type, rows [][]coldata.Datum, err error) {
	names, types = defs(metadataCols)
	for _, f := range files {
		md, done, err := openFooter(f)
		if err != nil {
			return nil, nil, nil, err
		}
		kv := renderKV(md.KeyValueMetadata())
		// Statistics can be decoded through scan when leaf j is top-level
		// column j, i.e. the file has no nested columns.
		flat := md.Schema.NumColumns() == len(f.Columns())
		for rg, g := range md.RowGroups {
			rgm := md.RowGroup(rg)
			for c, cc := range g.Columns {
				ccm, err := rgm.ColumnChunk(c)
				if err != nil || cc.MetaData == nil {
					done()
					return nil, nil, nil, fmt.Errorf("%s: row group %d column %d: corrupt metadata", f.Path(), rg, c)
				}
				m := cc.MetaData
				row := []coldata.Datum{
					str(f.Path()), num(int64(rg)), num(rgm.NumRows()), num(int64(rgm.NumColumns())), num(rgm.TotalByteSize()),
					num(int64(c)), num(cc.FileOffset), num(m.NumValues), str(strings.Join(m.PathInSchema, ", ")),
					str(ccm.Type().String()),
				}
				minS, maxS, minV, maxV := coldata.NullDatum, coldata.NullDatum, coldata.NullDatum, coldata.NullDatum
				nulls, distinct := coldata.NullDatum, coldata.NullDatum
				minExact, maxExact := coldata.NullDatum, coldata.NullDatum
				if st := m.Statistics; st != nil {
					if st.NullCount != nil {
						nulls = num(*st.NullCount)
					}
					if st.DistinctCount != nil {
						distinct = num(*st.DistinctCount)
					}
					if flat && f.Columns()[c].Unsupported == "" {
						if s, ok := f.ColumnStats(rg, c); ok && s.HasMinMax {
							t := f.Columns()[c].Type
							lo, hi := str(coldata.Format(t, s.Min)), str(coldata.Format(t, s.Max))
							if st.MinValue != nil {
								minV, maxV = lo, hi
							}
							if st.Min != nil && (st.MinValue == nil || bytes.Equal(st.Min, st.MinValue)) {
								minS, maxS = lo, hi
							}
						}
					}
					if st.MinValue != nil {
						minExact = coldata.Datum{B: st.IsMinValueExact == nil || *st.IsMinValueExact}
						maxExact = coldata.Datum{B: st.IsMaxValueExact == nil || *st.IsMaxValueExact}
					}
				}
				row = append(row, minS, maxS, nulls, distinct, minV, maxV, str(ccm.Compression().String()), str(encodings(ccm)))
				row = append(row, optional(m.IndexPageOffset), optional(m.DictionaryPageOffset), num(m.DataPageOffset),
					num(m.TotalCompressedSize), num(m.TotalUncompressedSize), kv,
					optional(m.BloomFilterOffset), optional32(m.BloomFilterLength), minExact, maxExact, num(rgm.TotalCompressedSize()))
				rows = append(rows, row)
			}
		}
		done()
	}
	return names, types, rows, nil
}

func optional(p *int64) coldata.Datum {
	if p == nil {
		return coldata.NullDatum
	}
	return num(*p)
}

func optional32(p *int32) coldata.Datum {
	if p == nil {
		return coldata.NullDatum
	}
	return num(int64(*p))
}

func encodings(cc *metadata.ColumnChunkMetaData) string {
	var s []string
	for _, e := range cc.Encodings() {
		s = append(s, e.String())
	}
	return strings.Join(s, ", ")
}

func renderKV(kv metadata.KeyValueMetadata) coldata.Datum {
	if kv == nil || kv.Len() == 0 {
		return coldata.NullDatum
	}
	var parts []string
	for i, k := range kv.Keys() {
		v := kv.Values()[i]
		if len(v) > 200 { // the Arrow schema blob: long base64 is noise here
			v = v[:200] + "…"
		}
		parts = append(parts, k+"="+v)
	}
	sort.Strings(parts)
	return str("{" + strings.Join(parts, ", ") + "}")
}

// ParquetSchema returns parquet_schema(files): one row per schema element,
// the root first, depth-first.
func ParquetSchema(files ...*scan.File) (names []string, types []coldata.Type, rows [][]coldata.Datum, err error) {
	names, types = defs(schemaCols)
	for _, f := range files {
		md, done, err := openFooter(f)
		if err != nil {
			return nil, nil, nil, err
		}
		var walk func(n schema.Node, root bool)
		walk = func(n schema.Node, root bool) {
			row := []coldata.Datum{str(f.Path()), str(n.Name())}
			typ, tlen, nchild := coldata.NullDatum, coldata.NullDatum, coldata.NullDatum
			scale, prec := coldata.NullDatum, coldata.NullDatum
			var children []schema.Node
			switch n := n.(type) {
			case *schema.PrimitiveNode:
				typ = str(n.PhysicalType().String())
				if n.TypeLength() > 0 {
					tlen = str(fmt.Sprint(n.TypeLength()))
				}
				if dm := n.DecimalMetadata(); dm.IsSet {
					scale, prec = num(int64(dm.Scale)), num(int64(dm.Precision))
				}
			case *schema.GroupNode:
				nchild = num(int64(n.NumFields()))
				for i := 0; i < n.NumFields(); i++ {
					children = append(children, n.Field(i))
				}
			}
			rep := coldata.NullDatum
			if !root {
				rep = str(strings.ToUpper(n.RepetitionType().String()))
			}
			conv := coldata.NullDatum
			if ct := n.ConvertedType(); ct != schema.ConvertedTypes.None && ct != schema.ConvertedTypes.NA {
				conv = str(strings.ToUpper(ct.String()))
			}
			fid := coldata.NullDatum
			if n.FieldID() >= 0 {
				fid = num(int64(n.FieldID()))
			}
			logical := coldata.NullDatum
			if lt := n.LogicalType(); lt != nil && !lt.Equals(schema.NoLogicalType{}) {
				logical = str(lt.String())
			}
			rows = append(rows, append(row, typ, tlen, rep, nchild, conv, scale, prec, fid, logical))
			for _, c := range children {
				walk(c, false)
			}
		}
		walk(md.Schema.Root(), true)
		done()
	}
	return names, types, rows, nil
}
