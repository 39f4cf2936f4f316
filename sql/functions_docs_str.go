package sql

// strMoreDocs documents strMoreFuncs (DuckDB's descriptions, examples that
// run); init adds them to scalarDocs.
var strMoreDocs = map[string][2]string{
	"levenshtein":             {"Extracts the Levenshtein distance between two strings (the minimum number of single-character edits: insertions, deletions or substitutions).", "levenshtein('duck', 'db')"},
	"editdist3":               {"The Levenshtein distance between two strings.", "editdist3('duck', 'db')"},
	"damerau_levenshtein":     {"Extension of Levenshtein distance to also include transposition of adjacent characters as an allowed edit operation.", "damerau_levenshtein('hello', 'world')"},
	"jaro_similarity":         {"The Jaro similarity between two strings, 0 to 1; results below the optional score_cutoff are 0.", "jaro_similarity('duck', 'duckdb')"},
	"jaro_winkler_similarity": {"The Jaro-Winkler similarity between two strings, 0 to 1; results below the optional score_cutoff are 0.", "jaro_winkler_similarity('duck', 'duckdb')"},
	"jaccard":                 {"The Jaccard similarity between two strings, over their sets of characters (bytes).", "jaccard('duck', 'luck')"},
	"hamming":                 {"The number of positions with different characters for two strings of equal length.", "hamming('duck', 'luck')"},
	"mismatches":              {"The number of positions with different characters for two strings of equal length.", "mismatches('duck', 'luck')"},
	"translate":               {"Replaces each character in string that matches a character in the from set with the corresponding character in the to set; characters without a partner are deleted.", "translate('12345', '143', 'ax')"},
	"unicode":                 {"Returns the Unicode code of the first character of the string (-1 for an empty string).", "unicode('ü')"},
	"ord":                     {"Returns the Unicode code of the first character of the string (-1 for an empty string).", "ord('ü')"},
	"bit_length":              {"Number of bits in a string.", "bit_length('abc')"},
	"regexp_escape":           {"Escapes special characters in a string so that it matches literally in a regular expression.", "regexp_escape('https://duckdb.org')"},
	"format_bytes":            {"Converts bytes to a human-readable presentation (e.g., 16000 -> 15.6 KiB).", "format_bytes(1000 * 16)"},
	"pg_size_pretty":          {"Converts bytes to a human-readable presentation (e.g., 16000 -> 15.6 KiB).", "pg_size_pretty(1000 * 16)"},
	"to_base":                 {"Converts number to a string in the given base radix, optionally padding with leading zeros to min_length.", "to_base(42, 16, 5)"},
	"bar":                     {"Draws a band whose width is proportional to (x - min) and equal to width characters when x = max; width defaults to 80.", "bar(5, 0, 20, 10)"},
	"sha1":                    {"Returns the SHA1 hash of the value.", "sha1('🦆')"},
	"regexp_extract_all":      {"Finds non-overlapping occurrences of the regex in the string and returns the corresponding values of group (default 0).", "regexp_extract_all('hello_world', '([a-z ]+)_?', 1)"},
	"string_split_regex":      {"Splits the string along the regex.", "string_split_regex('hello world; 42', ';? ')"},
	"str_split_regex":         {"Splits the string along the regex.", "str_split_regex('hello world; 42', ';? ')"},
	"regexp_split_to_array":   {"Splits the string along the regex.", "regexp_split_to_array('hello world; 42', ';? ')"},
	"printf":                  {"Formats a string using printf syntax.", "printf('Benchmark \"%s\" took %d seconds', 'CSV', 42)"},
	"format":                  {"Formats a string using the fmt syntax.", "format('Benchmark \"{}\" took {} seconds', 'CSV', 42)"},
	"parse_path":              {"Returns a list of the components (directories and filename) in the path similarly to Python's pathlib.parts function. separator options: system, both_slash (default), forward_slash, backslash.", "parse_path('/path/to/file.csv', 'system')"},
	"parse_dirname":           {"Returns the top-level directory name from the given path. separator options: system, both_slash (default), forward_slash, backslash.", "parse_dirname('path/to/file.csv', 'system')"},
	"parse_dirpath":           {"Returns the head of the path similarly to Python's os.path.dirname. separator options: system, both_slash (default), forward_slash, backslash.", "parse_dirpath('path/to/file.csv', 'forward_slash')"},
	"parse_filename":          {"Returns the last component of the path similarly to Python's os.path.basename function. If trim_extension is true, the file extension will be removed (defaults to false).", "parse_filename('path/to/file.csv', true, 'forward_slash')"},
	"length_grapheme":         {"Number of grapheme clusters in string.", "length_grapheme('🤦🏼‍♂️🤦🏽‍♀️')"},
	"substring_grapheme":      {"Extracts substring starting from grapheme clusters start up to the character end (exclusive), using 1-based indexing.", "substring_grapheme('🦆🤦🏼‍♂️🤦🏽‍♀️🦆', 3, 2)"},
	"left_grapheme":           {"Extracts the left-most count grapheme clusters.", "left_grapheme('🤦🏼‍♂️🤦🏽‍♀️', 1)"},
	"right_grapheme":          {"Extracts the right-most count grapheme clusters.", "right_grapheme('🤦🏼‍♂️🤦🏽‍♀️', 1)"},
	"sha256":                  {"Returns the SHA256 hash of the value.", "sha256('🦆')"},
}

func init() {
	for n, d := range strMoreDocs {
		scalarDocs[n] = d
	}
}
