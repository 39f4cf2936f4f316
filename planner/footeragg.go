package planner

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// answerFromFooters replaces an ungrouped aggregate over an unfiltered scan
// by its result when the Parquet footers hold it: COUNT(*) is the row
// count, COUNT(col) the row count minus null counts, and MIN/MAX come from
// exact (untruncated) statistics. The files are then never read.
func answerFromFooters(n Node) Node {
	if a, ok := n.(*Aggregate); ok {
		if v := footerAggregate(a); v != nil {
			return v
		}
	}
	mapInputs(n, answerFromFooters)
	return n
}

func footerAggregate(a *Aggregate) Node {
	if len(a.Groups) > 0 || len(a.Aggs) == 0 {
		return nil
	}
	// The input is the scan, possibly under a projection of plain columns.
	var s *Scan
	src := map[ColID]int{} // input column → table column
	switch in := a.Input.(type) {
	case *Scan:
		s = in
		for i, c := range in.Out {
			src[c.ID] = in.ColIdx[i]
		}
	case *Project:
		sc, ok := in.Input.(*Scan)
		if !ok {
			return nil
		}
		s = sc
		pos := map[ColID]int{}
		for i, c := range sc.Out {
			pos[c.ID] = sc.ColIdx[i]
		}
		for i, e := range in.Exprs {
			if c, ok := e.(*expr.Column); ok {
				if k, ok := pos[c.Index]; ok {
					src[in.Out[i].ID] = k
				}
			}
		}
	default:
		return nil
	}
	// An in-memory table's rows are read when the query is built, not
	// when it is planned.
	if len(s.Filters) > 0 || s.Limit >= 0 || s.Table.Mem != nil {
		return nil
	}
	row := make([]coldata.Datum, len(a.Aggs))
	for i, call := range a.Aggs {
		if call.Distinct {
			return nil
		}
		if call.Func == AggCountStar {
			row[i] = coldata.Datum{I: s.Table.NumRows}
			continue
		}
		c, ok := call.Arg.(*expr.Column)
		if !ok {
			return nil
		}
		col, ok := src[c.Index]
		if !ok {
			return nil
		}
		d, ok := footerValue(s, col, call)
		if !ok {
			return nil
		}
		row[i] = d
	}
	return &Values{Out: a.Out, Rows: [][]coldata.Datum{row}}
}

// footerValue computes COUNT(col), MIN(col) or MAX(col) from statistics.
func footerValue(s *Scan, col int, call AggCall) (coldata.Datum, bool) {
	typ := s.Table.Columns[col].Type
	if call.Typ != typ && call.Func != AggCount {
		return coldata.Datum{}, false
	}
	var (
		nulls int64
		best  coldata.Datum
		found bool
	)
	for _, f := range s.Table.Files {
		for rg := 0; rg < f.NumRowGroups(); rg++ {
			rows := f.RowGroupNumRows(rg)
			if rows == 0 {
				continue
			}
			st, ok := f.ColumnStats(rg, col)
			if !ok || !st.HasNullCount {
				return coldata.Datum{}, false
			}
			nulls += st.NullCount
			if call.Func == AggCount || st.NullCount == rows {
				continue
			}
			if !st.HasMinMax || !st.Exact {
				return coldata.Datum{}, false
			}
			v := st.Min
			if call.Func == AggMax {
				v = st.Max
			}
			if !found || (call.Func == AggMin && coldata.Compare(typ, v, best) < 0) ||
				(call.Func == AggMax && coldata.Compare(typ, v, best) > 0) {
				best, found = v, true
			}
		}
	}
	switch call.Func {
	case AggCount:
		return coldata.Datum{I: s.Table.NumRows - nulls}, true
	case AggMin, AggMax:
		// Doubles: NaN is left out of statistics but is the largest value
		// in DuckDB's order, so MAX could be wrong; read the data instead.
		if typ.ID == coldata.Float64 {
			return coldata.Datum{}, false
		}
		if !found {
			return coldata.NullDatum, true
		}
		return best, true
	}
	return coldata.Datum{}, false
}
