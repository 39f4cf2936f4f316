package scan

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unsafe"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// decodeKind says how one physical Parquet value becomes one vector value.
// It is fixed per column, so decode loops switch on it once per run of
// values, never per value.
type decodeKind uint8

const (
	dkBool      decodeKind = iota // BOOLEAN → B
	dkI32                         // INT32 → I32
	dkI32toI64                    // INT32 → I64 (DECIMAL on INT32)
	dkU32toI64                    // INT32 read as unsigned → I64 (UINT_32)
	dkI32Millis                   // INT32 TIME_MILLIS → I64 microseconds
	dkI64                         // INT64 → I64
	dkU64                         // INT64 read as unsigned → I64, error above MaxInt64
	dkI64Millis                   // INT64 milliseconds → I64 microseconds
	dkI64Nanos                    // INT64 nanoseconds → I64 microseconds (floor)
	dkInt96                       // INT96 Impala timestamp → I64 microseconds
	dkF32                         // FLOAT → F64
	dkF64                         // DOUBLE → F64
	dkF16                         // FIXED_LEN_BYTE_ARRAY(2) FLOAT16 → F64
	dkBAStr                       // BYTE_ARRAY → Str
	dkBADec                       // BYTE_ARRAY DECIMAL → I64
	dkFLBAStr                     // FIXED_LEN_BYTE_ARRAY → Str (raw bytes)
	dkFLBADec                     // FIXED_LEN_BYTE_ARRAY DECIMAL → I64
)

// fixedWidth is the encoded size of one PLAIN value, 0 for BYTE_ARRAY and -1
// for bit-packed booleans.
func (dk decodeKind) fixedWidth(typeLen int) int {
	switch dk {
	case dkBool:
		return -1
	case dkI32, dkI32toI64, dkU32toI64, dkI32Millis, dkF32:
		return 4
	case dkI64, dkU64, dkI64Millis, dkI64Nanos, dkF64:
		return 8
	case dkInt96:
		return 12
	case dkF16, dkFLBAStr, dkFLBADec:
		return typeLen
	}
	return 0
}

var errValuesTruncated = errors.New("page values truncated")

// littleEndian is true on every platform we build for in practice; the
// memory-copy fast paths depend on it and fall back to loops otherwise.
var littleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// asBytes views a fixed-width slice as its bytes (dst side of a memory copy;
// dst is always aligned, unlike the page bytes, which is why we never cast
// the other way).
func asBytes[T int32 | int64 | float64](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(s[0])))
}

// decodePlain decodes n PLAIN values from src into v[off:off+n] and returns
// the bytes consumed. Booleans are handled by decodePlainBools.
func decodePlain(dk decodeKind, typeLen int, src []byte, v *coldata.Vec, off, n int) (int, error) {
	if n == 0 {
		return 0, nil
	}
	if w := dk.fixedWidth(typeLen); w > 0 {
		if uint64(len(src)) < uint64(n)*uint64(w) {
			return 0, errValuesTruncated
		}
		src = src[:n*w]
	}
	le := binary.LittleEndian
	switch dk {
	case dkI32:
		dst := v.I32[off : off+n]
		if littleEndian {
			copy(asBytes(dst), src)
		} else {
			for i := range dst {
				dst[i] = int32(le.Uint32(src[4*i:]))
			}
		}
		return 4 * n, nil
	case dkI32toI64, dkI32Millis:
		dst := v.I64[off : off+n]
		for i := range dst {
			dst[i] = int64(int32(le.Uint32(src[4*i:])))
		}
		if dk == dkI32Millis {
			mulInPlace(dst, 1000)
		}
		return 4 * n, nil
	case dkU32toI64:
		dst := v.I64[off : off+n]
		for i := range dst {
			dst[i] = int64(le.Uint32(src[4*i:]))
		}
		return 4 * n, nil
	case dkI64, dkU64, dkI64Millis, dkI64Nanos:
		dst := v.I64[off : off+n]
		if littleEndian {
			copy(asBytes(dst), src)
		} else {
			for i := range dst {
				dst[i] = int64(le.Uint64(src[8*i:]))
			}
		}
		return 8 * n, convertI64(dk, dst)
	case dkInt96:
		dst := v.I64[off : off+n]
		for i := range dst {
			dst[i] = int96Micros(src[12*i : 12*i+12])
		}
		return 12 * n, nil
	case dkF32:
		dst := v.F64[off : off+n]
		for i := range dst {
			dst[i] = float64(math.Float32frombits(le.Uint32(src[4*i:])))
		}
		return 4 * n, nil
	case dkF64:
		dst := v.F64[off : off+n]
		if littleEndian {
			copy(asBytes(dst), src)
		} else {
			for i := range dst {
				dst[i] = math.Float64frombits(le.Uint64(src[8*i:]))
			}
		}
		return 8 * n, nil
	case dkF16:
		if typeLen != 2 {
			return 0, fmt.Errorf("FLOAT16 with length %d", typeLen)
		}
		dst := v.F64[off : off+n]
		for i := range dst {
			dst[i] = float16To64(le.Uint16(src[2*i:]))
		}
		return 2 * n, nil
	case dkFLBAStr:
		dst := v.Str[off : off+n]
		if typeLen == 0 {
			clear(dst)
			return 0, nil
		}
		for i := range dst {
			dst[i] = unsafe.String(&src[i*typeLen], typeLen)
		}
		return n * typeLen, nil
	case dkFLBADec:
		dst := v.I64[off : off+n]
		for i := range dst {
			x, ok := decimalFromBE(src[i*typeLen : (i+1)*typeLen])
			if !ok {
				return 0, errDecimalOverflow
			}
			dst[i] = x
		}
		return n * typeLen, nil
	case dkBAStr:
		dst := v.Str[off : off+n]
		pos := 0
		for i := range dst {
			if len(src)-pos < 4 {
				return 0, errValuesTruncated
			}
			l := le.Uint32(src[pos:])
			pos += 4
			if uint64(l) > uint64(len(src)-pos) {
				return 0, errValuesTruncated
			}
			if l == 0 {
				dst[i] = ""
				continue
			}
			dst[i] = unsafe.String(&src[pos], int(l))
			pos += int(l)
		}
		return pos, nil
	case dkBADec:
		dst := v.I64[off : off+n]
		pos := 0
		for i := range dst {
			if len(src)-pos < 4 {
				return 0, errValuesTruncated
			}
			l := le.Uint32(src[pos:])
			pos += 4
			if uint64(l) > uint64(len(src)-pos) {
				return 0, errValuesTruncated
			}
			x, ok := decimalFromBE(src[pos : pos+int(l)])
			if !ok {
				return 0, errDecimalOverflow
			}
			dst[i] = x
			pos += int(l)
		}
		return pos, nil
	}
	return 0, fmt.Errorf("internal: PLAIN decode of kind %d", dk)
}

// decodePlainBools unpacks len(dst) LSB-first bits starting at bit pos.
func decodePlainBools(dst []bool, src []byte, pos uint64) (uint64, error) {
	if pos+uint64(len(dst)) > uint64(len(src))*8 {
		return 0, errValuesTruncated
	}
	i := 0
	// Head up to a byte boundary, then whole bytes, then the tail.
	for ; i < len(dst) && pos&7 != 0; i++ {
		dst[i] = src[pos>>3]>>(pos&7)&1 != 0
		pos++
	}
	for ; i+8 <= len(dst); i += 8 {
		b := src[pos>>3]
		d := dst[i : i+8]
		d[0] = b&1 != 0
		d[1] = b&2 != 0
		d[2] = b&4 != 0
		d[3] = b&8 != 0
		d[4] = b&16 != 0
		d[5] = b&32 != 0
		d[6] = b&64 != 0
		d[7] = b&128 != 0
		pos += 8
	}
	for ; i < len(dst); i++ {
		dst[i] = src[pos>>3]>>(pos&7)&1 != 0
		pos++
	}
	return pos, nil
}

// convertI64 applies the unit or sign conversion of an INT64 column in place.
func convertI64(dk decodeKind, s []int64) error {
	switch dk {
	case dkU64:
		for _, x := range s {
			if x < 0 {
				return fmt.Errorf("UINT_64 value %d exceeds BIGINT range", uint64(x))
			}
		}
	case dkI64Millis:
		mulInPlace(s, 1000)
	case dkI64Nanos:
		for i, x := range s {
			q := x / 1000
			if x%1000 < 0 {
				q--
			}
			s[i] = q
		}
	}
	return nil
}

func mulInPlace(s []int64, k int64) {
	for i := range s {
		s[i] *= k
	}
}

// julianEpoch is the Julian day number of 1970-01-01.
const julianEpoch = 2440588

// int96Micros converts an Impala/Spark INT96 timestamp (nanoseconds within
// the day, little endian, then the Julian day) to microseconds since the
// epoch. The arithmetic wraps on purpose: Spark computes the pair from
// microseconds with wrapping int64 arithmetic, so timestamps beyond the
// nanosecond range (year 290000 in int96_from_spark.parquet) come back
// exactly when we wrap the same way.
func int96Micros(b []byte) int64 {
	nanos := int64(binary.LittleEndian.Uint64(b[0:8]))
	day := int64(int32(binary.LittleEndian.Uint32(b[8:12])))
	return (day-julianEpoch)*86400_000_000 + nanos/1000
}

var errDecimalOverflow = errors.New("DECIMAL value does not fit in 64 bits")

// decimalFromBE converts a big-endian two's complement integer of any length
// to int64, reporting false when it does not fit.
func decimalFromBE(b []byte) (int64, bool) {
	if len(b) == 0 {
		return 0, true
	}
	if len(b) > 8 {
		// Leading bytes must be pure sign extension of the low 8 bytes.
		ext := byte(0)
		if b[len(b)-8]&0x80 != 0 {
			ext = 0xff
		}
		for _, c := range b[:len(b)-8] {
			if c != ext {
				return 0, false
			}
		}
		b = b[len(b)-8:]
	}
	var u uint64
	for _, c := range b {
		u = u<<8 | uint64(c)
	}
	// Sign-extend from len(b) bytes.
	shift := uint(64 - 8*len(b))
	return int64(u<<shift) >> shift, true
}

// float16To64 widens an IEEE half-precision value.
func float16To64(h uint16) float64 {
	sign := uint64(h>>15) << 63
	exp := int(h>>10) & 0x1f
	frac := uint64(h & 0x3ff)
	switch {
	case exp == 0x1f:
		if frac == 0 {
			return math.Float64frombits(sign | 0x7ff<<52)
		}
		return math.NaN()
	case exp == 0:
		v := math.Ldexp(float64(frac), -24)
		if sign != 0 {
			return -v
		}
		return v
	}
	return math.Float64frombits(sign | uint64(exp-15+1023)<<52 | frac<<42)
}
