package main

import (
	"encoding/json"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// formatJSON renders nested values as JSON (lists as arrays, structs and
// maps as objects, map keys as text) and other values as Format does, for
// jsonValue to quote.
func formatJSON(t coldata.Type, d coldata.Datum) string {
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
		sb.WriteString(jsonValue(t, coldata.Format(t, d), false))
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
