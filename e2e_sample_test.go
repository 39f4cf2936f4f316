package peregrine_test

import (
	"database/sql"
	"math"
	"strings"
	"testing"
)

// TestSampleStatistics: samples are random but not arbitrary. A bernoulli
// 10% sample of 10,000 rows keeps about 1,000 of them (one run's standard
// deviation is 30, the mean of 20 runs' about 7); a reservoir sample of 500
// rows of 0..9999 is uniform (its mean is about 4999.5, one run's standard
// deviation 129); the sample precedes WHERE; each run draws a new sample; a seeded sample is the same
// sample at every run and another seed draws another.
func TestSampleStatistics(t *testing.T) {
	db, err := sql.Open("peregrine", duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	one := func(q string) float64 {
		t.Helper()
		var v float64
		if err := db.QueryRow(q).Scan(&v); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return v
	}
	mean := func(q string, runs int) (float64, map[float64]bool) {
		seen := map[float64]bool{}
		sum := 0.0
		for i := 0; i < runs; i++ {
			v := one(q)
			sum += v
			seen[v] = true
		}
		return sum / float64(runs), seen
	}
	if m, seen := mean("SELECT count(*) FROM range(10000) USING SAMPLE 10% (bernoulli)", 20); math.Abs(m-1000) > 50 || len(seen) < 2 {
		t.Errorf("bernoulli 10%% of 10000 rows: mean count %v over 20 runs (want about 1000), %d distinct counts", m, len(seen))
	}
	if m, _ := mean("SELECT count(*) FROM range(10000) TABLESAMPLE system(25%)", 20); math.Abs(m-2500) > 70 {
		t.Errorf("system 25%% of 10000 rows: mean count %v over 20 runs (want about 2500)", m)
	}
	if m, seen := mean("SELECT avg(range) FROM range(10000) USING SAMPLE 500", 10); math.Abs(m-4999.5) > 250 || len(seen) < 2 {
		t.Errorf("reservoir 500 of 0..9999: mean %v over 10 runs (want about 4999.5), %d distinct samples", m, len(seen))
	}
	if m, _ := mean("SELECT avg(range) FROM range(10000) USING SAMPLE 5% (reservoir)", 10); math.Abs(m-4999.5) > 250 {
		t.Errorf("reservoir 5%% of 0..9999: mean %v over 10 runs (want about 4999.5)", m)
	}
	// The sample comes before WHERE: 10 rows of 0..999 of which about 5 are below 500.
	if m, _ := mean("SELECT count(*) FROM range(1000) t(x) WHERE x < 500 USING SAMPLE 10", 20); m > 7 || m < 3 {
		t.Errorf("WHERE over a reservoir sample of 10 rows: mean count %v over 20 runs (want about 5)", m)
	}
	for _, q := range []string{
		"SELECT sum(l_orderkey * 7 + l_linenumber) FROM lineitem USING SAMPLE 10% (bernoulli, 42)",
		"SELECT sum(l_orderkey * 7 + l_linenumber) FROM lineitem TABLESAMPLE reservoir(100) REPEATABLE (42)",
		"SELECT sum(l_orderkey * 7 + l_linenumber) FROM lineitem TABLESAMPLE reservoir(2%) REPEATABLE (42)",
	} {
		if _, seen := mean(q, 4); len(seen) != 1 {
			t.Errorf("%s: %d different samples over 4 runs with one seed", q, len(seen))
		}
		a := one(q)
		if b := one(strings.Replace(q, "42)", "43)", 1)); a == b {
			t.Errorf("%s: seeds 42 and 43 draw the same sample", q)
		}
	}
}
