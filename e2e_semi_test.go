package peregrine_test

import (
	"database/sql"
	"strings"
	"testing"
)

// TestSemiJoinsMovedIntoJoinRegions: IN, NOT IN, EXISTS and NOT EXISTS on
// one relation of a multi-way join give the same answers as the same filter
// written on that relation alone, NULLs on both sides included, and the
// planner does apply them below the join when that relation is the smaller.
func TestSemiJoinsMovedIntoJoinRegions(t *testing.T) {
	dir := t.TempDir()
	db, err := sql.Open("peregrine", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	src := duckdbSF001 + "/"
	for _, s := range []string{
		"COPY (SELECT o_orderkey AS ok, CASE WHEN o_orderkey % 11 = 0 THEN NULL ELSE o_custkey END AS ck FROM '" + src + "orders.parquet') TO '" + dir + "/a.parquet'",
		"COPY (SELECT l_orderkey AS lk, l_quantity AS q FROM '" + src + "lineitem.parquet') TO '" + dir + "/b.parquet'",
		"COPY (SELECT CASE WHEN c_custkey % 50 = 0 THEN NULL ELSE c_custkey END AS sk FROM '" + src + "customer.parquet' WHERE c_nationkey < 10) TO '" + dir + "/s.parquet'",
		"COPY (SELECT c_custkey AS sk FROM '" + src + "customer.parquet' WHERE c_nationkey < 10) TO '" + dir + "/t.parquet'",
	} {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	for _, cond := range []string{
		"ck IN (SELECT sk FROM s)",
		"ck NOT IN (SELECT sk FROM s)",
		"ck NOT IN (SELECT sk FROM t)",
		"EXISTS (SELECT 1 FROM s WHERE sk = ck)",
		"NOT EXISTS (SELECT 1 FROM s WHERE sk = ck)",
		"NOT EXISTS (SELECT 1 FROM t WHERE sk = ck AND sk <> ok % 100)",
	} {
		q := "SELECT count(*), sum(q), count(ck) FROM a, b WHERE ok = lk AND " + cond
		ref := "SELECT count(*), sum(q), count(ck) FROM (SELECT * FROM a WHERE " + cond + ") a2, b WHERE ok = lk"
		got, want := join(queryStrings(t, db, q)), join(queryStrings(t, db, ref))
		if got != want {
			t.Errorf("%s: got %s, want %s", cond, got, want)
		}
		if strings.HasPrefix(got, "0,") != (cond == "ck NOT IN (SELECT sk FROM s)") {
			t.Errorf("%s: %s rows (only NOT IN over a set with a NULL is empty)", cond, got)
		}
		plan := join(queryStrings(t, db, "EXPLAIN "+q))
		inner := strings.Index(plan, "HASH_JOIN INNER")
		semi := strings.Index(plan, "HASH_JOIN SEMI")
		if semi < 0 {
			semi = strings.Index(plan, "HASH_JOIN ANTI")
		}
		if inner < 0 || semi < inner {
			t.Errorf("%s: the semi/anti join should sit below the inner join:\n%s", cond, plan)
		}
	}
}

// TestOneThreadPlansBroadcast: EXPLAIN shows the join form that runs: a
// build side estimated past a million rows is partitioned across threads,
// and broadcast with one thread.
func TestOneThreadPlansBroadcast(t *testing.T) {
	const q = "EXPLAIN SELECT count(*) FROM (SELECT l_orderkey AS a FROM lineitem, nation) x, (SELECT l_orderkey AS b FROM lineitem, nation) y WHERE a = b"
	for _, c := range []struct {
		threads string
		want    string
	}{{"1", "broadcast"}, {"2", "partitioned"}} {
		db, err := sql.Open("peregrine", duckdbSF001+"?threads="+c.threads)
		if err != nil {
			t.Fatal(err)
		}
		plan := join(queryStrings(t, db, q))
		db.Close()
		if !strings.Contains(plan, "INNER on") || !strings.Contains(plan, c.want) {
			t.Errorf("threads=%s: want a %s join:\n%s", c.threads, c.want, plan)
		}
	}
}
