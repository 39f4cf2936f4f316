package coldata

import (
	"fmt"
	"testing"
)

func TestNestedVec(t *testing.T) {
	st := StructType([]Field{{"a", TypeInt64}, {"b", TypeString}})
	lt := ListType(st)
	mt := MapType(TypeString, ListType(TypeInt32))
	if !lt.Equal(ListType(StructType([]Field{{"a", TypeInt64}, {"b", TypeString}}))) || lt.Equal(ListType(TypeInt64)) {
		t.Fatal("Equal")
	}
	if lt != ListType(StructType([]Field{{"a", TypeInt64}, {"b", TypeString}})) || lt == ListType(StructType([]Field{{"a", TypeInt64}, {"B", TypeString}})) {
		t.Fatal("nested types are not interned")
	}
	if got := lt.String(); got != "STRUCT(a BIGINT, b VARCHAR)[]" {
		t.Fatal(got)
	}
	v := NewVec(lt, 4)
	rows := []Datum{
		ListDatum(StructDatum(Datum{I: 1}, Datum{S: "x"}), StructDatum(NullDatum, Datum{S: "y"})),
		NullDatum,
		ListDatum(),
		ListDatum(NullDatum, StructDatum(Datum{I: 3}, NullDatum)),
	}
	for i, d := range rows {
		v.Set(i, d)
	}
	want := []string{"[{'a': 1, 'b': x}, {'a': NULL, 'b': y}]", "NULL", "[]", "[NULL, {'a': 3, 'b': NULL}]"}
	for i, w := range want {
		if got := Format(lt, v.Get(i)); got != w {
			t.Errorf("row %d: %s, want %s", i, got, w)
		}
	}
	// Gather through a selection, in two steps.
	b := &Batch{Vecs: []*Vec{v}, N: 4, Sel: []int32{3, 0, 1}}
	c := b.Compact(nil)
	for k, i := range []int{3, 0, 1} {
		if got := Format(lt, c.Vecs[0].Get(k)); got != want[i] {
			t.Errorf("compact row %d: %s, want %s", k, got, want[i])
		}
	}
	w := NewVec(lt, 0)
	w.AppendRows(v, []int32{2, 3}, 2)
	w.AppendRows(v, nil, 1)
	for k, i := range []int{2, 3, 0} {
		if got := Format(lt, w.Get(k)); got != want[i] {
			t.Errorf("append row %d: %s, want %s", k, got, want[i])
		}
	}
	m := NewVec(mt, 2)
	m.Set(0, MapDatum([]Datum{{S: "k1"}, {S: "k2"}}, []Datum{ListDatum(Datum{I: 1}), NullDatum}))
	m.Set(1, MapDatum(nil, nil))
	if got := Format(mt, m.Get(0)); got != "{k1=[1], k2=NULL}" {
		t.Error(got)
	}
	if CompareNested(lt, v.Get(0), v.Get(3)) >= 0 && Compare(lt, v.Get(2), v.Get(0)) >= 0 {
		t.Error("compare")
	}
}

func TestGatherNested(t *testing.T) {
	lt := ListType(TypeInt64)
	src := NewVec(lt, 3)
	for i := 0; i < 3; i++ {
		src.Set(i, ListDatum(Datum{I: int64(i)}, Datum{I: int64(10 * i)}))
	}
	dst := NewVec(lt, 4)
	for i := 0; i < 4; i++ {
		dst.Set(i, ListDatum(Datum{I: 100}))
	}
	GatherNested(dst, src, []int32{3, 1}, []int32{2, -1})
	var got []string
	for i := 0; i < dst.Len(); i++ {
		got = append(got, Format(lt, dst.Get(i)))
	}
	if s := fmt.Sprint(got); s != "[[100] NULL [100] [2, 20]]" {
		t.Fatal(s)
	}
	dst = NewVec(lt, 0)
	GatherNested(dst, src, nil, []int32{1, -1, 0})
	got = nil
	for i := 0; i < dst.Len(); i++ {
		got = append(got, Format(lt, dst.Get(i)))
	}
	if s := fmt.Sprint(got); s != "[[1, 10] NULL [0, 0]]" {
		t.Fatal(s)
	}
}
