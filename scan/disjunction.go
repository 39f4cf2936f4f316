package scan

// Disjunction is an OR of conjunctions of predicates: (a AND b) OR (c).
type Disjunction [][]Predicate

// RowGroupMayMatchAny is false only when the statistics prove that no
// alternative of the disjunction can hold for any row of rg.
func (f *File) RowGroupMayMatchAny(rg int, d Disjunction) bool {
	if len(d) == 0 {
		return true
	}
	for _, alt := range d {
		if f.RowGroupMayMatch(rg, alt) {
			return true
		}
	}
	return false
}
