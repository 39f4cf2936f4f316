package planner

import (
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/planner/expr"
)

// PhysLeftBuildJoin is a SEMI, ANTI or NOT IN join that hashes its Left input
// (the rows it filters) and streams Right (the subquery side) through it in
// parallel, setting a match bit per left row; the matched (SEMI) or
// unmatched (ANTI) left rows are emitted once the right side is read. The planner
// picks it over the ordinary form, which hashes Right, when Left is
// estimated much smaller. Output: the left columns. Residual is evaluated
// over [left..., right...] pairs, as in the ordinary form.
type PhysLeftBuildJoin struct {
	PhysBase
	Left, Right         Physical
	LeftKeys, RightKeys []int
	Type                JoinType
	Residual            expr.Expr
	// Join is the same join in the ordinary form (same children), which the
	// executor runs instead when the left side may not fit in memory (a
	// choice it keeps in its own state; EXPLAIN ANALYZE says so).
	Join *PhysHashJoin
}

func (p *PhysLeftBuildJoin) Children() []Physical { return []Physical{p.Left, p.Right} }

// LeftBuildRatio is how many times larger the estimated right side of a
// SEMI/ANTI join must be than its left side for the join to hash the left.
const LeftBuildRatio = 2

// leftBuildJoin turns an ordinary SEMI/ANTI hash join whose build (right) side is
// estimated more than LeftBuildRatio times larger than its probe (left) side
// into a PhysLeftBuildJoin; other plans pass through.
func (o *optimizer) leftBuildJoin(p Physical, err error) (Physical, error) {
	j, ok := p.(*PhysHashJoin)
	if err != nil || !ok || !j.Type.LeftOnly() || j.Cross {
		return p, err
	}
	left, right := j.Probe.Base().EstRows, j.Build.Base().EstRows
	if !(left*LeftBuildRatio < right) {
		return p, nil
	}
	return &PhysLeftBuildJoin{PhysBase: j.PhysBase, Left: j.Probe, Right: j.Build, LeftKeys: j.ProbeKeys,
		RightKeys: j.BuildKeys, Type: j.Type, Residual: j.Residual, Join: j}, nil
}

// describe is the EXPLAIN line of a left-build join.
func (p *PhysLeftBuildJoin) describe() string {
	keys := make([]string, len(p.LeftKeys))
	lc, rc := p.Left.Base().Out, p.Right.Base().Out
	for i := range p.LeftKeys {
		keys[i] = lc[p.LeftKeys[i]].Name + " = " + rc[p.RightKeys[i]].Name
	}
	typ := map[JoinType]string{JoinSemi: "RIGHT_SEMI", JoinAnti: "RIGHT_ANTI", JoinAntiNull: "RIGHT_ANTI (NOT IN)"}[p.Type]
	s := fmt.Sprintf("HASH_JOIN %s on %s (build: left)", typ, strings.Join(keys, " AND "))
	if p.Residual != nil {
		s += " residual: " + p.Residual.String()
	}
	return s
}
