package expr

import "testing"

// TestOpRangesDisjoint: the operator blocks numbered apart from the main
// list (string, date, nested) must not overlap each other or the main list.
func TestOpRangesDisjoint(t *testing.T) {
	if opCount > OpLevenshtein {
		t.Fatalf("the main Op list (%d operators) runs into the string operators at %d", opCount, OpLevenshtein)
	}
	for o := OpLevenshtein; o < strMoreEnd; o++ {
		if _, ok := dateOpNames[o]; ok {
			t.Errorf("operator %d is both a string and a date operator", o)
		}
		if _, ok := nestedOpNames[o]; ok && o != OpRegexpExtractAll && o != OpRegexpSplit && o != OpParsePath {
			t.Errorf("operator %d is both a string and a nested operator", o)
		}
		if strMoreNames[o] == "" {
			t.Errorf("string operator %d has no name", o)
		}
	}
}
