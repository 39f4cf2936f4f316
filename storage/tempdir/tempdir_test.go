package tempdir

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// The helper process: takes a folder under $TEMPDIR_ROOT, writes a file
// into it, prints the folder's path and waits to be killed.
func init() {
	root := os.Getenv("TEMPDIR_TEST_ROOT")
	if root == "" {
		return
	}
	d, err := Use(root)
	if err != nil {
		os.Stdout.WriteString("ERR " + err.Error() + "\n")
		os.Exit(2)
	}
	os.WriteFile(filepath.Join(d.Path(), "spill-1.bin"), make([]byte, 1<<16), 0o600)
	os.WriteFile(filepath.Join(d.Path(), "rec-1"), []byte("x"), 0o600)
	os.Stdout.WriteString(d.Path() + "\n")
	os.Stdin.Read(make([]byte, 1)) // until killed (stdin stays open)
	time.Sleep(time.Hour)
}

func startHelper(t *testing.T, root string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "TEMPDIR_TEST_ROOT="+root)
	if _, err := cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	return cmd, line[:len(line)-1]
}

func TestSweepRemovesOnlyDeadOwners(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no flock")
	}
	root := t.TempDir()
	var recovered []string
	RegisterRecovery("rec-", func(p string) error { recovered = append(recovered, p); return nil })
	defer RegisterRecovery("rec-", func(string) error { return nil })

	live, livePath := startHelper(t, root)
	defer func() { live.Process.Kill(); live.Wait() }()
	dead, deadPath := startHelper(t, root)
	dead.Process.Kill()
	dead.Wait()
	// An old-layout folder of a pid that cannot exist, without a lock file.
	legacy := filepath.Join(root, Prefix+strconv.Itoa(1<<30))
	os.MkdirAll(legacy, 0o700)
	// Not ours to touch at all.
	other := filepath.Join(root, "something-else")
	os.MkdirAll(other, 0o700)

	removed, err := Sweep(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 2 {
		t.Fatalf("removed %v, want the dead helper's folder and the legacy one", removed)
	}
	for _, p := range []string{deadPath, legacy} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s survived the sweep", p)
		}
	}
	for _, p := range []string{livePath, other} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", p, err)
		}
	}
	if len(recovered) != 1 || recovered[0] != filepath.Join(deadPath, "rec-1") {
		t.Errorf("recovered %v, want the dead helper's record", recovered)
	}
}

func TestUseReleaseRemovesFolder(t *testing.T) {
	root := t.TempDir()
	a, err := Use(root)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Use(root)
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Fatal("two folders for one root in one process")
	}
	os.WriteFile(filepath.Join(a.Path(), "f"), nil, 0o600)
	a.Release()
	if _, err := os.Stat(a.Path()); err != nil {
		t.Fatalf("folder removed while still in use: %v", err)
	}
	// Our own live folder survives a sweep from this process.
	if removed, _ := Sweep(root); len(removed) != 0 {
		t.Fatalf("swept %v", removed)
	}
	b.Release()
	if _, err := os.Stat(a.Path()); !os.IsNotExist(err) {
		t.Fatalf("folder left after the last release: %v", err)
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 0 {
		t.Fatalf("root not empty: %v", entries)
	}
}
