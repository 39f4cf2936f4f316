package planner

import (
	"fmt"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// PhysAsof is the nearest-match part of an ASOF join: each probe row
// (left) takes, among the build rows (right) equal on the keys, the one
// nearest by ProbeCol Op BuildCol (>=: the largest build value not above
// the probe's, and so on). The join is a PhysHashJoin whose build rows
// are sorted by BuildCol within each key.
type PhysAsof struct {
	Op       expr.Op
	ProbeCol int
	BuildCol int
}

// lowerAsof lowers an ASOF join: its Cond is the inequality alone (the
// equalities are keys by now), whose two sides become key-like columns.
// Without keys every row shares one constant key.
func (o *optimizer) lowerAsof(n *Join, est float64) (Physical, error) {
	f, ok := n.Cond.(*expr.Func)
	if !ok || len(f.Args) != 2 {
		return nil, fmt.Errorf("internal error: ASOF join condition %v", n.Cond)
	}
	probe, err := o.lower(n.Left)
	if err != nil {
		return nil, err
	}
	build, err := o.lower(n.Right)
	if err != nil {
		return nil, err
	}
	lk, rk := n.LeftKeys, n.RightKeys
	cross := len(lk) == 0
	if cross {
		zero := &expr.Const{Val: coldata.Datum{I: 0}, Typ: coldata.TypeInt32}
		lk, rk = []expr.Expr{zero}, []expr.Expr{zero}
	}
	nk := len(lk)
	var pk, bk []int
	if probe, pk, err = keyColumns(probe, append(append([]expr.Expr{}, lk...), f.Args[0])); err != nil {
		return nil, err
	}
	if build, bk, err = keyColumns(build, append(append([]expr.Expr{}, rk...), f.Args[1])); err != nil {
		return nil, err
	}
	j := &PhysHashJoin{Probe: probe, Build: build, ProbeKeys: pk[:nk], BuildKeys: bk[:nk], Type: n.Type, Cross: cross,
		Asof: &PhysAsof{Op: f.Op, ProbeCol: pk[nk], BuildCol: bk[nk]}}
	j.Out = append(append([]ColMeta{}, probe.Base().Out...), build.Base().Out...)
	j.EstRows = est
	j.Mode = o.joinMode(j)
	return j, nil
}
