package storage

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/scan"
)

type colRange struct {
	lo, hi coldata.Datum
	ok     bool
}

// ColumnRange returns the smallest min and largest max of a column over all
// row groups of the table, when every row group has min/max statistics.
// The planner uses it for selectivity estimates, so inexact bounds are fine.
func ColumnRange(t *Table, col int) (lo, hi coldata.Datum, ok bool) {
	typ := t.Columns[col].Type
	for i, f := range t.Files {
		r := fileRange(f, col, typ)
		if !r.ok {
			return lo, hi, false
		}
		if i == 0 || coldata.Compare(typ, r.lo, lo) < 0 {
			lo = r.lo
		}
		if i == 0 || coldata.Compare(typ, r.hi, hi) > 0 {
			hi = r.hi
		}
	}
	return lo, hi, len(t.Files) > 0
}

func fileRange(f *scan.File, col int, typ coldata.Type) colRange {
	// Per-file column ranges live with the file's other cached statistics
	// (see fileStats): computed once per file and column.
	fs := statsOf(f)
	fs.mu.Lock()
	r, hit := fs.ranges[col]
	fs.mu.Unlock()
	if hit {
		return r
	}
	r = computeRange(f, col, typ)
	fs.mu.Lock()
	fs.ranges[col] = r
	fs.mu.Unlock()
	return r
}

func computeRange(f *scan.File, col int, typ coldata.Type) colRange {
	r := colRange{ok: true}
	first := true
	for rg := 0; rg < f.NumRowGroups() && r.ok; rg++ {
		st, has := f.ColumnStats(rg, col)
		if !has || !st.HasMinMax {
			if f.RowGroupNumRows(rg) > 0 {
				r.ok = false
			}
			continue
		}
		if first || coldata.Compare(typ, st.Min, r.lo) < 0 {
			r.lo = st.Min
		}
		if first || coldata.Compare(typ, st.Max, r.hi) > 0 {
			r.hi = st.Max
		}
		first = false
	}
	if first {
		r.ok = false
	}
	return r
}
