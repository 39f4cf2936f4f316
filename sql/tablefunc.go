package sql

import (
	"fmt"
	"strconv"
	"strings"
)

// TableFunc is a table function call in FROM, lifted out of the text by
// the pre-parse (the MySQL grammar has none): read_parquet, parquet_scan,
// parquet_metadata, parquet_schema, parquet_inspect.
type TableFunc struct {
	Name  string  // lower-case
	Args  []Value // positional
	Named map[string]Value
}

// Value is a constant argument: a string, number, boolean, list or struct.
type Value struct {
	Kind   ValueKind
	Str    string           // VString, VNumber (its text), VIdent
	Bool   bool             // VBool
	List   []Value          // VList
	Fields map[string]Value // VStruct
}

// ValueKind classifies a Value.
type ValueKind uint8

const (
	VString ValueKind = iota
	VNumber
	VBool
	VList
	VStruct
	VIdent // a bare word such as a type name in hive_types={'year': BIGINT}
)

// Strings returns v as a list of strings (a string is a list of one).
func (v Value) Strings() ([]string, error) {
	switch v.Kind {
	case VString:
		return []string{v.Str}, nil
	case VList:
		out := make([]string, len(v.List))
		for i, x := range v.List {
			if x.Kind != VString {
				return nil, fmt.Errorf("expected a list of strings")
			}
			out[i] = x.Str
		}
		return out, nil
	}
	return nil, fmt.Errorf("expected a string or a list of strings")
}

// AsBool interprets v as a boolean option value.
func (v Value) AsBool() (bool, error) {
	switch v.Kind {
	case VBool:
		return v.Bool, nil
	case VNumber:
		return v.Str != "0", nil
	case VString, VIdent:
		switch strings.ToLower(v.Str) {
		case "true", "1", "on":
			return true, nil
		case "false", "0", "off":
			return false, nil
		}
	}
	return false, fmt.Errorf("expected a boolean")
}

// AsInt interprets v as an integer option value.
func (v Value) AsInt() (int64, error) {
	if v.Kind == VNumber || v.Kind == VString || v.Kind == VIdent {
		if n, err := strconv.ParseInt(strings.TrimSpace(v.Str), 10, 64); err == nil {
			return n, nil
		}
	}
	return 0, fmt.Errorf("expected an integer")
}

// tableFuncNames are the table functions the pre-parse recognises in FROM.
var tableFuncNames = map[string]bool{
	"read_parquet": true, "parquet_scan": true, "parquet_metadata": true, "parquet_schema": true, "parquet_inspect": true,
}

// valueParser reads constant values from significant tokens.
type valueParser struct {
	at func(int) token
	k  int
}

func (p *valueParser) value() (Value, error) {
	t := p.at(p.k)
	switch {
	case t.kind == tkString:
		p.k++
		return Value{Kind: VString, Str: t.stringValue()}, nil
	case t.kind == tkNumber:
		p.k++
		return Value{Kind: VNumber, Str: t.text}, nil
	case t.text == "-" && p.at(p.k+1).kind == tkNumber:
		p.k += 2
		return Value{Kind: VNumber, Str: "-" + p.at(p.k-1).text}, nil
	case t.isWord("TRUE") || t.isWord("FALSE"):
		p.k++
		return Value{Kind: VBool, Bool: t.isWord("TRUE")}, nil
	case t.kind == tkIdent:
		p.k++
		return Value{Kind: VIdent, Str: t.text}, nil
	case t.text == "[":
		p.k++
		v := Value{Kind: VList}
		for p.at(p.k).text != "]" {
			x, err := p.value()
			if err != nil {
				return v, err
			}
			v.List = append(v.List, x)
			if p.at(p.k).text == "," {
				p.k++
			} else if p.at(p.k).text != "]" {
				return v, fmt.Errorf("expected , or ] at position %d", p.at(p.k).pos+1)
			}
		}
		p.k++
		return v, nil
	case t.text == "{":
		p.k++
		v := Value{Kind: VStruct, Fields: map[string]Value{}}
		for p.at(p.k).text != "}" {
			key := p.at(p.k)
			if key.kind != tkString && key.kind != tkIdent && key.kind != tkQuoted {
				return v, fmt.Errorf("expected a field name at position %d", key.pos+1)
			}
			name := key.identValue()
			if key.kind == tkString {
				name = key.stringValue()
			}
			p.k++
			if p.at(p.k).text != ":" {
				return v, fmt.Errorf("expected : at position %d", p.at(p.k).pos+1)
			}
			p.k++
			x, err := p.value()
			if err != nil {
				return v, err
			}
			v.Fields[name] = x
			if p.at(p.k).text == "," {
				p.k++
			} else if p.at(p.k).text != "}" {
				return v, fmt.Errorf("expected , or } at position %d", p.at(p.k).pos+1)
			}
		}
		p.k++
		return v, nil
	}
	if t.kind == tkSpace {
		return Value{}, fmt.Errorf("unexpected end of input")
	}
	return Value{}, fmt.Errorf("expected a constant at position %d, got %q", t.pos+1, t.text)
}

// tableFuncCall parses `name ( args )` starting at sig index k (the name);
// it returns the call and the index of the closing parenthesis.
func tableFuncCall(at func(int) token, k int) (TableFunc, int, error) {
	tf := TableFunc{Name: strings.ToLower(at(k).text), Named: map[string]Value{}}
	p := &valueParser{at: at, k: k + 2}
	for at(p.k).text != ")" {
		if at(p.k).kind == tkIdent && at(p.k+1).text == "=" {
			name := strings.ToLower(at(p.k).text)
			p.k += 2
			v, err := p.value()
			if err != nil {
				return tf, 0, fmt.Errorf("%s option %s: %v", tf.Name, name, err)
			}
			tf.Named[name] = v
		} else {
			v, err := p.value()
			if err != nil {
				return tf, 0, fmt.Errorf("%s: %v", tf.Name, err)
			}
			tf.Args = append(tf.Args, v)
		}
		switch at(p.k).text {
		case ",":
			p.k++
		case ")":
		default:
			if at(p.k).kind == tkSpace {
				return tf, 0, fmt.Errorf("%s: missing )", tf.Name)
			}
			return tf, 0, fmt.Errorf("%s: expected , or ) at position %d", tf.Name, at(p.k).pos+1)
		}
	}
	return tf, p.k, nil
}
