package expr

// Operators on nested values (LIST, STRUCT, MAP). They live apart from the
// main Op list, at the top of its range, so that the scalar operators keep
// their dense numbering.
const (
	OpStructExtract Op = 200 + iota // (struct, field name string constant) → the field's type
	OpListElement                   // (list, int64 1-based, negative from the end) → element; NULL out of range
	OpListLength                    // (list) → int64
	OpMapElement                    // (map, key) → value; NULL when the key is absent
	OpListContains                  // (list, value of the element type) → bool
	OpMapKeys                       // (map) → list of keys
	OpMapValues                     // (map) → list of values
	OpNestedEncode                  // (nested) → VARCHAR holding the value in a self-describing binary form
	OpNestedDecode                  // (VARCHAR from OpNestedEncode) → the nested type (Func.Typ)
)

var nestedOpNames = map[Op]string{
	OpStructExtract: "struct_extract", OpListElement: "list_element", OpListLength: "len",
	OpMapElement: "map_extract", OpListContains: "list_contains", OpMapKeys: "map_keys", OpMapValues: "map_values",
	OpNestedEncode: "__nested_encode", OpNestedDecode: "__nested_decode",
}

// IsNestedOp reports whether o is one of the nested-value operators.
func (o Op) IsNestedOp() bool { _, ok := nestedOpNames[o]; return ok }
