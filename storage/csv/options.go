package csv

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Column is one column of a CSV relation.
type Column struct {
	Name string
	Type coldata.Type
}

// Options are read_csv's options (DuckDB's names in the comments). A zero
// Options auto-detects everything.
type Options struct {
	Delim     byte // delim, sep; 0: detect
	Quote     byte // quote; 0 with QuoteSet: no quoting
	QuoteSet  bool
	Escape    byte // escape; 0 with EscapeSet: none
	EscapeSet bool
	Header    bool // header
	HeaderSet bool
	Skip      int // skip: lines dropped before the header

	// NullStr lists the strings read as NULL (nullstr); nil: the empty
	// unquoted field only.
	NullStr    []string
	AllVarchar bool // all_varchar
	// IgnoreErrors skips rows that fail to parse or convert.
	IgnoreErrors bool
	// NoAutoDetect turns the sniffer off (auto_detect = false): Columns
	// must then be given.
	NoAutoDetect bool
	// Columns fixes names and types (columns = {'a': 'INT', ...}).
	Columns []Column
	// Types overrides sniffed types by name (types/dtypes as a struct);
	// TypeList does so by position (types as a list).
	Types    map[string]coldata.Type
	TypeList []coldata.Type

	DateFormat      string // dateformat, strptime-style
	TimestampFormat string // timestampformat
	// Compression is "auto" (by extension), "none", "gzip" or "zstd".
	Compression string
	// SampleRows bounds the rows the sniffer reads (sample_size).
	SampleRows int

	// Filename adds a column with each row's file path (filename).
	Filename bool
	// UnionByName merges the files' columns by name (union_by_name).
	UnionByName bool
	// HivePartitioning adds key=value folders as columns.
	HivePartitioning bool
}

func (o *Options) sampleRows() int {
	if o.SampleRows > 0 {
		return o.SampleRows
	}
	return 20480
}
