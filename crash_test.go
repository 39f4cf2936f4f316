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

// The crash-injection test: a child process (this test binary, re-run as
// TestCrashChild) runs a spilling query, a single-file COPY or a
// partitioned COPY and is killed with SIGKILL at a random moment. Then a
// new process starts (opens a database, which sweeps the temporary folder)
// and the parent checks that no spill file, scratch file, staging folder
// or record remains, and that each target is either absent or complete -
// never partial. A COPY that was cut short is then run again and must
// succeed.
//
// PEREGRINE_CRASH_RUNS sets the number of kills (default 3, one per kind;
// the acceptance run uses 50).

const crashLineitemRows = 60175

var crashStatements = map[string]string{
	// A spilling aggregation and a spilling sort under a 2MB limit.
	"spill": "SELECT count(*) FROM (SELECT DISTINCT a.l_comment, b.n_name FROM lineitem a, nation b WHERE b.n_nationkey < 4)",
	"copy":  "COPY (SELECT * FROM lineitem ORDER BY l_comment) TO '%s'",
	"parts": "COPY (SELECT * FROM lineitem) TO '%s' (PARTITION_BY (l_returnflag, l_linestatus), FILE_SIZE_BYTES '300KB')",
}

// TestCrashChild is the child's body; it does nothing in a normal run.
func TestCrashChild(t *testing.T) {
	mode := os.Getenv("PEREGRINE_CRASH_CHILD")
	if mode == "" {
		t.Skip("only run as the crash test's child process")
	}
	db, err := peregrine.Open(duckdbSF001)
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(3)
	}
	if mode == "start" {
		os.Exit(0) // opening swept the temporary folder
	}
	ctx := context.Background()
	if err := db.Exec(ctx, "SET memory_limit = '2MB'; SET threads = 2"); err != nil {
		fmt.Println("ERR", err)
		os.Exit(3)
	}
	stmt := crashStatements[mode]
	if mode != "spill" {
		stmt = fmt.Sprintf(stmt, os.Getenv("PEREGRINE_CRASH_TARGET"))
	}
	if err := db.Exec(ctx, stmt); err != nil {
		fmt.Println("ERR", err)
		os.Exit(3)
	}
	os.Exit(0)
}

func crashChild(t *testing.T, mode, tmp, target string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "PEREGRINE_CRASH_CHILD="+mode, "TMPDIR="+tmp, "PEREGRINE_CRASH_TARGET="+target)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd
}

func runChild(t *testing.T, mode, tmp, target string) time.Duration {
	t.Helper()
	start := time.Now()
	if err := crashChild(t, mode, tmp, target).Run(); err != nil {
		t.Fatalf("%s child: %v", mode, err)
	}
	return time.Since(start)
}

func TestCrashInjection(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	runs := 3
	if s := os.Getenv("PEREGRINE_CRASH_RUNS"); s != "" {
		runs, _ = strconv.Atoi(s)
	}
	dir := t.TempDir()
	tmp := filepath.Join(dir, "tmp")
	out := filepath.Join(dir, "out")
	os.MkdirAll(tmp, 0o755)
	os.MkdirAll(out, 0o755)
	modes := []string{"spill", "copy", "parts"}
	// One uninterrupted run of each sets the range of kill times.
	took := map[string]time.Duration{}
	for _, m := range modes {
		target := filepath.Join(out, "calibrate-"+m)
		took[m] = runChild(t, m, tmp, target)
		checkCrashState(t, m, tmp, out, target, true)
		os.RemoveAll(target)
	}
	t.Logf("uninterrupted: %v", took)
	r := rand.New(rand.NewSource(time.Now().UnixNano()))
	killedDuring := map[string][2]int{} // mode -> {target absent, complete}
	leftovers := map[string]int{}       // kills that left temporary files for the next start
	for i := 0; i < runs; i++ {
		m := modes[i%len(modes)]
		target := filepath.Join(out, fmt.Sprintf("t%02d", i))
		if m == "copy" {
			target += ".parquet"
		}
		cmd := crashChild(t, m, tmp, target)
		cmd.Stdout, cmd.Stderr = nil, nil
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(r.Int63n(int64(took[m]) * 11 / 10))
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if n := countTemp(tmp, out); n > 0 {
			leftovers[m]++
		}
		// The next start.
		runChild(t, "start", tmp, "")
		complete := checkCrashState(t, m, tmp, out, target, false)
		k := killedDuring[m]
		if complete {
			k[1]++
		} else {
			k[0]++
			if m != "spill" {
				// Re-running the interrupted COPY works.
				runChild(t, m, tmp, target)
				checkCrashState(t, m, tmp, out, target, true)
			}
		}
		killedDuring[m] = k
		if t.Failed() {
			t.Fatalf("run %d (%s, killed after %v)", i, m, delay)
		}
	}
	for _, m := range modes {
		t.Logf("%s: %d kills left no target (or no result), %d a complete one; %d left temporary files that the next start removed",
			m, killedDuring[m][0], killedDuring[m][1], leftovers[m])
	}
}

// countTemp counts the temporary files a killed child left: spill and
// scratch files in process folders, staging next to targets.
func countTemp(tmp, out string) int {
	n := 0
	for _, root := range []string{tmp, out} {
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && (strings.Contains(d.Name(), ".peregrine-") || strings.HasPrefix(d.Name(), "spill-") || strings.HasPrefix(d.Name(), "copy-")) {
				n++
			}
			return nil
		})
	}
	return n
}

// checkCrashState asserts that nothing temporary is left and that target is
// absent or complete; it reports whether the target is complete.
func checkCrashState(t *testing.T, mode, tmp, out, target string, wantComplete bool) bool {
	t.Helper()
	entries, _ := os.ReadDir(tmp)
	for _, e := range entries {
		t.Errorf("left in the temporary folder: %s", e.Name())
	}
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".peregrine-") {
			t.Errorf("staging left behind: %s", p)
		}
		return nil
	})
	if mode == "spill" {
		return false
	}
	if _, err := os.Stat(target); os.IsNotExist(err) {
		if wantComplete {
			t.Errorf("%s: target missing after a complete run", target)
		}
		return false
	}
	db, err := peregrine.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	src := "'" + target + "'"
	if mode == "parts" {
		src = "read_parquet('" + target + "/*/*/*.parquet')"
	}
	got, _, err := sltRows(context.Background(), db, "SELECT count(*) FROM "+src)
	if err != nil || len(got) != 1 || got[0] != strconv.Itoa(crashLineitemRows) {
		t.Errorf("%s: a partial target: %v %v", target, got, err)
	}
	return true
}
