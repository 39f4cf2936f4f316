package scan

// Writers may use LogicalType union members newer than the footer decoder
// knows (apache/arrow#41764); arrow-go then rejects the whole footer. The
// spec says a reader should fall back to the physical type, so we rewrite
// such a member, in a copy of the footer, into the empty NullType member,
// parse again, and drop the logical type of those schema elements.

// knownLogicalTypes are the LogicalType union ids in parquet.thrift that
// arrow-go v18 decodes (9 was never assigned).
func knownLogicalType(id int16) bool { return id >= 1 && id <= 18 && id != 9 }

const ltNullTypeID = 11

// neutralizeUnknownLogicalTypes returns a patched copy of the footer and the
// indexes of the schema elements it patched, or nil when there is nothing
// it can patch.
func neutralizeUnknownLogicalTypes(footer []byte) ([]byte, []int) {
	b := append([]byte(nil), footer...)
	r := thriftReader{b: b}
	var patched []int
	err := r.readStruct(0, func(id int16, typ byte) (bool, error) {
		if id != 2 || typ != ttList {
			return false, nil
		}
		c, err := r.byte()
		if err != nil {
			return false, err
		}
		n := uint64(c >> 4)
		if n == 15 {
			if n, err = r.uvarint(); err != nil {
				return false, err
			}
		}
		if c&0x0f != ttStruct {
			return false, errThriftTruncated
		}
		for i := uint64(0); i < n; i++ {
			err := r.readStruct(1, func(id int16, typ byte) (bool, error) {
				if id != 10 || typ != ttStruct {
					return false, nil
				}
				p := r.pos
				mid, mt, err := r.fieldHeader(0)
				if err != nil || mt == ttStop || knownLogicalType(mid) || mt != ttStruct {
					r.pos = p
					return false, err
				}
				// Rewrite the member id in place, keeping its encoded size.
				switch {
				case b[p]>>4 != 0:
					b[p] = ltNullTypeID<<4 | ttStruct
				default:
					// Long form: the zigzag varint id becomes 11, padded
					// with non-minimal continuation bytes to the same size.
					v := b[p+1 : r.pos]
					for k := range v {
						v[k] = 0x80
					}
					v[0] |= ltNullTypeID << 1
					v[len(v)-1] &^= 0x80
					if len(v) == 1 {
						v[0] = ltNullTypeID << 1
					}
				}
				patched = append(patched, int(i))
				r.pos = p
				return false, nil
			})
			if err != nil {
				return false, err
			}
		}
		return true, nil
	})
	if err != nil || len(patched) == 0 {
		return nil, nil
	}
	return b, patched
}
