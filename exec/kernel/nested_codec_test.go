package kernel

import (
	"math"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

func TestNestedCodecRoundTrip(t *testing.T) {
	st := coldata.StructType([]coldata.Field{{Name: "f", Type: coldata.TypeFloat64}, {Name: "s", Type: coldata.TypeString},
		{Name: "m", Type: coldata.MapType(coldata.TypeInt32, coldata.TypeBool)}})
	lt := coldata.ListType(st)
	vals := []coldata.Datum{
		coldata.ListDatum(),
		coldata.ListDatum(coldata.NullDatum),
		coldata.ListDatum(coldata.StructDatum(coldata.Datum{F: math.Inf(-1)}, coldata.Datum{S: "\x00a,b\xff"},
			coldata.MapDatum([]coldata.Datum{{I: -7}, {I: 1 << 30}}, []coldata.Datum{{B: true}, coldata.NullDatum})),
			coldata.StructDatum(coldata.NullDatum, coldata.Datum{S: ""}, coldata.MapDatum(nil, nil))),
	}
	seen := map[string]bool{}
	for _, d := range vals {
		enc := encodeDatum(nil, lt, d)
		if seen[string(enc)] {
			t.Fatalf("two values encode alike: %s", coldata.Format(lt, d))
		}
		seen[string(enc)] = true
		got, rest, err := decodeDatum(enc, lt)
		if err != nil || len(rest) != 0 || coldata.Format(lt, got) != coldata.Format(lt, d) {
			t.Fatalf("%s: got %s (%v, %d left)", coldata.Format(lt, d), coldata.Format(lt, got), err, len(rest))
		}
		for cut := 0; cut < len(enc); cut++ {
			if _, rest, err := decodeDatum(enc[:cut], lt); err == nil && len(rest) == 0 {
				t.Fatalf("truncated encoding of %s (%d of %d bytes) decoded", coldata.Format(lt, d), cut, len(enc))
			}
		}
	}
}
