//go:build !linux

package main

// peakRSS is not reported off Linux.
func peakRSS() int64 { return 0 }

// cpuTimes is not reported off Linux.
func cpuTimes() (user, sys float64, ok bool) { return 0, 0, false }
