//go:build !linux

package exec

// physicalMemory is unknown off Linux: the default limit is then unlimited.
func physicalMemory() int64 { return 0 }
