package kernel

import (
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// jsonNode is the JSON functions over JSON text held in VARCHAR:
// extraction by path (json_extract, ->, ->>, json_exists, json_value),
// inspection (json_type, json_array_length, json_keys, json_valid) and
// construction (to_json, json_object, json_array). A constant path is
// parsed once, at compile time.
type jsonNode struct {
	op    expr.Op
	args  []node
	vs    []*coldata.Vec
	t     coldata.Type
	path  []jsonStep // the constant path, when hasP
	hasP  bool
	res   result
	a     strArena
	tmp   []byte
	o     listOut
	parts coldata.Vec
}

func compileJSON(e *expr.Func, args []node) (node, error) {
	n := &jsonNode{op: e.Op, args: args, t: e.Typ}
	switch e.Op {
	case expr.OpJSONQuote, expr.OpJSONObject, expr.OpJSONArray:
		for _, a := range args {
			if !jsonSerializable(a.typ()) {
				return nil, errorf("%s(%s) is not supported", e.Op, a.typ())
			}
		}
		if e.Op == expr.OpJSONQuote && (len(args) != 1 || isNullConst(args[0]) || args[0].typ().ID == coldata.Unknown) {
			return newConst(e.Typ, coldata.NullDatum), nil
		}
		return fold(n, args...), nil
	}
	if len(args) == 0 || len(args) > 2 {
		return nil, errorf("%s takes 1 or 2 arguments, got %d", e.Op, len(args))
	}
	for _, a := range args {
		if isNullConst(a) || a.typ().ID == coldata.Unknown {
			return newConst(e.Typ, coldata.NullDatum), nil
		}
	}
	if args[0].typ().ID != coldata.String {
		return nil, errorf("%s needs VARCHAR JSON, got %s", e.Op, args[0].typ())
	}
	if len(args) == 2 {
		pt := args[1].typ().ID
		if pt != coldata.String && pt != coldata.Int64 {
			return nil, errorf("%s needs a VARCHAR or BIGINT path, got %s", e.Op, args[1].typ())
		}
		if k, ok := args[1].(*constNode); ok {
			steps, err := pathOf(k.d, pt)
			if err != nil {
				return nil, err
			}
			n.path, n.hasP = steps, true
		}
	}
	return fold(n, args...), nil
}

// pathOf turns a path argument into steps: text, or an integer index
// (negative from the end).
func pathOf(d coldata.Datum, t coldata.TypeID) ([]jsonStep, error) {
	if t == coldata.Int64 {
		if d.I < 0 {
			return []jsonStep{{isIdx: true, fromEnd: true, idx: -d.I}}, nil
		}
		return []jsonStep{{isIdx: true, idx: d.I}}, nil
	}
	return parseJSONPath(d.S)
}

func jsonSerializable(t coldata.Type) bool {
	return physOf(t) != physNone || t.ID == coldata.Unknown
}

func (n *jsonNode) typ() coldata.Type { return n.t }

func (n *jsonNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	vs, err := evalArgs(n.args, b, sel, &n.vs)
	if err != nil {
		return nil, err
	}
	rows := b.N
	switch n.op {
	case expr.OpJSONQuote, expr.OpJSONObject, expr.OpJSONArray:
		return n.build(vs, sel, rows)
	case expr.OpJSONKeys:
		return n.keys(vs, sel, rows)
	}
	out := n.res.reset(n.t, rows)
	nulls := n.res.copyNulls(sel, rows, vs...)
	n.a.reset(rows)
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		n.a.skip(int32(i))
		if nulls[i] {
			continue
		}
		s := vs[0].Str[i]
		if n.op == expr.OpJSONValid {
			out.B[i] = jsonValidate(s) == nil
			continue
		}
		if err := jsonValidate(s); err != nil {
			return nil, err
		}
		start, end, ok, err := n.locate(vs, i)
		if err != nil {
			return nil, err
		}
		if n.op == expr.OpJSONExists {
			out.B[i] = ok
			continue
		}
		if !ok {
			nulls[i] = true
			continue
		}
		n.value(out, nulls, i, s, start, end)
	}
	if n.t.ID == coldata.String {
		n.a.finish(out.Str, sel, rows)
	}
	dropEmptyNulls(out, sel, rows)
	return out, nil
}

// locate finds row i's value: the document, or the path's target.
func (n *jsonNode) locate(vs []*coldata.Vec, i int) (start, end int, ok bool, err error) {
	s := vs[0].Str[i]
	steps := n.path
	if len(vs) == 2 && !n.hasP {
		if steps, err = pathOf(vs[1].Get(i), vs[1].Type.ID); err != nil {
			return 0, 0, false, err
		}
	}
	start, end, ok = jsonNavigate(s, jsonWS(s, 0), steps)
	return start, end, ok, nil
}

// value stores the result of the extraction and inspection functions for
// the value s[start:end].
func (n *jsonNode) value(out *coldata.Vec, nulls []bool, i int, s string, start, end int) {
	c := s[start]
	switch n.op {
	case expr.OpJSONArrayLength:
		out.I64[i] = 0
		if c == '[' {
			out.I64[i] = int64(jsonCount(s, start))
		}
		return
	case expr.OpJSONType:
		out.Str[i] = jsonTypeName(s[start:end])
		return
	case expr.OpJSONStructure:
		at := len(n.a.buf)
		n.a.buf = appendShape(n.a.buf, shapeOf(s, start))
		n.a.mark(int32(i), at)
		return
	case expr.OpJSONExtractStr:
		if s[start:end] == "null" {
			nulls[i] = true
			return
		}
		if c == '"' {
			if strings.IndexByte(s[start:end], '\\') < 0 {
				out.Str[i] = s[start+1 : end-1]
				return
			}
			at := len(n.a.buf)
			n.a.buf = jsonUnquote(n.a.buf, s[start:end])
			n.a.mark(int32(i), at)
			return
		}
	case expr.OpJSONValue:
		if c == '[' || c == '{' || s[start:end] == "null" {
			nulls[i] = true
			return
		}
	}
	at := len(n.a.buf)
	n.a.buf = jsonNormalize(n.a.buf, s, start, end)
	n.a.mark(int32(i), at)
}

func jsonTypeName(v string) string {
	switch c := v[0]; {
	case c == '{':
		return "OBJECT"
	case c == '[':
		return "ARRAY"
	case c == '"':
		return "VARCHAR"
	case c == 't' || c == 'f':
		return "BOOLEAN"
	case v == "null":
		return "NULL"
	case strings.ContainsAny(v, ".eEiInN"): // also inf and nan
		return "DOUBLE"
	case c == '-':
		if _, err := strconv.ParseInt(v, 10, 64); err == nil {
			return "BIGINT"
		}
		return "DOUBLE"
	}
	if _, err := strconv.ParseUint(v, 10, 64); err == nil {
		return "UBIGINT"
	}
	return "DOUBLE"
}

// keys is json_keys: the keys of an object (an empty list for any other
// value).
func (n *jsonNode) keys(vs []*coldata.Vec, sel []int32, rows int) (*coldata.Vec, error) {
	n.o.reset(rows)
	strs := n.parts.Str[:0]
	n.tmp = n.tmp[:0]
	type span struct{ a, b int }
	var spans []span
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		if vs[0].IsNull(i) || len(vs) == 2 && vs[1].IsNull(i) {
			n.o.null(i)
			continue
		}
		s := vs[0].Str[i]
		if err := jsonValidate(s); err != nil {
			return nil, err
		}
		start, _, ok, err := n.locate(vs, i)
		if err != nil {
			return nil, err
		}
		if !ok {
			n.o.null(i)
			continue
		}
		n.o.start(i)
		if s[start] == '{' {
			for j := jsonWS(s, start+1); j < len(s) && s[j] == '"'; {
				e, _ := jsonSkipString(s, j)
				at := len(n.tmp)
				n.tmp = jsonUnquote(n.tmp, s[j:e])
				n.o.idx = append(n.o.idx, int32(len(spans)))
				spans = append(spans, span{at, len(n.tmp)})
				j = jsonWS(s, jsonWS(s, e)+1)
				j, _ = jsonSkip(s, j, 0)
				if j = jsonWS(s, j); j < len(s) && s[j] == ',' {
					j = jsonWS(s, j+1)
				}
			}
		}
		n.o.end(i)
	}
	all := string(n.tmp)
	for _, sp := range spans {
		strs = append(strs, all[sp.a:sp.b])
	}
	n.parts = coldata.Vec{Type: coldata.TypeString, Str: strs}
	return n.o.finish(n.t, &n.parts, rows), nil
}

// build is to_json, json_object and json_array.
func (n *jsonNode) build(vs []*coldata.Vec, sel []int32, rows int) (*coldata.Vec, error) {
	out := n.res.reset(n.t, rows)
	var nulls []bool
	if n.op == expr.OpJSONQuote {
		nulls = n.res.copyNulls(sel, rows, vs[0])
	} else {
		n.res.vec.Nulls = nil
	}
	n.a.reset(rows)
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		if nulls != nil && nulls[i] {
			n.a.skip(int32(i))
			continue
		}
		at := len(n.a.buf)
		switch n.op {
		case expr.OpJSONQuote:
			n.a.buf = appendJSONValue(n.a.buf, vs[0], i)
		case expr.OpJSONArray:
			n.a.buf = append(n.a.buf, '[')
			for j, v := range vs {
				if j > 0 {
					n.a.buf = append(n.a.buf, ',')
				}
				n.a.buf = appendJSONValue(n.a.buf, v, i)
			}
			n.a.buf = append(n.a.buf, ']')
		case expr.OpJSONObject:
			n.a.buf = append(n.a.buf, '{')
			for j := 0; j+1 < len(vs); j += 2 {
				if j > 0 {
					n.a.buf = append(n.a.buf, ',')
				}
				if vs[j].IsNull(i) {
					return nil, invalidInputf("json_object() keys can not be NULL")
				}
				n.a.buf = jsonQuote(n.a.buf, vs[j].Str[i])
				n.a.buf = append(n.a.buf, ':')
				n.a.buf = appendJSONValue(n.a.buf, vs[j+1], i)
			}
			n.a.buf = append(n.a.buf, '}')
		}
		n.a.mark(int32(i), at)
	}
	n.a.finish(out.Str, sel, rows)
	return out, nil
}

// appendJSONValue serializes row i of v: numbers and booleans as JSON
// literals, everything else as a JSON string of its text form.
func appendJSONValue(dst []byte, v *coldata.Vec, i int) []byte {
	if v.IsNull(i) || v.Type.ID == coldata.Unknown {
		return append(dst, "null"...)
	}
	switch v.Type.ID {
	case coldata.Bool:
		return strconv.AppendBool(dst, v.B[i])
	case coldata.Int32:
		return strconv.AppendInt(dst, int64(v.I32[i]), 10)
	case coldata.Int64:
		return strconv.AppendInt(dst, v.I64[i], 10)
	case coldata.Float64:
		return appendJSONDouble(dst, v.F64[i])
	case coldata.Hugeint, coldata.Decimal:
		return append(dst, coldata.Format(v.Type, v.Get(i))...)
	case coldata.String:
		return jsonQuote(dst, v.Str[i])
	}
	return jsonQuote(dst, coldata.Format(v.Type, v.Get(i)))
}
