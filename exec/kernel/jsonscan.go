package kernel

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// A small JSON scanner over the text of a value: it validates, skips and
// navigates without building a tree, and normalizes a value as DuckDB
// prints JSON (minified, numbers and strings re-serialized). Every
// function takes the text and a byte offset and returns the offset after
// what it read.

const jsonMaxDepth = 1000

// jsonError is malformed input: DuckDB's wording with the byte offset.
func jsonError(s string, pos int, what string) error {
	in := s
	if len(in) > 50 {
		in = in[:50] + "..."
	}
	return invalidInputf("Malformed JSON at byte %d of input: %s.  Input: \"%s\"", pos, what, in)
}

func jsonWS(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// jsonValidate checks that s holds exactly one JSON value.
func jsonValidate(s string) error {
	i := jsonWS(s, 0)
	end, err := jsonSkip(s, i, 0)
	if err != nil {
		return err
	}
	if end = jsonWS(s, end); end != len(s) {
		return jsonError(s, end, "unexpected content after document")
	}
	return nil
}

// jsonSkip validates and skips the value starting at i (no leading space).
func jsonSkip(s string, i, depth int) (int, error) {
	if i >= len(s) {
		return i, jsonError(s, i, "unexpected end of data")
	}
	switch c := s[i]; {
	case c == '"':
		return jsonSkipString(s, i)
	case c == '{' || c == '[':
		if depth >= jsonMaxDepth {
			return i, jsonError(s, i, "nesting too deep")
		}
		return jsonSkipContainer(s, i, depth)
	case jsonNonFinite(s, i) > 0:
		return i + jsonNonFinite(s, i), nil
	case c == '-' || c >= '0' && c <= '9':
		return jsonSkipNumber(s, i)
	case strings.HasPrefix(s[i:], "true"):
		return i + 4, nil
	case strings.HasPrefix(s[i:], "false"):
		return i + 5, nil
	case strings.HasPrefix(s[i:], "null"):
		return i + 4, nil
	}
	return i, jsonError(s, i, "unexpected character")
}

// jsonNonFinite is the length of an infinity or NaN literal at i (inf,
// -Infinity, nan in any case), which DuckDB's reader accepts; 0 if none.
func jsonNonFinite(s string, i int) int {
	j := i
	if j < len(s) && (s[j] == '-' || s[j] == '+') {
		j++
	}
	for _, w := range [...]string{"infinity", "inf", "nan"} {
		if len(s)-j >= len(w) && strings.EqualFold(s[j:j+len(w)], w) {
			return j + len(w) - i
		}
	}
	return 0
}

func jsonSkipContainer(s string, i, depth int) (int, error) {
	obj := s[i] == '{'
	closer := byte(']')
	if obj {
		closer = '}'
	}
	i = jsonWS(s, i+1)
	if i < len(s) && s[i] == closer {
		return i + 1, nil
	}
	for {
		var err error
		if obj {
			if i >= len(s) || s[i] != '"' {
				return i, jsonUnexpected(s, i)
			}
			if i, err = jsonSkipString(s, i); err != nil {
				return i, err
			}
			if i = jsonWS(s, i); i >= len(s) || s[i] != ':' {
				return i, jsonUnexpected(s, i)
			}
			i = jsonWS(s, i+1)
		}
		if i, err = jsonSkip(s, i, depth+1); err != nil {
			return i, err
		}
		i = jsonWS(s, i)
		switch {
		case i >= len(s):
			return i, jsonError(s, i, "unexpected end of data")
		case s[i] == ',':
			i = jsonWS(s, i+1)
		case s[i] == closer:
			return i + 1, nil
		default:
			return i, jsonUnexpected(s, i)
		}
	}
}

func jsonUnexpected(s string, i int) error {
	if i >= len(s) {
		return jsonError(s, i, "unexpected end of data")
	}
	return jsonError(s, i, "unexpected character")
}

func jsonSkipString(s string, i int) (int, error) {
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"':
			return j + 1, nil
		case c == '\\':
			j++
			if j >= len(s) {
				return j, jsonError(s, j, "unexpected end of data")
			}
			switch s[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				for k := 1; k <= 4; k++ {
					if j+k >= len(s) {
						return j, jsonError(s, j, "unexpected end of data")
					}
					if _, ok := hexDigit(s[j+k]); !ok {
						return j, jsonError(s, j, "invalid escaped sequence in string")
					}
				}
				j += 4
			default:
				return j, jsonError(s, j, "invalid escaped sequence in string")
			}
		case c < 0x20:
			return j, jsonError(s, j, "unexpected control character in string")
		}
	}
	return len(s), jsonError(s, len(s), "unexpected end of data")
}

func jsonSkipNumber(s string, i int) (int, error) {
	j := i
	if s[j] == '-' {
		j++
	}
	digits := func() int {
		k := j
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		return j - k
	}
	if n := digits(); n == 0 || n > 1 && s[j-n] == '0' {
		return j, jsonError(s, j, "invalid number")
	}
	if j < len(s) && s[j] == '.' {
		j++
		if digits() == 0 {
			return j, jsonError(s, j, "invalid number")
		}
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		j++
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if digits() == 0 {
			return j, jsonError(s, j, "invalid number")
		}
	}
	return j, nil
}

// jsonStep is one step of a path: an object key, or an array index
// (fromEnd counts back from the end: [#-1] is the last element). A JSON
// pointer step (ptr) is a key that indexes arrays when it is a number.
type jsonStep struct {
	key     string
	idx     int64
	isIdx   bool
	fromEnd bool
	ptr     bool
}

// parseJSONPath parses '$.a.b[0]', '$."a b"[#-1]', the JSON pointer
// '/a/b/0' or a bare key 'a'.
func parseJSONPath(p string) ([]jsonStep, error) {
	switch {
	case p == "":
		return nil, nil
	case p[0] == '/':
		var steps []jsonStep
		for _, part := range strings.Split(p[1:], "/") {
			part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
			steps = append(steps, jsonStep{key: part, ptr: true})
		}
		return steps, nil
	case p[0] != '$':
		return []jsonStep{{key: p}}, nil
	}
	var steps []jsonStep
	bad := func(i int) error {
		return fmt.Errorf("Binder Error: JSON path error near '%s'", p[i:])
	}
	for i := 1; i < len(p); {
		switch p[i] {
		case '.':
			i++
			if i < len(p) && p[i] == '"' {
				key, n, ok := quotedPathKey(p[i:])
				if !ok {
					return nil, bad(i)
				}
				steps = append(steps, jsonStep{key: key})
				i += n
				continue
			}
			k := i
			for i < len(p) && p[i] != '.' && p[i] != '[' {
				i++
			}
			if k == i || strings.HasPrefix(p[k:i], "*") {
				if k < len(p) && p[k] == '*' || k < len(p) && p[k] == '.' {
					return nil, notWildcard()
				}
				return nil, bad(k - 1)
			}
			steps = append(steps, jsonStep{key: p[k:i]})
		case '[':
			st, n, err := indexStep(p, i+1)
			if err != nil {
				return nil, err
			}
			steps = append(steps, st)
			i = n
		default:
			return nil, bad(i)
		}
	}
	return steps, nil
}

func notWildcard() error {
	return errorf("JSON path wildcards (*, ..) are not supported yet")
}

// indexStep parses an array index after '[' at i: n, -n or #-n from the
// end, # (one past the end). It returns the offset after ']'.
func indexStep(p string, i int) (jsonStep, int, error) {
	bad := func(j int) error {
		return fmt.Errorf("Binder Error: JSON path error near '%s'", p[j:])
	}
	st := jsonStep{isIdx: true}
	j := i
	if j < len(p) && p[j] == '*' {
		return st, 0, notWildcard()
	}
	if j < len(p) && p[j] == '#' {
		st.fromEnd = true
		j++
		if j < len(p) && p[j] == ']' {
			return st, j + 1, nil // [#]: one past the last element
		}
		if j >= len(p) || p[j] != '-' {
			return st, 0, bad(i)
		}
	}
	if j < len(p) && p[j] == '-' {
		st.fromEnd = true
		j++
	}
	k := j
	for j < len(p) && p[j] >= '0' && p[j] <= '9' {
		j++
	}
	if k == j || j >= len(p) || p[j] != ']' {
		if st.fromEnd {
			return st, 0, bad(k - 1)
		}
		return st, 0, bad(i)
	}
	n, err := strconv.ParseInt(p[k:j], 10, 64)
	if err != nil {
		return st, 0, bad(i)
	}
	st.idx = n
	if st.fromEnd && n == 0 {
		st.fromEnd = false // DuckDB reads [-0] and [#-0] as the first element
	}
	return st, j + 1, nil
}

// quotedPathKey reads a double-quoted key ("a b", with backslash escapes)
// at the start of q: the key and the bytes read.
func quotedPathKey(q string) (string, int, bool) {
	var sb strings.Builder
	for j := 1; j < len(q); j++ {
		switch q[j] {
		case '"':
			return sb.String(), j + 1, true
		case '\\':
			if j+1 < len(q) && q[j+1] == '"' {
				j++ // only \" is an escape; other backslashes are the key's own
			}
		}
		sb.WriteByte(q[j])
	}
	return "", 0, false
}

// jsonNavigate follows steps from the value at i (no leading space) of a
// validated document; ok is false when the path does not exist.
func jsonNavigate(s string, i int, steps []jsonStep) (start, end int, ok bool) {
	for _, st := range steps {
		i = jsonWS(s, i)
		if i >= len(s) {
			return 0, 0, false
		}
		switch {
		case s[i] == '{' && !st.isIdx:
			if i, ok = jsonMember(s, i, st.key); !ok {
				return 0, 0, false
			}
		case s[i] == '[' && (st.isIdx || st.ptr):
			idx := st.idx
			if st.ptr {
				n, err := strconv.ParseInt(st.key, 10, 64)
				if err != nil || n < 0 {
					return 0, 0, false
				}
				idx = n
			}
			if st.fromEnd {
				idx = int64(jsonCount(s, i)) - idx
				if idx < 0 {
					return 0, 0, false
				}
			}
			if i, ok = jsonElement(s, i, idx); !ok {
				return 0, 0, false
			}
		default:
			return 0, 0, false
		}
	}
	i = jsonWS(s, i)
	e, err := jsonSkip(s, i, 0)
	if err != nil {
		return 0, 0, false
	}
	return i, e, true
}

// jsonMember finds key in the object at i: the offset of its value.
func jsonMember(s string, i int, key string) (int, bool) {
	i = jsonWS(s, i+1)
	for i < len(s) && s[i] == '"' {
		ks := i
		ke, _ := jsonSkipString(s, i)
		i = jsonWS(s, jsonWS(s, ke)+1)
		if jsonKeyEquals(s[ks:ke], key) {
			return i, true
		}
		i, _ = jsonSkip(s, i, 0)
		if i = jsonWS(s, i); i < len(s) && s[i] == ',' {
			i = jsonWS(s, i+1)
		}
	}
	return 0, false
}

func jsonKeyEquals(quoted, key string) bool {
	raw := quoted[1 : len(quoted)-1]
	if strings.IndexByte(raw, '\\') < 0 {
		return raw == key
	}
	return string(jsonUnquote(nil, quoted)) == key
}

// jsonElement finds element n of the array at i.
func jsonElement(s string, i int, n int64) (int, bool) {
	i = jsonWS(s, i+1)
	for k := int64(0); i < len(s) && s[i] != ']'; k++ {
		if k == n {
			return i, true
		}
		i, _ = jsonSkip(s, i, 0)
		if i = jsonWS(s, i); i < len(s) && s[i] == ',' {
			i = jsonWS(s, i+1)
		}
	}
	return 0, false
}

// jsonCount is the number of elements (or members) of the container at i.
func jsonCount(s string, i int) int {
	obj := s[i] == '{'
	i = jsonWS(s, i+1)
	n := 0
	for i < len(s) && s[i] != ']' && s[i] != '}' {
		n++
		if obj {
			i, _ = jsonSkipString(s, i)
			i = jsonWS(s, jsonWS(s, i)+1)
		}
		i, _ = jsonSkip(s, i, 0)
		if i = jsonWS(s, i); i < len(s) && s[i] == ',' {
			i = jsonWS(s, i+1)
		}
	}
	return n
}

// jsonUnquote appends the decoded contents of the JSON string q (quotes
// included) to dst.
func jsonUnquote(dst []byte, q string) []byte {
	for j := 1; j < len(q)-1; j++ {
		c := q[j]
		if c != '\\' {
			dst = append(dst, c)
			continue
		}
		j++
		switch q[j] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r := rune(hex4(q[j+1 : j+5]))
			j += 4
			if utf16.IsSurrogate(r) && j+6 < len(q) && q[j+1] == '\\' && q[j+2] == 'u' {
				if r2 := utf16.DecodeRune(r, rune(hex4(q[j+3:j+7]))); r2 != utf8.RuneError {
					r = r2
					j += 6
				}
			}
			dst = utf8.AppendRune(dst, r)
		default:
			dst = append(dst, q[j])
		}
	}
	return dst
}

func hex4(h string) int {
	v := 0
	for k := 0; k < 4; k++ {
		d, _ := hexDigit(h[k])
		v = v<<4 | int(d)
	}
	return v
}

// jsonQuote appends s as a JSON string: quotes, backslashes and control
// characters escaped, everything else as is.
func jsonQuote(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for j := 0; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c == '\b':
			dst = append(dst, '\\', 'b')
		case c == '\f':
			dst = append(dst, '\\', 'f')
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', lowerHexDigit(c>>4), lowerHexDigit(c&15))
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}

func lowerHexDigit(d byte) byte { return "0123456789abcdef"[d] }

// jsonNormalize appends the value s[i:end] minified, with numbers and
// strings re-serialized as DuckDB prints them.
func jsonNormalize(dst []byte, s string, i, end int) []byte {
	for i < end {
		switch c := s[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"':
			e, _ := jsonSkipString(s, i)
			if strings.IndexByte(s[i:e], '\\') < 0 {
				dst = append(dst, s[i:e]...)
			} else {
				start := len(dst)
				dst = jsonUnquote(dst, s[i:e])
				dec := string(dst[start:])
				dst = jsonQuote(dst[:start], dec)
			}
			i = e
		case jsonNonFinite(s, i) > 0 && !strings.HasPrefix(s[i:], "null"):
			n := jsonNonFinite(s, i)
			dst = append(dst, s[i:i+n]...)
			i += n
		case c == '-' || c >= '0' && c <= '9':
			e, _ := jsonSkipNumber(s, i)
			dst = appendJSONNumber(dst, s[i:e])
			i = e
		default:
			dst = append(dst, c)
			i++
		}
	}
	return dst
}

// appendJSONNumber re-serializes a number: integers that fit 64 bits as
// integers, others as doubles in DuckDB's JSON form (100.0, 1.5e-7, 1e300).
func appendJSONNumber(dst []byte, t string) []byte {
	if !strings.ContainsAny(t, ".eE") {
		if v, err := strconv.ParseInt(t, 10, 64); err == nil {
			return strconv.AppendInt(dst, v, 10)
		}
		if v, err := strconv.ParseUint(t, 10, 64); err == nil {
			return strconv.AppendUint(dst, v, 10)
		}
		return append(dst, t...)
	}
	v, _ := strconv.ParseFloat(t, 64)
	return appendJSONDouble(dst, v)
}

func appendJSONDouble(dst []byte, v float64) []byte {
	a := math.Abs(v)
	switch {
	case math.IsInf(v, 0) || v != v:
		return append(dst, "null"...)
	case a != 0 && (a >= 1e21 || a < 1e-6):
		b := strconv.AppendFloat(nil, v, 'e', -1, 64)
		k := strings.IndexByte(string(b), 'e')
		dst = append(dst, b[:k+1]...)
		exp := string(b[k+1:])
		if exp[0] == '-' {
			dst = append(dst, '-')
		}
		return append(dst, strings.TrimLeft(exp[1:], "0")...)
	}
	dst = strconv.AppendFloat(dst, v, 'f', -1, 64)
	if v == math.Trunc(v) {
		dst = append(dst, '.', '0')
	}
	return dst
}
