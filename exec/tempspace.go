package exec

import (
	"fmt"
	"math"
	"sync/atomic"
)

// TempSpace bounds the bytes a database's spill files hold on disk at once
// (DuckDB's max_temp_directory_size). By default the bound is 90% of the
// space free on the temp directory's file system when spilling starts, so
// a runaway query stops with an error instead of filling the disk. A nil
// *TempSpace is unlimited.
type TempSpace struct {
	limit atomic.Int64 // bytes; TempSpaceDefault or TempSpaceUnlimited
	used  atomic.Int64
	dflt  atomic.Int64 // the default bound, set when usage starts from zero
}

const (
	// TempSpaceDefault: 90% of the free disk space (the default).
	TempSpaceDefault int64 = -1
	// TempSpaceUnlimited: no bound.
	TempSpaceUnlimited int64 = math.MaxInt64
)

// NewTempSpace returns a budget with the default bound.
func NewTempSpace() *TempSpace {
	t := &TempSpace{}
	t.limit.Store(TempSpaceDefault)
	return t
}

// SetLimit sets the bound in bytes (TempSpaceDefault, TempSpaceUnlimited).
func (t *TempSpace) SetLimit(n int64) { t.limit.Store(n) }

// Limit returns the bound as set.
func (t *TempSpace) Limit() int64 { return t.limit.Load() }

// Used is what spill files hold now.
func (t *TempSpace) Used() int64 {
	if t == nil {
		return 0
	}
	return t.used.Load()
}

// grow books n bytes about to be written under dir; it fails past the
// bound, changing nothing.
func (t *TempSpace) grow(n int64, dir string) error {
	if t == nil {
		return nil
	}
	u := t.used.Add(n)
	lim := t.limit.Load()
	if lim == TempSpaceDefault {
		if u == n || t.dflt.Load() == 0 {
			free := diskFree(dir)
			if free < 0 {
				free = math.MaxInt64 / 10 * 9
			}
			t.dflt.Store(max(free/10*9, 1))
		}
		lim = t.dflt.Load()
	}
	if u > lim {
		t.used.Add(-n)
		return &TempSpaceError{Block: n, Used: u - n, Limit: lim}
	}
	return nil
}

func (t *TempSpace) shrink(n int64) {
	if t != nil {
		t.used.Add(-n)
	}
}

// TempSpaceError stops a query whose spill files would pass
// max_temp_directory_size; DuckDB's message.
type TempSpaceError struct {
	Block, Used, Limit int64
}

// Error is DuckDB's message for a spill that would pass
// max_temp_directory_size, with the block size, the space used and the
// limit.
func (e *TempSpaceError) Error() string {
	return fmt.Sprintf("Out of Memory Error: failed to offload data block of size %s (%s/%s used).\n"+
		"This limit was set by the 'max_temp_directory_size' setting.\n"+
		"By default, this setting utilizes the available disk space on the drive where the 'temp_directory' is located.\n"+
		"You can adjust this setting, by using (for example) PRAGMA max_temp_directory_size='10GiB'",
		FormatBytes(e.Block), FormatBytes(e.Used), FormatBytes(e.Limit))
}

// FormatBytes prints a size as DuckDB's settings and messages do: bytes
// below 1 KiB, else one decimal in the largest binary unit.
func FormatBytes(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d bytes", n)
	}
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB"}
	f := float64(n) / 1024
	u := 0
	for f >= 1024 && u < len(units)-1 {
		f /= 1024
		u++
	}
	// DuckDB truncates to one decimal rather than rounding.
	return fmt.Sprintf("%.1f %s", math.Floor(f*10)/10, units[u])
}
