package kernel

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

func TestCast(t *testing.T) {
	one := func(from, to coldata.Type, in []string, want ...string) tcase {
		ts := types(from)
		rows := make([]string, len(in))
		copy(rows, in)
		return tcase{name: from.String() + "->" + to.String(), types: ts, rows: rowsOf(ts, rows...), e: castTo(col(0, from), to), want: want}
	}
	fails := func(from, to coldata.Type, in, msg string) tcase {
		ts := types(from)
		return tcase{name: from.String() + "->" + to.String() + " fails", types: ts, rows: rowsOf(ts, in), e: castTo(col(0, from), to), err: msg}
	}
	runCases(t, []tcase{
		one(tI64, tI32, strs("1", "-2147483648", "NULL"), "1", "-2147483648", "NULL"),
		fails(tI64, tI32, "3000000000", "Type INT64 with value 3000000000 can't be cast because the value is out of range for the destination type INT32"),
		one(tI32, tI64, strs("-7", "NULL"), "-7", "NULL"),
		one(tI32, tF, strs("-7"), "-7.0"),
		one(tI64, tB, strs("0", "5", "-1"), "false", "true", "true"),
		one(tB, tI32, strs("true", "false"), "1", "0"),
		one(tB, tI64, strs("true"), "1"),
		one(tB, tF, strs("true"), "1.0"),
		one(tB, dec(5, 2), strs("true", "false"), "1.00", "0.00"),
		fails(tB, dec(2, 2), "true", "Could not cast value true to DECIMAL(2,2)"),
		one(tB, tS, strs("true", "false", "NULL"), "true", "false", "NULL"),
		one(tF, tI32, strs("2.5", "3.5", "-2.5", "-0.4", "2147483647.4"), "2", "4", "-2", "0", "2147483647"),
		fails(tF, tI32, "2147483647.5", "can't be cast because the value is out of range for the destination type INT32"),
		fails(tF, tI64, "NaN", "out of range for the destination type INT64"),
		fails(tF, tI64, "1e19", "out of range"),
		one(tF, tI64, strs("-9.2e18"), "-9200000000000000000"),
		one(tF, tB, strs("0", "0.5", "NaN"), "false", "true", "true"),
		one(tF, dec(10, 2), strs("1.005", "-1.005", "0.125", "12345678.994", "-0.001"), "1.01", "-1.01", "0.13", "12345678.99", "0.00"),
		fails(tF, dec(4, 2), "100", "Conversion Error: Could not cast value 100.000000 to DECIMAL(4,2)"),
		fails(tF, dec(4, 2), "Inf", "Could not cast value inf"),
		one(tI32, dec(4, 2), strs("99", "-99", "0"), "99.00", "-99.00", "0.00"),
		fails(tI32, dec(4, 2), "100", "Could not cast value 100 to DECIMAL(4,2)"),
		one(tI64, dec(38, 0), strs("999999999999999999"), "999999999999999999"),
		fails(tI64, dec(38, 0), "1000000000000000000", "Could not cast value"),
		one(dec(10, 2), tI32, strs("2.50", "-2.50", "2.49", "-0.50"), "3", "-3", "2", "-1"),
		one(dec(18, 2), tI64, strs("9999999999999999.99"), "10000000000000000"),
		fails(dec(18, 2), tI32, "2147483647.50", "Conversion Error: Failed to cast decimal value 2147483648 to type INT32"),
		one(dec(10, 2), tF, strs("1.25", "-0.01", "0.00"), "1.25", "-0.01", "0.0"),
		one(dec(10, 2), tB, strs("0.00", "0.01"), "false", "true"),
		one(dec(10, 2), dec(10, 1), strs("1.25", "-1.25", "1.24", "-0.05"), "1.3", "-1.3", "1.2", "-0.1"),
		one(dec(10, 2), dec(12, 4), strs("1.25", "-99999999.99"), "1.2500", "-99999999.9900"),
		fails(dec(18, 0), dec(18, 2), "100000000000000000", `Conversion Error: Casting value "100000000000000000" to type DECIMAL(18,2) failed: value is out of range!`),
		fails(dec(10, 2), dec(3, 1), "100.00", `Conversion Error: Casting value "100.00" to type DECIMAL(3,1) failed: value is out of range!`),
		one(dec(10, 2), tS, strs("-0.05", "12.30", "0.00"), "-0.05", "12.30", "0.00"),
		one(dec(5, 0), tS, strs("-7"), "-7"),
		one(tI64, tS, strs("-9223372036854775808", "0"), "-9223372036854775808", "0"),
		one(tF, tS, strs("1", "1e20", "0.1", "NaN", "-Inf", "-0", "123456789012345.5"), "1.0", "1e+20", "0.1", "nan", "-inf", "-0.0", "1.234567890123455e+14"),
		one(tD, tS, strs("1992-02-29", "1969-12-31", "0001-01-01", "9999-12-31"), "1992-02-29", "1969-12-31", "0001-01-01", "9999-12-31"),
		one(tTS, tS, strs("1992-02-29 13:14:15", "1969-12-31 23:59:59.5", "2000-01-01 00:00:00.000001"),
			"1992-02-29 13:14:15", "1969-12-31 23:59:59.5", "2000-01-01 00:00:00.000001"),
		one(tD, tTS, strs("1992-02-29", "1969-12-31"), "1992-02-29 00:00:00", "1969-12-31 00:00:00"),
		one(tTS, tD, strs("1992-02-29 13:14:15", "1969-12-31 23:59:59.999999", "1970-01-01"), "1992-02-29", "1969-12-31", "1970-01-01"),
		one(tS, tI32, strs(" 42 ", "+7", "-0", "1.5", "-2.5", "1.49", ".5", "7."), "42", "7", "0", "2", "-3", "1", "1", "7"),
		fails(tS, tI32, "abc", "Could not convert string 'abc' to INT32"),
		fails(tS, tI32, "2147483648", "Could not convert string '2147483648' to INT32"),
		fails(tS, tI64, "", "Could not convert string '' to INT64"),
		one(tS, tI64, strs("1e3", "1_000", "-15e-1", "1.5e1"), "1000", "1000", "-2", "15"),
		fails(tS, tI64, "1e19", "Could not convert string '1e19' to INT64"),
		fails(tS, tI64, "1e", "Could not convert string '1e' to INT64"),
		one(tS, dec(5, 2), strs("1.5e2", "-5e-3", "1_2.3_4", "0e32767", "1e-32768"), "150.00", "-0.01", "12.34", "0.00", "0.00"),
		fails(tS, dec(5, 2), "999.995", `Conversion Error: Could not convert string "999.995" to DECIMAL(5,2)`),
		fails(tS, dec(5, 2), "1e32768", `Conversion Error: Could not convert string "1e32768" to DECIMAL(5,2)`),
		one(tS, tI64, strs("-9223372036854775808", "9223372036854775807"), "-9223372036854775808", "9223372036854775807"),
		fails(tS, tI64, "9223372036854775808", "INT64"),
		one(tS, tF, strs("1e3", " -2.5", "nan", "inf", "-Infinity"), "1000.0", "-2.5", "nan", "inf", "-inf"),
		fails(tS, tF, "1.2.3", "Could not convert string '1.2.3' to DOUBLE"),
		one(tS, dec(5, 2), strs("1.005", "-1.005", "123.4", " 7 ", "-.5", "0.994", "999.994"), "1.01", "-1.01", "123.40", "7.00", "-0.50", "0.99", "999.99"),
		fails(tS, dec(5, 2), "1234", `Conversion Error: Could not convert string "1234" to DECIMAL(5,2)`),
		fails(tS, dec(5, 2), "999.995", "DECIMAL(5,2)"),
		fails(tS, dec(5, 2), "1.2x", "DECIMAL(5,2)"),
		one(tS, dec(18, 18), strs("0.999999999999999999", "-0.1234567890123456789"), "0.999999999999999999", "-0.123456789012345679"),
		one(tS, tB, strs("true", "FALSE", "t", "f", "1", "0", " True "), "true", "false", "true", "false", "true", "false", "true"),
		fails(tS, tB, "yes please", "Could not convert string 'yes please' to BOOL"),
		one(tS, tD, strs("1992-02-29", " 1969-12-31 ", "0001-01-01", "1992/3/5", "10000-01-01"), "1992-02-29", "1969-12-31", "0001-01-01", "1992-03-05", "10000-01-01"),
		fails(tS, tD, "1993-02-29", `Conversion Error: date field value out of range: "1993-02-29"`),
		fails(tS, tD, "1993-13-01", `Conversion Error: date field value out of range: "1993-13-01"`),
		fails(tS, tD, "1993-01-01x", `Conversion Error: invalid date field format: "1993-01-01x", expected format is (YYYY-MM-DD)`),
		one(tS, tTS, strs("1992-02-29 13:14:15", "1969-12-31 23:59:59.5", "2000-01-01", "2000-01-01T01:02:03.123456789"),
			"1992-02-29 13:14:15", "1969-12-31 23:59:59.5", "2000-01-01 00:00:00", "2000-01-01 01:02:03.123456"),
		fails(tS, tTS, "2000-01-01 25:00:00", `Conversion Error: timestamp field value out of range: "2000-01-01 25:00:00"`),
		one(tS, tS, strs("x"), "x"),
	})
}

func TestCastStringRoundTrip(t *testing.T) {
	// Formatting must follow coldata.Format for every value, not only the
	// hand-picked ones above.
	rng := rand.New(rand.NewPCG(1, 2))
	for _, typ := range []coldata.Type{tI32, tI64, tF, dec(18, 4), dec(5, 0), tD, tTS, tB} {
		rows := make([][]coldata.Datum, 500)
		for i := range rows {
			rows[i] = []coldata.Datum{randDatum(rng, typ, 0.1)}
		}
		if typ.ID == coldata.Float64 {
			for i := 0; i < 100; i++ {
				rows[i] = []coldata.Datum{{F: math.Float64frombits(rng.Uint64())}}
			}
		}
		runCase(t, tcase{name: "format " + typ.String(), types: types(typ), rows: rows, e: castTo(col(0, typ), tS)})
		back := castTo(castTo(col(0, typ), tS), typ)
		if typ.ID != coldata.Float64 && typ.ID != coldata.Timestamp {
			runCase(t, tcase{name: "round trip " + typ.String(), types: types(typ), rows: rows, e: back})
		}
	}
}
