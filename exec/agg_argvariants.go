package exec

// argVariant is how an arg_min/arg_max treats NULLs: plain arg_min skips
// rows where either argument is NULL; arg_min_null keeps rows whose value
// is NULL (the result may be NULL); arg_min_nulls_last keeps those and
// also rows whose key is NULL, ordered after every other key (for the
// maximum too).
type argVariant struct {
	max         bool
	keepNullArg bool
	nullsLast   bool
}

var argMinMaxVariants = map[string]argVariant{
	"arg_min": {}, "arg_max": {max: true},
	"arg_min_null": {keepNullArg: true}, "arg_max_null": {max: true, keepNullArg: true},
	"arg_min_nulls_last": {keepNullArg: true, nullsLast: true},
	"arg_max_nulls_last": {max: true, keepNullArg: true, nullsLast: true},
}
