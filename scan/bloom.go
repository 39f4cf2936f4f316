package scan

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/cespare/xxhash/v2"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Split-block bloom filters (parquet-format BloomFilter.md): a Thrift
// BloomFilterHeader then num_bytes of 32-byte blocks; a value's XXH64 hash
// of its PLAIN encoding picks a block with its upper half and sets one bit
// in each of the block's eight words with its lower half.

var bloomSalt = [8]uint32{0x47b6137b, 0x44974d91, 0x8824ad5b, 0xa2b7289d,
	0x705495c7, 0x2df1424b, 0x9efc4947, 0x5c6bfb31}

// maxBloomBytes bounds a filter's bitset (parquet-mr caps filters at 1 MiB
// by default; 128 MiB is the spec's upper bound).
const maxBloomBytes = 128 << 20

type bloomFilter struct{ blocks []byte }

// parseBloom decodes a header and bitset from b, which holds at least the
// header and as much of the bitset as is available. It returns the number of
// bytes the whole filter needs when b is too short.
func parseBloom(b []byte) (*bloomFilter, int, error) {
	r := thriftReader{b: b}
	var numBytes int32
	var algoOK, hashOK, plain = false, false, true
	err := r.readStruct(0, func(id int16, typ byte) (bool, error) {
		switch id {
		case 1:
			return r.i32Field(typ, &numBytes)
		case 2, 3, 4:
			if typ != ttStruct {
				return false, errors.New("bloom filter header: union is not a struct")
			}
			// Each union holds one empty struct; the member id names it.
			mid, mt, err := r.fieldHeader(0)
			if err != nil {
				return false, err
			}
			if mt != ttStop {
				if err := r.skip(mt, 1); err != nil {
					return false, err
				}
				if _, end, err := r.fieldHeader(mid); err != nil || end != ttStop {
					return false, errors.New("bloom filter header: union with several members")
				}
			}
			switch id {
			case 2:
				algoOK = mid == 1 // BLOCK
			case 3:
				hashOK = mid == 1 // XXHASH
			case 4:
				plain = mid == 1 // UNCOMPRESSED
			}
			return true, nil
		}
		return false, nil
	})
	if err != nil {
		return nil, 0, err
	}
	if !algoOK || !hashOK || !plain {
		return nil, 0, errors.New("bloom filter: unsupported algorithm, hash or compression")
	}
	if numBytes <= 0 || numBytes%32 != 0 || numBytes > maxBloomBytes {
		return nil, 0, fmt.Errorf("bloom filter: bad size %d", numBytes)
	}
	need := r.pos + int(numBytes)
	if need > len(b) {
		return nil, need, nil
	}
	return &bloomFilter{blocks: b[r.pos:need]}, need, nil
}

// mayContain reports whether the value hashing to h may be in the filter.
func (bf *bloomFilter) mayContain(h uint64) bool {
	nb := uint64(len(bf.blocks) / 32)
	blk := bf.blocks[(((h>>32)*nb)>>32)*32:][:32]
	key := uint32(h)
	for i, s := range bloomSalt {
		w := binary.LittleEndian.Uint32(blk[4*i:])
		if w&(1<<((key*s)>>27)) == 0 {
			return false
		}
	}
	return true
}

// bloomHash hashes a constant the way the writer hashed the column's
// physical values. ok is false for types where our value does not map back
// to exactly one physical encoding (converted units, decimals, floats with
// their two zeros), which are then not checked.
func bloomHash(li leafInfo, d coldata.Datum) (uint64, bool) {
	var buf [8]byte
	switch {
	case li.unsigned:
		return 0, false
	case li.dk == dkI32:
		if d.I != int64(int32(d.I)) {
			return 0, false
		}
		binary.LittleEndian.PutUint32(buf[:], uint32(int32(d.I)))
		return xxhash.Sum64(buf[:4]), true
	case li.dk == dkI64:
		binary.LittleEndian.PutUint64(buf[:], uint64(d.I))
		return xxhash.Sum64(buf[:8]), true
	case li.dk == dkF64 && d.F != 0 && !math.IsNaN(d.F):
		binary.LittleEndian.PutUint64(buf[:], math.Float64bits(d.F))
		return xxhash.Sum64(buf[:8]), true
	case li.dk == dkBAStr:
		return xxhash.Sum64String(d.S), true
	case li.dk == dkFLBAStr && len(d.S) == li.typeLen:
		return xxhash.Sum64String(d.S), true
	}
	return 0, false
}

// bloomExcludes reports whether column ci's bloom filter in row group rg
// proves that no value equals one of p's constants.
func (f *File) bloomExcludes(rg, ci int, p *Predicate) (bool, error) {
	if p.Op != OpEq && p.Op != OpIn {
		return false, nil
	}
	li := f.leaves[ci]
	md := f.md.RowGroups[rg].Columns[li.leaf].MetaData
	if md.BloomFilterOffset == nil {
		return false, nil
	}
	var hashes []uint64
	for _, d := range p.Vals {
		if d.Null {
			continue
		}
		h, ok := bloomHash(li, d)
		if !ok {
			return false, nil
		}
		hashes = append(hashes, h)
	}
	if len(hashes) == 0 {
		return false, nil
	}
	off := *md.BloomFilterOffset
	if off < 4 || off >= f.dataEnd {
		return false, fmt.Errorf("corrupt bloom filter offset %d", off)
	}
	// Without bloom_filter_length, read a guess and then the rest.
	n := int64(4096)
	if l := md.BloomFilterLength; l != nil && *l > 0 {
		n = int64(*l)
	}
	n = min(n, f.dataEnd-off, maxBloomBytes+256)
	buf := make([]byte, n)
	if _, err := f.r.ReadAt(buf, off); err != nil {
		return false, err
	}
	bf, need, err := parseBloom(buf)
	if err != nil {
		return false, err
	}
	if bf == nil {
		if int64(need) > f.dataEnd-off {
			return false, errors.New("bloom filter runs past the data")
		}
		buf = make([]byte, need)
		if _, err := f.r.ReadAt(buf, off); err != nil {
			return false, err
		}
		if bf, _, err = parseBloom(buf); err != nil || bf == nil {
			return false, errors.New("bloom filter: inconsistent header")
		}
	}
	for _, h := range hashes {
		if bf.mayContain(h) {
			return false, nil
		}
	}
	return true, nil
}
