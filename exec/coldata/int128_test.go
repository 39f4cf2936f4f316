package coldata

import (
	"math"
	"math/big"
	"math/rand"
	"testing"
)

var (
	big127  = new(big.Int).Lsh(big.NewInt(1), 127)
	bigMax  = new(big.Int).Sub(big127, big.NewInt(1))
	bigMin  = new(big.Int).Neg(big127)
	bigMask = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
)

func fits(b *big.Int) bool { return b.Cmp(bigMin) >= 0 && b.Cmp(bigMax) <= 0 }

// randInt128 draws values of every magnitude, with the edges often.
func randInt128(r *rand.Rand) Int128 {
	switch r.Intn(8) {
	case 0:
		return []Int128{MinInt128, MaxInt128, {}, Int128From(-1), Int128From(1), Int128From(math.MinInt64),
			Int128From(math.MaxInt64), {Lo: 0, Hi: 1}}[r.Intn(8)]
	case 1, 2:
		return Int128From(r.Int63n(2000) - 1000)
	case 3:
		return Int128From(int64(r.Uint64()))
	}
	x := Int128{Lo: r.Uint64(), Hi: int64(r.Uint64())}
	return Int128{Lo: x.Lo, Hi: x.Hi >> r.Intn(64)}
}

func TestInt128AgainstBig(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 200_000; i++ {
		x, y := randInt128(r), randInt128(r)
		bx, by := x.BigInt(), y.BigInt()
		if s := x.String(); s != bx.String() {
			t.Fatalf("String(%v) = %s, want %s", x, s, bx)
		}
		if p, ok := ParseInt128(bx.String()); !ok || p != x {
			t.Fatalf("Parse(%s) = %v %v", bx, p, ok)
		}
		check := func(op string, got Int128, ovf bool, want *big.Int) {
			t.Helper()
			if fits(want) == ovf || !ovf && got.BigInt().Cmp(want) != 0 {
				t.Fatalf("%s %s %s = %s (overflow %v), want %s", bx, op, by, got, ovf, want)
			}
		}
		s, o := x.Add(y)
		check("+", s, o, new(big.Int).Add(bx, by))
		s, o = x.Sub(y)
		check("-", s, o, new(big.Int).Sub(bx, by))
		s, o = x.Mul(y)
		check("*", s, o, new(big.Int).Mul(bx, by))
		n, o := x.Neg()
		check("neg", n, o, new(big.Int).Neg(bx))
		if y.Sign() != 0 {
			q, rem, o := x.QuoRem(y)
			bq, br := new(big.Int).QuoRem(bx, by, new(big.Int))
			check("/", q, o, bq)
			check("%", rem, false, br)
		}
		if c := x.Cmp(y); c != bx.Cmp(by) || x.Less(y) != (c < 0) {
			t.Fatalf("Cmp(%s, %s) = %d", bx, by, c)
		}
		f, _ := new(big.Float).SetInt(bx).Float64()
		if g := x.Float64(); math.Abs(g-f) > math.Abs(f)*1e-15 {
			t.Fatalf("Float64(%s) = %g, want %g", bx, g, f)
		}
	}
}

func TestInt128Floats(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
		ok   bool
	}{
		{1.9, "1", true}, {-1.9, "-1", true}, {1e20, "100000000000000000000", true},
		{-0x1p127, "-170141183460469231731687303715884105728", true},
		{0x1p127, "", false}, {math.NaN(), "", false}, {math.Inf(-1), "", false},
	} {
		v, ok := Int128FromFloat64(c.f)
		if ok != c.ok || ok && v.String() != c.want {
			t.Errorf("%g: %s %v", c.f, v, ok)
		}
	}
}

func TestParseIntegerLiteral(t *testing.T) {
	// DuckDB 1.5.5's typeof() for each literal (duckq).
	for _, c := range []struct{ lit, typ, val string }{
		{"2147483647", "INTEGER", "2147483647"},
		{"2147483648", "BIGINT", "2147483648"},
		{"-2147483648", "BIGINT", "-2147483648"},
		{"9223372036854775807", "BIGINT", "9223372036854775807"},
		{"-9223372036854775808", "BIGINT", "-9223372036854775808"},
		{"9223372036854775808", "HUGEINT", "9223372036854775808"},
		{"18446744073709551616", "HUGEINT", "18446744073709551616"},
		{"170141183460469231731687303715884105727", "HUGEINT", "170141183460469231731687303715884105727"},
		{"-170141183460469231731687303715884105728", "HUGEINT", "-170141183460469231731687303715884105728"},
		{"1_000", "INTEGER", "1000"},
		{"10000000000000000000000000000000000000000", "DOUBLE", "1e+40"},
	} {
		typ, d, err := ParseIntegerLiteral(c.lit)
		if err != nil || typ.String() != c.typ || Format(typ, d) != c.val {
			t.Errorf("%s: %s %s %v, want %s %s", c.lit, typ, Format(typ, d), err, c.typ, c.val)
		}
	}
	for _, bad := range []string{"", "-", "1.5", "abc", "--1", "1e5"} {
		if _, _, err := ParseIntegerLiteral(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
	// The wrong answers, at the value level.
	_, a, _ := ParseIntegerLiteral("18446744073709551615")
	_, b, _ := ParseIntegerLiteral("18446744073709551616")
	if Compare(TypeHugeint, a, b) == 0 {
		t.Error("18446744073709551615 = 18446744073709551616")
	}
	_, x, _ := ParseIntegerLiteral("12345678901234567890123")
	_, y, _ := ParseIntegerLiteral("12345678901234567890122")
	if d, o := x.Int128().Sub(y.Int128()); o || d != Int128From(1) {
		t.Errorf("difference %s", d)
	}
}

func TestCommonNumericAndSumType(t *testing.T) {
	// DuckDB 1.5.5's typeof() of a + b and of sum(a) (duckq); for decimals
	// a + b has one more digit than the common type.
	d := DecimalType
	for _, c := range []struct {
		a, b Type
		want string
	}{
		{TypeHugeint, d(10, 2), "DECIMAL(38,2)"},
		{TypeInt64, d(10, 2), "DECIMAL(21,2)"},
		{TypeInt32, d(10, 2), "DECIMAL(12,2)"},
		{TypeHugeint, d(38, 2), "DECIMAL(38,2)"},
		{TypeInt32, TypeInt64, "BIGINT"},
		{TypeHugeint, TypeInt32, "HUGEINT"},
		{TypeHugeint, TypeFloat64, "DOUBLE"},
	} {
		got, ok := CommonNumeric(c.a, c.b)
		if !ok || got.String() != c.want {
			t.Errorf("%s, %s: %s, want %s", c.a, c.b, got, c.want)
		}
	}
	for arg, want := range map[Type]string{TypeInt32: "HUGEINT", TypeInt64: "HUGEINT", TypeHugeint: "HUGEINT",
		d(10, 2): "DECIMAL(38,2)", TypeFloat64: "DOUBLE"} {
		if got := SumType(arg).String(); got != want {
			t.Errorf("sum(%s): %s, want %s", arg, got, want)
		}
	}
}
