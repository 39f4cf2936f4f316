package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Column describes one top-level column of a file.
type Column struct {
	Name     string
	Type     coldata.Type
	Nullable bool
	// Unsupported is non-empty when the column cannot be read, and says why
	// (e.g. "nested type LIST, not supported yet"). Its Type is then Unknown.
	Unsupported string
}

// File is an open Parquet file: its parsed footer and a handle for reading
// column chunks. It is safe for concurrent use: readers only use ReadAt.
type File struct {
	path   string
	r      io.ReaderAt
	closer io.Closer
	size   int64
	// dataEnd is where the footer starts; no column chunk may extend past it.
	dataEnd int64

	md     *metadata.FileMetaData
	cols   []Column
	leaves []leafInfo   // per top-level column
	nested []*nestedCol // per top-level column: nil unless nested and readable
	// fieldWant[col] selects the leaves of a nested column to read (see
	// WithFields); nil reads them all.
	fieldWant map[int][]bool
	nLeaf     int // leaf columns in the file, including nested ones
	// padChunks works around PARQUET-816: parquet-mr up to 1.2.8 left the
	// dictionary page header out of total_compressed_size.
	padChunks bool
	// remote is set when every read is a network round trip (see
	// RangeReader); index then caches the file's page indexes.
	remote bool
	index  *indexRegion
}

// leafInfo is what decoding needs to know about a supported column.
type leafInfo struct {
	leaf     int   // index of the column chunk within a row group
	phys     int32 // Parquet physical type
	typeLen  int
	maxDef   uint32
	dk       decodeKind
	unsigned bool // unsigned sort order for statistics
	strLike  bool // BYTE_ARRAY/FLBA compared bytewise: stats may be truncated
	// typeOrder is set when the footer declares TYPE_ORDER for the column,
	// which is what makes min_value/max_value trustworthy for every type.
	typeOrder bool
}

// Parquet physical types.
const (
	physBoolean   = 0
	physInt32     = 1
	physInt64     = 2
	physInt96     = 3
	physFloat     = 4
	physDouble    = 5
	physByteArray = 6
	physFLBA      = 7
)

// Converted types used in the mapping.
const (
	ctUTF8            = 0
	ctMap             = 1
	ctMapKeyValue     = 2
	ctList            = 3
	ctEnum            = 4
	ctDecimal         = 5
	ctDate            = 6
	ctTimeMillis      = 7
	ctTimeMicros      = 8
	ctTimestampMillis = 9
	ctTimestampMicros = 10
	ctUint8           = 11
	ctUint16          = 12
	ctUint32          = 13
	ctUint64          = 14
	ctInterval        = 21
)

const (
	repRequired = 0
	repOptional = 1
	repRepeated = 2
)

var magic = []byte("PAR1")

// maxFooterSize bounds the footer allocation; real footers of even very
// wide files are a few MiB.
const maxFooterSize = 256 << 20

// Open opens a Parquet file and reads its footer.
func Open(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("IO Error: Cannot open file %q: %s", path, osMessage(err))
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, readError(path, err)
	}
	f, err := NewFile(fh, st.Size(), path)
	if err != nil {
		fh.Close()
		return nil, err
	}
	f.closer = fh
	return f, nil
}

// NewFile reads the footer of a Parquet file of the given size available
// through r (a local file, an object-store range reader, a byte slice).
// name is used in error messages and returned by Path.
func NewFile(r io.ReaderAt, size int64, name string) (*File, error) {
	return NewFileContext(context.Background(), r, size, name)
}

// NewFileContext is NewFile with a context for the footer reads. Over a
// RangeReader that makes round trips the footer takes one ranged read of
// the file's tail (two when it is larger than a first guess).
func NewFileContext(ctx context.Context, r io.ReaderAt, size int64, name string) (f *File, err error) {
	// DuckDB's messages where it has one for the same problem.
	if size < 12 {
		return nil, fmt.Errorf("Invalid Input Error: File '%s' too small to be a Parquet file", name)
	}
	var holder *tailHolder
	if rr, ok := r.(RangeReader); ok && rr.RoundTrips() {
		holder = &tailHolder{RangeReader: rr}
	}
	var buf []byte
	var flen int64
	if holder != nil {
		buf, flen, err = readTail(ctx, holder, size, name)
		r = holder.wrapTail()
	} else {
		buf, flen, err = readTail(ctx, r, size, name)
	}
	if err != nil {
		return nil, err
	}
	md, err := parseFooter(buf)
	if err != nil {
		fixed, elems := neutralizeUnknownLogicalTypes(buf)
		if fixed == nil {
			return nil, fmt.Errorf("Invalid Input Error: %s: corrupt footer: %w", name, err)
		}
		if md, err = parseFooter(fixed); err != nil {
			return nil, fmt.Errorf("Invalid Input Error: %s: corrupt footer: %w", name, err)
		}
		for _, i := range elems {
			if i < len(md.FileMetaData.Schema) && md.FileMetaData.Schema[i] != nil {
				md.FileMetaData.Schema[i].LogicalType = nil
			}
		}
	}
	// A plaintext footer still announces encryption (signed footer mode):
	// the column chunks are ciphertext that would only decode to garbage.
	if md.IsSetEncryptionAlgorithm() {
		return nil, fmt.Errorf("Not implemented Error: %s: encrypted Parquet is not supported", name)
	}
	f = &File{path: name, r: r, size: size, dataEnd: size - 8 - flen, md: md, remote: roundTrips(r), index: &indexRegion{}}
	f.padChunks = md.WriterVersion().LessThan(metadata.Parquet816FixedVersion)
	if err := f.initSchema(); err != nil {
		return nil, fmt.Errorf("Invalid Input Error: %s: %w", name, err)
	}
	if err := f.checkRowGroups(); err != nil {
		return nil, fmt.Errorf("Invalid Input Error: %s: %w", name, err)
	}
	return f, nil
}

// parseFooter runs arrow-go's Thrift footer decoder, which is generated code
// we do not control: a panic on hostile input becomes an error.
func parseFooter(buf []byte) (md *metadata.FileMetaData, err error) {
	defer func() {
		if p := recover(); p != nil {
			md, err = nil, fmt.Errorf("footer decoder failed: %v", p)
		}
	}()
	return metadata.NewFileMetaData(buf, nil)
}

// Metadata is the parsed footer (arrow-go's view of it), for callers that
// list row groups and column chunks (parquet_metadata).
func (f *File) Metadata() *metadata.FileMetaData { return f.md }

// ReadRange reads n bytes at off of the file.
func (f *File) ReadRange(ctx context.Context, off int64, n int) ([]byte, error) {
	if off < 0 || n < 0 || off+int64(n) > f.size {
		return nil, fmt.Errorf("%s: range [%d, %d) outside the file (%d bytes)", f.path, off, off+int64(n), f.size)
	}
	b := make([]byte, n)
	if err := readAt(ctx, f.r, b, off); err != nil {
		return nil, fmt.Errorf("%s: %w", f.path, err)
	}
	return b, nil
}

// Path returns the name the file was opened with.
func (f *File) Path() string { return f.path }

// Close closes the underlying file when Open opened it.
func (f *File) Close() error {
	if f.closer == nil {
		return nil
	}
	c := f.closer
	f.closer = nil
	return c.Close()
}

// NumRows is the total number of rows in the file.
func (f *File) NumRows() int64 { return f.md.NumRows }

// Columns lists the top-level columns in file order. The slice is shared:
// callers must not modify it.
func (f *File) Columns() []Column { return f.cols }

// NumRowGroups is the number of row groups.
func (f *File) NumRowGroups() int { return len(f.md.RowGroups) }

// RowGroupNumRows is the number of rows in row group rg.
func (f *File) RowGroupNumRows(rg int) int64 {
	if rg < 0 || rg >= len(f.md.RowGroups) {
		return 0
	}
	return f.md.RowGroups[rg].NumRows
}

// initSchema maps the flattened schema tree to top-level columns. The raw
// SchemaElements (reached through the embedded Thrift struct) are used
// rather than arrow-go's schema package so that the converted-type and
// logical-type rules below are ours and explicit.
func (f *File) initSchema() error {
	els := schemaElems(f.md)
	if len(els) == 0 {
		return errors.New("corrupt footer: empty schema")
	}
	nroot := els[0].nchild
	if nroot < 0 || nroot > len(els)-1 {
		return fmt.Errorf("corrupt footer: root has %d children", nroot)
	}
	pos := 1
	leaf := 0
	for i := 0; i < nroot; i++ {
		if pos >= len(els) {
			return errors.New("corrupt footer: schema ends early")
		}
		se := &els[pos]
		col := Column{Name: se.name}
		rep := se.rep
		col.Nullable = rep != repRequired
		if se.nchild > 0 || !se.hasType || rep == repRepeated {
			// A nested column: a group, or a repeated primitive (a list).
			end, nleaves, err := skipSubtree(els, pos)
			if err != nil {
				return err
			}
			nc, next, why, err := buildNested(els, pos, leaf, f.typeOrder)
			switch {
			case err != nil:
				return err
			case why != "":
				col.Unsupported = "nested type " + groupKind(se) + " with " + why
			case next != end || len(nc.leaves) != nleaves:
				return errors.New("corrupt footer: inconsistent nested schema")
			default:
				col.Type = nc.root.typ
				col.Nullable = nc.root.kind != nkList || nc.root.defLevel > 0
			}
			f.cols = append(f.cols, col)
			f.leaves = append(f.leaves, leafInfo{leaf: -1})
			f.nested = append(f.nested, nc)
			pos = end
			leaf += nleaves
			continue
		}
		li := leafInfo{leaf: leaf, phys: se.phys, typeLen: int(se.typeLen)}
		if rep == repOptional {
			li.maxDef = 1
		}
		if typ, why := mapType(se, &li); why != "" {
			col.Unsupported = why
		} else {
			col.Type = typ
		}
		if col.Unsupported != "" {
			li.leaf = -1
		}
		if ords := f.md.ColumnOrders; leaf < len(ords) && ords[leaf] != nil && ords[leaf].TYPE_ORDER != nil {
			li.typeOrder = true
		}
		f.cols = append(f.cols, col)
		f.leaves = append(f.leaves, li)
		f.nested = append(f.nested, nil)
		pos++
		leaf++
	}
	f.nLeaf = leaf
	return nil
}

func (f *File) typeOrder(leaf int) bool {
	ords := f.md.ColumnOrders
	return leaf < len(ords) && ords[leaf] != nil && ords[leaf].TYPE_ORDER != nil
}

// skipSubtree returns the index after the subtree rooted at els[pos] and
// the number of leaves in it.
func skipSubtree(els []elem, pos int) (int, int, error) {
	pending := 1 // nodes still to visit
	leaves := 0
	for pending > 0 {
		if pos >= len(els) {
			return 0, 0, errors.New("corrupt footer: schema ends inside a group")
		}
		pending--
		n := els[pos].nchild
		if n < 0 || n > len(els) {
			return 0, 0, errors.New("corrupt footer: bad child count")
		}
		if n == 0 && els[pos].hasType {
			leaves++
		}
		pending += n
		pos++
	}
	return pos, leaves, nil
}

func groupKind(se *elem) string {
	switch se.logical {
	case ltList:
		return "LIST"
	case ltMap:
		return "MAP"
	case ltVariant:
		return "VARIANT"
	}
	switch se.conv {
	case ctList:
		return "LIST"
	case ctMap, ctMapKeyValue:
		return "MAP"
	}
	return "STRUCT"
}

// checkRowGroups validates what the readers will rely on so that a corrupt
// footer fails at Open rather than deep in a scan.
func (f *File) checkRowGroups() error {
	for i, rg := range f.md.RowGroups {
		if rg == nil {
			return fmt.Errorf("corrupt footer: row group %d missing", i)
		}
		if rg.NumRows < 0 {
			return fmt.Errorf("corrupt footer: row group %d has %d rows", i, rg.NumRows)
		}
		if len(rg.Columns) != f.nLeaf {
			return fmt.Errorf("corrupt footer: row group %d has %d column chunks, schema has %d leaf columns", i, len(rg.Columns), f.nLeaf)
		}
		for j, li := range f.leaves {
			if nc := f.nested[j]; nc != nil {
				for _, l := range nc.leaves {
					cc := rg.Columns[l.leaf]
					if cc == nil || cc.MetaData == nil {
						return fmt.Errorf("corrupt footer: column %s has no metadata in row group %d", f.cols[j].Name, i)
					}
					if cc.CryptoMetadata != nil || cc.EncryptedColumnMetadata != nil {
						return fmt.Errorf("column %s is encrypted: encrypted Parquet is not supported", f.cols[j].Name)
					}
					if int32(cc.MetaData.Type) != l.li.phys {
						return fmt.Errorf("corrupt footer: column %s has physical type %d in row group %d, schema says %d", f.cols[j].Name, cc.MetaData.Type, i, l.li.phys)
					}
				}
			}
			if li.leaf < 0 {
				continue
			}
			cc := rg.Columns[li.leaf]
			if cc == nil || cc.MetaData == nil {
				return fmt.Errorf("corrupt footer: column %s has no metadata in row group %d", f.cols[j].Name, i)
			}
			if cc.CryptoMetadata != nil || cc.EncryptedColumnMetadata != nil {
				return fmt.Errorf("column %s is encrypted: encrypted Parquet is not supported", f.cols[j].Name)
			}
			if int32(cc.MetaData.Type) != li.phys {
				return fmt.Errorf("corrupt footer: column %s has physical type %d in row group %d, schema says %d", f.cols[j].Name, cc.MetaData.Type, i, li.phys)
			}
		}
	}
	return nil
}

// readError reports a failed read of a file without Go's "read PATH:" text.
// A cancellation stays what it is.
func readError(name string, err error) error {
	if isCancel(err) {
		return err
	}
	return fmt.Errorf("IO Error: Could not read file %q: %s", name, osMessage(err))
}

// osMessage is the operating system's part of a file error.
func osMessage(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "the file is shorter than its metadata says"
	}
	s := strings.TrimPrefix(err.Error(), "IO Error: ") // an object store's error
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
