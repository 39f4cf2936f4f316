package expr

// The date/time operators added with the calendar library. They number from
// 176 so that the main Op list can grow without renumbering them.
const (
	OpDatePart      Op = 176 + iota // (date|timestamp, part string) → int64, or double for epoch/julian with a constant part
	OpEpochUnits                    // (date|timestamp, units per second int64 constant) → int64: epoch_ms/us/ns
	OpMakeTS                        // (year, month, day, hour, minute int64, seconds double) → timestamp
	OpTimeBucket                    // (timestamp, width µs int64, width months int64, origin timestamp) → timestamp
	OpStrptime                      // (string, format string constant, try bool constant) → timestamp
	OpDateSub                       // (part string constant, start timestamp, end timestamp) → int64 whole parts elapsed
	OpTSAddInterval                 // (timestamp, months, days, microseconds int64) → timestamp
)

var dateOpNames = map[Op]string{
	OpDatePart: "date_part", OpEpochUnits: "epoch_units", OpMakeTS: "make_timestamp",
	OpTimeBucket: "time_bucket", OpStrptime: "strptime", OpDateSub: "date_sub", OpTSAddInterval: "+",
}

// IsDateOp reports whether o is one of the operators above.
func IsDateOp(o Op) bool { _, ok := dateOpNames[o]; return ok }
