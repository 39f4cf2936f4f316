package kernel

import "math"

// TimestampAddInterval adds an interval to a timestamp in microseconds as
// DuckDB does: months first (the day clamped to the new month's length),
// then days and microseconds. ok is false past the int64 range.
func TimestampAddInterval(ts, months, days, us int64) (int64, bool) {
	if months != 0 {
		d := floorDiv(ts, usPerDay)
		nd, ok := addMonths(d, months)
		if !ok || nd > math.MaxInt64/usPerDay || nd < math.MinInt64/usPerDay {
			return 0, false
		}
		ts = nd*usPerDay + (ts - d*usPerDay)
	}
	if days > math.MaxInt64/usPerDay || days < math.MinInt64/usPerDay {
		return 0, false
	}
	r, ok := addInt64(ts, days*usPerDay)
	if !ok {
		return 0, false
	}
	return addInt64(r, us)
}

func addInt64(a, b int64) (int64, bool) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return 0, false
	}
	return s, true
}
