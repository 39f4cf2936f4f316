package main

import (
	"crypto/md5"
	"encoding/hex"
	"testing"
)

func TestParseRecords(t *testing.T) {
	src := "# a comment\n" +
		"statement ok\nCREATE TABLE t(x INTEGER)\n\n" +
		"skipif duckdb\nquery I\nSELECT 'not for us'\n----\n1\n\n" +
		"onlyif duckdb\nquery II rowsort\nSELECT x, x\nFROM t\n----\n1\t1\n2\t2\n\n" +
		"statement error\nSELECT nope\n----\nBinder Error\n\n" +
		"hash-threshold 4\n\n" +
		"loop i 0 2\n\nquery I\nSELECT ${i}\n----\n${i}\n\nendloop\n\n" +
		"mode skip\n\nquery I\nSELECT 9\n----\n9\n\nmode unskip\n"
	recs := expandLoops(parse(src, parseOptions{}))
	if len(recs) != 6 {
		t.Fatalf("got %d records: %+v", len(recs), recs)
	}
	if recs[0].Kind != recStatement || recs[0].SQL != "CREATE TABLE t(x INTEGER)" {
		t.Errorf("record 0: %+v", recs[0])
	}
	q := recs[1]
	if q.Kind != recQuery || q.Types != "II" || q.Sort != "rowsort" || q.SQL != "SELECT x, x\nFROM t" || len(q.Expected) != 2 {
		t.Errorf("record 1: %+v", q)
	}
	if !recs[2].WantErr || recs[2].ErrText != "Binder Error" {
		t.Errorf("record 2: %+v", recs[2])
	}
	if recs[3].Kind != recHashThreshold || recs[3].N != 4 {
		t.Errorf("record 3: %+v", recs[3])
	}
	if recs[4].SQL != "SELECT 0" || recs[5].SQL != "SELECT 1" || recs[5].Expected[0] != "1" {
		t.Errorf("loop: %+v %+v", recs[4], recs[5])
	}
}

func TestSQLiteConditions(t *testing.T) {
	src := "onlyif postgresql\nquery I\nSELECT 1\n----\n1\n\nskipif postgresql\nquery I\nSELECT 2\n----\n2\n\nonlyif mysql\nquery I\nSELECT 3\n----\n3\n"
	if n := len(parse(src, parseOptions{sqliteMode: true})); n != 1 {
		t.Errorf("sqlite mode kept %d records, want 1", n)
	}
	if n := len(parse("require tpch\n\nquery I\nSELECT 1\n----\n1\n", parseOptions{requireOK: requireOK})); n != 2 {
		t.Errorf("require: %d records", n)
	}
}

func TestHashAndFormat(t *testing.T) {
	vals := []string{formatValue(int64(7), "INTEGER", false), formatValue(nil, "INTEGER", false),
		formatValue("", "VARCHAR", false), formatValue(true, "BOOLEAN", false), formatValue(2.5, "DOUBLE", true),
		formatValue(3.0, "DOUBLE", false)}
	want := []string{"7", "NULL", "(empty)", "1", "2", "3.0"}
	for i := range want {
		if vals[i] != want[i] {
			t.Errorf("value %d: got %q want %q", i, vals[i], want[i])
		}
	}
	sum := md5.Sum([]byte("7\nNULL\n"))
	if got, exp := hashValues(vals[:2]), "2 values hashing to "+hex.EncodeToString(sum[:]); got != exp {
		t.Errorf("hash: %s, want %s", got, exp)
	}
	if !isHashLine(hashValues(vals)) || isHashLine("3 values") {
		t.Error("isHashLine")
	}
}

func TestCompareAndSort(t *testing.T) {
	v := []string{"b", "2", "a", "9", "a", "1"}
	sortResult(v, 2, "rowsort")
	if v[0] != "a" || v[1] != "1" || v[4] != "b" {
		t.Errorf("rowsort: %v", v)
	}
	if !valuesMatch("0.3333333333333333", "0.333", "DOUBLE") || valuesMatch("0.5", "0.6", "DOUBLE") {
		t.Error("float tolerance")
	}
	if !valuesMatch("1", " 1", "BIGINT") || valuesMatch("1", "2", "INTEGER") || !valuesMatch("1", "true", "BOOLEAN") || valuesMatch("x", "y", "VARCHAR") {
		t.Error("exact comparisons")
	}
	if got := expectedValues([]string{"1\t2\t", "3\t4"}, 2, 2); len(got) != 4 || got[3] != "4" {
		t.Errorf("row-wise split: %v", got)
	}
}
