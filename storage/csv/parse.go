package csv

import (
	"bytes"
)

// dialect is how records are spelled: quote 0 means fields are never
// quoted, escape 0 that nothing is escaped (escape == quote is RFC 4180's
// doubled quote).
type dialect struct {
	delim, quote, escape byte
}

// field is one field of a record: its bytes are buf[start:end] without the
// surrounding quotes. quoted fields with escapes need unescaping.
type field struct {
	start, end int32
	quoted     bool
	escaped    bool
}

// parseError is a record the tokenizer refused, at byte offset pos of the
// chunk.
type parseError struct {
	pos int
	msg string
}

// tokenizer splits the records of a chunk. It keeps one scratch slice of
// fields reused for every record.
type tokenizer struct {
	d      dialect
	fields []field
}

// next parses the record starting at pos and returns the offset just past
// it (after its newline). It returns ok=false at the end of buf. A record
// that is only a newline has no fields.
func (t *tokenizer) next(buf []byte, pos int) (end int, ok bool, perr *parseError) {
	n := len(buf)
	if pos >= n {
		return pos, false, nil
	}
	t.fields = t.fields[:0]
	d := t.d
	i := pos
	if buf[i] == '\n' || (buf[i] == '\r' && i+1 < n && buf[i+1] == '\n') {
		for buf[i] != '\n' {
			i++
		}
		return i + 1, true, nil
	}
	for {
		if d.quote != 0 && i < n && buf[i] == d.quote {
			f, j, err := t.quoted(buf, i)
			if err != nil {
				return pos, false, err
			}
			t.fields = append(t.fields, f)
			i = j
		} else {
			s := i
			for i < n {
				c := buf[i]
				if c == d.delim || c == '\n' {
					break
				}
				i++
			}
			e := i
			if (i == n || buf[i] == '\n') && e > s && buf[e-1] == '\r' {
				e--
			}
			t.fields = append(t.fields, field{start: int32(s), end: int32(e)})
		}
		if i >= n {
			return n, true, nil
		}
		if buf[i] == '\n' {
			return i + 1, true, nil
		}
		i++ // the delimiter
		if i == n {
			t.fields = append(t.fields, field{start: int32(i), end: int32(i)})
			return n, true, nil
		}
	}
}

// quoted parses a quoted field starting at the quote at i and returns it
// with the offset of the byte after it (a delimiter, newline or the end).
func (t *tokenizer) quoted(buf []byte, i int) (field, int, *parseError) {
	d := t.d
	n := len(buf)
	f := field{start: int32(i + 1), quoted: true}
	j := i + 1
	for {
		k := bytes.IndexByte(buf[j:], d.quote)
		if d.escape != 0 && d.escape != d.quote {
			if e := bytes.IndexByte(buf[j:], d.escape); e >= 0 && (k < 0 || e < k) {
				f.escaped = true
				j += e + 2
				if j > n {
					return f, 0, &parseError{i, "Value with unterminated quote found."}
				}
				continue
			}
		}
		if k < 0 {
			return f, 0, &parseError{i, "Value with unterminated quote found."}
		}
		j += k + 1
		if d.escape == d.quote && j < n && buf[j] == d.quote {
			f.escaped = true
			j++
			continue
		}
		f.end = int32(j - 1)
		break
	}
	if j < n && buf[j] == '\r' && j+1 < n && buf[j+1] == '\n' {
		j++
	}
	if j < n && buf[j] != d.delim && buf[j] != '\n' {
		return f, 0, &parseError{j, "Value with unterminated quote found."}
	}
	return f, j, nil
}

// unescape appends the text of a quoted field with escapes resolved.
func (d dialect) unescape(dst, s []byte) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c == d.escape || c == d.quote) && i+1 < len(s) {
			i++
			c = s[i]
		}
		dst = append(dst, c)
	}
	return dst
}

// opensQuote reports whether the quote at b[i] starts a quoted field: as
// for the tokenizer, only at the start of a field (b starts at a record
// boundary); a quote inside an unquoted field is a plain character.
func (d dialect) opensQuote(b []byte, i int) bool {
	return i == 0 || b[i-1] == d.delim || b[i-1] == '\n'
}

// nextQuote returns the offset of the next quote at or after i that opens
// a quoted field, or -1.
func (d dialect) nextQuote(b []byte, i int) int {
	for {
		j := bytes.IndexByte(b[i:], d.quote)
		if j < 0 {
			return -1
		}
		if d.opensQuote(b, i+j) {
			return i + j
		}
		i += j + 1
	}
}

// lastBoundary returns the offset just past the last newline of b that
// ends a record (is outside quotes), or -1. b starts at a record boundary.
func (d dialect) lastBoundary(b []byte) int {
	if d.quote == 0 {
		return bytes.LastIndexByte(b, '\n') + 1
	}
	last, i := -1, 0
	for i < len(b) {
		j := d.nextQuote(b, i)
		seg := b[i:]
		if j >= 0 {
			seg = b[i:j]
		}
		if k := bytes.LastIndexByte(seg, '\n'); k >= 0 {
			last = i + k + 1
		}
		if j < 0 {
			break
		}
		end, ok := d.closeQuote(b, j+1)
		if !ok {
			break
		}
		i = end
	}
	return last
}

// firstBoundary returns the offset just past the first record of b, or -1
// when b holds no complete record.
func (d dialect) firstBoundary(b []byte) int {
	i := 0
	for i < len(b) {
		nl := bytes.IndexByte(b[i:], '\n')
		if nl < 0 {
			return -1
		}
		q := -1
		if d.quote != 0 {
			q = d.nextQuote(b[:i+nl], i)
		}
		if q < 0 {
			return i + nl + 1
		}
		end, ok := d.closeQuote(b, q+1)
		if !ok {
			return -1
		}
		i = end
	}
	return -1
}

// closeQuote finds the end of a quoted section whose content starts at i
// and returns the offset after its closing quote; ok is false when b ends
// inside it.
func (d dialect) closeQuote(b []byte, i int) (int, bool) {
	for i < len(b) {
		k := bytes.IndexByte(b[i:], d.quote)
		if d.escape != 0 && d.escape != d.quote {
			if e := bytes.IndexByte(b[i:], d.escape); e >= 0 && (k < 0 || e < k) {
				i += e + 2
				continue
			}
		}
		if k < 0 {
			return 0, false
		}
		i += k + 1
		if d.escape == d.quote && i < len(b) && b[i] == d.quote {
			i++
			continue
		}
		return i, true
	}
	return 0, false
}
