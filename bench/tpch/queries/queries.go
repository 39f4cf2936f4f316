package queries

import (
	"embed"
	"fmt"
)

//go:embed *.sql
var files embed.FS

// Count is the number of TPC-H queries.
const Count = 22

// Text returns the text of query n (1..22).
func Text(n int) (string, error) {
	b, err := files.ReadFile(fmt.Sprintf("q%02d.sql", n))
	if err != nil {
		return "", fmt.Errorf("no TPC-H query %d", n)
	}
	return string(b), nil
}

// All returns the 22 queries in order.
func All() []string {
	out := make([]string, Count)
	for n := range out {
		out[n], _ = Text(n + 1)
	}
	return out
}
