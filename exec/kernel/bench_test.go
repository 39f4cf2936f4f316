package kernel

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// colors are TPC-H's p_name words; names are five of them, as in dbgen.
var colors = strings.Fields(`almond antique aquamarine azure beige bisque black blanched blue blush brown
burlywood burnished chartreuse chiffon chocolate coral cornflower cornsilk cream cyan dark deep dim
dodger drab firebrick floral forest frosted gainsboro ghost goldenrod green grey honeydew hot indian
ivory khaki lace lavender lawn lemon light lime linen magenta maroon medium metallic midnight mint
misty moccasin navajo navy olive orange orchid pale papaya peach peru pink plum powder puff purple red
rose rosy royal saddle salmon sandy seashell sienna sky slate smoke snow spring steel tan thistle
tomato turquoise violet wheat white yellow`)

// benchBatch fills a batch with TPC-H-like values per type: integers 0..999,
// dates 1992..1998, DECIMAL(15,2) prices in the first decimal column and
// discounts 0.00..0.10 in the second, part names as strings.
func benchBatch(schema []coldata.Type, n int) *coldata.Batch {
	rng := rand.New(rand.NewPCG(3, 4))
	b := coldata.NewBatch(schema, n)
	decimals := 0
	for c, t := range schema {
		v := b.Vecs[c]
		for i := 0; i < n; i++ {
			switch t.ID {
			case coldata.Int64:
				v.I64[i] = rng.Int64N(1000)
			case coldata.Int32:
				v.I32[i] = rng.Int32N(1000)
			case coldata.Date:
				v.I32[i] = 8035 + rng.Int32N(2557)
			case coldata.Decimal:
				if decimals == 0 {
					v.I64[i] = 90000 + rng.Int64N(10_000_000)
				} else {
					v.I64[i] = rng.Int64N(11)
				}
			case coldata.Float64:
				v.F64[i] = rng.Float64() * 1000
			case coldata.String:
				w := make([]string, 5)
				for k := range w {
					w[k] = colors[rng.IntN(len(colors))]
				}
				v.Str[i] = strings.Join(w, " ")
			case coldata.Bool:
				v.B[i] = rng.IntN(2) == 0
			}
		}
		if t.ID == coldata.Decimal {
			decimals++
		}
	}
	return b
}

const benchRows = coldata.DefaultBatchSize

func reportPerRow(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchRows, "ns/row")
}

func benchFilter(b *testing.B, schema []coldata.Type, e expr.Expr, bytesPerRow int, inputSel bool) {
	batch := benchBatch(schema, benchRows)
	f, err := CompileFilter(e, schema)
	if err != nil {
		b.Fatal(err)
	}
	var sel []int32
	if inputSel { // every other row already filtered out upstream
		for i := 0; i < benchRows; i += 2 {
			sel = append(sel, int32(i))
		}
	}
	b.SetBytes(int64(benchRows * bytesPerRow))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		batch.Sel = sel
		if err := f.Select(batch); err != nil {
			b.Fatal(err)
		}
	}
	reportPerRow(b)
}

func benchEval(b *testing.B, schema []coldata.Type, e expr.Expr, bytesPerRow int) {
	batch := benchBatch(schema, benchRows)
	ev, err := Compile(e, schema)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(benchRows * bytesPerRow))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := ev.Eval(batch); err != nil {
			b.Fatal(err)
		}
	}
	reportPerRow(b)
}

func BenchmarkFilterInt64LtConst(b *testing.B) {
	benchFilter(b, types(tI64), bin(expr.OpLt, col(0, tI64), lit(tI64, "500")), 8, false)
}

func BenchmarkFilterInt64LtConstSel(b *testing.B) {
	benchFilter(b, types(tI64), bin(expr.OpLt, col(0, tI64), lit(tI64, "500")), 8, true)
}

func BenchmarkFilterDateLtConst(b *testing.B) {
	benchFilter(b, types(tD), bin(expr.OpLt, col(0, tD), lit(tD, "1995-03-15")), 4, false)
}

func BenchmarkFilterDateBetween(b *testing.B) {
	e := bin(expr.OpAnd, bin(expr.OpGe, col(0, tD), lit(tD, "1994-01-01")), bin(expr.OpLt, col(0, tD), lit(tD, "1995-01-01")))
	benchFilter(b, types(tD), e, 4, false)
}

func BenchmarkFilterLikeGreen(b *testing.B) {
	benchFilter(b, types(tS), like(col(0, tS), "%green%", false), 16, false)
}

func BenchmarkFilterLikeGeneral(b *testing.B) {
	benchFilter(b, types(tS), like(col(0, tS), "%green%l_c%", false), 16, false)
}

func BenchmarkFilterInStrings(b *testing.B) {
	e := inList(col(0, tS), false, "forest green puff snow tan", "a", "b", "c", "d", "e", "f", "g", "h", "i")
	benchFilter(b, types(tS), e, 16, false)
}

func BenchmarkEvalDecimalDiscount(b *testing.B) {
	// l_extendedprice * (1 - l_discount), TPC-H Q1/Q3/Q5/Q10.
	p, d := dec(15, 2), dec(15, 2)
	e := fn(expr.OpMul, dec(31, 4), col(0, p), fn(expr.OpSub, dec(16, 2), lit(d, "1.00"), col(1, d)))
	benchEval(b, types(p, d), e, 16)
}

func BenchmarkEvalDateLeConst(b *testing.B) {
	benchEval(b, types(tD), bin(expr.OpLe, col(0, tD), lit(tD, "1998-09-02")), 4)
}

func BenchmarkEvalExtractYear(b *testing.B) {
	benchEval(b, types(tD), fn(expr.OpExtractYear, tI64, col(0, tD)), 4)
}
