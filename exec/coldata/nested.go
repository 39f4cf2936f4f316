package coldata

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// NestedType describes the children of a List, Struct or Map type. It is
// immutable once built: share it freely.
type NestedType struct {
	Elem   Type    // List: the element type
	Fields []Field // Struct: the fields in order
	Key    Type    // Map: the key type
	Value  Type    // Map: the value type
}

// Field is one field of a struct type.
type Field struct {
	Name string
	Type Type
}

// ListType returns LIST(elem), printed elem[] like DuckDB.
func ListType(elem Type) Type {
	return intern(List, &NestedType{Elem: elem})
}

// StructType returns STRUCT(fields...).
func StructType(fields []Field) Type {
	return intern(Struct, &NestedType{Fields: append([]Field(nil), fields...)})
}

// MapType returns MAP(key, value).
func MapType(key, value Type) Type {
	return intern(Map, &NestedType{Key: key, Value: value})
}

// Nested types are interned: structurally equal types share one
// descriptor, so == on Type stays structural (files of one dataset, the
// binder and the executor all build their own types).
var (
	internMu sync.Mutex
	interned = map[string]*NestedType{}
)

func intern(id TypeID, nt *NestedType) Type {
	var sb strings.Builder
	key := func(t Type) {
		fmt.Fprintf(&sb, "%d.%d.%d.%d.%p;", t.ID, t.Precision, t.Scale, t.Kind, t.Nest)
	}
	fmt.Fprintf(&sb, "%d:", id)
	switch id {
	case List:
		key(nt.Elem)
	case Map:
		key(nt.Key)
		key(nt.Value)
	default:
		for _, f := range nt.Fields {
			sb.WriteString(strconv.Quote(f.Name))
			key(f.Type)
		}
	}
	k := sb.String()
	internMu.Lock()
	defer internMu.Unlock()
	if have, ok := interned[k]; ok {
		return Type{ID: id, Nest: have}
	}
	interned[k] = nt
	return Type{ID: id, Nest: nt}
}

// IsNested reports whether t is a List, Struct or Map.
func (t Type) IsNested() bool { return t.ID == List || t.ID == Struct || t.ID == Map }

// Equal compares types structurally (== compares nested descriptors by
// identity).
func (t Type) Equal(o Type) bool {
	if t.ID != o.ID || t.Precision != o.Precision || t.Scale != o.Scale || t.Kind != o.Kind {
		return false
	}
	if !t.IsNested() || t.Nest == o.Nest {
		return true
	}
	if t.Nest == nil || o.Nest == nil {
		return false
	}
	a, b := t.Nest, o.Nest
	switch t.ID {
	case List:
		return a.Elem.Equal(b.Elem)
	case Map:
		return a.Key.Equal(b.Key) && a.Value.Equal(b.Value)
	}
	if len(a.Fields) != len(b.Fields) {
		return false
	}
	for i := range a.Fields {
		if a.Fields[i].Name != b.Fields[i].Name || !a.Fields[i].Type.Equal(b.Fields[i].Type) {
			return false
		}
	}
	return true
}

// FieldIndex returns the index of the struct field called name (case
// insensitively, like DuckDB), or -1.
func (t Type) FieldIndex(name string) int {
	if t.ID != Struct || t.Nest == nil {
		return -1
	}
	for i, f := range t.Nest.Fields {
		if f.Name == name {
			return i
		}
	}
	for i, f := range t.Nest.Fields {
		if strings.EqualFold(f.Name, name) {
			return i
		}
	}
	return -1
}

// ChildTypes lists the types of a nested vector's children in Vec.Child order.
func (t Type) ChildTypes() []Type {
	if t.Nest == nil {
		return nil
	}
	switch t.ID {
	case List:
		return []Type{t.Nest.Elem}
	case Map:
		return []Type{t.Nest.Key, t.Nest.Value}
	case Struct:
		ts := make([]Type, len(t.Nest.Fields))
		for i, f := range t.Nest.Fields {
			ts[i] = f.Type
		}
		return ts
	}
	return nil
}

func nestedTypeString(t Type) string {
	if t.Nest == nil {
		return fmt.Sprintf("TYPE(%d)", t.ID)
	}
	switch t.ID {
	case List:
		return t.Nest.Elem.String() + "[]"
	case Map:
		return "MAP(" + t.Nest.Key.String() + ", " + t.Nest.Value.String() + ")"
	}
	var sb strings.Builder
	sb.WriteString("STRUCT(")
	for i, f := range t.Nest.Fields {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(quoteIdent(f.Name))
		sb.WriteByte(' ')
		sb.WriteString(f.Type.String())
	}
	sb.WriteByte(')')
	return sb.String()
}

func quoteIdent(s string) string {
	plain := s != ""
	for i, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			plain = false
		}
	}
	if plain {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// Nested is a nested value: a list's elements, a struct's fields (in field
// order) or a map's keys and values (Elems[i] is the value of Keys[i]).
type Nested struct {
	Elems []Datum
	Keys  []Datum
}

// ListDatum builds a list value from its elements.
func ListDatum(elems ...Datum) Datum { return Datum{N: &Nested{Elems: elems}} }

// StructDatum builds a struct value from its fields' values, in field order.
func StructDatum(fields ...Datum) Datum { return Datum{N: &Nested{Elems: fields}} }

// MapDatum builds a map value; vals[i] is the value of keys[i].
func MapDatum(keys, vals []Datum) Datum { return Datum{N: &Nested{Keys: keys, Elems: vals}} }

// newChildren (re)creates v's child vectors for its type when missing.
func (v *Vec) ensureChildren() {
	ts := v.Type.ChildTypes()
	if len(v.Child) == len(ts) {
		return
	}
	v.Child = make([]*Vec, len(ts))
	for i, t := range ts {
		v.Child[i] = NewVec(t, 0)
	}
}

func (v *Vec) nestedLen() int {
	if v.Type.ID == Struct {
		return v.SLen
	}
	if len(v.Offsets) == 0 {
		return 0
	}
	return len(v.Offsets) - 1
}

func (v *Vec) resizeNested(n int) {
	v.ensureChildren()
	if v.Type.ID == Struct {
		v.SLen = n
		for _, c := range v.Child {
			resizeKeep(c, n)
		}
		return
	}
	old := len(v.Offsets)
	v.Offsets = grow(v.Offsets, n+1)
	if old == 0 {
		v.Offsets[0] = 0
		old = 1
	}
	// New rows are empty lists so that the vector stays well formed.
	for i := old; i <= n; i++ {
		v.Offsets[i] = v.Offsets[old-1]
	}
	end := int(v.Offsets[n])
	for _, c := range v.Child {
		if c.Len() != end {
			resizeKeep(c, end)
		}
	}
}

// resizeKeep resizes v to n rows keeping the null flags of surviving rows.
func resizeKeep(v *Vec, n int) {
	nulls := v.Nulls
	v.Resize(n)
	if nulls != nil && v.Type.ID != Unknown {
		v.Nulls = grow(nulls, n)
		if len(nulls) < n {
			clear(v.Nulls[len(nulls):])
		}
	}
}

func (v *Vec) getNested(i int) Datum {
	switch v.Type.ID {
	case Struct:
		out := make([]Datum, len(v.Child))
		for k, c := range v.Child {
			out[k] = c.Get(i)
		}
		return StructDatum(out...)
	case List:
		lo, hi := int(v.Offsets[i]), int(v.Offsets[i+1])
		out := make([]Datum, hi-lo)
		for k := lo; k < hi; k++ {
			out[k-lo] = v.Child[0].Get(k)
		}
		return ListDatum(out...)
	}
	lo, hi := int(v.Offsets[i]), int(v.Offsets[i+1])
	keys := make([]Datum, hi-lo)
	vals := make([]Datum, hi-lo)
	for k := lo; k < hi; k++ {
		keys[k-lo] = v.Child[0].Get(k)
		vals[k-lo] = v.Child[1].Get(k)
	}
	return MapDatum(keys, vals)
}

// setNested stores d at row i; for List and Map rows must be set in order
// (the children are cut back to the end of row i-1).
func (v *Vec) setNested(i int, d Datum) {
	v.ensureChildren()
	var nd Nested
	if d.N != nil {
		nd = *d.N
	}
	if v.Type.ID == Struct {
		for k, c := range v.Child {
			if k < len(nd.Elems) {
				c.Set(i, nd.Elems[k])
			} else {
				c.SetNull(i)
			}
		}
		return
	}
	start := int(v.Offsets[i])
	n := len(nd.Elems)
	for k, c := range v.Child {
		resizeKeep(c, start+n)
		src := nd.Elems
		if v.Type.ID == Map && k == 0 {
			src = nd.Keys
		}
		for j := 0; j < n; j++ {
			if j < len(src) {
				c.Set(start+j, src[j])
			} else {
				c.SetNull(start + j)
			}
		}
	}
	v.Offsets[i+1] = int32(start + n)
}

func (v *Vec) copyNested(src *Vec, sel []int32, n, at int) {
	v.ensureChildren()
	if v.Type.ID == Struct {
		for k, c := range v.Child {
			c.CopyFrom(src.Child[k], sel, n, at)
		}
		return
	}
	// Gather the element ranges of the selected rows.
	start := int(v.Offsets[at])
	total := 0
	for k := 0; k < n; k++ {
		i := k
		if sel != nil {
			i = int(sel[k])
		}
		total += int(src.Offsets[i+1] - src.Offsets[i])
	}
	idx := make([]int32, 0, total)
	for k := 0; k < n; k++ {
		i := k
		if sel != nil {
			i = int(sel[k])
		}
		for j := src.Offsets[i]; j < src.Offsets[i+1]; j++ {
			idx = append(idx, j)
		}
		v.Offsets[at+k+1] = int32(start + len(idx))
	}
	// Rows after the copied ones become empty lists: they are rewritten by
	// later copies, and the vector stays well formed meanwhile.
	for k := at + n + 1; k < len(v.Offsets); k++ {
		v.Offsets[k] = int32(start + total)
	}
	for k, c := range v.Child {
		resizeKeep(c, start+total)
		c.CopyFrom(src.Child[k], idx, total, start)
	}
}

// AppendRows appends src rows sel[k] (or k when sel is nil), k in [0,n),
// to v, growing it; it works for every type.
func (v *Vec) AppendRows(src *Vec, sel []int32, n int) {
	at := v.Len()
	nulls := v.Nulls
	v.Resize(at + n)
	if nulls != nil {
		v.Nulls = grow(nulls, at+n)
		clear(v.Nulls[at:])
	}
	v.CopyFrom(src, sel, n, at)
}

// formatNested prints a nested value like DuckDB: [1, 2, NULL],
// {'a': 1, 'b': x}, {k1=v1, k2=v2}.
func formatNested(t Type, d Datum) string {
	var sb strings.Builder
	writeNested(&sb, t, d)
	return sb.String()
}

func writeNested(sb *strings.Builder, t Type, d Datum) {
	if d.Null {
		sb.WriteString("NULL")
		return
	}
	if t.ID == String {
		writeNestedString(sb, d.S)
		return
	}
	if !t.IsNested() || t.Nest == nil {
		sb.WriteString(Format(t, d))
		return
	}
	var nd Nested
	if d.N != nil {
		nd = *d.N
	}
	switch t.ID {
	case List:
		sb.WriteByte('[')
		for i, e := range nd.Elems {
			if i > 0 {
				sb.WriteString(", ")
			}
			writeNested(sb, t.Nest.Elem, e)
		}
		sb.WriteByte(']')
	case Struct:
		sb.WriteByte('{')
		for i, f := range t.Nest.Fields {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteByte('\'')
			sb.WriteString(strings.ReplaceAll(f.Name, "'", `\'`))
			sb.WriteString("': ")
			e := NullDatum
			if i < len(nd.Elems) {
				e = nd.Elems[i]
			}
			writeNested(sb, f.Type, e)
		}
		sb.WriteByte('}')
	case Map:
		sb.WriteByte('{')
		for i := range nd.Keys {
			if i > 0 {
				sb.WriteString(", ")
			}
			writeNested(sb, t.Nest.Key, nd.Keys[i])
			sb.WriteByte('=')
			e := NullDatum
			if i < len(nd.Elems) {
				e = nd.Elems[i]
			}
			writeNested(sb, t.Nest.Value, e)
		}
		sb.WriteByte('}')
	}
}

// writeNestedString writes a string inside a nested value as DuckDB's
// VARCHAR cast does: quoted (with \' for a quote) when it is empty, has
// outer spaces, could read as NULL or holds a character of the nested
// syntax; bare otherwise.
func writeNestedString(sb *strings.Builder, s string) {
	quote := s == "" || strings.EqualFold(s, "null") || s[0] == ' ' || s[len(s)-1] == ' ' ||
		strings.ContainsAny(s, `'":=[]{}(),`)
	if !quote {
		sb.WriteString(s)
		return
	}
	sb.WriteByte('\'')
	sb.WriteString(strings.ReplaceAll(s, "'", `\'`))
	sb.WriteByte('\'')
}

// CompareNested orders two non-NULL nested datums of type t (lists and
// maps element by element, then by length; structs field by field; NULL
// children sort last).
func CompareNested(t Type, a, b Datum) int {
	var x, y Nested
	if a.N != nil {
		x = *a.N
	}
	if b.N != nil {
		y = *b.N
	}
	cmp := func(t Type, p, q Datum) int {
		switch {
		case p.Null && q.Null:
			return 0
		case p.Null:
			return 1
		case q.Null:
			return -1
		}
		return Compare(t, p, q)
	}
	switch t.ID {
	case Struct:
		for i, f := range t.Nest.Fields {
			if i < len(x.Elems) && i < len(y.Elems) {
				if c := cmp(f.Type, x.Elems[i], y.Elems[i]); c != 0 {
					return c
				}
			}
		}
		return 0
	case Map:
		for i := 0; i < len(x.Keys) && i < len(y.Keys); i++ {
			if c := cmp(t.Nest.Key, x.Keys[i], y.Keys[i]); c != 0 {
				return c
			}
			if c := cmp(t.Nest.Value, x.Elems[i], y.Elems[i]); c != 0 {
				return c
			}
		}
		return len(x.Keys) - len(y.Keys)
	}
	for i := 0; i < len(x.Elems) && i < len(y.Elems); i++ {
		if c := cmp(t.Nest.Elem, x.Elems[i], y.Elems[i]); c != 0 {
			return c
		}
	}
	switch {
	case len(x.Elems) < len(y.Elems):
		return -1
	case len(x.Elems) > len(y.Elems):
		return 1
	}
	return 0
}

// GrowKeep sets a nested vector's length to n keeping its rows and null
// masks; new rows are empty (lists, maps) or zero (structs).
func GrowKeep(v *Vec, n int) { resizeKeep(v, n) }

// SliceNested returns in dst a view of rows [from,to) of the nested vector
// v sharing its storage (list offsets keep pointing into v's children).
func SliceNested(dst, v *Vec, from, to int) {
	*dst = Vec{Type: v.Type}
	if v.Nulls != nil {
		dst.Nulls = v.Nulls[from:to]
	}
	if v.Type.ID != Struct {
		dst.Offsets = v.Offsets[from : to+1]
		dst.Child = v.Child
		return
	}
	dst.SLen = to - from
	dst.Child = make([]*Vec, len(v.Child))
	for k, c := range v.Child {
		dst.Child[k] = &Vec{}
		SliceVec(dst.Child[k], c, from, to)
	}
}

// SliceVec returns in dst a view of rows [from,to) of any vector.
func SliceVec(dst, v *Vec, from, to int) {
	if v.Type.IsNested() {
		SliceNested(dst, v, from, to)
		return
	}
	*dst = Vec{Type: v.Type}
	switch v.Type.ID {
	case Bool:
		dst.B = v.B[from:to]
	case Int32, Date:
		dst.I32 = v.I32[from:to]
	case Int64, Decimal, Timestamp:
		dst.I64 = v.I64[from:to]
	case Float64:
		dst.F64 = v.F64[from:to]
	case String:
		dst.Str = v.Str[from:to]
	}
	if v.Nulls != nil {
		dst.Nulls = v.Nulls[from:to]
	}
}

// ReplaceRow copies row j of src into row i of the nested vector dst. Lists
// and maps keep their elements contiguous, so this rebuilds dst: it is for
// rare per-row moves only (top-N replacement).
func ReplaceRow(dst *Vec, i int, src *Vec, j int) {
	if dst.Type.ID == Struct {
		for k, c := range dst.Child {
			if c.Type.IsNested() {
				ReplaceRow(c, i, src.Child[k], j)
			} else {
				c.Set(i, src.Child[k].Get(j))
			}
		}
	} else {
		n := dst.Len()
		old := &Vec{}
		SliceVec(old, dst, 0, n)
		old.Offsets = append([]int32(nil), old.Offsets...)
		if old.Nulls != nil {
			old.Nulls = append([]bool(nil), old.Nulls...)
		}
		// Rebuild into fresh children (the old ones stay readable).
		rebuilt := &Vec{Type: dst.Type}
		rebuilt.Resize(0)
		if i > 0 {
			rebuilt.AppendRows(old, nil, i)
		}
		rebuilt.AppendRows(src, []int32{int32(j)}, 1)
		if i+1 < n {
			sel := make([]int32, n-i-1)
			for k := range sel {
				sel[k] = int32(i + 1 + k)
			}
			rebuilt.AppendRows(old, sel, len(sel))
		}
		*dst = *rebuilt
		return
	}
	if src.IsNull(j) {
		dst.SetNull(i)
	} else if dst.Nulls != nil {
		dst.Nulls[i] = false
	}
}

// VecBytes estimates the memory held by a nested vector's storage.
func NestedBytes(v *Vec) int64 {
	b := int64(cap(v.Nulls)) + 4*int64(cap(v.Offsets))
	for _, c := range v.Child {
		b += int64(cap(c.Nulls)) + int64(cap(c.B)) + 4*int64(cap(c.I32)) + 8*int64(cap(c.I64)) + 8*int64(cap(c.F64))
		for _, s := range c.Str {
			b += 16 + int64(len(s))
		}
		if c.Type.IsNested() {
			b += NestedBytes(c)
		}
	}
	return b
}

// GatherNested is the nested-vector form of a join's gather: dst[at[x]]
// (dst[x] when at is nil) becomes src[idx[x]], or NULL where idx[x] < 0;
// other rows of dst keep their values. dst must have at least len(idx)
// rows (max(at)+1 with at). Lists and maps keep their elements contiguous,
// so dst is rebuilt row by row.
func GatherNested(dst, src *Vec, at, idx []int32) {
	n := dst.Len()
	if at == nil {
		n = max(n, len(idx))
	}
	from := make([]int32, n) // -1: keep dst's row, -2: NULL, else src row
	for i := range from {
		from[i] = -1
	}
	for x, i := range idx {
		d := x
		if at != nil {
			d = int(at[x])
		}
		if i < 0 {
			from[d] = -2
		} else {
			from[d] = i
		}
	}
	old := &Vec{}
	SliceVec(old, dst, 0, dst.Len())
	if old.Nulls != nil {
		old.Nulls = append([]bool(nil), old.Nulls...)
	}
	out := &Vec{Type: dst.Type}
	out.Resize(0)
	null := NewVec(dst.Type, 1)
	null.Set(0, NullDatum)
	one := []int32{0}
	for d, f := range from {
		switch {
		case f == -1 && d < old.Len():
			one[0] = int32(d)
			out.AppendRows(old, one, 1)
		case f >= 0:
			one[0] = f
			out.AppendRows(src, one, 1)
		default:
			one[0] = 0
			out.AppendRows(null, one, 1)
		}
	}
	*dst = *out
}
