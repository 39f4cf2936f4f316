package kernel

import (
	"fmt"
	"strings"

	"github.com/rivo/uniseg"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// refStrMoreOp is the oracle for strmore.go's functions (no NULL
// arguments): full matrices, maps and rune or cluster slices.
func refStrMoreOp(e *expr.Func, args []coldata.Datum) (coldata.Datum, bool, error) {
	str := func(s string) (coldata.Datum, bool, error) { return coldata.Datum{S: s}, true, nil }
	num := func(v int64) (coldata.Datum, bool, error) { return coldata.Datum{I: v}, true, nil }
	switch e.Op {
	case expr.OpLevenshtein:
		return num(refLevenshtein(args[0].S, args[1].S))
	case expr.OpDamerauLev:
		return num(refDamerau(args[0].S, args[1].S))
	case expr.OpHamming:
		a, b := args[0].S, args[1].S
		if len(a) != len(b) {
			return coldata.Datum{}, true, fmt.Errorf("Invalid Input Error: Mismatch Function: Strings must be of equal length!")
		}
		if a == "" {
			return coldata.Datum{}, true, fmt.Errorf("Invalid Input Error: Mismatch Function: Strings must be of length > 0!")
		}
		d := int64(0)
		for i := range a {
			if a[i] != b[i] {
				d++
			}
		}
		return num(d)
	case expr.OpJaccard:
		a, b := args[0].S, args[1].S
		if a == "" || b == "" {
			return coldata.Datum{}, true, fmt.Errorf("Invalid Input Error: Jaccard Function: An argument too short!")
		}
		sa, sb, all := map[byte]bool{}, map[byte]bool{}, map[byte]bool{}
		for i := range len(a) {
			sa[a[i]], all[a[i]] = true, true
		}
		for i := range len(b) {
			sb[b[i]], all[b[i]] = true, true
		}
		inter := 0
		for c := range sa {
			if sb[c] {
				inter++
			}
		}
		return coldata.Datum{F: float64(inter) / float64(len(all))}, true, nil
	case expr.OpTranslate:
		from, to := []rune(args[1].S), []rune(args[2].S)
		var sb strings.Builder
		for _, r := range args[0].S {
			k := -1
			for j, f := range from {
				if f == r {
					k = j
					break
				}
			}
			switch {
			case k < 0:
				sb.WriteRune(r)
			case k < len(to):
				sb.WriteRune(to[k])
			}
		}
		return str(sb.String())
	case expr.OpUnicode:
		r := []rune(args[0].S)
		if len(r) == 0 {
			return coldata.Datum{I: -1}, true, nil
		}
		return coldata.Datum{I: int64(r[0])}, true, nil
	case expr.OpBitLength:
		return num(int64(8 * len(args[0].S)))
	case expr.OpStrElement, expr.OpStrSlice:
		r := []rune(args[0].S)
		lo, hi := args[1].I, args[1].I
		if e.Op == expr.OpStrSlice {
			hi = args[2].I
		} else if lo == 0 {
			return str("")
		}
		n := int64(len(r))
		if lo < 0 {
			lo += n + 1
		}
		if hi < 0 {
			hi += n + 1
		}
		lo, hi = max(lo, 1), min(hi, n)
		if lo > hi {
			return str("")
		}
		return str(string(r[lo-1 : hi]))
	case expr.OpLengthGrapheme:
		return num(int64(uniseg.GraphemeClusterCount(args[0].S)))
	case expr.OpLeftGrapheme, expr.OpRightGrapheme:
		var cs []string
		g := uniseg.NewGraphemes(args[0].S)
		for g.Next() {
			cs = append(cs, g.Str())
		}
		k, n := args[1].I, int64(len(cs))
		lo, hi := int64(0), n
		switch {
		case e.Op == expr.OpLeftGrapheme && k >= 0:
			hi = min(k, n)
		case e.Op == expr.OpLeftGrapheme:
			hi = max(n+k, 0)
		case k >= 0:
			lo = max(n-k, 0)
		default:
			lo = min(-k, n)
		}
		return str(strings.Join(cs[lo:hi], ""))
	case expr.OpPrintf:
		vals := make([]any, len(args)-1)
		for i, a := range args[1:] {
			switch e.Args[i+1].Type().ID {
			case coldata.Int64:
				vals[i] = a.I
			case coldata.Float64:
				vals[i] = a.F
			default:
				vals[i] = a.S
			}
		}
		return str(fmt.Sprintf(args[0].S, vals...))
	}
	return coldata.Datum{}, false, nil
}

func refLevenshtein(a, b string) int64 {
	d := make([][]int64, len(a)+1)
	for i := range d {
		d[i] = make([]int64, len(b)+1)
		d[i][0] = int64(i)
	}
	for j := range d[0] {
		d[0][j] = int64(j)
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			c := int64(1)
			if a[i-1] == b[j-1] {
				c = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+c)
		}
	}
	return d[len(a)][len(b)]
}

// refDamerau is the true Damerau-Levenshtein distance as the textbook
// states it, with a map for the last row of each byte.
func refDamerau(a, b string) int64 {
	inf := int64(len(a) + len(b))
	d := make([][]int64, len(a)+2)
	for i := range d {
		d[i] = make([]int64, len(b)+2)
	}
	d[0][0] = inf
	for i := 0; i <= len(a); i++ {
		d[i+1][0], d[i+1][1] = inf, int64(i)
	}
	for j := 0; j <= len(b); j++ {
		d[0][j+1], d[1][j+1] = inf, int64(j)
	}
	da := map[byte]int{}
	for i := 1; i <= len(a); i++ {
		db := 0
		for j := 1; j <= len(b); j++ {
			i1, j1 := da[b[j-1]], db
			c := int64(1)
			if a[i-1] == b[j-1] {
				c, db = 0, j
			}
			d[i+1][j+1] = min(d[i][j]+c, d[i+1][j]+1, d[i][j+1]+1, d[i1][j1]+int64(i-i1-1)+1+int64(j-j1-1))
		}
		da[a[i-1]] = i
	}
	return d[len(a)+1][len(b)+1]
}
