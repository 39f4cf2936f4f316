package storage

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/scan"
)

// knownFile writes a two-row-group file: id BIGINT 0..9, price DECIMAL(9,2),
// day DATE, name VARCHAR with NULLs.
func knownFile(t *testing.T) *scan.File {
	t.Helper()
	types := []coldata.Type{coldata.TypeInt64, coldata.DecimalType(9, 2), coldata.TypeDate, coldata.TypeString}
	names := []string{"id", "price", "day", "name"}
	var rows [][]coldata.Datum
	for i := 0; i < 10; i++ {
		name := coldata.Datum{S: "n" + itoa(i)}
		if i%4 == 0 {
			name = coldata.NullDatum
		}
		rows = append(rows, []coldata.Datum{{I: int64(i)}, {I: int64(i) * 125}, {I: int64(19000 + i)}, name})
	}
	path := filepath.Join(t.TempDir(), "known.parquet")
	if _, err := WriteParquet(context.Background(), &rowSource{types: types, rows: rows, size: 4}, types, names, path,
		WriteOptions{RowGroupSize: 5, Compression: "zstd"}); err != nil {
		t.Fatal(err)
	}
	f, err := scan.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func rowMap(names []string, types []coldata.Type, row []coldata.Datum) map[string]string {
	m := map[string]string{}
	for i, n := range names {
		m[n] = coldata.Format(types[i], row[i])
	}
	return m
}

func TestParquetMetadata(t *testing.T) {
	f := knownFile(t)
	names, types, rows, err := ParquetMetadata(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 29 || names[0] != "file_name" || names[23] != "key_value_metadata" || len(types) != len(names) {
		t.Fatalf("columns %v", names)
	}
	if len(rows) != 8 {
		t.Fatalf("%d rows, want 2 row groups × 4 columns", len(rows))
	}
	cases := []struct {
		row  int
		want map[string]string
	}{
		{0, map[string]string{"row_group_id": "0", "row_group_num_rows": "5", "row_group_num_columns": "4", "column_id": "0",
			"path_in_schema": "id", "type": "INT64", "stats_min_value": "0", "stats_max_value": "4", "stats_null_count": "0",
			"compression": "ZSTD", "min_is_exact": "true", "num_values": "5"}},
		{1, map[string]string{"path_in_schema": "price", "type": "INT32", "stats_min_value": "0.00", "stats_max_value": "5.00"}},
		{6, map[string]string{"row_group_id": "1", "path_in_schema": "day", "stats_min_value": "2022-01-13", "stats_max_value": "2022-01-17"}},
		{7, map[string]string{"path_in_schema": "name", "type": "BYTE_ARRAY", "stats_null_count": "1", "stats_min_value": "n5", "stats_max_value": "n9"}},
	}
	for _, c := range cases {
		got := rowMap(names, types, rows[c.row])
		for k, v := range c.want {
			if got[k] != v {
				t.Errorf("row %d %s = %q, want %q", c.row, k, got[k], v)
			}
		}
		if !strings.Contains(got["encodings"], "PLAIN") && !strings.Contains(got["encodings"], "DICTIONARY") {
			t.Errorf("row %d encodings %q", c.row, got["encodings"])
		}
		if got["data_page_offset"] == "NULL" || got["total_compressed_size"] == "NULL" {
			t.Errorf("row %d offsets missing: %v", c.row, got)
		}
	}
}

func TestParquetSchema(t *testing.T) {
	f := knownFile(t)
	names, types, rows, err := ParquetSchema(f)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(names, ",") != "file_name,name,type,type_length,repetition_type,num_children,converted_type,scale,precision,field_id,logical_type" {
		t.Fatalf("columns %v", names)
	}
	var got []string
	for _, r := range rows {
		m := rowMap(names, types, r)
		got = append(got, strings.Join([]string{m["name"], m["type"], m["repetition_type"], m["num_children"], m["converted_type"], m["scale"], m["precision"]}, " "))
	}
	want := []string{
		"schema NULL NULL 4 NULL NULL NULL",
		"id INT64 OPTIONAL NULL INT_64 NULL NULL",
		"price INT32 OPTIONAL NULL DECIMAL 2 9",
		"day INT32 OPTIONAL NULL DATE NULL NULL",
		"name BYTE_ARRAY OPTIONAL NULL UTF8 NULL NULL",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("schema rows:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
