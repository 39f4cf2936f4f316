package sql

import (
	"fmt"
	"strings"
)

// Copy is `COPY (query) TO 'path' (options)` or `COPY table TO 'path' ...`.
type Copy struct {
	Query *Query
	Path  string
	// Options by lower-case name. A bare flag (OVERWRITE_OR_IGNORE) is
	// true; PARTITION_BY (a, b) is a list of identifiers.
	Options map[string]Value
}

func (*Copy) statement() {}

// parseCopy parses a COPY statement; ok is false when text is not one.
func parseCopy(text string) (*Copy, bool, error) {
	toks, err := lex(text)
	if err != nil {
		return nil, false, err
	}
	sig := significant(toks)
	if len(sig) == 0 || !sig[0].isWord("COPY") {
		return nil, false, nil
	}
	at := func(k int) token {
		if k < len(sig) {
			return sig[k]
		}
		return token{kind: tkSpace, pos: len(text)}
	}
	errAt := func(k int, format string, args ...any) error {
		line, col := lineCol(text, at(k).pos)
		return fmt.Errorf("Parser Error: %s (line %d, column %d)", fmt.Sprintf(format, args...), line, col)
	}
	c := &Copy{Options: map[string]Value{}}
	k := 1
	switch t := at(k); {
	case t.text == "(":
		end := matchParen(sig, k)
		if end < 0 {
			return nil, true, errAt(k, "unbalanced parenthesis in COPY")
		}
		body := text[t.pos+1 : sig[end].pos]
		q, err := parseQuery(body, body)
		if err != nil {
			return nil, true, err
		}
		c.Query = q
		k = end + 1
	case t.kind == tkIdent || t.kind == tkQuoted || t.kind == tkString:
		name := t.identValue()
		if t.kind == tkString {
			name = t.stringValue()
		}
		// COPY FROM (loading) is not a thing for a read-only engine.
		if at(k + 1).isWord("FROM") {
			return nil, true, errAt(k+1, "COPY ... FROM is not supported: Peregrine reads Parquet in place; query the file directly")
		}
		q, err := parseQuery("SELECT * FROM `"+strings.ReplaceAll(name, "`", "``")+"`", text)
		if err != nil {
			return nil, true, err
		}
		c.Query = q
		k++
	default:
		return nil, true, errAt(k, "COPY expects (query) or a table name")
	}
	if !at(k).isWord("TO") {
		return nil, true, errAt(k, "expected TO")
	}
	k++
	if at(k).kind != tkString {
		return nil, true, errAt(k, "expected a quoted path after TO")
	}
	c.Path = at(k).stringValue()
	k++
	if at(k).isWord("WITH") {
		k++
	}
	if at(k).text == "(" {
		end := matchParen(sig, k)
		if end < 0 {
			return nil, true, errAt(k, "unbalanced parenthesis in COPY options")
		}
		k++
		for k < end {
			name := at(k)
			if name.kind != tkIdent {
				return nil, true, errAt(k, "expected an option name")
			}
			key := strings.ToLower(name.text)
			k++
			var v Value
			switch {
			case at(k).text == "," || k == end:
				v = Value{Kind: VBool, Bool: true}
			case at(k).text == "(":
				close := matchParen(sig, k)
				if close < 0 || close > end {
					return nil, true, errAt(k, "unbalanced parenthesis in option %s", key)
				}
				v = Value{Kind: VList}
				for j := k + 1; j < close; j++ {
					if at(j).text == "," {
						continue
					}
					v.List = append(v.List, Value{Kind: VIdent, Str: at(j).identValue()})
				}
				k = close + 1
			default:
				p := &valueParser{at: at, k: k}
				if v, err = p.value(); err != nil {
					return nil, true, errAt(k, "option %s: %v", key, err)
				}
				k = p.k
			}
			c.Options[key] = v
			if at(k).text == "," {
				k++
			} else if k != end {
				return nil, true, errAt(k, "expected , between COPY options")
			}
		}
		k = end + 1
	}
	if k < len(sig) {
		return nil, true, errAt(k, "unexpected %q after COPY", at(k).text)
	}
	return c, true, nil
}

func matchParen(sig []token, k int) int {
	depth := 0
	for j := k; j < len(sig); j++ {
		switch sig[j].text {
		case "(":
			depth++
		case ")":
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}
