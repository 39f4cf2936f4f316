package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/cmd/internal/resultfmt"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// modes are the output modes of .mode, DuckDB's names.
var modes = []string{"duckbox", "box", "table", "markdown", "latex", "line", "list", "csv", "tabs", "json", "jsonlines", "html", "insert"}

// output holds the rendering settings (.mode, .headers, .nullvalue,
// .separator, .maxrows, .maxwidth).
type output struct {
	mode      string
	headers   bool
	nullValue string
	colSep    string
	rowSep    string
	table     string // .mode insert TABLE
	maxRows   int
	maxWidth  int        // 0: the terminal's width
	width     func() int // the terminal's width, or 0 when unknown
}

func newOutput() output {
	return output{mode: "duckbox", headers: true, colSep: "|", rowSep: "\n", table: "table", maxRows: 40}
}

// setMode switches modes; csv and list reset the separator as DuckDB does.
func (o *output) setMode(m, table string) error {
	switch m {
	case "table", "box", "duckbox", "markdown", "latex", "line", "json", "jsonlines", "html", "insert":
	case "csv":
		o.colSep = ","
	case "list":
		if o.colSep == "," || o.colSep == "\t" {
			o.colSep = "|"
		}
	case "tabs":
		o.colSep = "\t"
	default:
		return fmt.Errorf("mode should be one of: %s", strings.Join(modes, " "))
	}
	o.mode = m
	if m == "insert" {
		o.table = "table"
		if table != "" {
			o.table = table
		}
	}
	return nil
}

// termWidth is the width duckbox fits results into.
func (o *output) termWidth() int {
	if o.maxWidth > 0 {
		return o.maxWidth
	}
	if o.width != nil {
		if w := o.width(); w > 0 {
			return w
		}
	}
	return 80
}

// cell is one formatted value.
type cell struct {
	s    string
	null bool
}

// resultSet describes the columns being rendered.
type resultSet struct {
	names []string
	types []coldata.Type
}

// render prints rows in the current mode and returns how many there were.
func (o *output) render(ctx context.Context, w io.Writer, rows *peregrine.Rows) (int64, error) {
	defer rows.Close()
	cols := rows.Columns()
	if len(cols) == 0 {
		// SET and friends: drain, print nothing.
		_, err := rows.Next(ctx)
		return 0, err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	defer bw.Flush()
	rs := resultSet{names: make([]string, len(cols)), types: make([]coldata.Type, len(cols))}
	for i, c := range cols {
		rs.names[i], rs.types[i] = c.Name, c.Type
	}
	format := coldata.Format
	if o.mode == "json" || o.mode == "jsonlines" {
		format = resultfmt.FormatJSON
	}
	if len(cols) == 1 && cols[0].Name == "explain" && isBoxMode(o.mode) {
		return eachRow(ctx, rows, format, func(r []cell) error {
			_, err := fmt.Fprintln(bw, r[0].s)
			return err
		})
	}
	switch o.mode {
	case "duckbox":
		return o.duckbox(ctx, bw, rs, rows)
	case "box", "table", "markdown", "latex":
		var all [][]cell
		n, err := eachRow(ctx, rows, format, func(r []cell) error {
			all = append(all, append([]cell(nil), r...))
			return nil
		})
		if err != nil {
			return n, err
		}
		o.columnar(bw, rs, all)
		return n, nil
	}
	emit, done := o.rowWriter(bw, rs)
	n, err := eachRow(ctx, rows, format, emit)
	if err != nil {
		return n, err
	}
	return n, done(n)
}

func isBoxMode(m string) bool { return m == "duckbox" || m == "box" || m == "table" }

// eachRow calls fn for every result row with values formatted as text. The
// slice passed is reused between calls.
func eachRow(ctx context.Context, rows *peregrine.Rows, format func(coldata.Type, coldata.Datum) string, fn func([]cell) error) (int64, error) {
	r := make([]cell, len(rows.Columns()))
	var n int64
	for {
		b, err := rows.Next(ctx)
		if err != nil || b == nil {
			return n, err
		}
		for k := 0; k < b.Len(); k++ {
			i := k
			if b.Sel != nil {
				i = int(b.Sel[k])
			}
			for c, v := range b.Vecs {
				if v.IsNull(i) {
					r[c] = cell{null: true}
				} else {
					r[c] = cell{s: format(v.Type, v.Get(i))}
				}
			}
			n++
			if err := fn(r); err != nil {
				return n, err
			}
		}
	}
}

// rowWriter returns the per-row printer of a streaming mode and a function
// that ends the output.
func (o *output) rowWriter(w *bufio.Writer, rs resultSet) (emit func([]cell) error, done func(n int64) error) {
	val := func(c cell) string {
		if c.null {
			return o.nullValue
		}
		return c.s
	}
	noEnd := func(int64) error { return nil }
	switch o.mode {
	case "csv":
		if o.headers {
			writeDelimited(w, rs.names, o.colSep, o.rowSep, true)
		}
		vals := make([]string, len(rs.names))
		return func(r []cell) error {
			for i, c := range r {
				vals[i] = val(c)
			}
			return writeDelimited(w, vals, o.colSep, o.rowSep, true)
		}, noEnd
	case "list", "tabs":
		if o.headers {
			writeDelimited(w, rs.names, o.colSep, o.rowSep, false)
		}
		vals := make([]string, len(rs.names))
		return func(r []cell) error {
			for i, c := range r {
				vals[i] = val(c)
			}
			return writeDelimited(w, vals, o.colSep, o.rowSep, false)
		}, noEnd
	case "line":
		nameW := 0
		for _, n := range rs.names {
			nameW = max(nameW, displayWidth(n))
		}
		first := true
		return func(r []cell) error {
			if !first {
				w.WriteString(o.rowSep)
			}
			first = false
			for i, c := range r {
				fmt.Fprintf(w, "%s%s = %s\n", strings.Repeat(" ", nameW-displayWidth(rs.names[i])), rs.names[i], val(c))
			}
			return nil
		}, noEnd
	case "json", "jsonlines":
		keys := make([]string, len(rs.names))
		for i, n := range rs.names {
			k, _ := json.Marshal(n)
			keys[i] = string(k)
		}
		lines := o.mode == "jsonlines"
		first := true
		return func(r []cell) error {
				switch {
				case lines:
				case first:
					w.WriteString("[")
				default:
					w.WriteString(",\n")
				}
				first = false
				w.WriteString("{")
				for i, c := range r {
					if i > 0 {
						w.WriteString(",")
					}
					w.WriteString(keys[i])
					w.WriteString(":")
					w.WriteString(resultfmt.JSONValue(rs.types[i], c.s, c.null))
				}
				w.WriteString("}")
				if lines {
					w.WriteString("\n")
				}
				return nil
			}, func(n int64) error {
				switch {
				case lines:
				case n == 0:
					// DuckDB prints nothing for an empty result in json mode.
				default:
					w.WriteString("]\n")
				}
				return nil
			}
	case "html":
		if o.headers {
			w.WriteString("<tr>")
			for i, n := range rs.names {
				if i > 0 {
					w.WriteString("\n")
				}
				fmt.Fprintf(w, "<th>%s</th>", html.EscapeString(n))
			}
			w.WriteString("\n</tr>\n")
		}
		return func(r []cell) error {
			w.WriteString("<tr>")
			for i, c := range r {
				if i > 0 {
					w.WriteString("\n")
				}
				fmt.Fprintf(w, "<td>%s</td>", html.EscapeString(val(c)))
			}
			_, err := w.WriteString("\n</tr>\n")
			return err
		}, noEnd
	case "insert":
		prefix := "INSERT INTO " + quoteIdent(o.table) + "(" + strings.Join(quoteIdents(rs.names), ",") + ") VALUES("
		return func(r []cell) error {
			w.WriteString(prefix)
			for i, c := range r {
				if i > 0 {
					w.WriteString(",")
				}
				w.WriteString(sqlLiteral(rs.types[i], c))
			}
			_, err := w.WriteString(");\n")
			return err
		}, noEnd
	}
	panic("unknown mode " + o.mode)
}

// writeDelimited writes one list or CSV record; CSV quotes fields holding
// the separator, a quote or a line break (DuckDB leaves spaces unquoted).
func writeDelimited(w *bufio.Writer, vals []string, sep, rowSep string, quote bool) error {
	for i, v := range vals {
		if i > 0 {
			w.WriteString(sep)
		}
		if quote && (strings.Contains(v, sep) || strings.ContainsAny(v, "\"\n\r")) {
			v = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
		}
		w.WriteString(v)
	}
	_, err := w.WriteString(rowSep)
	return err
}

// quoteIdent double-quotes a name unless it is a plain lower-case word
// that is not a keyword.
func quoteIdent(s string) string {
	plain := s != "" && !isKeyword(s)
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			plain = false
		}
	}
	if plain {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func quoteIdents(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = quoteIdent(s)
	}
	return out
}

// sqlLiteral renders a value as a SQL literal for insert mode.
func sqlLiteral(t coldata.Type, c cell) string {
	if c.null {
		return "NULL"
	}
	if t.IsNumeric() || t.ID == coldata.Bool {
		return c.s
	}
	return "'" + strings.ReplaceAll(c.s, "'", "''") + "'"
}
