package expr

// More of DuckDB's string functions. Like the nested operators they live
// apart from the main Op list (from 84 on, below the scalar operators' 120), so that helpers adding
// operators to either list do not renumber each other's.
const (
	OpLevenshtein       Op = 84 + iota // (string, string) → int64 edit distance over bytes
	OpDamerauLev                       // (string, string) → int64, adjacent transpositions count one edit
	OpJaro                             // (string, string [, cutoff double]) → double
	OpJaroWinkler                      // (string, string [, cutoff double]) → double
	OpJaccard                          // (string, string) → double over the sets of bytes; an error for an empty one
	OpHamming                          // (string, string) → int64 differing positions; an error for unequal lengths
	OpTranslate                        // (string, from, to) → string; characters of from without a partner are dropped
	OpUnicode                          // (string) → int32 code point of the first character, -1 for ''
	OpBitLength                        // (string) → int64 bits
	OpRegexpEscape                     // (string) → string with regexp metacharacters escaped
	OpFormatBytes                      // (int64, base 1000|1024 int64 const) → string like 1.5 KiB
	OpToBase                           // (int64 value, int64 radix, int64 min length) → string
	OpBar                              // (x, min, max double, width int64) → string of block characters
	OpStrElement                       // (string, int64 1-based, < 0 from the end) → the character there, '' out of range
	OpStrSlice                         // (string, begin int64, end int64) → characters begin..end, 1-based inclusive, < 0 from the end
	OpPrintf                           // (format, args of BIGINT|DOUBLE|BOOLEAN|VARCHAR...) → string, C's %-conversions
	OpFormat                           // (format, args...) → string, fmt's {} fields
	OpParseDirname                     // (path, separator characters) → the first component ('/' for a rooted path)
	OpParseDirpath                     // (path, separator characters) → all before the last separator
	OpParseFilename                    // (path, separator characters, trim extension int64 0|1) → the last component
	OpParsePath                        // (path, separator characters) → VARCHAR[] of the components
	OpLengthGrapheme                   // (string) → int64 grapheme clusters
	OpSubstringGrapheme                // (string, start int64, length int64) → substring counted in grapheme clusters
	OpLeftGrapheme                     // (string, int64 n) → left counted in grapheme clusters
	OpRightGrapheme                    // (string, int64 n) → right counted in grapheme clusters
	OpStrlen                           // (string) → int64 bytes
	OpReverseGrapheme                  // (string) → string with its grapheme clusters in reverse order
	OpRegexpExtractAll                 // (string, pattern, group int64, options constant) → VARCHAR[] of every match's group
	OpRegexpSplit                      // (string, pattern, options constant) → VARCHAR[] of the pieces between matches
	strMoreEnd
)

var strMoreNames = map[Op]string{
	OpLevenshtein: "levenshtein", OpDamerauLev: "damerau_levenshtein", OpJaro: "jaro_similarity",
	OpJaroWinkler: "jaro_winkler_similarity", OpJaccard: "jaccard", OpHamming: "hamming", OpTranslate: "translate",
	OpUnicode: "unicode", OpBitLength: "bit_length", OpRegexpEscape: "regexp_escape", OpFormatBytes: "format_bytes",
	OpToBase: "to_base", OpBar: "bar",
	OpStrElement: "array_extract", OpStrSlice: "array_slice", OpRegexpExtractAll: "regexp_extract_all",
	OpRegexpSplit: "string_split_regex", OpPrintf: "printf", OpFormat: "format",
	OpLengthGrapheme: "length_grapheme", OpSubstringGrapheme: "substring_grapheme", OpLeftGrapheme: "left_grapheme",
	OpRightGrapheme: "right_grapheme", OpStrlen: "strlen", OpReverseGrapheme: "reverse", OpParseDirname: "parse_dirname", OpParseDirpath: "parse_dirpath", OpParseFilename: "parse_filename", OpParsePath: "parse_path",
}

// IsStrMoreOp reports whether o is one of the operators of this file.
func (o Op) IsStrMoreOp() bool { return o >= OpLevenshtein && o < strMoreEnd }

// The operators with a LIST result count as nested ones (the kernels'
// checks let them through).
func init() {
	nestedOpNames[OpRegexpExtractAll] = strMoreNames[OpRegexpExtractAll]
	nestedOpNames[OpRegexpSplit] = strMoreNames[OpRegexpSplit]
	nestedOpNames[OpParsePath] = strMoreNames[OpParsePath]
}
