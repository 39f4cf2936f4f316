package peregrine_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/peregrinedb/peregrine"
)

const timeQuery = "SELECT TIME '10:11:12.5' AS t, TIMESTAMPTZ '2020-01-01 02:00:00+02' AS tz, TIMESTAMP '2020-01-01 00:00:00' AS ts"

// database/sql hands out TIME as a time.Time on 0001-01-01 and TIMESTAMPTZ
// as the UTC instant, as DuckDB's Go driver does.
func TestTimeKindsDatabaseSQL(t *testing.T) {
	db, err := sql.Open("peregrine", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tm, tz time.Time
	var ts time.Time
	if err := db.QueryRow(timeQuery).Scan(&tm, &tz, &ts); err != nil {
		t.Fatal(err)
	}
	if g := tm.Format("2006-01-02 15:04:05.999999"); g != "0001-01-01 10:11:12.5" {
		t.Errorf("TIME %s", g)
	}
	if !tz.Equal(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("TIMESTAMPTZ %s", tz)
	}
}

// Arrow results carry TIME as Time64(µs) and TIMESTAMPTZ as a UTC timestamp,
// TIMESTAMP without a zone; COPY TO Parquet keeps the three apart, so they
// read back with their types.
func TestTimeKindsArrowAndParquet(t *testing.T) {
	dir := t.TempDir()
	db, err := peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	rr, err := db.QueryArrow(ctx, timeQuery)
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	s := rr.Schema()
	if f := s.Field(0).Type; !arrow.TypeEqual(f, arrow.FixedWidthTypes.Time64us) {
		t.Errorf("TIME as %s", f)
	}
	if f := s.Field(1).Type.(*arrow.TimestampType); f.TimeZone != "UTC" || f.Unit != arrow.Microsecond {
		t.Errorf("TIMESTAMPTZ as %s", f)
	}
	if f := s.Field(2).Type.(*arrow.TimestampType); f.TimeZone != "" {
		t.Errorf("TIMESTAMP as %s", f)
	}
	if !rr.Next() {
		t.Fatal("no batch")
	}
	rec := rr.RecordBatch()
	if v := rec.Column(0).(*array.Time64).Value(0); v != 36672500000 {
		t.Errorf("TIME %d", v)
	}
	if v := rec.Column(1).(*array.Timestamp).Value(0); v != 1577836800000000 {
		t.Errorf("TIMESTAMPTZ %d", v)
	}
	path := filepath.Join(dir, "t.parquet")
	if err := db.Exec(ctx, "COPY ("+timeQuery+") TO '"+path+"'"); err != nil {
		t.Fatal(err)
	}
	vals := queryValues(t, db, "SELECT typeof(t), typeof(tz), typeof(ts), t, tz, ts FROM '"+path+"'")
	want := "TIME|TIMESTAMP WITH TIME ZONE|TIMESTAMP|10:11:12.5|2020-01-01 00:00:00+00|2020-01-01 00:00:00"
	if g := strings.Join(vals, "|"); g != want {
		t.Errorf("read back\n got %s\nwant %s", g, want)
	}
}
