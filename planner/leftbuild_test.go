package planner

import (
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// values is a one-column logical VALUES of n rows whose column has id.
func values(id ColID, name string, n int) *Values {
	v := &Values{Out: []ColMeta{{ID: id, Name: name, Type: coldata.TypeInt64}}}
	for i := 0; i < n; i++ {
		v.Rows = append(v.Rows, []coldata.Datum{{I: int64(i)}})
	}
	return v
}

// TestLeftBuildChoice: a SEMI/ANTI/NOT IN join hashes its left side only when
// the right side is estimated more than LeftBuildRatio times larger.
func TestLeftBuildChoice(t *testing.T) {
	for _, tc := range []struct {
		left, right int
		typ         JoinType
		leftBuild   bool
		want        string
	}{
		{10, 100, JoinSemi, true, "HASH_JOIN SEMI on a = b (build: left)"},
		{10, 100, JoinAnti, true, "HASH_JOIN ANTI on a = b (build: left)"},
		{10, 100, JoinAntiNull, true, "HASH_JOIN ANTI (NOT IN) on a = b (build: left)"},
		{10, 100, JoinLeft, true, "HASH_JOIN LEFT on a = b (build: left)"},
		{100, 10, JoinLeft, false, "HASH_JOIN LEFT on a = b (build: right"},
		{10, 20, JoinSemi, false, "HASH_JOIN SEMI on a = b (build: right"},
		{100, 10, JoinAnti, false, "HASH_JOIN ANTI on a = b (build: right"},
		{10, 100, JoinInner, false, "HASH_JOIN INNER on"},
	} {
		a, b := values(1, "a", tc.left), values(2, "b", tc.right)
		eq := &expr.Func{Op: expr.OpEq, Typ: coldata.TypeBool, Args: []expr.Expr{
			&expr.Column{Index: 1, Typ: coldata.TypeInt64, Name: "a"},
			&expr.Column{Index: 2, Typ: coldata.TypeInt64, Name: "b"}}}
		j := &Join{Left: a, Right: b, Type: tc.typ, Cond: eq}
		p, err := Plan(j)
		if err != nil {
			t.Fatal(err)
		}
		plan := Explain(p)
		_, isLeftBuild := p.(*PhysLeftBuildJoin)
		if isLeftBuild != tc.leftBuild || !strings.Contains(plan, tc.want) {
			t.Errorf("%d×%d %s: got\n%s\nwant a line with %q", tc.left, tc.right, tc.typ, plan, tc.want)
			continue
		}
		if m, ok := p.(*PhysLeftBuildJoin); ok {
			if m.Join == nil || m.Join.Probe != m.Left || m.Join.Build != m.Right || m.Out[0].Name != "a" || len(m.Out) != len(m.Join.Out) {
				t.Errorf("%s: left-build join does not keep the ordinary form or the left columns: %+v", tc.typ, m)
			}
		}
	}
}
