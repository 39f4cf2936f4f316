package storage

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/scan"
)

// HiveNull is the folder value writers (Hive, Spark, DuckDB) use for NULL.
const HiveNull = "__HIVE_DEFAULT_PARTITION__"

// PartitionColumn is a hive partition key, read from folder names.
type PartitionColumn struct {
	Name string
	Type coldata.Type
}

// hivePairs returns the key=value folders of rel (a path relative to the
// dataset root, file name included), or ok=false when some folder is not a
// key=value pair: then the file is not part of a hive layout.
func hivePairs(rel string) (keys, vals []string, ok bool) {
	parts := strings.Split(filepath.ToSlash(rel), "/")
	for _, part := range parts[:len(parts)-1] {
		if part == "" || part == "." {
			continue
		}
		k, v, found := strings.Cut(part, "=")
		if !found || k == "" {
			return nil, nil, false
		}
		if dk, err := url.PathUnescape(k); err == nil {
			k = dk
		}
		if dv, err := url.PathUnescape(v); err == nil {
			v = dv
		}
		keys = append(keys, k)
		vals = append(vals, v)
	}
	return keys, vals, true
}

// inferPartitionType picks the narrowest of BIGINT, DATE and VARCHAR that
// every non-NULL value parses as, like DuckDB's hive type auto-cast.
func inferPartitionType(vals []string) coldata.Type {
	isInt, isDate, any := true, true, false
	for _, v := range vals {
		if v == HiveNull {
			continue
		}
		any = true
		if isInt {
			if _, err := strconv.ParseInt(v, 10, 64); err != nil {
				isInt = false
			}
		}
		if isDate {
			if len(v) != 10 {
				isDate = false
			} else if _, err := coldata.ParseDate(v); err != nil {
				isDate = false
			}
		}
		if !isInt && !isDate {
			break
		}
	}
	switch {
	case !any:
		return coldata.TypeString
	case isInt:
		return coldata.TypeInt64
	case isDate:
		return coldata.TypeDate
	}
	return coldata.TypeString
}

// parsePartitionValue converts a folder value to a datum of type t.
func parsePartitionValue(v string, t coldata.Type) (coldata.Datum, error) {
	if v == HiveNull {
		return coldata.NullDatum, nil
	}
	switch t.ID {
	case coldata.Int32, coldata.Int64:
		x, err := strconv.ParseInt(v, 10, 64)
		if err != nil || (t.ID == coldata.Int32 && int64(int32(x)) != x) {
			return coldata.Datum{}, fmt.Errorf("cannot cast %q to %s", v, t)
		}
		return coldata.Datum{I: x}, nil
	case coldata.Date:
		d, err := coldata.ParseDate(v)
		return coldata.Datum{I: int64(d)}, err
	case coldata.Timestamp:
		ts, err := coldata.ParseTimestamp(v)
		return coldata.Datum{I: ts}, err
	case coldata.Float64:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return coldata.Datum{}, fmt.Errorf("Could not convert string '%s' to DOUBLE", v)
		}
		return coldata.Datum{F: f}, nil
	case coldata.Decimal:
		x, err := coldata.ParseDecimal(v, int(t.Scale))
		return coldata.Datum{I: x}, err
	case coldata.Bool:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return coldata.Datum{}, fmt.Errorf("Could not convert string '%s' to BOOL", v)
		}
		return coldata.Datum{B: b}, nil
	case coldata.String:
		return coldata.Datum{S: v}, nil
	}
	return coldata.Datum{}, fmt.Errorf("type %s is not supported for hive partitions", t)
}

// FormatPartitionValue renders a partition value as a folder name component
// (the inverse of reading): NULL becomes HiveNull and characters that are
// unsafe in paths are percent-encoded.
func FormatPartitionValue(t coldata.Type, d coldata.Datum) string {
	if d.Null {
		return HiveNull
	}
	return url.PathEscape(coldata.Format(t, d))
}

// PartitionPredicate is `partition column op constant(s)` with the operators
// of scan.Predicate. Col indexes Dataset.PartitionCols; Vals are in that
// column's type (BETWEEN: [lo, hi]; IN: the list).
type PartitionPredicate struct {
	Col  int
	Op   scan.Op
	Vals []coldata.Datum
}

// PruneStats says what partition pruning kept.
type PruneStats struct {
	Files, FilesKept           int
	Partitions, PartitionsKept int // distinct partition value tuples
}

// PrunePartitions returns the files whose partition values can satisfy every
// predicate (a conjunction). It reads only paths: no footer is opened, which
// is the point on datasets with thousands of files.
func (d *Dataset) PrunePartitions(preds []PartitionPredicate) (kept []DataFile, stats PruneStats) {
	seen := map[string]bool{} // partition tuple → kept
	for _, f := range d.Files {
		key := partitionKey(f.Partition)
		ok, done := seen[key]
		if !done {
			ok = true
			for _, p := range preds {
				if p.Col < 0 || p.Col >= len(d.PartitionCols) || p.Col >= len(f.Partition) {
					continue // not ours to judge: keep
				}
				if !partitionMatches(d.PartitionCols[p.Col].Type, f.Partition[p.Col], p) {
					ok = false
					break
				}
			}
			seen[key] = ok
			stats.Partitions++
			if ok {
				stats.PartitionsKept++
			}
		}
		if ok {
			kept = append(kept, f)
		}
	}
	stats.Files, stats.FilesKept = len(d.Files), len(kept)
	return kept, stats
}

func partitionKey(vals []coldata.Datum) string {
	var b strings.Builder
	for _, v := range vals {
		fmt.Fprintf(&b, "%v|%d|%g|%q;", v.Null, v.I, v.F, v.S)
	}
	return b.String()
}

// partitionMatches evaluates p on one value with SQL semantics: a
// comparison involving NULL is not true.
func partitionMatches(t coldata.Type, v coldata.Datum, p PartitionPredicate) bool {
	switch p.Op {
	case scan.OpIsNull:
		return v.Null
	case scan.OpIsNotNull:
		return !v.Null
	}
	if v.Null {
		return false
	}
	cmp := func(i int) (int, bool) {
		if i >= len(p.Vals) || p.Vals[i].Null {
			return 0, false
		}
		return coldata.Compare(t, v, p.Vals[i]), true
	}
	switch p.Op {
	case scan.OpIn:
		for i := range p.Vals {
			if c, ok := cmp(i); ok && c == 0 {
				return true
			}
		}
		return false
	case scan.OpBetween:
		lo, ok1 := cmp(0)
		hi, ok2 := cmp(1)
		return ok1 && ok2 && lo >= 0 && hi <= 0
	}
	c, ok := cmp(0)
	if !ok {
		return false
	}
	switch p.Op {
	case scan.OpEq:
		return c == 0
	case scan.OpNe:
		return c != 0
	case scan.OpLt:
		return c < 0
	case scan.OpLe:
		return c <= 0
	case scan.OpGt:
		return c > 0
	case scan.OpGe:
		return c >= 0
	}
	return true
}
