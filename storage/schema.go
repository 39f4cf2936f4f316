package storage

import (
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/scan"
)

// widenType returns the type both a and b convert to without loss, if any.
// Only conversions that never fail or round are allowed, because the choice
// is made from footers before any value is read.
func widenType(a, b coldata.Type) (coldata.Type, bool) {
	if a == b {
		return a, true
	}
	if a.IsInteger() && b.IsInteger() {
		return coldata.TypeInt64, true
	}
	if a.ID == coldata.Decimal && b.ID == coldata.Decimal {
		s := max(a.Scale, b.Scale)
		intDigits := max(int(a.Precision)-int(a.Scale), int(b.Precision)-int(b.Scale))
		p := intDigits + int(s)
		// A rescale multiplies the stored int64: only safe while every
		// value still fits 18 digits. Same-scale widening never touches
		// values, so any precision the reader accepts is fine.
		if a.Scale != b.Scale && p > 18 {
			return coldata.Type{}, false
		}
		if p > coldata.MaxDecimalPrecision {
			return coldata.Type{}, false
		}
		return coldata.DecimalType(p, int(s)), true
	}
	return coldata.Type{}, false
}

// convertible reports whether values of from can be read as to.
func convertible(from, to coldata.Type) bool {
	w, ok := widenType(from, to)
	return ok && w == to
}

// mergeByName folds file columns into merged (union_by_name): new names are
// appended, known names (case-insensitive) are widened.
func mergeByName(merged []scan.Column, origin []string, f *scan.File) ([]scan.Column, []string, error) {
	for _, c := range f.Columns() {
		j := columnIndex(merged, c.Name)
		if j < 0 {
			merged = append(merged, c)
			origin = append(origin, f.Path())
			continue
		}
		m := &merged[j]
		if m.Unsupported != "" || c.Unsupported != "" {
			if m.Unsupported != "" && c.Unsupported != "" {
				continue
			}
			return nil, nil, incompatible(c.Name, m.Type, origin[j], c.Type, f.Path())
		}
		w, ok := widenType(m.Type, c.Type)
		if !ok {
			return nil, nil, incompatible(c.Name, m.Type, origin[j], c.Type, f.Path())
		}
		m.Type = w
		m.Nullable = m.Nullable || c.Nullable
	}
	return merged, origin, nil
}

func incompatible(col string, ta coldata.Type, fa string, tb coldata.Type, fb string) error {
	return fmt.Errorf("Binder Error: column %q has incompatible types across files: %s in %s but %s in %s",
		col, typeName(ta), fa, typeName(tb), fb)
}

func typeName(t coldata.Type) string {
	if t.ID == coldata.Unknown {
		return "an unsupported type"
	}
	return t.String()
}

func columnIndex(cols []scan.Column, name string) int {
	for i, c := range cols {
		if strings.EqualFold(c.Name, name) {
			return i
		}
	}
	return -1
}

// columnMap maps dataset columns onto file f. byName matches names
// (union_by_name: absent columns map to -1); otherwise columns must agree by
// position with the first file, whose schema the dataset took.
func columnMap(cols []scan.Column, first string, f *scan.File, byName bool) ([]int, error) {
	fc := f.Columns()
	m := make([]int, len(cols))
	if byName {
		for i, c := range cols {
			m[i] = columnIndex(fc, c.Name)
			if m[i] >= 0 && !compatibleColumn(fc[m[i]], c) {
				return nil, incompatible(c.Name, c.Type, "the dataset schema", fc[m[i]].Type, f.Path())
			}
		}
		return m, nil
	}
	if len(fc) != len(cols) {
		return nil, fmt.Errorf("Binder Error: files %s and %s have different schemas (%d vs %d columns); use union_by_name to combine them by column name",
			first, f.Path(), len(cols), len(fc))
	}
	for i, c := range cols {
		if !strings.EqualFold(c.Name, fc[i].Name) || !compatibleColumn(fc[i], c) {
			return nil, fmt.Errorf("Binder Error: files %s and %s differ in column %d: %s %s vs %s %s",
				first, f.Path(), i+1, c.Name, typeName(c.Type), fc[i].Name, typeName(fc[i].Type))
		}
		m[i] = i
	}
	return m, nil
}

func compatibleColumn(file, ds scan.Column) bool {
	if file.Unsupported != "" || ds.Unsupported != "" {
		return file.Unsupported != "" && ds.Unsupported != ""
	}
	return convertible(file.Type, ds.Type)
}

// Widen converts n values of src (a file column's vector) into dst, whose
// type is the dataset column's: INTEGER→BIGINT, DECIMAL(p,s)→DECIMAL(p',s')
// with s' ≥ s (values multiplied by 10^(s'-s)). Types that are equal copy.
// The executor calls it when DataFile.NeedsWiden reports a difference.
func Widen(dst, src *coldata.Vec, n int) error {
	dst.Resize(n)
	from, to := src.Type, dst.Type
	switch {
	case from == to:
		dst.CopyFrom(src, nil, n, 0)
		return nil
	case from.ID == coldata.Int32 && to.ID == coldata.Int64:
		for i, v := range src.I32[:n] {
			dst.I64[i] = int64(v)
		}
	case from.ID == coldata.Decimal && to.ID == coldata.Decimal && to.Scale >= from.Scale && to.Scale-from.Scale <= 18:
		mul := coldata.Pow10[to.Scale-from.Scale]
		for i, v := range src.I64[:n] {
			dst.I64[i] = v * mul
		}
	default:
		return fmt.Errorf("cannot widen %s to %s", from, to)
	}
	if src.Nulls != nil {
		copy(dst.EnsureNulls(), src.Nulls[:n])
	}
	return nil
}
