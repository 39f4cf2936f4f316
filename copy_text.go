package peregrine

import (
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/sql"
	"github.com/peregrinedb/peregrine/storage"
	"github.com/peregrinedb/peregrine/storage/csv"
	"github.com/peregrinedb/peregrine/storage/jsonfmt"
)

// copyOptions maps COPY's options for the target's format: FORMAT csv or
// json (or a .csv/.json target without FORMAT, as DuckDB infers it) takes
// the text options and writes through a RowEncoder; anything else is
// Parquet's writeOptions.
func copyOptions(path string, in map[string]sql.Value) (storage.WriteOptions, error) {
	format := storage.TextFormat(path)
	if f, ok := in["format"]; ok {
		format = strings.ToLower(f.Str)
	}
	if format != "csv" && format != "json" {
		return writeOptions(in)
	}
	rest := map[string]sql.Value{}
	var co csv.WriteOptions
	var jo jsonfmt.WriteOptions
	compression := ""
	if strings.HasSuffix(strings.ToLower(path), ".gz") {
		compression = "gzip"
	} else if strings.HasSuffix(strings.ToLower(path), ".zst") {
		compression = "zstd"
	}
	for k, v := range in {
		var err error
		switch k {
		case "format":
		case "compression":
			compression = strings.ToLower(v.Str)
		case "header":
			var on bool
			on, err = v.AsBool()
			co.NoHeader = !on
		case "delimiter", "delim", "sep":
			co.Delim, err = copyChar(v)
		case "quote":
			co.Quote, err = copyChar(v)
		case "escape":
			co.Escape, err = copyChar(v)
		case "nullstr", "null":
			co.NullStr = v.Str
		case "dateformat", "date_format":
			co.DateFmt, jo.DateFmt = v.Str, v.Str
		case "timestampformat", "timestamp_format":
			co.TsFmt, jo.TsFmt = v.Str, v.Str
		case "force_quote":
			co.ForceText = true
		case "array":
			jo.Array, err = v.AsBool()
		default:
			rest[k] = v
		}
		if err != nil {
			return storage.WriteOptions{}, fmt.Errorf("Binder Error: COPY option %s: %v", k, err)
		}
	}
	o, err := writeOptions(rest)
	if err != nil {
		return o, err
	}
	o.TextCompression = compression
	if format == "json" {
		o.Encoder = jsonfmt.NewEncoder(jo)
		return o, nil
	}
	o.Encoder, err = csv.NewEncoder(co)
	return o, err
}

func copyChar(v sql.Value) (byte, error) {
	s := v.Str
	if s == `\t` {
		s = "\t"
	}
	if len(s) != 1 {
		return 0, fmt.Errorf("expected a single character")
	}
	return s[0], nil
}
