package peregrine

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"weak"

	"github.com/peregrinedb/peregrine/exec"
	"github.com/peregrinedb/peregrine/storage/tempdir"
)

// Limits are per database: each DB has its own memory pool, threads and
// temp space, set through SQL (SET), the API or the DSN, and changing one
// database never changes another. Above them sits an optional process-wide
// ceiling that all databases share: a query's memory must fit both its
// database's limit and the ceiling, and its threads are capped by the
// process's. The defaults are what they were when the budget was one per
// process: every database's limit is 80% of RAM, and so is the ceiling
// their queries share.
var process = struct {
	mem *exec.MemoryPool
	mu  sync.Mutex
	// threads caps every database's threads (0: no cap).
	threads int
	// dbs are the open databases, whose limits size the Go heap's soft
	// limit (weak: a database its user dropped without Close is not kept
	// alive by this); explicit says whether any limit was ever set (until
	// then the runtime's own default stays).
	dbs      map[weak.Pointer[DB]]struct{}
	explicit bool
}{mem: exec.NewMemoryPool(exec.DefaultMemoryLimit()), dbs: map[weak.Pointer[DB]]struct{}{}}

// SetProcessMemoryLimit sets the ceiling on the memory the queries of all
// databases of the process hold together, in bytes (≤ 0: none; the default
// is 80% of RAM). Each database's own limit still applies.
func SetProcessMemoryLimit(bytes int64) {
	process.mem.SetLimit(bytes)
	process.mu.Lock()
	process.explicit = true
	process.mu.Unlock()
	updateRuntimeLimit()
}

// ProcessMemoryLimit is the process-wide ceiling (≤ 0: none).
func ProcessMemoryLimit() int64 { return process.mem.Limit() }

// ProcessMemoryUsed is what the queries of all databases hold now.
func ProcessMemoryUsed() int64 { return process.mem.Used() }

// SetProcessThreads caps the worker threads of every database's queries
// (0: no cap, the default).
func SetProcessThreads(n int) error {
	if n < 0 {
		return fmt.Errorf("Invalid Input Error: the process-wide thread ceiling must be 0 (none) or more")
	}
	process.mu.Lock()
	process.threads = n
	process.mu.Unlock()
	return nil
}

func registerDB(db *DB) {
	process.mu.Lock()
	process.dbs[weak.Make(db)] = struct{}{}
	process.mu.Unlock()
}

func unregisterDB(db *DB) {
	process.mu.Lock()
	delete(process.dbs, weak.Make(db))
	process.mu.Unlock()
	updateRuntimeLimit()
}

// SetMemoryLimit sets this database's query memory budget in bytes (≤ 0:
// unlimited, though the process-wide ceiling still applies). Operators
// spill to the temp directory instead of exceeding it.
func (db *DB) SetMemoryLimit(bytes int64) {
	db.mem.SetLimit(bytes)
	process.mu.Lock()
	process.explicit = true
	process.mu.Unlock()
	updateRuntimeLimit()
}

// updateRuntimeLimit caps Go's soft memory limit a quarter above what the
// queries may hold in total (the sum of the open databases' limits, capped
// by the ceiling). The engine's accounts bound live data, but the collector
// lets the heap grow to about twice the live data before collecting
// (GOGC=100). The soft limit follows the live heap (exec.TuneGC) and never
// goes above that cap, which makes it collect sooner instead of letting the
// process outgrow the promise.
func updateRuntimeLimit() {
	process.mu.Lock()
	defer process.mu.Unlock()
	if !process.explicit {
		return
	}
	var total int64
	for p := range process.dbs {
		db := p.Value()
		if db == nil {
			delete(process.dbs, p)
			continue
		}
		lim := db.mem.Limit()
		if lim <= 0 || total > math.MaxInt64-lim {
			total = math.MaxInt64
			break
		}
		total += lim
	}
	if c := process.mem.Limit(); c > 0 && (total == 0 || c < total) {
		total = c
	}
	if total <= 0 || total == math.MaxInt64 {
		exec.SetGCCeiling(0)
		return
	}
	exec.SetGCCeiling(total + max(total/4, 64<<20))
}

// MemoryLimit is this database's budget in bytes (≤ 0: unlimited).
func (db *DB) MemoryLimit() int64 { return db.mem.Limit() }

// MemoryUsed is what this database's running queries hold now.
func (db *DB) MemoryUsed() int64 { return db.mem.Used() }

// SetTempDir sets the folder spill files go to ("" restores the default).
func (db *DB) SetTempDir(dir string) error {
	if dir != "" {
		if st, err := os.Stat(dir); err == nil && !st.IsDir() {
			return fmt.Errorf("Invalid Input Error: temp_directory %q is not a directory", dir)
		}
		tempdir.SweepOnce(dir)
	}
	db.mu.Lock()
	db.tempDir = dir
	db.mu.Unlock()
	return nil
}

// SetMaxTempDirectorySize bounds the bytes this database's spill files may
// hold on disk (DuckDB's max_temp_directory_size): exec.TempSpaceDefault
// (90% of the free space, the default) or exec.TempSpaceUnlimited.
func (db *DB) SetMaxTempDirectorySize(bytes int64) { db.temp.SetLimit(bytes) }

// tempRoot is the folder this process's temporary folder goes in for db.
func (db *DB) tempRoot() string {
	db.mu.RLock()
	defer db.mu.RUnlock()
	return db.tempDir
}

func (db *DB) buildOptions() exec.BuildOptions {
	db.mu.RLock()
	defer db.mu.RUnlock()
	return exec.BuildOptions{Threads: db.effectiveThreads(), Memory: db.mem, TempDir: db.tempDir, TempSpace: db.temp,
		MaxRecursion: db.maxRecursion}
}

// effectiveThreads is db.threads under the process's cap; db.mu is held.
func (db *DB) effectiveThreads() int {
	process.mu.Lock()
	defer process.mu.Unlock()
	if process.threads > 0 {
		return min(db.threads, process.threads)
	}
	return db.threads
}

// setting applies one named setting from SET or the DSN.
func (db *DB) setting(name, value string, reset bool) error {
	if handled, err := db.guardSetting(name, value, reset); handled {
		return err
	}
	switch name {
	case "threads", "worker_threads":
		if reset {
			return db.SetThreads(runtime.GOMAXPROCS(0))
		}
		n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
		if err != nil {
			return fmt.Errorf("Invalid Input Error: Failed to cast value: Could not convert string '%s' to INT64", value)
		}
		if n < 1 {
			return fmt.Errorf("Syntax Error: Must have at least 1 thread!")
		}
		return db.SetThreads(int(min(n, math.MaxInt32)))
	case "memory_limit", "max_memory":
		if reset {
			db.SetMemoryLimit(exec.DefaultMemoryLimit())
			return nil
		}
		n, err := ParseBytes(value)
		if err != nil {
			return err
		}
		if n == 0 {
			// '0B' is DuckDB's "no memory at all": nothing can be held, so
			// every operator spills at once or fails. The pool reads 0 as
			// unlimited; one byte is the same promise.
			n = 1
		}
		db.SetMemoryLimit(n)
		return nil
	case "max_temp_directory_size":
		if reset {
			db.SetMaxTempDirectorySize(exec.TempSpaceDefault)
			return nil
		}
		n, err := ParseBytes(value)
		if err != nil {
			return err
		}
		if n < 0 {
			n = exec.TempSpaceUnlimited
		}
		db.SetMaxTempDirectorySize(n)
		return nil
	case "temp_directory":
		if reset {
			return db.SetTempDir("")
		}
		return db.SetTempDir(value)
	case "integer_division", "default_null_order":
		return db.sessionSetting(name, value, reset)
	case "recursive_cte_max_iterations":
		// Peregrine's own: DuckDB runs a recursive CTE until it ends.
		n := int64(0)
		if !reset {
			var err error
			if n, err = strconv.ParseInt(strings.TrimSpace(value), 10, 64); err != nil || n < 1 {
				return fmt.Errorf("Invalid Input Error: recursive_cte_max_iterations must be a positive integer, got '%s'", value)
			}
		}
		db.mu.Lock()
		db.maxRecursion = n
		db.mu.Unlock()
		return nil
	case "secret_directory":
		if reset {
			value = ""
		}
		return db.cat.Secrets().SetDirectory(value)
	case "allow_persistent_secrets":
		allow := true
		if !reset {
			b, err := strconv.ParseBool(strings.TrimSpace(value))
			if err != nil {
				return fmt.Errorf("Conversion Error: Could not convert string '%s' to BOOL", value)
			}
			allow = b
		}
		return db.cat.Secrets().SetAllowPersistent(allow)
	}
	// The object stores' settings (s3_region, s3_endpoint, ...) live in
	// the catalog, which resolves every path.
	if reset {
		if db.cat.ResetOption(name) {
			return nil
		}
	} else if ok, err := db.cat.SetOption(name, value); ok {
		return err
	}
	return fmt.Errorf("Catalog Error: unrecognized configuration parameter %q", name)
}

// ParseBytes parses a size as DuckDB's memory settings do: a number, then
// a unit - B, KB/MB/GB/TB (powers of 1000, also K, M, G, T and the words),
// KiB/MiB/GiB/TiB (powers of 1024) - with spaces allowed around them. A
// negative number means no limit (-1); a size past what 64 bits hold is an
// error, as in DuckDB, with its messages.
func ParseBytes(s string) (int64, error) {
	t := strings.TrimLeft(s, " \t\n\r")
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.' || t[i] == 'e' || t[i] == 'E' || t[i] == '-') {
		i++
	}
	if i == 0 {
		return 0, fmt.Errorf("Parser Error: Memory must have a number (e.g. 1GB)")
	}
	f, err := strconv.ParseFloat(t[:i], 64)
	if err != nil {
		return 0, fmt.Errorf("Parser Error: Memory must have a number (e.g. 1GB)")
	}
	rest := strings.TrimLeft(t[i:], " \t\n\r")
	unit, _, _ := strings.Cut(rest, " ")
	if f < 0 {
		return -1, nil
	}
	unit = strings.ToLower(unit)
	mult, ok := memoryUnits[unit]
	if !ok {
		return 0, fmt.Errorf("Parser Error: Unknown unit for memory: '%s' (expected: KB, MB, GB, TB for 1000^i units or KiB, MiB, GiB, TiB for 1024^i units)", unit)
	}
	v := f * mult
	if v >= math.MaxUint64 {
		return 0, fmt.Errorf("Parser Error: Memory value out of range: value is too large")
	}
	if v >= math.MaxInt64 {
		return math.MaxInt64, nil
	}
	return int64(v), nil
}

var memoryUnits = map[string]float64{
	"b": 1, "byte": 1, "bytes": 1,
	"k": 1e3, "kb": 1e3, "kilobyte": 1e3, "kilobytes": 1e3,
	"m": 1e6, "mb": 1e6, "megabyte": 1e6, "megabytes": 1e6,
	"g": 1e9, "gb": 1e9, "gigabyte": 1e9, "gigabytes": 1e9,
	"t": 1e12, "tb": 1e12, "terabyte": 1e12, "terabytes": 1e12,
	"kib": 1 << 10, "kibibyte": 1 << 10, "kibibytes": 1 << 10,
	"mib": 1 << 20, "mebibyte": 1 << 20, "mebibytes": 1 << 20,
	"gib": 1 << 30, "gibibyte": 1 << 30, "gibibytes": 1 << 30,
	"tib": 1 << 40, "tebibyte": 1 << 40, "tebibytes": 1 << 40,
}
