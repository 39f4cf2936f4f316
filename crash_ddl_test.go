package peregrine_test

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/peregrinedb/peregrine"
)

// The directory database's crash test: a child process (this test binary
// as TestCrashDDLChild) replaces a table and a view of a folder over and
// over, generation after generation, and is killed with SIGKILL at a
// random moment. A new database on the folder must then find the table
// whole (every row of one generation, never a mix or a partial file), the
// view readable, nothing left but the tables and .peregrine, and the
// folder writable again. While the child runs, a write from this process
// is refused naming the child.

// It also runs folder-table generations (crash_dml_test.go): INSERT, an
// UPDATE of every file and a DELETE, checked the same way.

// TestCrashDDLChild is the child's body; it does nothing in a normal run.
func TestCrashDDLChild(t *testing.T) {
	dir := os.Getenv("PEREGRINE_CRASH_DDL_DIR")
	if dir == "" {
		t.Skip("only run as the DDL crash test's child process")
	}
	db, err := peregrine.Open(dir)
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(3)
	}
	ctx := context.Background()
	g0 := startFolderGenerations(t, db)
	for gen := 1; ; gen++ {
		stmts := []string{
			fmt.Sprintf("CREATE OR REPLACE TABLE t AS SELECT i, %d AS gen FROM %s", gen, numbers(5)),
			fmt.Sprintf("CREATE OR REPLACE VIEW v AS SELECT gen, count(*) AS n, %d AS written FROM t GROUP BY gen", gen),
		}
		stmts = append(stmts, folderGeneration(g0+gen)...)
		for _, s := range stmts {
			if err := db.Exec(ctx, s); err != nil {
				fmt.Println("ERR", err)
				os.Exit(3)
			}
		}
		if gen == 1 {
			os.WriteFile(filepath.Join(dir, ".peregrine", "ready"), nil, 0o644)
		}
	}
}

func TestCrashInjectionDDL(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	runs := 3
	if s := os.Getenv("PEREGRINE_CRASH_RUNS"); s != "" {
		runs, _ = strconv.Atoi(s)
	}
	dir := t.TempDir()
	r := rand.New(rand.NewSource(time.Now().UnixNano()))
	for i := 0; i < runs; i++ {
		os.Remove(filepath.Join(dir, ".peregrine", "ready"))
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashDDLChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "PEREGRINE_CRASH_DDL_DIR="+dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(60 * time.Second)
		for {
			if _, err := os.Stat(filepath.Join(dir, ".peregrine", "ready")); err == nil {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatal("the child never finished its first generation")
			}
			time.Sleep(10 * time.Millisecond)
		}
		other, err := peregrine.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		err = other.Exec(context.Background(), "CREATE TABLE x AS SELECT 1 AS one")
		other.Close()
		if want := fmt.Sprintf("database is locked by process %d", cmd.Process.Pid); err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("a second writer while the child writes: %v (want %q)", err, want)
		}
		time.Sleep(time.Duration(r.Intn(400)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		checkDDLCrashState(t, dir)
	}
}

func checkDDLCrashState(t *testing.T, dir string) {
	t.Helper()
	db, err := peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got := queryString(t, db, "SELECT count(*), count(DISTINCT gen), count(DISTINCT i) FROM t")
	if got != "100000 1 100000" {
		t.Fatalf("after the kill, t holds %s (want one whole generation)", got)
	}
	// The view was written by the same or the previous generation.
	v := strings.Fields(queryString(t, db, "SELECT gen, n, written FROM v"))
	if len(v) != 3 || v[1] != "100000" {
		t.Fatalf("after the kill, v reads %v", v)
	}
	gen, _ := strconv.Atoi(v[0])
	written, _ := strconv.Atoi(v[2])
	if written != gen && written != gen-1 {
		t.Fatalf("view of generation %d over table generation %d", written, gen)
	}
	checkFolderCrashState(t, db)
	// The next writer (which takes the folder's lock) clears what the
	// killed one staged.
	if err := db.Exec(context.Background(), "CREATE OR REPLACE VIEW w AS SELECT 1 AS one; DROP VIEW w"); err != nil {
		t.Fatalf("the folder is not writable after the kill: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "t.parquet" && e.Name() != ".peregrine" && e.Name() != "f" {
			t.Fatalf("left in the folder: %s", e.Name())
		}
	}
}
