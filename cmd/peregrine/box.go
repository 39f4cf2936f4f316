package main

import (
	"bufio"
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/mattn/go-runewidth"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// maxColWidth is the width duckbox cuts columns to when a result is wider
// than the terminal (DuckDB's max_col_width).
const maxColWidth = 20

func displayWidth(s string) int { return runewidth.StringWidth(s) }

// cut shortens s to width w, ending it with "…" when something was cut.
func cut(s string, w int) string {
	if displayWidth(s) <= w {
		return s
	}
	if w <= 1 {
		return "…"
	}
	return runewidth.Truncate(s, w, "…")
}

// oneLine keeps a value on one line of a box.
func oneLine(s string) string {
	if strings.ContainsAny(s, "\n\r\t") {
		s = strings.NewReplacer("\n", "\\n", "\r", "\\r", "\t", "\\t").Replace(s)
	}
	return s
}

// duckType is the type name DuckDB's duckbox header shows.
func duckType(t coldata.Type) string {
	if t.Kind != coldata.KindNone {
		return strings.ToLower(t.Kind.PhysName()) // int8, uint64, float
	}
	switch t.ID {
	case coldata.Int32:
		return "int32"
	case coldata.Int64:
		return "int64"
	case coldata.Hugeint:
		return "int128"
	case coldata.Unknown:
		return `"null"`
	}
	return strings.ToLower(t.String())
}

// duckbox renders DuckDB's default mode: names and types in the header,
// numbers right-aligned, columns cut to fit the terminal (middle columns
// replaced by a "…" column), rows past .maxrows elided in the middle, and
// a footer with the row and column counts when anything was left out.
func (o *output) duckbox(ctx context.Context, w *bufio.Writer, rs resultSet, rows *peregrine.Rows) (int64, error) {
	half := max(o.maxRows/2, 1)
	var head, tail [][]cell
	nullText := "NULL"
	if o.nullValue != "" {
		nullText = o.nullValue
	}
	total, err := eachRow(ctx, rows, coldata.Format, func(r []cell) error {
		row := make([]cell, len(r))
		for i, c := range r {
			if c.null {
				c.s = nullText
			}
			row[i] = cell{s: oneLine(c.s), null: c.null}
		}
		if len(head) < half || o.maxRows <= 0 {
			head = append(head, row)
			return nil
		}
		tail = append(tail, row)
		if len(tail) > half {
			tail = tail[1:]
		}
		return nil
	})
	if err != nil {
		return total, err
	}
	// With at most maxRows rows, show them all.
	if int64(len(head)+len(tail)) == total && o.maxRows > 0 && total <= int64(o.maxRows) {
		head, tail = append(head, tail...), nil
	}
	elided := total > int64(len(head)+len(tail))
	n := len(rs.names)
	names, types := make([]string, n), make([]string, n)
	widths := make([]int, n)
	numeric := make([]bool, n)
	for i := range rs.names {
		names[i], types[i] = oneLine(rs.names[i]), duckType(rs.types[i])
		widths[i] = max(displayWidth(names[i]), displayWidth(types[i]))
		numeric[i] = rs.types[i].IsNumeric()
	}
	for _, part := range [][][]cell{head, tail} {
		for _, r := range part {
			for i, c := range r {
				widths[i] = max(widths[i], displayWidth(c.s))
			}
		}
	}
	shown := fitColumns(widths, o.termWidth())
	b := &boxWriter{w: w}
	// The columns drawn: shown ones, with a "…" column where others were
	// left out.
	var draw []int // index into rs, or -1 for the "…" column
	for k, i := range shown {
		if k > 0 && i != shown[k-1]+1 {
			draw = append(draw, -1)
		}
		draw = append(draw, i)
	}
	b.widths = make([]int, len(draw))
	for k, i := range draw {
		if i < 0 {
			b.widths[k] = 1
		} else {
			b.widths[k] = widths[i]
		}
	}
	pick := func(vals func(i int) string) []string {
		out := make([]string, len(draw))
		for k, i := range draw {
			if i < 0 {
				out[k] = "…"
			} else {
				out[k] = cut(vals(i), b.widths[k])
			}
		}
		return out
	}
	right := func(k int) bool { return draw[k] >= 0 && numeric[draw[k]] }
	centre := func(int) bool { return false }
	b.rule("┌", "┬", "┐", "─")
	b.cells(pick(func(i int) string { return names[i] }), centre, true)
	b.cells(pick(func(i int) string { return types[i] }), centre, true)
	if total > 0 {
		b.rule("├", "┼", "┤", "─")
	}
	for _, r := range head {
		b.cells(pick(func(i int) string { return r[i].s }), right, false)
	}
	if elided {
		dots := pick(func(int) string { return "·" })
		for k := range dots {
			dots[k] = "·"
		}
		for range 3 {
			b.cells(dots, centre, true)
		}
	}
	for _, r := range tail {
		b.cells(pick(func(i int) string { return r[i].s }), right, false)
	}
	if !elided && len(shown) == n && total > 0 {
		b.rule("└", "┴", "┘", "─")
		return total, nil
	}
	// Footer: the counts, inside the box.
	rowsText := fmt.Sprintf("%d rows", total)
	if total == 1 {
		rowsText = "1 row"
	}
	if elided {
		rowsText += fmt.Sprintf(" (%d shown)", len(head)+len(tail))
	}
	colsText := ""
	if n > 1 || len(shown) < n {
		colsText = fmt.Sprintf("%d columns", n)
		if len(shown) < n {
			colsText += fmt.Sprintf(" (%d shown)", len(shown))
		}
	}
	inner := b.inner() - 2
	b.rule("├", "┴", "┤", "─")
	switch {
	case colsText == "" || !elided && len(shown) == n:
		b.line(centreText(rowsText, inner))
	case displayWidth(rowsText)+displayWidth(colsText)+2 <= inner:
		b.line(rowsText + strings.Repeat(" ", inner-displayWidth(rowsText)-displayWidth(colsText)) + colsText)
	default:
		b.line(centreText(cut(rowsText, inner), inner))
		b.line(centreText(cut(colsText, inner), inner))
	}
	b.rule("└", "─", "┘", "─")
	return total, nil
}

// fitColumns returns the columns to show, cutting widths in place: when
// the table is wider than maxWidth, columns wider than maxColWidth are cut
// to it, then columns are dropped from the middle outwards (DuckDB keeps
// the first and last ones) until what is left, with its "…" column, fits.
func fitColumns(widths []int, maxWidth int) []int {
	total := func(ws []int, idx []int) int {
		t := 1
		for _, i := range idx {
			t += ws[i] + 3
		}
		if len(idx) < len(ws) {
			t += 4 // the "…" column
		}
		return t
	}
	all := make([]int, len(widths))
	for i := range all {
		all[i] = i
	}
	if total(widths, all) <= maxWidth {
		return all
	}
	for i := range widths {
		widths[i] = min(widths[i], maxColWidth)
	}
	// Take columns from both ends inwards (first, last, second, second
	// to last, ...) while they fit with the "…" column.
	var order []int
	for l, r := 0, len(widths)-1; l <= r; l, r = l+1, r-1 {
		order = append(order, l)
		if r != l {
			order = append(order, r)
		}
	}
	var shown []int
	for _, i := range order {
		next := append(append([]int(nil), shown...), i)
		sort.Ints(next)
		if len(shown) > 0 && total(widths, next) > maxWidth {
			break
		}
		shown = next
	}
	if total(widths, shown) > maxWidth {
		// One column wider than the terminal: cut it.
		widths[shown[0]] = max(1, maxWidth-8)
	}
	return shown
}

func centreText(s string, w int) string {
	pad := max(w-displayWidth(s), 0)
	return strings.Repeat(" ", pad/2) + s + strings.Repeat(" ", pad-pad/2)
}

// boxWriter draws tables with given column widths.
type boxWriter struct {
	w      *bufio.Writer
	widths []int
	// ascii switches to +, - and | (table mode).
	ascii bool
}

func (b *boxWriter) inner() int {
	t := -3
	for _, wd := range b.widths {
		t += wd + 3
	}
	return t + 2
}

func (b *boxWriter) vbar() string {
	if b.ascii {
		return "|"
	}
	return "│"
}

// rule draws a horizontal line.
func (b *boxWriter) rule(l, m, r, h string) {
	var sb strings.Builder
	sb.WriteString(l)
	for i, wd := range b.widths {
		if i > 0 {
			sb.WriteString(m)
		}
		sb.WriteString(strings.Repeat(h, wd+2))
	}
	sb.WriteString(r)
	sb.WriteByte('\n')
	b.w.WriteString(sb.String())
}

// cells draws one row; centred cells (headers) put the odd space on the
// right, as DuckDB does.
func (b *boxWriter) cells(vals []string, right func(int) bool, centred bool) {
	var sb strings.Builder
	v := b.vbar()
	sb.WriteString(v)
	for i, s := range vals {
		pad := max(b.widths[i]-displayWidth(s), 0)
		switch {
		case centred:
			sb.WriteString(" " + strings.Repeat(" ", pad/2) + s + strings.Repeat(" ", pad-pad/2) + " ")
		case right(i):
			sb.WriteString(" " + strings.Repeat(" ", pad) + s + " ")
		default:
			sb.WriteString(" " + s + strings.Repeat(" ", pad) + " ")
		}
		sb.WriteString(v)
	}
	sb.WriteByte('\n')
	b.w.WriteString(sb.String())
}

// line draws one full-width line of text inside the box.
func (b *boxWriter) line(s string) {
	v := b.vbar()
	b.w.WriteString(v + " " + s + strings.Repeat(" ", max(b.inner()-2-displayWidth(s), 0)) + " " + v + "\n")
}

// columnar renders the modes that size columns to their contents without
// cutting anything: box, table (ASCII), markdown and latex. Headers are
// centred, values left-aligned (SQLite's habit, which DuckDB keeps).
func (o *output) columnar(w *bufio.Writer, rs resultSet, all [][]cell) {
	n := len(rs.names)
	widths := make([]int, n)
	text := func(c cell) string {
		if c.null {
			return o.nullValue
		}
		return oneLine(c.s)
	}
	for i, name := range rs.names {
		widths[i] = displayWidth(name)
	}
	for _, r := range all {
		for i, c := range r {
			widths[i] = max(widths[i], displayWidth(text(c)))
		}
	}
	b := &boxWriter{w: w, widths: widths, ascii: o.mode == "table"}
	left := func(int) bool { return false }
	row := func(r []cell) []string {
		out := make([]string, n)
		for i, c := range r {
			out[i] = text(c)
		}
		return out
	}
	switch o.mode {
	case "box", "table":
		h := "─"
		top, mid, bot := [3]string{"┌", "┬", "┐"}, [3]string{"├", "┼", "┤"}, [3]string{"└", "┴", "┘"}
		if b.ascii {
			h = "-"
			top, mid, bot = [3]string{"+", "+", "+"}, [3]string{"+", "+", "+"}, [3]string{"+", "+", "+"}
		}
		b.rule(top[0], top[1], top[2], h)
		if o.headers {
			b.cells(rs.names, left, true)
			b.rule(mid[0], mid[1], mid[2], h)
		}
		for _, r := range all {
			b.cells(row(r), left, false)
		}
		b.rule(bot[0], bot[1], bot[2], h)
	case "markdown":
		b.ascii = true
		b.cells(rs.names, left, true)
		var sb strings.Builder
		sb.WriteString("|")
		for i, wd := range widths {
			if rs.types[i].IsNumeric() {
				sb.WriteString(strings.Repeat("-", wd+1) + ":|")
			} else {
				sb.WriteString(strings.Repeat("-", wd+2) + "|")
			}
		}
		w.WriteString(sb.String() + "\n")
		for _, r := range all {
			b.cells(row(r), left, false)
		}
	case "latex":
		var spec strings.Builder
		for _, t := range rs.types {
			if t.IsNumeric() {
				spec.WriteByte('r')
			} else {
				spec.WriteByte('l')
			}
		}
		fmt.Fprintf(w, "\\begin{tabular}{|%s|}\n\\hline\n", spec.String())
		latexRow := func(vals []string, centred bool) {
			parts := make([]string, n)
			for i, s := range vals {
				pad := max(widths[i]-displayWidth(s), 0)
				if centred {
					parts[i] = strings.Repeat(" ", pad/2) + s + strings.Repeat(" ", pad-pad/2)
				} else {
					parts[i] = s + strings.Repeat(" ", pad)
				}
			}
			w.WriteString(strings.Join(parts, " & ") + " \\\\\n")
		}
		if o.headers {
			latexRow(rs.names, true)
			w.WriteString("\\hline\n")
		}
		for _, r := range all {
			latexRow(row(r), false)
		}
		w.WriteString("\\hline\n\\end{tabular}\n")
	}
}
