package sql

// The registry entries of the date part functions (bind_datepart.go).
func init() {
	for name, d := range map[string][2]string{
		"dayofmonth":     {"Extract the dayofmonth component from a date or timestamp.", "dayofmonth(DATE '1992-02-15')"},
		"hour":           {"Extract the hour component from a date or timestamp.", "hour(TIMESTAMP '1992-09-20 20:38:48')"},
		"minute":         {"Extract the minute component from a date or timestamp.", "minute(TIMESTAMP '1992-09-20 20:38:48')"},
		"second":         {"Extract the second component from a date or timestamp.", "second(TIMESTAMP '1992-09-20 20:38:48')"},
		"millisecond":    {"Extract the millisecond component from a date or timestamp.", "millisecond(TIMESTAMP '1992-09-20 20:38:48.123')"},
		"microsecond":    {"Extract the microsecond component from a date or timestamp.", "microsecond(TIMESTAMP '1992-09-20 20:38:48.123456')"},
		"dayofweek":      {"Extract the dayofweek component from a date or timestamp (Sunday = 0).", "dayofweek(DATE '1992-02-15')"},
		"weekday":        {"Extract the weekday component from a date or timestamp (Sunday = 0).", "weekday(DATE '1992-02-15')"},
		"dayofyear":      {"Extract the dayofyear component from a date or timestamp.", "dayofyear(DATE '1992-02-15')"},
		"week":           {"Extract the ISO week component from a date or timestamp.", "week(DATE '1992-02-15')"},
		"weekofyear":     {"Extract the weekofyear component from a date or timestamp.", "weekofyear(DATE '1992-02-15')"},
		"yearweek":       {"Extract the yearweek component from a date or timestamp.", "yearweek(DATE '1992-02-15')"},
		"quarter":        {"Extract the quarter component from a date or timestamp.", "quarter(DATE '1992-02-15')"},
		"decade":         {"Extract the decade component from a date or timestamp.", "decade(DATE '1992-02-15')"},
		"century":        {"Extract the century component from a date or timestamp.", "century(DATE '1992-02-15')"},
		"millennium":     {"Extract the millennium component from a date or timestamp.", "millennium(DATE '1992-02-15')"},
		"era":            {"Extract the era component from a date or timestamp.", "era(DATE '1992-02-15')"},
		"isodow":         {"Extract the isodow component from a date or timestamp (Monday = 1).", "isodow(DATE '1992-02-15')"},
		"isoyear":        {"Extract the isoyear component from a date or timestamp.", "isoyear(DATE '1992-02-15')"},
		"epoch":          {"Extract the epoch component from a temporal type.", "epoch(TIMESTAMP '1992-09-20 20:38:48')"},
		"julian":         {"Extract the Julian Day number from a date or timestamp.", "julian(TIMESTAMP '2006-01-01 12:00')"},
		"epoch_ms":       {"Extract the epoch component in milliseconds from a temporal type, or the timestamp of milliseconds since the epoch.", "epoch_ms(TIMESTAMP '2021-08-03 11:59:44.123456')"},
		"epoch_us":       {"Extract the epoch component in microseconds from a temporal type.", "epoch_us(TIMESTAMP '2021-08-03 11:59:44.123456')"},
		"epoch_ns":       {"Extract the epoch component in nanoseconds from a temporal type.", "epoch_ns(TIMESTAMP '2021-08-03 11:59:44.123456')"},
		"time_bucket":    {"Truncate the timestamp or date by the specified interval bucket_width. Buckets are aligned relative to the origin (default 2000-01-03, or 2000-01-01 for month widths) or shifted by an offset interval.", "time_bucket(INTERVAL '2 weeks', DATE '1992-04-20', INTERVAL '3 days')"},
		"date_sub":       {"The number of complete partitions between the timestamps.", "date_sub('month', DATE '1992-09-15', DATE '1992-11-14')"},
		"datesub":        {"The number of complete partitions between the timestamps.", "datesub('month', DATE '1992-09-15', DATE '1992-11-14')"},
		"strptime":       {"Converts the string text to timestamp according to the format string.", "strptime('Wed, 1 January 1992 - 08:38:40 PM', '%a, %-d %B %Y - %I:%M:%S %p')"},
		"try_strptime":   {"Converts the string text to timestamp according to the format string; NULL when it does not match.", "try_strptime('Wed, 1 January 1992 - 08:38:40 PM', '%a, %-d %B %Y - %I:%M:%S %p')"},
		"nanosecond":     {"Extract the nanosecond component from a date or timestamp.", "nanosecond(TIMESTAMP '1992-09-20 20:38:48.123456')"},
		"date_add":       {"Add the interval to the date or timestamp.", "date_add(DATE '1992-09-15', INTERVAL 2 MONTH)"},
		"make_timestamp": {"The timestamp for the given parts, or for the microseconds since the epoch.", "make_timestamp(1992, 9, 20, 13, 34, 27.123456)"},
		"make_time":      {"The time for the given parts.", "make_time(13, 34, 27.123456)"},
	} {
		scalarDocs[name] = d
	}
}
