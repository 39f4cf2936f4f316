package scan

import (
	"context"
	"reflect"
	"testing"
)

// TestChunkDictionaryOneRead: a dictionary page that the footer places
// (dictionary_page_offset before data_page_offset) is read with its header
// in one request; without that offset the header is read first and a
// page larger than that read costs a second one, with the same values.
func TestChunkDictionaryOneRead(t *testing.T) {
	rb, data := remoteFile(t, "lineitem.parquet")
	f, err := NewFileContext(context.Background(), rb, int64(len(data)), "lineitem.parquet")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"l_returnflag", "l_shipdate"} {
		col := -1
		for i, c := range f.Columns() {
			if c.Name == name {
				col = i
			}
		}
		before := rb.reads.Load()
		dict, ok, err := f.ChunkDictionary(0, col)
		if err != nil || !ok {
			t.Fatalf("%s: ok %v, err %v", name, ok, err)
		}
		if n := rb.reads.Load() - before; n != 1 {
			t.Errorf("%s: %d reads for one dictionary page, want 1", name, n)
		}
		md := f.md.RowGroups[0].Columns[f.leaves[col].leaf].MetaData
		dictOff, dataOff := md.DictionaryPageOffset, md.DataPageOffset
		if dictOff == nil || *dictOff >= dataOff {
			t.Fatalf("%s: the writer did not place the dictionary page", name)
		}
		md.DictionaryPageOffset, md.DataPageOffset = nil, *dictOff
		before = rb.reads.Load()
		again, ok, err := f.ChunkDictionary(0, col)
		md.DictionaryPageOffset, md.DataPageOffset = dictOff, dataOff
		if err != nil || !ok {
			t.Fatalf("%s without dictionary_page_offset: ok %v, err %v", name, ok, err)
		}
		want := int64(1) // l_returnflag's 3 values fit in the header read
		if name == "l_shipdate" {
			want = 2
		}
		if n := rb.reads.Load() - before; n != want {
			t.Errorf("%s: %d reads without dictionary_page_offset, want %d", name, n, want)
		}
		if dict.Len() < 3 || dict.Len() != again.Len() {
			t.Fatalf("%s: %d and %d values", name, dict.Len(), again.Len())
		}
		for i := 0; i < dict.Len(); i++ {
			if !reflect.DeepEqual(dict.Get(i), again.Get(i)) {
				t.Errorf("%s value %d: %v vs %v", name, i, dict.Get(i), again.Get(i))
			}
		}
	}
}
