package exec

import (
	"math"
	"slices"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// mad writes the median absolute deviation of vals (not empty) at out[i]:
// the continuous median of |x - median(x)|. DOUBLE results work in
// doubles; DECIMAL ones in the unscaled integers, the medians interpolated
// as quantile_cont interpolates decimals.
func (a *holisticAcc[T]) mad(out *coldata.Vec, i int, vals []T) {
	if out.Type.ID == coldata.Decimal {
		dev := make([]int64, len(vals))
		for k, v := range vals {
			dev[k] = a.conv(v)
		}
		med := medianInt(dev)
		for k, x := range dev {
			dev[k] = x - med
			if dev[k] < 0 {
				dev[k] = -dev[k]
			}
		}
		out.I64[i] = medianInt(dev)
		return
	}
	dev := make([]float64, len(vals))
	for k, v := range vals {
		dev[k] = a.flt(v)
	}
	med := medianFloat(dev)
	for k, x := range dev {
		dev[k] = math.Abs(x - med)
	}
	out.F64[i] = medianFloat(dev)
}

// medianFloat and medianInt are the interpolated middle of xs (reordered).
func medianFloat(xs []float64) float64 {
	lo, hi, d := medianIndexes(xs)
	x := xs[lo]
	if hi == lo {
		return x
	}
	return x + (slices.Min(xs[hi:])-x)*d
}

func medianInt(xs []int64) int64 {
	lo, hi, d := medianIndexes(xs)
	x := xs[lo]
	if hi == lo {
		return x
	}
	return x + int64(float64(slices.Min(xs[hi:])-x)*d)
}

// medianIndexes puts the lower middle element of xs in place and returns
// its index, the upper one's and the interpolation weight.
func medianIndexes[T int64 | float64](xs []T) (lo, hi int, d float64) {
	rn := float64(len(xs)-1) * 0.5
	lo, hi = int(math.Floor(rn)), int(math.Ceil(rn))
	selectKth(xs, lo)
	return lo, hi, rn - float64(lo)
}
