package scan

import (
	"errors"
	"fmt"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Nested columns (LIST, MAP, STRUCT) are mapped from the Parquet schema tree
// to a tree of nestNodes following the LogicalTypes backward-compatibility
// rules, then read by decoding the repetition and definition levels and the
// values of every leaf of a row group at once (nested_read.go) and
// assembling the vectors top down (Dremel record assembly).

type nodeKind uint8

const (
	nkLeaf nodeKind = iota
	nkStruct
	nkList
	nkMap
)

// nestNode is one node of a nested column's shape.
type nestNode struct {
	name     string
	kind     nodeKind
	typ      coldata.Type
	children []*nestNode // struct: fields; list: [element]; map: [key, value]

	// defLevel is the definition level at which this node's value is not
	// NULL (equal to its parent's when the node is required).
	defLevel uint32
	// For lists and maps: elements are present from definition level
	// repDef, and repRep is the repetition level of a further element.
	repDef, repRep uint32

	// Leaves: the column chunk index, decoding info and maximum levels.
	leaf           int
	li             leafInfo
	maxDef, maxRep uint32
	// first is the index (in the column's leaf list) of the first leaf at
	// or under this node: its levels give the node's slots and nulls.
	first int
}

// nestedCol is a nested top-level column.
type nestedCol struct {
	root   *nestNode
	leaves []*nestNode // in schema order
}

// maxNestLevel bounds the nesting depth; levels are kept in bytes.
const maxNestLevel = 250

type nestBuilder struct {
	els    []elem
	leaf   int // next column chunk index
	leaves []*nestNode
	depth  int
}

// buildNested maps the schema subtree at els[pos] to a nested column and
// returns the position after it. why is non-empty when the column cannot
// be read (an unsupported leaf type, a malformed group).
func buildNested(els []elem, pos, leaf int, ords func(int) bool) (nc *nestedCol, next int, why string, err error) {
	b := &nestBuilder{els: els, leaf: leaf}
	root, next, why, err := b.node(pos, 0, 0, false)
	if err != nil || why != "" {
		return nil, next, why, err
	}
	for _, l := range b.leaves {
		l.li.typeOrder = ords(l.leaf)
	}
	return &nestedCol{root: root, leaves: b.leaves}, next, "", nil
}

// skipFrom returns the position after the subtree at pos.
func (b *nestBuilder) skipFrom(pos int) int {
	end, n, err := skipSubtree(b.els, pos)
	if err != nil {
		return len(b.els)
	}
	b.leaf += n
	return end
}

func isListAnnotated(e *elem) bool {
	return e.logical == ltList || (e.logical == ltNone && e.conv == ctList)
}

func isMapAnnotated(e *elem) bool {
	return e.logical == ltMap || (e.logical == ltNone && (e.conv == ctMap || e.conv == ctMapKeyValue))
}

// node builds the node for els[pos] whose parent is defined at def and
// repeated at rep. asElem says the element is the repeated field of a list
// (so its REPEATED repetition was already accounted for by the caller).
func (b *nestBuilder) node(pos int, def, rep uint32, asElem bool) (*nestNode, int, string, error) {
	if pos >= len(b.els) {
		return nil, pos, "", errors.New("corrupt footer: schema ends inside a group")
	}
	b.depth++
	defer func() { b.depth-- }()
	if b.depth > maxNestLevel || def >= maxNestLevel || rep >= maxNestLevel {
		return nil, pos, fmt.Sprintf("more than %d levels of nesting", maxNestLevel), nil
	}
	e := &b.els[pos]
	if e.rep == repRepeated && !asElem {
		// An unannotated REPEATED field: a required list of required
		// elements (the field itself).
		elem, next, why, err := b.node(pos, def+1, rep+1, true)
		if err != nil || why != "" {
			return nil, next, why, err
		}
		n := &nestNode{name: e.name, kind: nkList, defLevel: def, repDef: def + 1, repRep: rep + 1,
			children: []*nestNode{elem}, first: elem.first}
		n.typ = coldata.ListType(elem.typ)
		return n, next, "", nil
	}
	if !asElem && e.rep == repOptional {
		def++
	}
	isGroup := e.nchild > 0 || !e.hasType
	if !isGroup {
		n := &nestNode{name: e.name, kind: nkLeaf, defLevel: def, leaf: b.leaf, maxDef: def, maxRep: rep,
			first: len(b.leaves)}
		n.li = leafInfo{leaf: b.leaf, phys: e.phys, typeLen: int(e.typeLen), maxDef: def}
		typ, why := mapType(e, &n.li)
		b.leaf++
		if why != "" {
			return nil, pos + 1, "field " + e.name + ": " + why, nil
		}
		n.typ = typ
		b.leaves = append(b.leaves, n)
		return n, pos + 1, "", nil
	}
	if e.nchild <= 0 {
		return nil, pos + 1, "group " + e.name + " without fields", nil
	}
	if e.logical == ltVariant {
		return nil, b.skipFrom(pos), "type VARIANT, not supported", nil
	}
	if isListAnnotated(e) || isMapAnnotated(e) {
		c := pos + 1
		if e.nchild == 1 && c < len(b.els) && b.els[c].rep == repRepeated {
			if isListAnnotated(e) {
				return b.list(e, pos, c, def, rep)
			}
			return b.mapNode(e, pos, c, def, rep)
		}
		// A malformed LIST or MAP (e.g. a non-repeated child): read it as
		// the group it is.
	}
	return b.structNode(e, pos, def, rep)
}

func (b *nestBuilder) structNode(e *elem, pos int, def, rep uint32) (*nestNode, int, string, error) {
	n := &nestNode{name: e.name, kind: nkStruct, defLevel: def, first: len(b.leaves)}
	next := pos + 1
	fields := make([]coldata.Field, 0, e.nchild)
	for i := 0; i < e.nchild; i++ {
		c, nx, why, err := b.node(next, def, rep, false)
		if err != nil || why != "" {
			return nil, nx, why, err
		}
		next = nx
		n.children = append(n.children, c)
		fields = append(fields, coldata.Field{Name: c.name, Type: c.typ})
	}
	n.typ = coldata.StructType(fields)
	return n, next, "", nil
}

// list builds a LIST-annotated group e (at pos) whose repeated child is at c.
func (b *nestBuilder) list(e *elem, pos, c int, def, rep uint32) (*nestNode, int, string, error) {
	r := &b.els[c]
	n := &nestNode{name: e.name, kind: nkList, defLevel: def, repDef: def + 1, repRep: rep + 1}
	var elem *nestNode
	var next int
	var why string
	var err error
	rGroup := r.nchild > 0 || !r.hasType
	switch {
	case !rGroup, r.nchild > 1, r.name == "array", r.name == e.name+"_tuple":
		// Two-level list: the repeated field is the element.
		elem, next, why, err = b.node(c, def+1, rep+1, true)
	default:
		// Three-level list: repeated group list { element }.
		if c+1 >= len(b.els) {
			return nil, c, "", errors.New("corrupt footer: schema ends inside a list")
		}
		elem, next, why, err = b.node(c+1, def+1, rep+1, false)
	}
	if err != nil || why != "" {
		return nil, next, why, err
	}
	n.children = []*nestNode{elem}
	n.first = elem.first
	n.typ = coldata.ListType(elem.typ)
	return n, next, "", nil
}

// mapNode builds a MAP (or MAP_KEY_VALUE) group e whose repeated key_value
// group is at c. A key_value group without a value field reads as a list of
// keys (like arrow-go).
func (b *nestBuilder) mapNode(e *elem, pos, c int, def, rep uint32) (*nestNode, int, string, error) {
	kv := &b.els[c]
	if kv.nchild < 1 || kv.nchild > 2 || kv.hasType && kv.nchild == 0 {
		return b.structNode(e, pos, def, rep)
	}
	key, next, why, err := b.node(c+1, def+1, rep+1, false)
	if err != nil || why != "" {
		return nil, next, why, err
	}
	if kv.nchild == 1 {
		n := &nestNode{name: e.name, kind: nkList, defLevel: def, repDef: def + 1, repRep: rep + 1,
			children: []*nestNode{key}, first: key.first}
		n.typ = coldata.ListType(key.typ)
		return n, next, "", nil
	}
	val, next, why, err := b.node(next, def+1, rep+1, false)
	if err != nil || why != "" {
		return nil, next, why, err
	}
	n := &nestNode{name: e.name, kind: nkMap, defLevel: def, repDef: def + 1, repRep: rep + 1,
		children: []*nestNode{key, val}, first: key.first}
	n.typ = coldata.MapType(key.typ, val.typ)
	return n, next, "", nil
}

func (n *nestNode) String() string { return fmt.Sprintf("%s %s", n.name, n.typ) }
