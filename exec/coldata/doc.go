// Package coldata holds the engine's data contract: logical types, constant
// values (Datum), column vectors (Vec) and batches with selection vectors.
//
// It is a leaf package: the scanner, the planner and the executor all speak it,
// so it must not import any of them.
//
// Files:
//
//	types.go    logical types (Type, TypeID), names and parsing
//	kinds.go    Kind: TINYINT, SMALLINT, the unsigned integers and FLOAT stored in a wider
//	            type's slice; their ranges, names, common types and printing
//	blob.go     BLOB and UUID, kinds over String storage: blob text (\xNN escapes) both
//	            ways, UUID parsing into canonical text, UUID <-> 16 bytes
//	timekinds.go  TIME (µs since midnight in Int64) and TIMESTAMPTZ (UTC µs in
//	            Timestamp) kinds: parsing and printing TIME, TIMESTAMPTZ with its offset
//	nested.go   LIST/STRUCT/MAP type descriptions (NestedType, Field)
//	vec.go      Vec, one column: typed slices, null masks, copying and slicing
//	batch.go    Batch: vectors plus a selection vector
//	datum.go    Datum: one value, for constants, statistics and printing
//	int128.go   Int128: HUGEINT arithmetic without allocation
//	literal.go  ParseIntegerLiteral: integer literals typed as DuckDB types them
package coldata
