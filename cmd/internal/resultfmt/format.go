package resultfmt

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// maxTableRows is how many rows the table format shows before eliding the
// middle, like DuckDB's .maxrows.
const maxTableRows = 40

// Print writes rows to w as table, csv or json (closing rows).
func Print(ctx context.Context, w io.Writer, format string, rows *peregrine.Rows) error {
	defer rows.Close()
	cols := rows.Columns()
	if len(cols) == 0 {
		// SET and friends: drain, print nothing.
		_, err := rows.Next(ctx)
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	defer bw.Flush()
	switch format {
	case "csv":
		return printCSV(ctx, bw, rows)
	case "json":
		return printJSON(ctx, bw, rows)
	}
	if len(cols) == 1 && cols[0].Name == "explain" {
		return each(ctx, rows, func(vals []string, _ []bool) error {
			_, err := fmt.Fprintln(bw, vals[0])
			return err
		})
	}
	return printTable(ctx, bw, rows)
}

// each calls fn for every result row with values formatted as text.
func each(ctx context.Context, rows *peregrine.Rows, fn func(vals []string, null []bool) error) error {
	return eachFormatted(ctx, rows, coldata.Format, fn)
}

// eachFormatted is each with the value formatter given.
func eachFormatted(ctx context.Context, rows *peregrine.Rows, format func(coldata.Type, coldata.Datum) string, fn func(vals []string, null []bool) error) error {
	n := len(rows.Columns())
	vals, null := make([]string, n), make([]bool, n)
	for {
		b, err := rows.Next(ctx)
		if err != nil {
			return err
		}
		if b == nil {
			return nil
		}
		for k := 0; k < b.Len(); k++ {
			i := k
			if b.Sel != nil {
				i = int(b.Sel[k])
			}
			for c, v := range b.Vecs {
				null[c] = v.IsNull(i)
				if null[c] {
					vals[c] = ""
				} else {
					vals[c] = format(v.Type, v.Get(i))
				}
			}
			if err := fn(vals, null); err != nil {
				return err
			}
		}
	}
}

func printCSV(ctx context.Context, w io.Writer, rows *peregrine.Rows) error {
	cw := csv.NewWriter(w)
	header := make([]string, len(rows.Columns()))
	for i, c := range rows.Columns() {
		header[i] = c.Name
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	err := each(ctx, rows, func(vals []string, _ []bool) error { return cw.Write(vals) })
	cw.Flush()
	if err != nil {
		return err
	}
	return cw.Error()
}

func printJSON(ctx context.Context, w io.Writer, rows *peregrine.Rows) error {
	cols := rows.Columns()
	keys := make([]string, len(cols))
	for i, c := range cols {
		k, _ := json.Marshal(c.Name)
		keys[i] = string(k)
	}
	first := true
	var sb strings.Builder
	err := eachFormatted(ctx, rows, FormatJSON, func(vals []string, null []bool) error {
		sb.Reset()
		if first {
			sb.WriteString("[")
		} else {
			sb.WriteString(",\n")
		}
		first = false
		sb.WriteString("{")
		for i, v := range vals {
			if i > 0 {
				sb.WriteString(",")
			}
			sb.WriteString(keys[i])
			sb.WriteString(":")
			sb.WriteString(JSONValue(cols[i].Type, v, null[i]))
		}
		sb.WriteString("}")
		_, err := io.WriteString(w, sb.String())
		return err
	})
	if err != nil {
		return err
	}
	if first {
		_, err = io.WriteString(w, "[]\n")
	} else {
		_, err = io.WriteString(w, "]\n")
	}
	return err
}

// JSONValue renders one formatted value v of type t as a JSON value:
// numbers and booleans bare, NaN and infinities as null, the rest quoted.
func JSONValue(t coldata.Type, v string, null bool) string {
	if null {
		return "null"
	}
	switch t.ID {
	case coldata.Int32, coldata.Int64, coldata.Hugeint, coldata.Decimal, coldata.Bool, coldata.List, coldata.Struct, coldata.Map:
		return v
	case coldata.Float64:
		if v == "nan" || v == "inf" || v == "-inf" {
			return "null"
		}
		return v
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// printTable draws DuckDB's box format: names and types in the header,
// numbers right-aligned, the middle elided past maxTableRows rows.
func printTable(ctx context.Context, w io.Writer, rows *peregrine.Rows) error {
	cols := rows.Columns()
	var head, tail [][]string
	total := 0
	half := maxTableRows / 2
	err := each(ctx, rows, func(vals []string, null []bool) error {
		row := make([]string, len(vals))
		for i, v := range vals {
			if null[i] {
				v = "NULL"
			}
			row[i] = v
		}
		total++
		if len(head) < half {
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
		return err
	}
	elided := total > len(head)+len(tail)
	widths := make([]int, len(cols))
	names := make([]string, len(cols))
	types := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
		types[i] = strings.ToLower(c.Type.String())
		widths[i] = max(width(names[i]), width(types[i]))
	}
	for _, r := range append(append([][]string{}, head...), tail...) {
		for i, v := range r {
			widths[i] = max(widths[i], width(v))
		}
	}
	line := func(l, m, r string) {
		var sb strings.Builder
		sb.WriteString(l)
		for i, wd := range widths {
			if i > 0 {
				sb.WriteString(m)
			}
			sb.WriteString(strings.Repeat("─", wd+2))
		}
		sb.WriteString(r + "\n")
		io.WriteString(w, sb.String())
	}
	cells := func(vals []string, align func(i int) int) {
		var sb strings.Builder
		sb.WriteString("│")
		for i, v := range vals {
			pad := widths[i] - width(v)
			switch align(i) {
			case 1: // right
				sb.WriteString(" " + strings.Repeat(" ", pad) + v + " │")
			case 0: // centre
				l := pad / 2
				sb.WriteString(" " + strings.Repeat(" ", l) + v + strings.Repeat(" ", pad-l) + " │")
			default:
				sb.WriteString(" " + v + strings.Repeat(" ", pad) + " │")
			}
		}
		sb.WriteString("\n")
		io.WriteString(w, sb.String())
	}
	numeric := func(i int) int {
		if cols[i].Type.IsNumeric() {
			return 1
		}
		return -1
	}
	centre := func(int) int { return 0 }
	line("┌", "┬", "┐")
	cells(names, centre)
	cells(types, centre)
	line("├", "┼", "┤")
	for _, r := range head {
		cells(r, numeric)
	}
	if elided {
		dots := make([]string, len(cols))
		for i := range dots {
			dots[i] = "·"
		}
		for k := 0; k < 3; k++ {
			cells(dots, centre)
		}
	}
	for _, r := range tail {
		cells(r, numeric)
	}
	line("└", "┴", "┘")
	if elided {
		fmt.Fprintf(w, "%d rows (%d shown)  %d columns\n", total, len(head)+len(tail), len(cols))
	}
	return nil
}

func width(s string) int { return utf8.RuneCountInString(s) }

// FormatJSON renders nested values as JSON (lists as arrays, structs and
// maps as objects, map keys as text) and other values as Format does, for
// JSONValue to quote.
func FormatJSON(t coldata.Type, d coldata.Datum) string {
	if !t.IsNested() {
		return coldata.Format(t, d)
	}
	var sb strings.Builder
	writeJSON(&sb, t, d)
	return sb.String()
}

func writeJSON(sb *strings.Builder, t coldata.Type, d coldata.Datum) {
	if d.Null {
		sb.WriteString("null")
		return
	}
	if !t.IsNested() {
		sb.WriteString(JSONValue(t, coldata.Format(t, d), false))
		return
	}
	var nd coldata.Nested
	if d.N != nil {
		nd = *d.N
	}
	key := func(s string) {
		k, _ := json.Marshal(s)
		sb.Write(k)
		sb.WriteByte(':')
	}
	switch t.ID {
	case coldata.List:
		sb.WriteByte('[')
		for i, e := range nd.Elems {
			if i > 0 {
				sb.WriteByte(',')
			}
			writeJSON(sb, t.Nest.Elem, e)
		}
		sb.WriteByte(']')
	case coldata.Struct:
		sb.WriteByte('{')
		for i, f := range t.Nest.Fields {
			if i > 0 {
				sb.WriteByte(',')
			}
			key(f.Name)
			e := coldata.NullDatum
			if i < len(nd.Elems) {
				e = nd.Elems[i]
			}
			writeJSON(sb, f.Type, e)
		}
		sb.WriteByte('}')
	case coldata.Map:
		sb.WriteByte('{')
		for i, k := range nd.Keys {
			if i > 0 {
				sb.WriteByte(',')
			}
			key(coldata.Format(t.Nest.Key, k))
			writeJSON(sb, t.Nest.Value, nd.Elems[i])
		}
		sb.WriteByte('}')
	}
}
