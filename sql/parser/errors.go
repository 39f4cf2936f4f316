package parser

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Error is a parse error: DuckDB's "Parser Error: msg" followed, when the
// position is known, by the offending line with a caret under the token.
type Error struct {
	Msg string // without the "Parser Error: " prefix
	Pos int    // byte offset in Src, or -1
	Src string
}

// Error formats the error as DuckDB does: "Parser Error: message", then the
// statement's line with a caret under Pos when it is known.
func (e *Error) Error() string { return WithContext("Parser Error: "+e.Msg, e.Src, e.Pos) }

// WithContext appends DuckDB's error context to msg: an empty line, `LINE
// n: ` with the line of src holding pos, and a caret under pos. A long line
// is shown as a window of about 60 characters each side of pos, cut at a
// space when one is near, with "..." where it was cut. Without a position
// (pos < 0 or past the end) msg is returned as is.
func WithContext(msg, src string, pos int) string {
	if pos < 0 || pos >= len(src) {
		return msg
	}
	lineNo := 1 + strings.Count(src[:pos], "\n")
	start := strings.LastIndexByte(src[:pos], '\n') + 1
	end := len(src)
	if k := strings.IndexAny(src[pos:], "\r\n"); k >= 0 {
		end = pos + k
	}
	line := []rune(src[start:end])
	at := utf8.RuneCountInString(src[start:pos])
	from, to := 0, len(line)
	if at >= 60 {
		from = snap(line, at-59)
	}
	if len(line)-at >= 60 {
		to = snap(line, at+59)
	}
	var sb strings.Builder
	sb.WriteString(msg)
	sb.WriteString("\n\n")
	prefix := "LINE " + strconv.Itoa(lineNo) + ": "
	if from > 0 {
		prefix += "..."
	}
	sb.WriteString(prefix)
	sb.WriteString(string(line[from:to]))
	if to < len(line) {
		sb.WriteString("...")
	}
	sb.WriteByte('\n')
	sb.WriteString(strings.Repeat(" ", len(prefix)+at-from))
	sb.WriteByte('^')
	return sb.String()
}

// snap moves a cut at cut to the first character from four before it to
// three after that is not a letter or digit, so the window rarely cuts a
// word in two (DuckDB's rule).
func snap(line []rune, cut int) int {
	for i := max(cut-4, 0); i <= cut+3 && i < len(line); i++ {
		if c := line[i]; !unicode.IsLetter(c) && !unicode.IsDigit(c) {
			return i
		}
	}
	return cut
}

// Clip shortens text quoted in a message (an identifier, a literal, a
// token) to at most 64 characters, so a huge input is not echoed whole.
func Clip(s string) string {
	const limit = 64
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	r := []rune(s)
	return string(r[:limit-1]) + "…"
}
