package sql

import (
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/storage"
	"github.com/peregrinedb/peregrine/storage/jsonfmt"
)

// jsonOptions maps read_json's named arguments (DuckDB's names);
// read_ndjson means format = 'newline_delimited'.
func jsonOptions(tf TableFunc) (jsonfmt.Options, storage.HiveMode, error) {
	o := jsonfmt.Options{Format: "auto", Records: "auto"}
	if strings.HasPrefix(tf.Name, "read_ndjson") {
		o.Format = "newline_delimited"
	}
	hive := storage.HiveDisabled
	for name, v := range tf.Named {
		var err error
		switch name {
		case "format":
			o.Format = strings.ToLower(v.Str)
			switch o.Format {
			case "auto", "array", "newline_delimited", "unstructured":
			case "nd", "ndjson":
				o.Format = "newline_delimited"
			default:
				err = fmt.Errorf("format must be one of 'auto', 'array', 'newline_delimited', 'unstructured'")
			}
		case "records":
			switch v.Kind {
			case VBool:
				o.Records = fmt.Sprint(v.Bool)
			default:
				o.Records = strings.ToLower(v.Str)
			}
			if o.Records != "auto" && o.Records != "true" && o.Records != "false" {
				err = fmt.Errorf("records must be one of 'auto', 'true', 'false'")
			}
		case "columns":
			o.Columns, err = csvColumns(v)
		case "sample_size":
			var n int64
			n, err = v.AsInt()
			o.SampleRows = int(n)
		case "compression":
			o.Compression = strings.ToLower(v.Str)
		case "filename":
			o.Filename, err = v.AsBool()
		case "ignore_errors":
			o.IgnoreErrors, err = v.AsBool()
		case "hive_partitioning":
			var on bool
			if on, err = v.AsBool(); on {
				hive = storage.HiveEnabled
			}
		case "auto_detect":
			var on bool
			if on, err = v.AsBool(); err == nil && !on && !hasNamed(tf, "columns") {
				err = fmt.Errorf("columns must be given when auto_detect is false")
			}
		case "maximum_depth", "maximum_object_size", "dateformat", "date_format", "timestampformat",
			"timestamp_format", "union_by_name", "convert_strings_to_integers", "field_appearance_threshold",
			"map_inference_threshold", "maximum_sample_files":
			// Accepted for compatibility: inference already merges files
			// by name and reads ISO dates and timestamps.
		default:
			return o, hive, fmt.Errorf("Binder Error: Invalid named parameter \"%s\" for function %s", name, tf.Name)
		}
		if err != nil {
			return o, hive, fmt.Errorf("Binder Error: %s: %s: %v", tf.Name, name, err)
		}
	}
	return o, hive, nil
}

func hasNamed(tf TableFunc, name string) bool {
	_, ok := tf.Named[name]
	return ok
}
