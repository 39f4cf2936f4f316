package kernel

// jsonShape is a node of json_structure's result: a scalar type name, an
// array of one merged element shape, or an object of merged field shapes
// (in first-seen order). json_structure is not a hot path: it builds one
// small tree per row.
type jsonShape struct {
	scalar string // "" for arrays and objects
	elem   *jsonShape
	keys   []string
	fields map[string]*jsonShape
}

// shapeOf describes the validated value at i.
func shapeOf(s string, i int) *jsonShape {
	i = jsonWS(s, i)
	switch s[i] {
	case '[':
		sh := &jsonShape{elem: &jsonShape{scalar: "NULL"}}
		for j := jsonWS(s, i+1); j < len(s) && s[j] != ']'; {
			sh.elem = mergeShapes(sh.elem, shapeOf(s, j))
			j, _ = jsonSkip(s, j, 0)
			if j = jsonWS(s, j); j < len(s) && s[j] == ',' {
				j = jsonWS(s, j+1)
			}
		}
		return sh
	case '{':
		sh := &jsonShape{fields: map[string]*jsonShape{}}
		for j := jsonWS(s, i+1); j < len(s) && s[j] == '"'; {
			e, _ := jsonSkipString(s, j)
			key := string(jsonUnquote(nil, s[j:e]))
			j = jsonWS(s, jsonWS(s, e)+1)
			v := shapeOf(s, j)
			if old, ok := sh.fields[key]; ok {
				sh.fields[key] = mergeShapes(old, v)
			} else {
				sh.keys = append(sh.keys, key)
				sh.fields[key] = v
			}
			j, _ = jsonSkip(s, j, 0)
			if j = jsonWS(s, j); j < len(s) && s[j] == ',' {
				j = jsonWS(s, j+1)
			}
		}
		return sh
	}
	e, _ := jsonSkip(s, i, 0)
	return &jsonShape{scalar: jsonTypeName(s[i:e])}
}

var jsonNumeric = map[string]bool{"BIGINT": true, "UBIGINT": true, "HUGEINT": true, "DOUBLE": true}

// mergeShapes is the shape covering both: NULL gives way to anything,
// integers of both signs widen to HUGEINT and numbers to DOUBLE, arrays
// and objects merge member-wise, and anything else is JSON.
func mergeShapes(a, b *jsonShape) *jsonShape {
	switch {
	case a.scalar == "NULL":
		return b
	case b.scalar == "NULL":
		return a
	case a.scalar == "JSON" || b.scalar == "JSON":
		return &jsonShape{scalar: "JSON"}
	case a.scalar != "" && b.scalar != "":
		switch {
		case a.scalar == b.scalar:
			return a
		case jsonNumeric[a.scalar] && jsonNumeric[b.scalar]:
			if a.scalar == "DOUBLE" || b.scalar == "DOUBLE" {
				return &jsonShape{scalar: "DOUBLE"}
			}
			return &jsonShape{scalar: "HUGEINT"}
		}
	case a.elem != nil && b.elem != nil:
		return &jsonShape{elem: mergeShapes(a.elem, b.elem)}
	case a.fields != nil && b.fields != nil:
		m := &jsonShape{fields: map[string]*jsonShape{}, keys: append([]string(nil), a.keys...)}
		for k, v := range a.fields {
			m.fields[k] = v
		}
		for _, k := range b.keys {
			if old, ok := m.fields[k]; ok {
				m.fields[k] = mergeShapes(old, b.fields[k])
			} else {
				m.keys = append(m.keys, k)
				m.fields[k] = b.fields[k]
			}
		}
		return m
	}
	return &jsonShape{scalar: "JSON"}
}

func appendShape(dst []byte, sh *jsonShape) []byte {
	switch {
	case sh.scalar != "":
		return append(append(append(dst, '"'), sh.scalar...), '"')
	case sh.elem != nil:
		return append(appendShape(append(dst, '['), sh.elem), ']')
	}
	dst = append(dst, '{')
	for i, k := range sh.keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(jsonQuote(dst, k), ':')
		dst = appendShape(dst, sh.fields[k])
	}
	return append(dst, '}')
}
