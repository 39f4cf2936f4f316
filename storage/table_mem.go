package storage

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/scan"
)

// MemTable is an in-memory columnar table (CREATE TABLE in an in-memory
// database, TEMP tables, registered Go data). Its rows are an immutable
// snapshot of column chunks that every write replaces whole: a query reads
// the snapshot it found when it was built, so a reader running during a
// write sees the table before or after it, never a mix, and a failed write
// leaves nothing behind. Writers are serialised by the caller.
type MemTable struct {
	snap atomic.Pointer[MemData]

	// A stream table (RegisterArrowReader) has no snapshot: its one scan
	// pulls chunks from the source, and later scans find it used up.
	streamMu sync.Mutex
	stream   func() ([]*coldata.Vec, error)
	started  bool
}

// NewMemStream returns a table whose rows come from next, once: next
// returns a chunk per call and nil at the end.
func NewMemStream(cols []scan.Column, next func() ([]*coldata.Vec, error)) *MemTable {
	t := NewMemTable(cols)
	t.stream = next
	return t
}

// IsStream reports a table read from a one-pass source.
func (t *MemTable) IsStream() bool { return t.stream != nil }

// StartStream claims the stream for one scan; false when a scan already
// claimed it.
func (t *MemTable) StartStream() bool {
	t.streamMu.Lock()
	defer t.streamMu.Unlock()
	if t.started {
		return false
	}
	t.started = true
	return true
}

// NextChunk pulls the stream's next chunk (nil at the end); safe for the
// scan's workers to call concurrently.
func (t *MemTable) NextChunk() ([]*coldata.Vec, error) {
	t.streamMu.Lock()
	defer t.streamMu.Unlock()
	return t.stream()
}

// MemData is one snapshot of a MemTable: chunks of at most
// coldata.DefaultBatchSize rows, one vector per column, never modified
// after publication (the executor hands the vectors out without copying).
type MemData struct {
	Columns []scan.Column
	Chunks  [][]*coldata.Vec
	Rows    int64
	Bytes   int64 // what the vectors hold, as charged to the memory pool
}

// NewMemTable returns a table with the given columns and no rows.
func NewMemTable(cols []scan.Column) *MemTable {
	t := &MemTable{}
	t.snap.Store(&MemData{Columns: cols})
	return t
}

// Snapshot is the table's current contents.
func (t *MemTable) Snapshot() *MemData { return t.snap.Load() }

// Publish makes d the table's contents (one atomic switch).
func (t *MemTable) Publish(d *MemData) { t.snap.Store(d) }

// Table describes the snapshot as a catalog table named name: the
// executor scans Mem (the live table) instead of files.
func (t *MemTable) Table(name string) *Table {
	d := t.Snapshot()
	return &Table{Name: name, Columns: d.Columns, NumRows: d.Rows, Mem: t}
}

// Types lists the column types.
func (d *MemData) Types() []coldata.Type {
	out := make([]coldata.Type, len(d.Columns))
	for i, c := range d.Columns {
		out[i] = c.Type
	}
	return out
}

// MemBuilder accumulates rows into chunks for a new snapshot; the rows it
// copies own their strings (batches from operators may point into buffers
// their producers reuse).
type MemBuilder struct {
	types  []coldata.Type
	chunks [][]*coldata.Vec
	rows   int64
	bytes  int64
	// lastOwned: the last chunk was made here and may still grow (chunks
	// added by AppendChunks belong to a published snapshot).
	lastOwned bool
}

// NewMemBuilder starts a snapshot with the given column types.
func NewMemBuilder(types []coldata.Type) *MemBuilder { return &MemBuilder{types: types} }

// AppendChunks adds existing immutable chunks without copying them.
func (m *MemBuilder) AppendChunks(chunks [][]*coldata.Vec) {
	for _, ch := range chunks {
		n := chunkLen(ch)
		if n == 0 {
			continue
		}
		m.chunks = append(m.chunks, ch)
		m.rows += int64(n)
		m.bytes += VecsBytes(ch)
		m.lastOwned = false
	}
}

// Append copies the live rows of b's first len(types) columns, filling
// the last chunk up to a full batch before starting another.
func (m *MemBuilder) Append(b *coldata.Batch) {
	n := b.Len()
	done := 0
	for done < n {
		last := m.open()
		have := chunkLen(last)
		k := min(coldata.DefaultBatchSize-have, n-done)
		var sel []int32
		if b.Sel != nil {
			sel = b.Sel[done : done+k]
		} else {
			sel = make([]int32, k)
			for i := range sel {
				sel[i] = int32(done + i)
			}
		}
		before := VecsBytes(last)
		for c := range m.types {
			v := last[c]
			resizeKeep(v, have+k)
			v.CopyFrom(b.Vecs[c], sel, k, have)
			ownStrings(v, have)
		}
		m.bytes += VecsBytes(last) - before
		m.rows += int64(k)
		done += k
	}
}

// open returns the last chunk when it has room, else a new empty one.
func (m *MemBuilder) open() []*coldata.Vec {
	if k := len(m.chunks); k > 0 && m.lastOwned && chunkLen(m.chunks[k-1]) < coldata.DefaultBatchSize {
		return m.chunks[k-1]
	}
	ch := make([]*coldata.Vec, len(m.types))
	for i, t := range m.types {
		ch[i] = coldata.NewVec(t, 0)
	}
	m.chunks = append(m.chunks, ch)
	m.lastOwned = true
	return ch
}

// Rows is the number of rows so far.
func (m *MemBuilder) Rows() int64 { return m.rows }

// Bytes is what the rows hold.
func (m *MemBuilder) Bytes() int64 { return m.bytes }

// Chunks are the chunks so far (for scanning them before publication).
func (m *MemBuilder) Chunks() [][]*coldata.Vec { return m.chunks }

// Data finishes the snapshot.
func (m *MemBuilder) Data(cols []scan.Column) *MemData {
	return &MemData{Columns: cols, Chunks: m.chunks, Rows: m.rows, Bytes: m.bytes}
}

// resizeKeep grows v to n rows keeping its null mask (Resize drops it).
func resizeKeep(v *coldata.Vec, n int) {
	nulls := v.Nulls
	v.Resize(n)
	if nulls != nil && v.Type.ID != coldata.Unknown {
		v.Nulls = make([]bool, n)
		copy(v.Nulls, nulls)
	}
}

func chunkLen(ch []*coldata.Vec) int {
	if len(ch) == 0 {
		return 0
	}
	return ch[0].Len()
}

// ChunkLen is the number of rows of a chunk.
func ChunkLen(ch []*coldata.Vec) int { return chunkLen(ch) }

// ownStrings clones the strings of v from row `from` on, nested ones too.
func ownStrings(v *coldata.Vec, from int) {
	if v.Type.ID == coldata.String {
		for i := from; i < len(v.Str); i++ {
			v.Str[i] = strings.Clone(v.Str[i])
		}
	}
	for _, c := range v.Child {
		// Children are laid out by offsets; cloning all of them is simple
		// and only nested columns pay it.
		ownStrings(c, 0)
	}
}

// VecsBytes estimates the memory the vectors hold.
func VecsBytes(vs []*coldata.Vec) int64 {
	var b int64
	for _, v := range vs {
		b += int64(cap(v.Nulls)) + int64(cap(v.B)) + 4*int64(cap(v.I32)) + 8*int64(cap(v.I64)) +
			8*int64(cap(v.F64)) + 16*int64(cap(v.I128)) + 4*int64(cap(v.Offsets))
		for _, s := range v.Str {
			b += 16 + int64(len(s))
		}
		b += VecsBytes(v.Child)
	}
	return b
}
