package sql

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/sql/ast"
)

// TableFunc is a table function call in FROM with constant arguments:
// read_parquet, parquet_scan, parquet_metadata, parquet_schema,
// parquet_inspect.
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
	Order  []string         // VStruct: the field names as written
}

// ValueKind classifies a Value.
type ValueKind uint8

// The kinds of Value: which of its fields holds it.
const (
	VString ValueKind = iota // a string literal, in Str
	VNumber                  // a number, as written, in Str
	VBool                    // true or false, in Bool
	VList                    // a list [..] or (..), in List
	VStruct                  // a struct {'k': v}, in Fields
	VIdent                   // a bare word such as a type name in hive_types={'year': BIGINT}
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

// astValue reads a constant argument of a table function or an option of
// COPY: strings, numbers, booleans, bare words, lists, structs and
// parenthesized lists.
func astValue(e ast.Expr) (Value, error) {
	switch v := e.(type) {
	case *ast.StringLit:
		return Value{Kind: VString, Str: v.Value}, nil
	case *ast.NumberLit:
		return Value{Kind: VNumber, Str: v.Text}, nil
	case *ast.BoolLit:
		return Value{Kind: VBool, Bool: v.Value}, nil
	case *ast.ColumnRef:
		return Value{Kind: VIdent, Str: v.String()}, nil
	case *ast.ListLit:
		return valueList(v.Items)
	case *ast.RowExpr:
		return valueList(v.Items)
	case *ast.StructLit:
		out := Value{Kind: VStruct, Fields: map[string]Value{}}
		for _, f := range v.Fields {
			x, err := astValue(f.Value)
			if err != nil {
				return out, err
			}
			out.Fields[f.Name.Name] = x
			out.Order = append(out.Order, f.Name.Name)
		}
		return out, nil
	}
	return Value{}, binderErr(e, "expected a constant, got %s", clip(e.String()))
}

func valueList(items []ast.Expr) (Value, error) {
	out := Value{Kind: VList}
	for _, it := range items {
		x, err := astValue(it)
		if err != nil {
			return out, err
		}
		out.List = append(out.List, x)
	}
	return out, nil
}
