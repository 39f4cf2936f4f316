package sql

// listDocs describe the list functions by their canonical name
// (listFuncNames maps each alias to it).
var listDocs = map[string][2]string{
	"list_value":        {"Creates a LIST containing the argument values.", "list_value(4, 5, 6)"},
	"struct_pack":       {"Creates a STRUCT containing the argument values; the names are the arguments' names.", "struct_pack(i := 4, s := 'string')"},
	"list_slice":        {"Extracts a sublist using slice conventions (1-based, inclusive, negative from the end).", "list_slice([4, 5, 6], 2, 3)"},
	"list_concat":       {"Concatenates lists; NULL inputs are skipped.", "list_concat([2, 3], [4, 5, 6])"},
	"list_append":       {"Appends an element to the end of the list.", "list_append([2, 3], 4)"},
	"list_prepend":      {"Prepends an element to the front of the list.", "list_prepend(1, [2, 3])"},
	"list_sort":         {"Sorts the elements of the list (ASC/DESC, NULLS FIRST/LAST).", "list_sort([3, 6, 1, 2])"},
	"list_reverse_sort": {"Sorts the elements of the list in reverse order.", "list_reverse_sort([3, 6, 1, 2])"},
	"list_reverse":      {"Reverses the list.", "list_reverse([3, 6, 1, 2])"},
	"list_distinct":     {"Removes duplicates and NULLs from the list.", "list_distinct([1, 1, NULL, -3, 1, 5])"},
	"list_unique":       {"Counts the unique elements of the list.", "list_unique([1, 1, NULL, -3, 1, 5])"},
	"list_position":     {"The 1-based index of the element in the list, or NULL.", "list_position([1, 2, NULL], 2)"},
	"flatten":           {"Concatenates a list of lists into one list (one level).", "flatten([[1, 2], [3, 4]])"},
	"list_aggregate":    {"Runs the named aggregate over the list's elements.", "list_aggregate([1, 2, NULL], 'min')"},
	"sum":               {"The sum of the list's elements.", "list_sum([1, 2, 3])"},
	"min":               {"The smallest of the list's elements.", "list_min([3, 1, 2])"},
	"max":               {"The largest of the list's elements.", "list_max([3, 1, 2])"},
	"avg":               {"The average of the list's elements.", "list_avg([1, 2, 3])"},
	"count":             {"The number of non-NULL elements of the list.", "list_count([1, NULL, 3])"},
	"array_to_string":   {"Concatenates the list's elements as strings with a separator.", "array_to_string(['a', 'b', 'c'], '-')"},
	"range":             {"A list of the numbers from start up to, not including, stop by step.", "range(0, 10, 3)"},
	"generate_series":   {"A list of the numbers from start up to and including stop by step.", "generate_series(0, 10, 3)"},
	"string_split":      {"Splits the string at each separator into a list.", "string_split('hello-world', '-')"},
	"list_transform":    {"Applies a lambda to each element of the list.", "list_transform([1, 2, 3], x -> x + 1)"},
	"list_filter":       {"The elements of the list for which the lambda is true.", "list_filter([3, 4, 5], x -> x > 4)"},
	"list_reduce":       {"Reduces the list to one value by applying the lambda to an accumulator and each element.", "list_reduce([1, 2, 3], (x, y) -> x + y)"},
}
