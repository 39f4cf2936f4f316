package peregrine_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine"
)

// The crash test's folder table f (k INTEGER PRIMARY KEY, gen INTEGER):
// generation g of the child (TestCrashDDLChild) runs
//
//	INSERT INTO f VALUES (g*10, g), (g*10+1, g), (g*10+2, g)  -- a new file
//	UPDATE f SET gen = g                                     -- rewrites every file
//	DELETE FROM f WHERE k = g*10                             -- rewrites the newest
//
// so that after a kill the table must be in the state after one of them:
// the keys h*10+1, h*10+2 of every generation h <= G (G the largest gen),
// perhaps G*10 too (killed after the INSERT), and either every row of
// generation G or (after the INSERT) G's three rows of G and the rest of
// G-1. A statement half applied (some files rewritten, others not) or a
// partly written file breaks one of these.

// startFolderGenerations makes f or, after a kill, finishes the killed
// generation (as its UPDATE and DELETE would have), returning it.
func startFolderGenerations(t *testing.T, db *peregrine.DB) int {
	ctx := context.Background()
	exit := func(err error) {
		fmt.Println("ERR", err)
		os.Exit(3)
	}
	if err := db.Exec(ctx, "CREATE TABLE IF NOT EXISTS f (k INTEGER PRIMARY KEY, gen INTEGER NOT NULL)"); err != nil {
		exit(err)
	}
	g0, _ := strconv.Atoi(queryString(t, db, "SELECT coalesce(max(gen), 0) FROM f"))
	for _, s := range folderGeneration(g0)[1:] {
		if err := db.Exec(ctx, s); err != nil {
			exit(err)
		}
	}
	return g0
}

func folderGeneration(g int) []string {
	return []string{
		fmt.Sprintf("INSERT INTO f VALUES (%d, %d), (%d, %d), (%d, %d)", g*10, g, g*10+1, g, g*10+2, g),
		fmt.Sprintf("UPDATE f SET gen = %d", g),
		fmt.Sprintf("DELETE FROM f WHERE k = %d", g*10),
	}
}

func checkFolderCrashState(t *testing.T, db *peregrine.DB) {
	t.Helper()
	vals := strings.Fields(queryString(t, db, "SELECT k, gen FROM f ORDER BY k"))
	g := 0
	keys := map[int]int{}
	for i := 0; i+1 < len(vals); i += 2 {
		k, _ := strconv.Atoi(vals[i])
		gen, _ := strconv.Atoi(vals[i+1])
		keys[k] = gen
		g = max(g, gen)
	}
	_, inserted := keys[g*10]
	want := 2 * g
	if inserted {
		want++
	}
	if len(keys) != want {
		t.Fatalf("after the kill, f holds %d rows at generation %d: %v", len(keys), g, vals)
	}
	for h := 1; h <= g; h++ {
		for _, k := range []int{h*10 + 1, h*10 + 2} {
			if _, ok := keys[k]; !ok {
				t.Fatalf("after the kill, f lacks key %d (generation %d): %v", k, g, vals)
			}
		}
	}
	allG := true
	for _, gen := range keys {
		allG = allG && gen == g
	}
	if allG {
		return // after the UPDATE or the DELETE
	}
	// After the INSERT: its rows of g, every other row of g-1.
	for k, gen := range keys {
		if (k >= g*10) != (gen == g) || gen < g-1 || !inserted {
			t.Fatalf("after the kill, f mixes generations (key %d has %d of %d): %v", k, gen, g, vals)
		}
	}
}
