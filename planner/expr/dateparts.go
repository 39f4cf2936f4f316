package expr

import "strings"

// DatePart resolves one of DuckDB's date part specifiers ('month', 'mon',
// 'months', ...) to its canonical name; ok is false for an unknown one.
func DatePart(s string) (string, bool) {
	p, ok := dateParts[strings.ToLower(s)]
	return p, ok
}

// dateParts maps DuckDB's specifiers (its documentation's list) to the
// canonical part names.
var dateParts = func() map[string]string {
	m := map[string]string{}
	for canon, aliases := range map[string][]string{
		"millennium":      {"millennium", "millennia", "millenium", "millenniums", "mil", "mils"},
		"century":         {"century", "cent", "centuries", "c"},
		"decade":          {"decade", "dec", "decades", "decs"},
		"year":            {"year", "y", "years", "yr", "yrs"},
		"quarter":         {"quarter", "quarters"},
		"month":           {"month", "mon", "months", "mons"},
		"week":            {"week", "weeks", "w", "weekofyear"},
		"day":             {"day", "dayofmonth", "days", "d"},
		"hour":            {"hour", "h", "hours", "hr", "hrs"},
		"minute":          {"minute", "m", "min", "minutes", "mins"},
		"second":          {"second", "s", "sec", "seconds", "secs"},
		"millisecond":     {"millisecond", "milliseconds", "ms", "msec", "msecs", "msecond", "mseconds"},
		"microsecond":     {"microsecond", "microseconds", "us", "usec", "usecs", "usecond", "useconds"},
		"dow":             {"dow", "dayofweek", "weekday"},
		"isodow":          {"isodow"},
		"doy":             {"doy", "dayofyear"},
		"isoyear":         {"isoyear"},
		"yearweek":        {"yearweek"},
		"epoch":           {"epoch"},
		"era":             {"era"},
		"julian":          {"julian"},
		"timezone":        {"timezone"},
		"timezone_hour":   {"timezone_hour"},
		"timezone_minute": {"timezone_minute"},
	} {
		for _, a := range aliases {
			m[a] = canon
		}
	}
	return m
}()
