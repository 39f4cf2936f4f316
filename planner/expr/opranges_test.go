package expr

import "testing"

// The operators are numbered in blocks (the main list, scalarops.go,
// dateops.go, nested.go) that branches grow independently: a block that
// runs into the next would make two operators one.
func TestOpBlocksDoNotOverlap(t *testing.T) {
	blocks := []struct {
		name        string
		first, last Op
	}{
		{"main", 0, Op(len(opNames) - 1)},
		{"string", OpLevenshtein, strMoreEnd - 1},
		{"scalar", OpSin, OpJSONValue},
		{"date", OpDatePart, OpTSAddInterval},
		{"nested", OpStructExtract, OpNestedSortKey},
	}
	for i := 1; i < len(blocks); i++ {
		if blocks[i].first <= blocks[i-1].last {
			t.Errorf("%s operators (from %d) overlap the %s ones (to %d)", blocks[i].name, blocks[i].first, blocks[i-1].name, blocks[i-1].last)
		}
	}
}
