package peregrine

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/exec"
)

// processMemory is the one memory budget of the process: every DB and every
// running query draws on it, so opening more databases does not multiply
// the promise.
var processMemory = exec.NewMemoryPool(exec.DefaultMemoryLimit())

// SetMemoryLimit sets the process's query memory budget in bytes (≤ 0:
// unlimited). Operators spill to the temp directory instead of exceeding it.
//
// The engine's accounts bound live data, but Go's collector lets the heap
// grow to about twice the live data before collecting (GOGC=100). The
// runtime's soft limit follows the live heap (exec.TuneGC) and never goes
// above a quarter over the budget, which makes it collect sooner instead
// of letting the process outgrow the promise.
func (db *DB) SetMemoryLimit(bytes int64) {
	db.mem.SetLimit(bytes)
	if bytes > 0 {
		exec.SetGCCeiling(bytes + max(bytes/4, 64<<20))
	} else {
		exec.SetGCCeiling(0)
	}
}

// MemoryLimit is the current budget in bytes (≤ 0: unlimited).
func (db *DB) MemoryLimit() int64 { return db.mem.Limit() }

// MemoryUsed is what running queries hold now.
func (db *DB) MemoryUsed() int64 { return db.mem.Used() }

// SetTempDir sets the folder spill files go to ("" restores the default).
func (db *DB) SetTempDir(dir string) error {
	if dir != "" {
		if st, err := os.Stat(dir); err == nil && !st.IsDir() {
			return fmt.Errorf("Invalid Input Error: temp_directory %q is not a directory", dir)
		}
	}
	db.mu.Lock()
	db.tempDir = dir
	db.mu.Unlock()
	return nil
}

func (db *DB) buildOptions() exec.BuildOptions {
	db.mu.RLock()
	defer db.mu.RUnlock()
	return exec.BuildOptions{Threads: db.threads, Memory: db.mem, TempDir: db.tempDir}
}

// ParseBytes parses a size like DuckDB's settings do: '2GB', '512 MiB',
// '1.5GB', '1000' (bytes). KB/MB/GB/TB are powers of 1000, KiB/MiB/GiB/TiB
// of 1024.
func ParseBytes(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("Parser Error: could not parse memory size %q (use e.g. '2GB' or '512MiB')", s)
	}
	mult := map[string]float64{
		"": 1, "b": 1, "byte": 1, "bytes": 1,
		"kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
		"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
		"k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12,
	}[unit]
	if mult == 0 {
		return 0, fmt.Errorf("Parser Error: unknown unit %q in memory size %q", unit, s)
	}
	return int64(f * mult), nil
}
