package parser

import "strings"

// Piece is one statement of a script as Split cuts it: its text without
// the terminating semicolon, and where that text starts in the script.
type Piece struct {
	Text string
	Pos  int
}

// Split cuts a script into statements at semicolons outside strings,
// quoted identifiers and comments, with the same lexer the parser uses.
// Pieces with nothing but white space and comments are dropped. A lexical
// error (an unterminated string or comment) is returned with the pieces
// before it.
func Split(script string) ([]Piece, error) {
	toks, err := Tokens(script)
	var out []Piece
	start, content := 0, false
	flush := func(end int) {
		if content {
			text := script[start:end]
			trimmed := strings.TrimLeft(text, " \t\r\n\f\v")
			out = append(out, Piece{Text: strings.TrimRight(trimmed, " \t\r\n\f\v"), Pos: start + len(text) - len(trimmed)})
		}
	}
	for _, t := range toks {
		switch {
		case t.Kind == Op && t.Text == ";":
			flush(t.Pos)
			start, content = t.End, false
		case t.Kind != Space && t.Kind != Comment:
			content = true
		}
	}
	if err != nil {
		return out, err
	}
	flush(len(script))
	return out, nil
}

// Complete reports whether buf ends with a whole statement: its last
// significant token is a semicolon outside quotes and comments (the REPL's
// "run now" test). An unterminated string or comment means the user is
// still typing.
func Complete(buf string) bool {
	toks, err := Tokens(buf)
	if err != nil {
		return false
	}
	for i := len(toks) - 1; i >= 0; i-- {
		switch toks[i].Kind {
		case Space, Comment:
			continue
		case Op:
			return toks[i].Text == ";"
		default:
			return false
		}
	}
	return false
}
