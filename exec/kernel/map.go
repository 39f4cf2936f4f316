package kernel

import (
	"errors"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// Map constructors and views. A MAP vector is a list's offsets over two
// children (keys, values), so map_entries and map_from_entries are
// zero-copy views; map(keys, values) gathers both lists into the keys'
// layout and checks DuckDB's rules: equal lengths, no NULL key, no key
// twice in one map.

func (c *compiler) compileMap(e *expr.Func) (node, error) {
	args, err := c.compileArgs(e.Args)
	if err != nil {
		return nil, err
	}
	switch e.Op {
	case expr.OpMapFromLists:
		if len(args) != 2 || args[0].typ().ID != coldata.List || args[1].typ().ID != coldata.List || e.Typ.ID != coldata.Map {
			return nil, errorf("map takes (LIST, LIST) to a MAP, got %d arguments", len(args))
		}
		return &mapBuildNode{keys: args[0], vals: args[1], t: e.Typ}, nil
	case expr.OpMapEntries:
		if len(args) != 1 || args[0].typ().ID != coldata.Map {
			return nil, errorf("map_entries takes a MAP")
		}
		return &mapViewNode{arg: args[0], t: e.Typ}, nil
	case expr.OpMapFromEntries:
		if len(args) != 1 || args[0].typ().ID != coldata.List || args[0].typ().Nest.Elem.ID != coldata.Struct ||
			len(args[0].typ().Nest.Elem.Nest.Fields) != 2 {
			return nil, errorf("map_from_entries takes a list of two-field STRUCTs")
		}
		return &mapViewNode{arg: args[0], t: e.Typ, check: true}, nil
	}
	return nil, errorf("unsupported operator %s", e.Op)
}

var (
	errMapAlign  = errors.New("Invalid Input Error: The map key list does not align with the map value list.")
	errMapNull   = errors.New("Invalid Input Error: Map keys can not be NULL.")
	errMapUnique = errors.New("Invalid Input Error: Map keys must be unique.")
)

// mapBuildNode is map(keys, values) and MAP {k: v, ...}.
type mapBuildNode struct {
	keys, vals node
	t          coldata.Type
	ko, vo     listOut
	out        coldata.Vec
}

func (n *mapBuildNode) typ() coldata.Type { return n.t }

func (n *mapBuildNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	k, err := n.keys.eval(b, sel)
	if err != nil {
		return nil, err
	}
	v, err := n.vals.eval(b, sel)
	if err != nil {
		return nil, err
	}
	n.ko.reset(b.N)
	n.vo.reset(b.N)
	var bad error
	each(sel, b.N, func(i int) {
		if bad != nil {
			return
		}
		if k.IsNull(i) || v.IsNull(i) {
			n.ko.null(i)
			n.vo.null(i)
			return
		}
		klo, khi := k.Offsets[i], k.Offsets[i+1]
		vlo, vhi := v.Offsets[i], v.Offsets[i+1]
		if khi-klo != vhi-vlo {
			bad = errMapAlign
			return
		}
		if bad = checkMapKeys(k.Child[0], klo, khi); bad != nil {
			return
		}
		n.ko.start(i)
		n.ko.add(klo, khi)
		n.ko.end(i)
		n.vo.start(i)
		n.vo.add(vlo, vhi)
		n.vo.end(i)
	})
	if bad != nil {
		return nil, bad
	}
	kl := n.ko.finish(coldata.ListType(n.t.Nest.Key), k.Child[0], b.N)
	vl := n.vo.finish(coldata.ListType(n.t.Nest.Value), v.Child[0], b.N)
	n.out = coldata.Vec{Type: n.t, Nulls: kl.Nulls, Offsets: kl.Offsets, Child: []*coldata.Vec{kl.Child[0], vl.Child[0]}}
	return &n.out, nil
}

// checkMapKeys refuses a NULL or repeated key among keys[lo:hi]. Maps
// are small: pairwise comparison beats hashing them.
func checkMapKeys(keys *coldata.Vec, lo, hi int32) error {
	for a := lo; a < hi; a++ {
		if keys.IsNull(int(a)) {
			return errMapNull
		}
		ka := keys.Get(int(a))
		for c := lo; c < a; c++ {
			if coldata.Compare(keys.Type, ka, keys.Get(int(c))) == 0 {
				return errMapUnique
			}
		}
	}
	return nil
}

// mapViewNode is map_entries (a map seen as a list of STRUCT(key, value))
// and map_from_entries (the reverse, checking the keys).
type mapViewNode struct {
	arg    node
	t      coldata.Type
	check  bool
	st     coldata.Vec
	out    coldata.Vec
}

func (n *mapViewNode) typ() coldata.Type { return n.t }

func (n *mapViewNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	v, err := n.arg.eval(b, sel)
	if err != nil {
		return nil, err
	}
	if !n.check {
		n.st = coldata.Vec{Type: n.t.Nest.Elem, Child: v.Child}
		n.out = coldata.Vec{Type: n.t, Nulls: v.Nulls, Offsets: v.Offsets, Child: []*coldata.Vec{&n.st}}
		return &n.out, nil
	}
	entries := v.Child[0]
	var bad error
	each(sel, b.N, func(i int) {
		if bad == nil && !v.IsNull(i) {
			for e := v.Offsets[i]; e < v.Offsets[i+1]; e++ {
				if entries.IsNull(int(e)) {
					bad = errors.New("Invalid Input Error: Map entries can not be NULL.")
					return
				}
			}
			bad = checkMapKeys(entries.Child[0], v.Offsets[i], v.Offsets[i+1])
		}
	})
	if bad != nil {
		return nil, bad
	}
	n.out = coldata.Vec{Type: n.t, Nulls: v.Nulls, Offsets: v.Offsets, Child: entries.Child}
	return &n.out, nil
}
