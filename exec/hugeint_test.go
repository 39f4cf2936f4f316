package exec

import (
	"math"
	"math/big"
	"math/rand"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

var hi = coldata.TypeHugeint

// hugeRows draws HUGEINT values around and beyond the 64-bit range.
func hugeRows(n int, groups int) []row {
	r := rand.New(rand.NewSource(7))
	out := make([]row, n)
	for i := range out {
		key := new(big.Int).Lsh(big.NewInt(int64(r.Intn(groups))), 70)
		key.Sub(key, big.NewInt(int64(groups)))
		v := new(big.Int).Mul(big.NewInt(r.Int63n(1<<40)-1<<39), big.NewInt(math.MaxInt64))
		var kv, vv any = key.String(), v.String()
		if i%13 == 5 {
			vv = nil
		}
		if i%17 == 3 {
			kv = nil
		}
		out[i] = row{kv, vv, i}
	}
	return out
}

// refHugeAgg groups rows by key and computes SUM, MIN and MAX with big.Int.
func refHugeAgg(rows []row) []row {
	type st struct {
		sum, min, max *big.Int
	}
	groups := map[any]*st{}
	var order []any
	for _, r := range rows {
		g, ok := groups[r[0]]
		if !ok {
			g = &st{}
			groups[r[0]] = g
			order = append(order, r[0])
		}
		if r[1] == nil {
			continue
		}
		v, _ := new(big.Int).SetString(r[1].(string), 10)
		if g.sum == nil {
			g.sum, g.min, g.max = new(big.Int).Set(v), new(big.Int).Set(v), new(big.Int).Set(v)
			continue
		}
		g.sum.Add(g.sum, v)
		if v.Cmp(g.min) < 0 {
			g.min.Set(v)
		}
		if v.Cmp(g.max) > 0 {
			g.max.Set(v)
		}
	}
	var out []row
	for _, k := range order {
		g := groups[k]
		if g.sum == nil {
			out = append(out, row{k, nil, nil, nil})
			continue
		}
		out = append(out, row{k, g.sum.String(), g.min.String(), g.max.String()})
	}
	return out
}

func TestHugeintAggAndSort(t *testing.T) {
	rows := hugeRows(6000, 3000) // enough groups to spill at either batch size
	ts := types(hi, hi, i64)
	aggCase := opCase{
		name: "group by hugeint", types: [][]coldata.Type{ts}, inputs: [][]row{rows},
		expected: refHugeAgg(rows), workers: 2,
		mk: aggOp([]int{0}, agg(AggSum, 1, hi), agg(AggMin, 1, hi), agg(AggMax, 1, hi)),
	}
	runCases(t, []opCase{aggCase})
	runSpilling(t, aggCase, 192<<10, true, func(ins [][]Operator, env memEnv) Operator {
		return withMemory(NewHashAgg(ins[0], []int{0}, []AggSpec{agg(AggSum, 1, hi), agg(AggMin, 1, hi), agg(AggMax, 1, hi)}), env)
	})
	for _, keys := range [][]SortKey{{{Col: 1}, {Col: 2}}, {{Col: 0, Desc: true}, {Col: 2}}} {
		c := sortCase("sort by hugeint", ts, rows, keys)
		runCases(t, []opCase{c})
		runSpilling(t, c, 192<<10, true, func(ins [][]Operator, env memEnv) Operator {
			return withMemory(NewSort(ins[0], keys), env)
		})
	}
}

func TestHugeintSums(t *testing.T) {
	runCases(t, []opCase{{
		// DuckDB's SUM of BIGINT is a HUGEINT: no overflow at 2^63.
		name: "bigint sum into hugeint", types: [][]coldata.Type{types(i64)},
		inputs:   [][]row{{{math.MaxInt64}, {math.MaxInt64}, {1}, {nil}}},
		expected: []row{{"18446744073709551615"}},
		mk:       aggOp(nil, agg(AggSum, 0, hi)),
	}, {
		name: "hugeint sum overflow", types: [][]coldata.Type{types(hi)},
		inputs:  [][]row{{{"170141183460469231731687303715884105727"}, {"1"}}},
		wantErr: "Out of Range Error: Overflow in HUGEINT addition",
		workers: 2,
		mk:      aggOp(nil, agg(AggSum, 0, hi)),
	}, {
		name: "bigint sum overflow", types: [][]coldata.Type{types(i64)},
		inputs:  [][]row{{{math.MaxInt64}, {1}}},
		wantErr: "Out of Range Error: Overflow in SUM",
		mk:      aggOp(nil, agg(AggSum, 0, i64)),
	}})
}
