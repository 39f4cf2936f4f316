package coldata

// DefaultBatchSize is the number of rows operators aim for per batch: small
// enough to stay in L1/L2 per column, large enough to amortise per-batch work.
const DefaultBatchSize = 2048

// Vec is one column of a batch. Exactly one of the typed slices is in use,
// chosen by Type.ID (see TypeID). Kernels fetch that slice once per batch and
// loop over it; nothing here is accessed per value through an interface.
//
// Strings are Go string headers rather than offsets+bytes: like DuckDB's
// string_t they make gathers (joins, sorts) O(1) per value and let dictionary
// pages hand out values without copying. Spill and Arrow conversion flatten
// them to offsets+bytes.
type Vec struct {
	Type Type
	// Nulls[i] is true when row i is NULL. nil means no row is NULL; a
	// producer that sets any null must allocate it to the vector's length.
	Nulls []bool

	B    []bool
	I32  []int32
	I64  []int64
	F64  []float64
	Str  []string
	I128 []Int128

	// Nested vectors (see nested.go): Offsets has Len()+1 entries for List
	// and Map; Child holds the element (List), key and value (Map) or
	// field (Struct) vectors; SLen is a Struct's length.
	Offsets []int32
	Child   []*Vec
	SLen    int
}

// NewVec returns a vector of type t with room for n values (length n).
func NewVec(t Type, n int) *Vec {
	v := &Vec{Type: t}
	v.Resize(n)
	return v
}

// Len is the physical length of the vector.
func (v *Vec) Len() int {
	switch v.Type.ID {
	case Bool:
		return len(v.B)
	case Int32, Date:
		return len(v.I32)
	case Int64, Decimal, Timestamp:
		return len(v.I64)
	case Float64:
		return len(v.F64)
	case String:
		return len(v.Str)
	case Hugeint:
		return len(v.I128)
	case List, Map, Struct:
		return v.nestedLen()
	}
	return len(v.Nulls)
}

// Resize sets the physical length to n, reusing capacity. Contents of
// surviving positions are kept; new positions are unspecified. Nulls are
// dropped (set to nil): the caller re-marks them. The old mask is never
// reused, because producers may alias another vector's mask.
func (v *Vec) Resize(n int) {
	v.Nulls = v.Nulls[:0]
	v.Nulls = nil
	switch v.Type.ID {
	case Bool:
		v.B = grow(v.B, n)
	case Int32, Date:
		v.I32 = grow(v.I32, n)
	case Int64, Decimal, Timestamp:
		v.I64 = grow(v.I64, n)
	case Float64:
		v.F64 = grow(v.F64, n)
	case String:
		v.Str = grow(v.Str, n)
	case Hugeint:
		v.I128 = grow(v.I128, n)
	case List, Map, Struct:
		v.resizeNested(n)
	case Unknown:
		// A NULL-typed vector: every row is NULL.
		v.Nulls = grow(v.Nulls, n)
		for i := range v.Nulls {
			v.Nulls[i] = true
		}
	}
}

// SetNull marks row i NULL, allocating the null mask on first use.
func (v *Vec) SetNull(i int) {
	if v.Nulls == nil {
		v.Nulls = make([]bool, v.Len())
	}
	v.Nulls[i] = true
}

// EnsureNulls allocates a cleared null mask of the vector's length if there is
// none, and returns it.
func (v *Vec) EnsureNulls() []bool {
	if v.Nulls == nil {
		v.Nulls = make([]bool, v.Len())
	}
	return v.Nulls
}

// IsNull reports whether row i is NULL.
func (v *Vec) IsNull(i int) bool { return v.Nulls != nil && v.Nulls[i] }

// HasNulls reports whether the vector carries a null mask (some rows may be NULL).
func (v *Vec) HasNulls() bool { return v.Nulls != nil }

func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	c := cap(s) * 2
	if c < n {
		c = n
	}
	out := make([]T, n, c)
	copy(out, s)
	return out
}

// Grow returns s with length n, reusing its capacity when it can and growing
// geometrically otherwise. Exported for kernels managing scratch buffers.
func Grow[T any](s []T, n int) []T { return grow(s, n) }

// Get returns row i as a Datum (slow path: printing, tests, constant folding).
func (v *Vec) Get(i int) Datum {
	if v.IsNull(i) || v.Type.ID == Unknown {
		return Datum{Null: true}
	}
	switch v.Type.ID {
	case Bool:
		return Datum{B: v.B[i]}
	case Int32, Date:
		return Datum{I: int64(v.I32[i])}
	case Int64, Decimal, Timestamp:
		return Datum{I: v.I64[i]}
	case Float64:
		return Datum{F: v.F64[i]}
	case String:
		return Datum{S: v.Str[i]}
	case Hugeint:
		return Int128Datum(v.I128[i])
	case List, Map, Struct:
		return v.getNested(i)
	}
	return Datum{Null: true}
}

// Set stores d at row i (slow path).
func (v *Vec) Set(i int, d Datum) {
	if d.Null {
		if v.Type.IsNested() {
			v.setNested(i, Datum{})
		}
		v.SetNull(i)
		return
	}
	if v.Nulls != nil {
		v.Nulls[i] = false
	}
	switch v.Type.ID {
	case Bool:
		v.B[i] = d.B
	case Int32, Date:
		v.I32[i] = int32(d.I)
	case Int64, Decimal, Timestamp:
		v.I64[i] = d.I
	case Float64:
		v.F64[i] = d.F
	case String:
		v.Str[i] = d.S
	case Hugeint:
		v.I128[i] = d.Int128()
	case List, Map, Struct:
		v.setNested(i, d)
	}
}

// CopyFrom copies src rows sel[k] (or k when sel is nil), k in [0,n), into v
// rows [at, at+n). v must already have length >= at+n and src's type.
// For List and Map vectors rows must be filled in order: rows [0,at) must
// already be final, and the children are cut back to the end of row at-1.
func (v *Vec) CopyFrom(src *Vec, sel []int32, n, at int) {
	switch v.Type.ID {
	case Bool:
		gather(v.B[at:at+n], src.B, sel)
	case Int32, Date:
		gather(v.I32[at:at+n], src.I32, sel)
	case Int64, Decimal, Timestamp:
		gather(v.I64[at:at+n], src.I64, sel)
	case Float64:
		gather(v.F64[at:at+n], src.F64, sel)
	case String:
		gather(v.Str[at:at+n], src.Str, sel)
	case Hugeint:
		gather(v.I128[at:at+n], src.I128, sel)
	case List, Map, Struct:
		v.copyNested(src, sel, n, at)
	}
	if src.Nulls != nil {
		dst := v.EnsureNulls()
		gather(dst[at:at+n], src.Nulls, sel)
	} else if v.Nulls != nil {
		clear(v.Nulls[at : at+n])
	}
}

func gather[T any](dst, src []T, sel []int32) {
	if sel == nil {
		copy(dst, src[:len(dst)])
		return
	}
	sel = sel[:len(dst)]
	for k, i := range sel {
		dst[k] = src[i]
	}
}

// Gather copies the given rows of src into dst positions [0,len(idx)), like
// CopyFrom with a selection; exposed for operators that build index lists.
func Gather[T any](dst, src []T, idx []int32) { gather(dst, src, idx) }
