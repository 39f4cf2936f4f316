package sql

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// rewritten is a statement text the MySQL parser accepts, with a map back to
// positions in the text the user typed so errors can point at their SQL.
type rewritten struct {
	text   string
	pieces []piece // sorted by out
	// colAliases holds `AS alias (c1, c2)` column lists of derived tables,
	// which the MySQL grammar lacks; keyed by lower-cased alias.
	colAliases map[string][]string
	// tableFuncs are the table function calls replaced by `__tf_N`.
	tableFuncs []TableFunc
}

type piece struct{ out, orig int }

// repl replaces sig tokens k..end (inclusive) by text.
type repl struct {
	end  int
	text string
}

// groupByAllMarker stands for GROUP BY ALL in the rewritten text.
const groupByAllMarker = "__group_by_all"

// rewriteNullsOrder turns `ORDER BY e [ASC|DESC] NULLS FIRST|LAST` items
// into `__nulls_first(e) [ASC|DESC]` (or __nulls_last), which the MySQL
// grammar accepts and the binder unwraps into the sort key's NULL order.
func rewriteNullsOrder(at func(int) token, n int, replace map[int]repl, prefix map[int]string) error {
	for k := 0; k+1 < n; k++ {
		if !(at(k).isWord("ORDER") && at(k+1).isWord("BY")) {
			continue
		}
		depth := 0
		start := k + 2
		for j := k + 2; j <= n; j++ {
			t := at(j)
			end := j == n
			switch {
			case t.text == "(":
				depth++
			case t.text == ")":
				if depth == 0 {
					end = true
				}
				depth--
			case depth == 0 && (t.isWord("LIMIT") || t.isWord("OFFSET") || t.text == ";"):
				end = true
			}
			if depth == 0 && (t.text == "," || end) {
				item := j - 1 // last token of the item
				if item-1 >= start && at(item-1).isWord("NULLS") && (at(item).isWord("FIRST") || at(item).isWord("LAST")) {
					fn := "__nulls_last("
					if at(item).isWord("FIRST") {
						fn = "__nulls_first("
					}
					exprEnd := item - 2
					dir := ""
					if at(exprEnd).isWord("ASC") || at(exprEnd).isWord("DESC") {
						dir = " " + at(exprEnd).upper()
						exprEnd--
					}
					if exprEnd < start {
						return fmt.Errorf("NULLS %s needs an expression to order by (position %d)", at(item).upper(), at(item).pos+1)
					}
					prefix[start] += fn
					replace[exprEnd+1] = repl{item, ")" + dir}
				}
				start = j + 1
			}
			if end {
				break
			}
		}
	}
	return nil
}

// origPos maps a byte offset in the rewritten text to the user's text.
func (r *rewritten) origPos(out int) int {
	k := sort.Search(len(r.pieces), func(i int) bool { return r.pieces[i].out > out }) - 1
	if k < 0 {
		return 0
	}
	p := r.pieces[k]
	return p.orig + (out - p.out)
}

type emitter struct {
	sb     strings.Builder
	pieces []piece
}

func (e *emitter) emit(s string, orig int) {
	e.pieces = append(e.pieces, piece{out: e.sb.Len(), orig: orig})
	e.sb.WriteString(s)
}

var intervalText = regexp.MustCompile(`^\s*([+-]?\d+)\s*([A-Za-z]+)?\s*$`)

// Interval units the binder understands, by their singular spelling.
var intervalUnits = map[string]string{
	"DAY": "day", "DAYS": "day", "MONTH": "month", "MONTHS": "month", "YEAR": "year", "YEARS": "year",
	"WEEK": "week", "WEEKS": "week", "QUARTER": "quarter", "QUARTERS": "quarter",
	"HOUR": "hour", "HOURS": "hour", "MINUTE": "minute", "MINUTES": "minute", "SECOND": "second", "SECONDS": "second",
}

var extractFields = map[string]bool{"YEAR": true, "MONTH": true, "DAY": true, "QUARTER": true, "DOW": true, "DOY": true, "HOUR": true, "MINUTE": true, "SECOND": true, "EPOCH": true, "WEEK": true}

// rewrite turns the ANSI/DuckDB forms users type into MySQL syntax:
//
//	DATE 'x' / TIMESTAMP 'x'    → __cast('x', 'DATE')
//	CAST(e AS any type)         → __cast(e, 'TYPE')   (MySQL CAST knows few types)
//	INTERVAL '3' MONTH          → interval 3 month
//	INTERVAL '3 months'         → interval 3 month
//	EXTRACT(year FROM e)        → __extract_year(e)
//	SUBSTRING(s FROM a FOR b)   → __substring(s, a, b)
//	a || b                      → a | b   (string concatenation)
//	e::type                     → __cast(e, 'TYPE')
//	x[i]                        → __index(x, i)   (nested values; bind_nested.go)
//	"identifier"                → `identifier`
//	FROM 'file.parquet'         → FROM `file.parquet`
//	read_parquet('glob', k=v)   → `__tf_0` (call kept in tableFuncs)
func rewrite(src string) (*rewritten, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	// Index significant tokens so rewrites can look ahead past spaces.
	sig := make([]int, 0, len(toks))
	for i, t := range toks {
		if t.kind != tkSpace && t.kind != tkComment {
			sig = append(sig, i)
		}
		if t.kind == tkUnknown {
			return nil, fmt.Errorf("unexpected character %q at position %d", t.text, t.pos+1)
		}
	}
	at := func(k int) token {
		if k < 0 || k >= len(sig) {
			return token{kind: tkSpace}
		}
		return toks[sig[k]]
	}
	// matching returns the sig index of the parenthesis closing the one at k.
	matching := func(k int) int {
		depth := 0
		for j := k; j < len(sig); j++ {
			switch at(j).text {
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

	// matchingBack returns the sig index of the parenthesis opening the one
	// closing at k.
	matchingBack := func(k int) int {
		depth := 0
		for j := k; j >= 0; j-- {
			switch at(j).text {
			case ")":
				depth++
			case "(":
				depth--
				if depth == 0 {
					return j
				}
			}
		}
		return -1
	}
	// replace[k] = text replacing sig tokens k..end (inclusive).
	replace := map[int]repl{}
	prefix := map[int]string{} // text emitted before a token
	var colAliases map[string][]string
	var tableFuncs []TableFunc
	castEnds := map[int]int{}  // last token of a `::` cast → its operand's first token
	indexEnds := map[int]int{} // the `]` of a subscript → its operand's first token
	// fromAt[d] tells whether parenthesis depth d is inside a FROM clause;
	// subqueries nest their own clauses.
	fromAt := map[int]bool{}
	depth := 0
	for k := 0; k < len(sig); k++ {
		t := at(k)
		switch {
		case t.kind == tkPunct && t.text == "(":
			depth++
		case t.kind == tkPunct && t.text == ")":
			delete(fromAt, depth)
			depth--
		case t.isWord("FROM"), t.isWord("JOIN"):
			// JOIN only appears in FROM: after an ON, the clause resumes.
			fromAt[depth] = true
		case t.kind == tkIdent && fromAt[depth]:
			switch t.upper() {
			case "WHERE", "GROUP", "ORDER", "LIMIT", "HAVING", "ON", "USING", "UNION", "WINDOW":
				fromAt[depth] = false
			}
		}
		inFrom := fromAt[depth]
		if _, done := replace[k]; done {
			continue
		}
		next := at(k + 1)
		switch {
		case (t.isWord("DATE") || t.isWord("TIMESTAMP")) && next.kind == tkString:
			replace[k] = repl{k + 1, fmt.Sprintf("__cast(%s, '%s')", next.text, t.upper())}
		case t.isWord("CAST") && next.text == "(":
			close := matching(k + 1)
			if close < 0 {
				continue
			}
			as := -1
			d := 0
			for j := k + 1; j < close; j++ {
				switch at(j).text {
				case "(":
					d++
				case ")":
					d--
				}
				if d == 1 && at(j).isWord("AS") {
					as = j
				}
			}
			if as < 0 {
				continue
			}
			var typ strings.Builder
			for j := as + 1; j < close; j++ {
				if typ.Len() > 0 && at(j).kind == tkIdent && at(j-1).kind == tkIdent {
					typ.WriteByte(' ')
				}
				typ.WriteString(strings.ToUpper(at(j).text))
			}
			replace[k] = repl{k + 1, "__cast("}
			replace[as] = repl{close, fmt.Sprintf(", '%s')", strings.ReplaceAll(typ.String(), "'", ""))}
		case (t.isWord("SUBSTRING") || t.isWord("SUBSTR")) && next.text == "(":
			// MySQL's grammar takes only a column as substring's first
			// argument; a plain call with commas takes any expression.
			close := matching(k + 1)
			if close < 0 {
				continue
			}
			replace[k] = repl{k + 1, "__substring("}
			d := 0
			for j := k + 1; j < close; j++ {
				switch at(j).text {
				case "(":
					d++
				case ")":
					d--
				}
				if d == 1 && (at(j).isWord("FROM") || at(j).isWord("FOR")) {
					replace[j] = repl{j, ","}
				}
			}
		case t.isWord("AS") && inFrom && at(k-1).text == ")" && (next.kind == tkIdent || next.kind == tkQuoted) && at(k+2).text == "(":
			close := matching(k + 2)
			if close < 0 {
				continue
			}
			var names []string
			for j := k + 3; j < close; j++ {
				tj := at(j)
				switch {
				case tj.kind == tkIdent || tj.kind == tkQuoted:
					names = append(names, tj.identValue())
				case tj.text == ",":
				default:
					return nil, fmt.Errorf("invalid column alias list at position %d", tj.pos+1)
				}
			}
			if colAliases == nil {
				colAliases = map[string][]string{}
			}
			colAliases[strings.ToLower(next.identValue())] = names
			replace[k] = repl{close, "as `" + strings.ReplaceAll(next.identValue(), "`", "``") + "`"}
		case t.isWord("GROUP") && next.isWord("BY") && at(k+2).isWord("ALL"):
			// GROUP BY ALL: group by every select item without an aggregate
			// (DuckDB); the binder expands the marker.
			replace[k] = repl{k + 2, "group by " + groupByAllMarker}
		case t.kind == tkPunct && t.text == "(" && fromAt[depth-1] && (at(k-1).isWord("FROM") || at(k-1).isWord("JOIN") || at(k-1).text == ",") &&
			(next.isWord("SELECT") || next.isWord("WITH") || next.text == "("):
			// DuckDB lets a derived table go without an alias; MySQL needs one.
			close := matching(k)
			if close > 0 {
				after := at(close + 1)
				if !after.isWord("AS") && (after.kind != tkIdent || isClauseWord(after) || after.isWord("JOIN") || after.isWord("LEFT") || after.isWord("INNER") || after.isWord("CROSS")) && after.kind != tkQuoted {
					if _, taken := replace[close]; !taken {
						replace[close] = repl{close, fmt.Sprintf(") as __subquery%d", close)}
					}
				}
			}
		case t.kind == tkPunct && t.text == "//":
			// DuckDB's integer division; MySQL spells it DIV.
			replace[k] = repl{k, " div "}
		case t.kind == tkPunct && t.text == "||":
			// MySQL reads || as OR; its | has the precedence PostgreSQL and
			// DuckDB give ||, and the binder reads | as concatenation.
			replace[k] = repl{k, "|"}
		case t.kind == tkPunct && t.text == "[":
			// x[i] (list element, struct field, map value) → __index(x, i).
			start, chained := indexEnds[k-1]
			if !chained {
				start = castOperandStart(k, at, matchingBack)
			}
			close := matchingBracket(k, at, len(sig))
			if start < 0 || close < 0 {
				continue // a list literal (table function arguments) or a syntax error
			}
			prefix[start] += "__index("
			replace[k] = repl{k, ", "}
			replace[close] = repl{close, ")"}
			indexEnds[close] = start
			// x[i].f: a field of the element.
			if at(close+1).text == "." && at(close+2).kind == tkIdent {
				prefix[start] += "__index("
				replace[close] = repl{close + 2, fmt.Sprintf("), '%s')", at(close+2).text)}
				indexEnds[close+2] = start
			}
		case t.kind == tkPunct && t.text == "::":
			start, chained := castEnds[k-1]
			if !chained {
				start = castOperandStart(k, at, matchingBack)
			}
			if start < 0 || next.kind != tkIdent {
				return nil, fmt.Errorf("'::' must follow a value or parenthesized expression (position %d)", t.pos+1)
			}
			end := k + 1
			typ := strings.ToUpper(next.text)
			for at(end+1).kind == tkIdent && !isClauseWord(at(end+1)) {
				end++
				typ += " " + strings.ToUpper(at(end).text)
			}
			if at(end+1).text == "(" {
				close := matching(end + 1)
				if close < 0 {
					return nil, fmt.Errorf("unbalanced parenthesis in type at position %d", at(end+1).pos+1)
				}
				for j := end + 1; j <= close; j++ {
					typ += at(j).text
				}
				end = close
			}
			prefix[start] += "__cast("
			replace[k] = repl{end, fmt.Sprintf(", '%s')", typ)}
			castEnds[end] = start
		case t.isWord("INTERVAL") && next.kind == tkString:
			m := intervalText.FindStringSubmatch(next.stringValue())
			if m == nil {
				return nil, fmt.Errorf("invalid interval literal %s at position %d", next.text, next.pos+1)
			}
			unit, end := m[2], k+1
			if unit == "" {
				unit, end = at(k+2).text, k+2
			}
			u, ok := intervalUnits[strings.ToUpper(unit)]
			if !ok {
				return nil, fmt.Errorf("unsupported interval unit %q at position %d", unit, next.pos+1)
			}
			replace[k] = repl{end, fmt.Sprintf("interval %s %s", m[1], u)}
		case t.isWord("INTERVAL") && next.kind == tkNumber:
			if u, ok := intervalUnits[at(k+2).upper()]; ok {
				replace[k] = repl{k + 2, fmt.Sprintf("interval %s %s", next.text, u)}
			}
		case t.isWord("EXTRACT") && next.text == "(" && at(k+3).isWord("FROM"):
			field := at(k + 2).upper()
			if at(k+2).kind == tkString {
				field = strings.ToUpper(at(k + 2).stringValue())
			}
			if !extractFields[field] {
				return nil, fmt.Errorf("unsupported EXTRACT field %q at position %d", at(k+2).text, at(k+2).pos+1)
			}
			replace[k] = repl{k + 3, "__extract_" + strings.ToLower(field) + "("}
		case t.kind == tkQuoted && t.text[0] == '"':
			replace[k] = repl{k, "`" + strings.ReplaceAll(t.identValue(), "`", "``") + "`"}
		case t.kind == tkString && inFrom && (at(k-1).isWord("FROM") || at(k-1).isWord("JOIN") || at(k-1).text == ","):
			replace[k] = repl{k, "`" + strings.ReplaceAll(t.stringValue(), "`", "``") + "`"}
		case t.kind == tkIdent && tableFuncNames[strings.ToLower(t.text)] && next.text == "(" && inFrom:
			tf, close, err := tableFuncCall(at, k)
			if err != nil {
				return nil, err
			}
			replace[k] = repl{close, fmt.Sprintf("`__tf_%d`", len(tableFuncs))}
			tableFuncs = append(tableFuncs, tf)
		case t.kind == tkString && strings.Contains(t.text, `\`):
			// A backslash is an ordinary character in SQL strings (DuckDB,
			// PostgreSQL); MySQL's tokenizer reads it as an escape.
			replace[k] = repl{k, strings.ReplaceAll(t.text, `\`, `\\`)}
		}
	}

	if err := rewriteNullsOrder(at, len(sig), replace, prefix); err != nil {
		return nil, err
	}

	var e emitter
	for k := 0; k < len(sig); k++ {
		// Emit the whitespace/comments before this token as a single space
		// so the parser's positions stay close to the original ones.
		if k > 0 && sig[k] > sig[k-1]+1 {
			e.emit(" ", toks[sig[k-1]+1].pos)
		}
		t := at(k)
		if p, ok := prefix[k]; ok {
			e.emit(p, t.pos)
		}
		if r, ok := replace[k]; ok {
			e.emit(r.text, t.pos)
			k = r.end
			continue
		}
		e.emit(t.text, t.pos)
	}
	return &rewritten{text: e.sb.String(), pieces: e.pieces, colAliases: colAliases, tableFuncs: tableFuncs}, nil
}

// lineCol converts a byte offset to 1-based line and column.
func lineCol(src string, pos int) (int, int) {
	if pos > len(src) {
		pos = len(src)
	}
	line := 1 + strings.Count(src[:pos], "\n")
	col := pos - strings.LastIndex(src[:pos], "\n")
	return line, col
}

var mysqlErrPos = regexp.MustCompile(`^syntax error at position (\d+)(?: near '(.*)')?$`)

// syntaxError turns the MySQL parser's message into one that points at the
// user's text.
func syntaxError(src string, rw *rewritten, err error) error {
	m := mysqlErrPos.FindStringSubmatch(err.Error())
	if m == nil {
		return fmt.Errorf("Parser Error: %v", err)
	}
	p, _ := strconv.Atoi(m[1])
	// The MySQL tokenizer reports the offset one past the end of the
	// offending token plus one.
	if m[2] == "" {
		line, col := lineCol(src, rw.origPos(max(p-1, 0)))
		return fmt.Errorf("Parser Error: syntax error at end of input (line %d, column %d)", line, col)
	}
	near := m[2]
	line, col := lineCol(src, rw.origPos(max(p-1-len(near), 0)))
	return fmt.Errorf("Parser Error: syntax error at or near %q (line %d, column %d)", near, line, col)
}

// castOperandStart finds where the operand of a `::` cast at sig index k
// begins: a literal, a (qualified) name, a function call or a
// parenthesized expression.
func castOperandStart(k int, at func(int) token, matchingBack func(int) int) int {
	prev := at(k - 1)
	switch {
	case prev.kind == tkPunct && prev.text == ")":
		open := matchingBack(k - 1)
		if open < 0 {
			return -1
		}
		if at(open-1).kind == tkIdent && !isClauseWord(at(open-1)) {
			return open - 1 // function call
		}
		return open
	case prev.kind == tkString || prev.kind == tkNumber:
		return k - 1
	case prev.kind == tkIdent || prev.kind == tkQuoted:
		start := k - 1
		for at(start-1).text == "." && (at(start-2).kind == tkIdent || at(start-2).kind == tkQuoted) {
			start -= 2
		}
		return start
	}
	return -1
}

// isClauseWord reports keywords that can follow an expression, so they are
// not taken as part of a type name or function name.
func isClauseWord(t token) bool {
	switch t.upper() {
	case "FROM", "WHERE", "AS", "AND", "OR", "NOT", "IN", "IS", "LIKE", "BETWEEN", "GROUP", "ORDER", "HAVING",
		"LIMIT", "OFFSET", "ON", "JOIN", "LEFT", "RIGHT", "INNER", "UNION", "THEN", "ELSE", "END", "WHEN", "ASC", "DESC", "SELECT":
		return true
	}
	return false
}
