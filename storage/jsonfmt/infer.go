package jsonfmt

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/storage/csv"
)

// kMixed marks values of incompatible kinds: the column holds their JSON
// text (DuckDB's JSON type; VARCHAR here).
const kMixed kind = 100

// String sub-kinds, ordered: a date also parses as a timestamp, anything
// as text.
const (
	sDate uint8 = iota
	sTimestamp
	sText
)

// jtype is the inferred type of the values seen at one place.
type jtype struct {
	kind   kind
	str    uint8
	elem   *jtype   // kArray
	names  []string // kObject, in first-seen order
	fields []*jtype
}

func stringKindAt(s string, depth int) uint8 {
	if depth > 1 {
		return sText
	}
	return stringKind(s)
}

func stringKind(s string) uint8 {
	if _, ok := csv.ParseDate([]byte(s)); ok {
		return sDate
	}
	if _, ok := csv.ParseTimestamp([]byte(s)); ok {
		return sTimestamp
	}
	return sText
}

// add widens t to take v. Like DuckDB, only a record's own fields (top,
// depth 1) detect dates and timestamps in strings; nested ones stay text.
func (t *jtype) add(v *value, depth int) {
	if v.kind == kNull || t.kind == kMixed {
		return
	}
	if t.kind == kNull {
		t.kind = v.kind
		if v.kind == kString {
			t.str = stringKindAt(v.s, depth)
		}
	} else if t.kind != v.kind {
		if (t.kind == kInt && v.kind == kFloat) || (t.kind == kFloat && v.kind == kInt) {
			t.kind = kFloat
		} else {
			t.kind, t.elem, t.names, t.fields = kMixed, nil, nil, nil
		}
		return
	}
	switch v.kind {
	case kString:
		if t.str != sText {
			t.str = max(t.str, stringKindAt(v.s, depth))
		}
	case kArray:
		if t.elem == nil {
			t.elem = &jtype{}
		}
		for i := range v.arr {
			t.elem.add(&v.arr[i], depth+1)
		}
	case kObject:
		for i, k := range v.keys {
			t.field(k).add(&v.vals[i], depth+1)
		}
	}
}

func (t *jtype) field(name string) *jtype {
	for i, n := range t.names {
		if n == name {
			return t.fields[i]
		}
	}
	f := &jtype{}
	t.names = append(t.names, name)
	t.fields = append(t.fields, f)
	return f
}

// sqlType maps the inferred type to the engine's.
func (t *jtype) sqlType() coldata.Type {
	switch t.kind {
	case kBool:
		return coldata.TypeBool
	case kInt:
		return coldata.TypeInt64
	case kFloat:
		return coldata.TypeFloat64
	case kString:
		switch t.str {
		case sDate:
			return coldata.TypeDate
		case sTimestamp:
			return coldata.TypeTimestamp
		}
	case kArray:
		if t.elem == nil {
			return coldata.ListType(coldata.TypeString)
		}
		return coldata.ListType(t.elem.sqlType())
	case kObject:
		if len(t.names) == 0 {
			return coldata.TypeString
		}
		fs := make([]coldata.Field, len(t.names))
		for i, n := range t.names {
			// Types are interned process-wide: their names must not point
			// into a file's bytes.
			fs[i] = coldata.Field{Name: strings.Clone(n), Type: t.fields[i].sqlType()}
		}
		return coldata.StructType(fs)
	}
	return coldata.TypeString
}

// convertError is a value that does not fit its column's type.
type convertError struct{ msg string }

func (e *convertError) Error() string { return e.msg }

func mismatch(v *value, t coldata.Type) error {
	return &convertError{fmt.Sprintf("Could not convert %s to %s", clipText(v.raw), t)}
}

func clipText(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}

// datum converts v to a value of type t.
func datum(v *value, t coldata.Type) (coldata.Datum, error) {
	if v.kind == kNull {
		return coldata.NullDatum, nil
	}
	if t.Kind != coldata.KindNone {
		return kindDatum(v, t)
	}
	switch t.ID {
	case coldata.String:
		if v.kind == kString {
			return coldata.Datum{S: v.s}, nil
		}
		return coldata.Datum{S: v.raw}, nil
	case coldata.Bool:
		if v.kind == kBool {
			return coldata.Datum{B: v.b}, nil
		}
	case coldata.Int64, coldata.Int32:
		switch v.kind {
		case kInt:
			if t.ID == coldata.Int32 && v.i != int64(int32(v.i)) {
				break
			}
			return coldata.Datum{I: v.i}, nil
		case kString:
			if i, err := strconv.ParseInt(strings.TrimSpace(v.s), 10, 64); err == nil {
				return coldata.Datum{I: i}, nil
			}
		}
	case coldata.Float64:
		switch v.kind {
		case kInt, kFloat:
			return coldata.Datum{F: v.f}, nil
		case kString:
			if f, err := strconv.ParseFloat(strings.TrimSpace(v.s), 64); err == nil {
				return coldata.Datum{F: f}, nil
			}
		}
	case coldata.Decimal:
		text := v.raw
		if v.kind == kString {
			text = v.s
		}
		if v.kind == kInt || v.kind == kFloat || v.kind == kString {
			if d, err := coldata.ParseDecimal(text, int(t.Scale)); err == nil {
				return coldata.Datum{I: d}, nil
			}
		}
	case coldata.Date:
		if v.kind == kString {
			if d, ok := csv.ParseDate([]byte(v.s)); ok {
				return coldata.Datum{I: int64(d)}, nil
			}
		}
	case coldata.Timestamp:
		if v.kind == kString {
			if us, ok := csv.ParseTimestamp([]byte(v.s)); ok {
				return coldata.Datum{I: us}, nil
			}
		}
	case coldata.List:
		if v.kind == kArray {
			elems := make([]coldata.Datum, len(v.arr))
			for i := range v.arr {
				d, err := datum(&v.arr[i], t.Nest.Elem)
				if err != nil {
					return d, err
				}
				elems[i] = d
			}
			return coldata.ListDatum(elems...), nil
		}
	case coldata.Struct:
		if v.kind == kObject {
			fs := make([]coldata.Datum, len(t.Nest.Fields))
			for i, f := range t.Nest.Fields {
				fs[i] = coldata.NullDatum
				for j, k := range v.keys {
					if k == f.Name {
						d, err := datum(&v.vals[j], f.Type)
						if err != nil {
							return d, err
						}
						fs[i] = d
						break
					}
				}
			}
			return coldata.StructDatum(fs...), nil
		}
	}
	return coldata.NullDatum, mismatch(v, t)
}
