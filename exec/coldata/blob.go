package coldata

import (
	"fmt"
	"strings"
)

// BLOB and UUID are kinds over String storage. A BLOB's Vec.Str entry is
// its raw bytes; a UUID's is its canonical text (8-4-4-4-12 lower-case
// hex digits), whose byte order is DuckDB's UUID order (the 128-bit value
// with its top bit flipped compares like the unsigned digits), so sorting,
// hashing and comparing run the VARCHAR kernels unchanged.
var (
	TypeBlob = Type{ID: String, Kind: KindBlob}
	TypeUUID = Type{ID: String, Kind: KindUUID}
)

// IsBytes reports BLOB and UUID, the kinds over String storage whose
// values are not free text.
func (t Type) IsBytes() bool { return t.Kind == KindBlob || t.Kind == KindUUID }

// AppendBlobText appends DuckDB's text form of a blob: printable ASCII as
// itself, other bytes and the backslash and quotes as \xNN (upper case).
func AppendBlobText(dst []byte, b string) []byte {
	const digits = "0123456789ABCDEF"
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c >= 32 && c <= 126 && c != '\\' && c != '\'' && c != '"' {
			dst = append(dst, c)
			continue
		}
		dst = append(dst, '\\', 'x', digits[c>>4], digits[c&15])
	}
	return dst
}

// FormatBlob is AppendBlobText as a string.
func FormatBlob(b string) string {
	for i := 0; i < len(b); i++ {
		if c := b[i]; c < 32 || c > 126 || c == '\\' || c == '\'' || c == '"' {
			return string(AppendBlobText(nil, b))
		}
	}
	return b
}

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// AppendBlobParse appends the bytes of DuckDB's blob text form s (ASCII
// characters and \xNN escapes) to dst; the error text is DuckDB's.
func AppendBlobParse(dst []byte, s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 128 {
			return dst, fmt.Errorf("Invalid byte encountered in STRING -> BLOB conversion of string \"%s\". All non-ascii characters must be escaped with hex codes (e.g. \\xAA)", s)
		}
		if c != '\\' {
			dst = append(dst, c)
			continue
		}
		if i+3 >= len(s) {
			return dst, fmt.Errorf("Invalid hex escape code encountered in string -> blob conversion of string \"%s\": unterminated escape code at end of blob", s)
		}
		hi, ok1 := hexVal(s[i+2])
		lo, ok2 := hexVal(s[i+3])
		if s[i+1] != 'x' || !ok1 || !ok2 {
			return dst, fmt.Errorf("Invalid hex escape code encountered in string -> blob conversion of string \"%s\": %s", s, s[i:])
		}
		dst = append(dst, hi<<4|lo)
		i += 3
	}
	return dst, nil
}

// AppendUUIDParse appends the canonical text of the UUID s to dst: 32 hex
// digits, dashes anywhere, optionally in braces, as DuckDB accepts.
func AppendUUIDParse(dst []byte, s string) ([]byte, bool) {
	t := s
	if strings.HasPrefix(t, "{") {
		if !strings.HasSuffix(t, "}") {
			return dst, false
		}
		t = t[1 : len(t)-1]
	}
	n := 0
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c == '-' {
			continue
		}
		v, ok := hexVal(c)
		if !ok || n == 32 {
			return dst, false
		}
		if n == 8 || n == 12 || n == 16 || n == 20 {
			dst = append(dst, '-')
		}
		dst = append(dst, "0123456789abcdef"[v])
		n++
	}
	return dst, n == 32
}

// AppendUUIDBytes appends the 16 bytes of the canonical UUID text u.
func AppendUUIDBytes(dst []byte, u string) ([]byte, bool) {
	var hi byte
	n := 0
	for i := 0; i < len(u); i++ {
		v, ok := hexVal(u[i])
		if !ok {
			continue
		}
		if n%2 == 0 {
			hi = v
		} else {
			dst = append(dst, hi<<4|v)
		}
		n++
	}
	return dst, n == 32
}

// AppendUUIDText appends the canonical text of the 16 bytes b (nothing
// when b is not 16 bytes long).
func AppendUUIDText(dst []byte, b string) []byte {
	if len(b) != 16 {
		return dst
	}
	const digits = "0123456789abcdef"
	for i := 0; i < 16; i++ {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, digits[b[i]>>4], digits[b[i]&15])
	}
	return dst
}
