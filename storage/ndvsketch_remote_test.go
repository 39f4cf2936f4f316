package storage

import (
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/scan"
)

// TestRemoteFootersSuffice: which footer evidence spares a remote table's
// estimate the dictionary sketches.
func TestRemoteFootersSuffice(t *testing.T) {
	day := func(lo, hi int64, ndv float64) ndvSample {
		return ndvSample{source: scan.NDVFooter, ndv: ndv, rows: 1e5, lo: coldata.Datum{I: lo}, hi: coldata.Datum{I: hi}, hasRange: true}
	}
	str := func(lo, hi string, ndv float64) ndvSample {
		return ndvSample{source: scan.NDVDictionary, ndv: ndv, rows: 1e5, lo: coldata.Datum{S: lo}, hi: coldata.Datum{S: hi}, hasRange: true}
	}
	tb := &Table{} // no local file among its files
	for _, c := range []struct {
		name    string
		typ     coldata.Type
		samples []ndvSample
		want    bool
	}{
		{"same small domain", coldata.TypeString, []ndvSample{str("A", "R", 3), str("A", "R", 3)}, true},
		{"same range, different counts", coldata.TypeString, []ndvSample{str("A", "R", 3), str("A", "R", 2)}, false},
		{"different ranges", coldata.TypeString, []ndvSample{str("A", "R", 3), str("B", "R", 3)}, false},
		{"too many values to trust", coldata.TypeString, []ndvSample{str("A", "Z", 100), str("A", "Z", 100)}, false},
		{"dates filling their range", coldata.TypeDate, []ndvSample{day(8000, 10405, 2406), day(8001, 10405, 2400)}, true},
		{"dates sparse in their range", coldata.TypeDate, []ndvSample{day(0, 10000, 2406), day(1, 9000, 2400)}, false},
		{"one chunk", coldata.TypeDate, []ndvSample{day(8000, 10405, 2406)}, false},
		{"no exact count", coldata.TypeDate, []ndvSample{day(8000, 10405, 2406), {source: scan.NDVPlain, rows: 1e5}}, false},
	} {
		if got := remoteFootersSuffice(tb, c.samples, c.typ); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
