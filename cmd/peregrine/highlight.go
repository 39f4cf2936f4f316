package main

import "strings"

// DuckDB's default highlighting colours: keywords green, constants
// (strings and numbers) yellow, comments grey.
const (
	colKeyword  = "\x1b[32m"
	colConstant = "\x1b[33m"
	colComment  = "\x1b[90m"
	colReset    = "\x1b[0m"
)

// highlight colours keywords, strings, numbers and comments of src for the
// line editor (the text itself is unchanged).
func highlight(src string) string {
	if strings.HasPrefix(strings.TrimLeft(src, " \t"), ".") {
		return src // dot commands are not SQL
	}
	var sb strings.Builder
	for _, t := range sqlTokens(src) {
		col := ""
		switch t.kind {
		case tokKeyword:
			col = colKeyword
		case tokString, tokNumber, tokOpenString:
			col = colConstant
		case tokComment:
			col = colComment
		}
		if col == "" {
			sb.WriteString(t.text)
			continue
		}
		sb.WriteString(col)
		sb.WriteString(t.text)
		sb.WriteString(colReset)
	}
	return sb.String()
}
