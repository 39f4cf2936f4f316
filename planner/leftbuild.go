package planner

import (
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/planner/expr"
)

// PhysLeftBuildJoin is a SEMI, ANTI, NOT IN or LEFT join that hashes its
// Left input (the rows it filters or preserves) and streams Right (the
// subquery side, the optional side) through it in parallel, setting a match
// bit per left row; the matched (SEMI) or unmatched (ANTI) left rows are
// emitted once the right side is read, and a LEFT join emits its pairs as
// the right side streams, then the unmatched left rows NULL-extended. The
// planner picks it over the ordinary form, which hashes Right, when Left is
// estimated much smaller. Output: the left columns (then the right ones for
// LEFT). Residual is evaluated over [left..., right...] pairs, as in the
// ordinary form.
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

// Children returns Left (the hashed side) then Right; the fallback Join
// shares them, so it is not a child of its own.
func (p *PhysLeftBuildJoin) Children() []Physical { return []Physical{p.Left, p.Right} }

// LeftBuildRatio is how many times larger the estimated right side of a
// SEMI/ANTI/LEFT join must be than its left side for the join to hash the
// left.
const LeftBuildRatio = 2

// leftBuildJoin turns an ordinary SEMI/ANTI/LEFT hash join whose build
// (right) side is estimated more than LeftBuildRatio times larger than its
// probe (left) side into a PhysLeftBuildJoin; other plans pass through.
func (o *optimizer) leftBuildJoin(p Physical, err error) (Physical, error) {
	j, ok := p.(*PhysHashJoin)
	if err != nil || !ok || !(j.Type.LeftOnly() || j.Type == JoinLeft) || j.Cross {
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
	s := fmt.Sprintf("HASH_JOIN %s on %s (build: left)", p.Type, strings.Join(keys, " AND "))
	if p.Residual != nil {
		s += " residual: " + p.Residual.String()
	}
	return s
}
