package tpchgen

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
)

// Dictionary columns are handed to the column writer ready-made: the
// distinct values (in order of first appearance, the order the writer's
// own encoder would give them) and one index per row. The writer then
// neither hashes every value nor works out which dictionary entries are
// used; the statistics come from the dictionary, every entry of which is
// used.

// presetDict is the part of arrow-go's dictionary encoders that accepts a
// dictionary before any value.
type presetDict interface {
	PutDictionary(arrow.Array) error
	NumEntries() int
}

// writeDictColumn writes one dictionary column of a batch.
func writeDictColumn(cw file.ColumnChunkWriter, k kind, c *colBuf) error {
	rows := c.rows(k)
	if k != kString {
		c.indexInts(k)
	}
	enc, ok := cw.CurrentEncoder().(presetDict)
	// A dictionary page beyond the writer's limit (o_clerk at large scale
	// factors could get there) falls back to plain encoding, as the
	// writer's own encoder would.
	if !ok || cw.CurrentEncoder().Encoding() != parquet.Encodings.PlainDict ||
		c.dictBytes(k) > cw.Properties().DictionaryPageSizeLimit() {
		return writePlain(cw, k, c)
	}
	dict := c.dictArray(k)
	defer dict.Release()
	if err := enc.PutDictionary(dict); err != nil {
		return err
	}
	if enc.NumEntries() != dict.Len() {
		return fmt.Errorf("dictionary of %d values has %d distinct entries", dict.Len(), enc.NumEntries())
	}
	if st := cw.PageStatistics(); st != nil {
		st.IncNumValues(int64(rows))
		if err := st.UpdateFromArrow(dict, false); err != nil {
			return err
		}
	}
	indices := array.NewInt32Data(array.NewData(arrow.PrimitiveTypes.Int32, rows,
		[]*memory.Buffer{nil, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(c.idx))}, nil, 0, 0))
	defer indices.Release()
	switch w := cw.(type) {
	case *file.Int32ColumnChunkWriter:
		return w.WriteDictIndices(indices, nil, nil)
	case *file.Int64ColumnChunkWriter:
		return w.WriteDictIndices(indices, nil, nil)
	case *file.ByteArrayColumnChunkWriter:
		return w.WriteDictIndices(indices, nil, nil)
	}
	return fmt.Errorf("no dictionary writer for %T", cw)
}

// writePlain writes a dictionary column's values without a dictionary.
func writePlain(cw file.ColumnChunkWriter, k kind, c *colBuf) error {
	cw.FallbackToPlain()
	var err error
	switch w := cw.(type) {
	case *file.Int32ColumnChunkWriter:
		_, err = w.WriteBatch(c.i32, nil, nil)
	case *file.Int64ColumnChunkWriter:
		_, err = w.WriteBatch(c.i64, nil, nil)
	case *file.ByteArrayColumnChunkWriter:
		vals := make([]parquet.ByteArray, len(c.idx))
		for i, id := range c.idx {
			vals[i] = bytesOf(c.dict.values[id])
		}
		_, err = w.WriteBatch(vals, nil, nil)
	default:
		err = fmt.Errorf("no plain writer for %T", cw)
	}
	return err
}

func (c *colBuf) rows(k kind) int {
	switch k {
	case kInt32, kDate:
		return len(c.i32)
	case kInt64, kDecimal:
		return len(c.i64)
	}
	return len(c.idx)
}

// dictBytes is the size of the dictionary page in plain encoding.
func (c *colBuf) dictBytes(k kind) int64 {
	switch k {
	case kInt32, kDate:
		return int64(4 * len(c.ints))
	case kInt64, kDecimal:
		return int64(8 * len(c.ints))
	}
	var n int64
	for _, v := range c.dict.values {
		n += int64(4 + len(v))
	}
	return n
}

// dictArray builds the dictionary as an Arrow array of the column's
// physical type.
func (c *colBuf) dictArray(k kind) arrow.Array {
	mem := memory.DefaultAllocator
	switch k {
	case kInt32, kDate:
		b := array.NewInt32Builder(mem)
		defer b.Release()
		for _, v := range c.ints {
			b.Append(int32(v))
		}
		return b.NewArray()
	case kInt64, kDecimal:
		b := array.NewInt64Builder(mem)
		defer b.Release()
		b.AppendValues(c.ints, nil)
		return b.NewArray()
	}
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.AppendValues(c.dict.values, nil)
	return b.NewArray()
}

// maxDenseSpan bounds the value range indexed through a direct table.
const maxDenseSpan = 1 << 20

// indexInts numbers an integer column's distinct values in order of first
// appearance into c.ints and c.idx. The dictionary columns' values lie in
// narrow ranges (dates, quantities, flags), so a table indexed by value
// does it without hashing; a wider range (never seen in TPC-H) uses a map.
func (c *colBuf) indexInts(k kind) {
	n := c.rows(k)
	at := func(i int) int64 {
		if k == kInt32 || k == kDate {
			return int64(c.i32[i])
		}
		return c.i64[i]
	}
	c.ints = c.ints[:0]
	c.idx = c.idx[:0]
	if n == 0 {
		return
	}
	lo, hi := at(0), at(0)
	for i := 1; i < n; i++ {
		v := at(i)
		lo, hi = min(lo, v), max(hi, v)
	}
	if uint64(hi-lo) < maxDenseSpan {
		span := int(hi-lo) + 1
		if cap(c.slots) < span {
			c.slots = make([]int32, span)
		}
		slots := c.slots[:span]
		for i := range slots {
			slots[i] = -1
		}
		for i := range n {
			v := at(i)
			id := slots[v-lo]
			if id < 0 {
				id = int32(len(c.ints))
				slots[v-lo] = id
				c.ints = append(c.ints, v)
			}
			c.idx = append(c.idx, id)
		}
		return
	}
	ids := make(map[int64]int32)
	for i := range n {
		v := at(i)
		id, ok := ids[v]
		if !ok {
			id = int32(len(c.ints))
			ids[v] = id
			c.ints = append(c.ints, v)
		}
		c.idx = append(c.idx, id)
	}
}
