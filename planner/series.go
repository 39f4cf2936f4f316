package planner

import (
	"fmt"
	"math"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Series is range/generate_series over constant arguments: a leaf that
// produces its values a batch at a time (exec.Series has the semantics).
type Series struct {
	Out  []ColMeta // one column, BIGINT or TIMESTAMP
	Spec SeriesSpec
}

// SeriesSpec mirrors exec.Series (the planner does not import exec).
type SeriesSpec struct {
	Start, Stop, Step int64
	Months, Days      int64
	Inclusive, Empty  bool
}

// Cols is the series' one column.
func (n *Series) Cols() []ColMeta { return n.Out }

// Inputs is empty: a Series is a leaf.
func (n *Series) Inputs() []Node { return nil }

// Rows is the series' length, exact for integers and fixed intervals
// (months count as 30 days for the estimate).
func (n *Series) Rows() float64 {
	s := n.Spec
	if s.Empty {
		return 0
	}
	step := float64(s.Step) + float64(s.Days)*864e8 + float64(s.Months)*30*864e8
	if step == 0 {
		return 1
	}
	r := (float64(s.Stop) - float64(s.Start)) / step
	if r < 0 {
		return 0
	}
	if s.Inclusive {
		return math.Floor(r) + 1
	}
	return math.Ceil(r)
}

// PhysSeries is a Series in a physical plan.
type PhysSeries struct {
	PhysBase
	Spec SeriesSpec
}

// Children is empty: a Series is a leaf.
func (p *PhysSeries) Children() []Physical { return nil }

func (p *PhysSeries) describe() string {
	s, t := p.Spec, p.Out[0].Type
	name := "RANGE"
	if s.Inclusive {
		name = "GENERATE_SERIES"
	}
	if t.ID == coldata.Timestamp {
		return fmt.Sprintf("%s %s to %s step %s", name, coldata.Format(t, coldata.Datum{I: s.Start}),
			coldata.Format(t, coldata.Datum{I: s.Stop}), coldata.Format(coldata.TypeInterval, coldata.Datum{I: s.Months, I2: s.Days, I3: s.Step}))
	}
	return fmt.Sprintf("%s %d to %d step %d", name, s.Start, s.Stop, s.Step)
}
