package ssb

import (
	"context"
	"io"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/storage"
)

// dateCols is the date dimension's layout: SSB's columns (d_date is text
// such as "January 1, 1992"; the flags are BOOLEAN) plus d_fulldate, the
// day as a DATE.
var dateCols = []struct {
	name string
	typ  coldata.Type
	val  func(t time.Time) coldata.Datum
}{
	{"d_datekey", coldata.TypeInt32, func(t time.Time) coldata.Datum { return ival(t.Year()*10000 + int(t.Month())*100 + t.Day()) }},
	{"d_date", coldata.TypeString, func(t time.Time) coldata.Datum { return sval(t.Format("January 2, 2006")) }},
	{"d_dayofweek", coldata.TypeString, func(t time.Time) coldata.Datum { return sval(t.Weekday().String()) }},
	{"d_month", coldata.TypeString, func(t time.Time) coldata.Datum { return sval(t.Month().String()) }},
	{"d_year", coldata.TypeInt32, func(t time.Time) coldata.Datum { return ival(t.Year()) }},
	{"d_yearmonthnum", coldata.TypeInt32, func(t time.Time) coldata.Datum { return ival(t.Year()*100 + int(t.Month())) }},
	{"d_yearmonth", coldata.TypeString, func(t time.Time) coldata.Datum { return sval(t.Format("Jan2006")) }},
	{"d_daynuminweek", coldata.TypeInt32, func(t time.Time) coldata.Datum { return ival(int(t.Weekday()) + 1) }},
	{"d_daynuminmonth", coldata.TypeInt32, func(t time.Time) coldata.Datum { return ival(t.Day()) }},
	{"d_daynuminyear", coldata.TypeInt32, func(t time.Time) coldata.Datum { return ival(t.YearDay()) }},
	{"d_monthnuminyear", coldata.TypeInt32, func(t time.Time) coldata.Datum { return ival(int(t.Month())) }},
	{"d_weeknuminyear", coldata.TypeInt32, func(t time.Time) coldata.Datum { return ival((t.YearDay()-1)/7 + 1) }},
	{"d_sellingseason", coldata.TypeString, func(t time.Time) coldata.Datum { return sval(season(t.Month())) }},
	{"d_lastdayinweekfl", coldata.TypeBool, func(t time.Time) coldata.Datum { return bval(t.Weekday() == time.Saturday) }},
	{"d_lastdayinmonthfl", coldata.TypeBool, func(t time.Time) coldata.Datum { return bval(t.AddDate(0, 0, 1).Day() == 1) }},
	{"d_holidayfl", coldata.TypeBool, func(t time.Time) coldata.Datum { return bval(holiday(t)) }},
	{"d_weekdayfl", coldata.TypeBool, func(t time.Time) coldata.Datum {
		return bval(t.Weekday() != time.Saturday && t.Weekday() != time.Sunday)
	}},
	{"d_fulldate", coldata.TypeDate, func(t time.Time) coldata.Datum { return ival(int(t.Unix() / 86400)) }},
}

// The dimension covers the years TPC-H's order dates fall in.
var (
	firstDay = time.Date(1992, 1, 1, 0, 0, 0, 0, time.UTC)
	lastDay  = time.Date(1998, 12, 31, 0, 0, 0, 0, time.UTC)
)

func ival(i int) coldata.Datum    { return coldata.Datum{I: int64(i)} }
func sval(s string) coldata.Datum { return coldata.Datum{S: s} }
func bval(b bool) coldata.Datum   { return coldata.Datum{B: b} }
func holiday(t time.Time) bool {
	md := int(t.Month())*100 + t.Day()
	return md == 101 || md == 704 || md == 1111 || md == 1225
}

func season(m time.Month) string {
	switch m {
	case time.January, time.February:
		return "Winter"
	case time.March, time.April, time.May:
		return "Spring"
	case time.June, time.July, time.August:
		return "Summer"
	case time.September, time.October:
		return "Fall"
	}
	return "Christmas"
}

// dateBatch holds the whole date dimension (2,557 days) in one batch.
func dateBatch() *coldata.Batch {
	n := int(lastDay.Sub(firstDay).Hours()/24) + 1
	types := make([]coldata.Type, len(dateCols))
	for i, c := range dateCols {
		types[i] = c.typ
	}
	b := coldata.NewBatch(types, n)
	for r := 0; r < n; r++ {
		t := firstDay.AddDate(0, 0, r)
		for i, c := range dateCols {
			b.Vecs[i].Set(r, c.val(t))
		}
	}
	return b
}

type oneBatch struct{ b *coldata.Batch }

func (s *oneBatch) Next(context.Context) (*coldata.Batch, error) {
	if s.b == nil {
		return nil, io.EOF
	}
	b := s.b
	s.b = nil
	return b, nil
}

func writeDates(ctx context.Context, path string) error {
	b := dateBatch()
	names := make([]string, len(dateCols))
	for i, c := range dateCols {
		names[i] = c.name
	}
	_, err := storage.WriteParquet(ctx, &oneBatch{b}, b.Types(), names, path, storage.WriteOptions{})
	return err
}
