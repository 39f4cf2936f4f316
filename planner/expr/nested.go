package expr

import (
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Operators on nested values (LIST, STRUCT, MAP). They live apart from the
// main Op list, at the top of its range, so that the scalar operators keep
// their dense numbering.
const (
	OpStructExtract  Op = 200 + iota // (struct, field name string constant) → the field's type
	OpListElement                    // (list, int64 1-based, negative from the end) → element; NULL out of range
	OpListLength                     // (list) → int64
	OpMapElement                     // (map, key) → value; NULL when the key is absent
	OpListContains                   // (list, value of the element type) → bool
	OpMapKeys                        // (map) → list of keys
	OpMapValues                      // (map) → list of values
	OpNestedEncode                   // (nested) → VARCHAR holding the value in a self-describing binary form
	OpNestedDecode                   // (VARCHAR from OpNestedEncode) → the nested type (Func.Typ)
	OpListValue                      // (elements of the list's element type...) → list
	OpStructPack                     // (field values...) → the struct Func.Typ
	OpListSlice                      // (list, begin int64, end int64), 1-based inclusive, negative from the end
	OpListConcat                     // (list, list [, strict bool const]) → list; a NULL list counts as empty unless strict (||)
	OpListAppend                     // (list, element) → list
	OpListPrepend                    // (element, list) → list
	OpListSort                       // (list, desc bool const, nulls first bool const) → list
	OpListReverse                    // (list) → list
	OpListDistinct                   // (list) → list without NULLs and duplicates, first occurrences kept
	OpListUnique                     // (list) → int64 count of distinct non-NULL elements
	OpListPosition                   // (list, element) → int32 1-based position of the first equal element, else NULL
	OpFlatten                        // (list of lists) → list
	OpListAggregate                  // (list, name const: sum min max avg count) → Func.Typ
	OpListToString                   // (list, separator, null-when-empty bool const) → VARCHAR of the non-NULL elements joined
	OpListRange                      // (start, stop, step int64, inclusive bool const) → BIGINT[]
	OpStringSplit                    // (string, separator) → VARCHAR[]
	OpListTransform                  // (list, *Lambda) → list of the lambda's results
	OpListFilter                     // (list, *Lambda returning BOOLEAN) → list
	OpListReduce                     // (list, *Lambda of two parameters) → element type
	OpMapFromLists                   // (keys list, values list) → MAP; lengths must agree, keys unique and not NULL
	OpMapEntries                     // (map) → list of STRUCT(key, value)
	OpMapFromEntries                 // (list of STRUCT(k, v)) → MAP
	OpNestedSortKey                  // (nested) → VARCHAR whose byte order is DuckDB's order of the values
)

var nestedOpNames = map[Op]string{
	OpStructExtract: "struct_extract", OpListElement: "list_element", OpListLength: "len",
	OpMapElement: "map_extract", OpListContains: "list_contains", OpMapKeys: "map_keys", OpMapValues: "map_values",
	OpNestedEncode: "__nested_encode", OpNestedDecode: "__nested_decode",
	OpListValue: "list_value", OpStructPack: "struct_pack", OpListSlice: "list_slice", OpListConcat: "list_concat",
	OpListAppend: "list_append", OpListPrepend: "list_prepend", OpListSort: "list_sort", OpListReverse: "list_reverse",
	OpListDistinct: "list_distinct", OpListUnique: "list_unique", OpListPosition: "list_position", OpFlatten: "flatten",
	OpListAggregate: "list_aggregate", OpListToString: "array_to_string", OpListRange: "range", OpStringSplit: "string_split",
	OpListTransform: "list_transform", OpListFilter: "list_filter", OpListReduce: "list_reduce",
	OpMapFromLists: "map", OpMapEntries: "map_entries", OpMapFromEntries: "map_from_entries",
	OpNestedSortKey: "__nested_sort_key",
}

// Lambda is `(params) -> Body` as an argument of list_transform,
// list_filter and list_reduce. Body reads the parameters as Columns 0..k-1
// of the batch the kernel evaluates it on (the list's elements), and no
// column of the query: it is closed, so Columns and Remap leave it alone.
type Lambda struct {
	Params []string
	Types  []coldata.Type
	Body   Expr
}

// Type is the body's type.
func (l *Lambda) Type() coldata.Type { return l.Body.Type() }

// String prints the lambda as written: x -> body, (a, b) -> body.
func (l *Lambda) String() string {
	p := strings.Join(l.Params, ", ")
	if len(l.Params) != 1 {
		p = "(" + p + ")"
	}
	return p + " -> " + l.Body.String()
}

// IsNestedOp reports whether o is one of the nested-value operators.
func (o Op) IsNestedOp() bool { _, ok := nestedOpNames[o]; return ok }
