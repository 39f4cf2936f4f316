//go:build !unix

package main

import "time"

// cpuTime is not measured here (--tpch reports 0).
func cpuTime() time.Duration { return 0 }
