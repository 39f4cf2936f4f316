package scan

import (
	"math/bits"
	"sync"
)

// Byte buffers recycled from one row group's reader to the next. Each
// reader fetches its column chunks and decompresses pages into buffers of
// its own; without reuse a TPC-H Q1 at SF 1 allocated about 130 MB of them,
// and the collector cycles that churn triggers turn on write barriers and
// mark work in every decode loop. Buffers are kept in power-of-two size
// classes so that a chunk of any size finds one that fits.
//
// Only buffers that no decoded value can point into are recycled: page
// scratch buffers (strings always get fresh ones) and the chunk bytes of
// compressed columns (an uncompressed page is decoded in place, so its
// strings point into the chunk).

const (
	minPooledClass = 12 // 4 KiB
	maxPooledClass = 28 // 256 MiB (maxPageSize)
)

var bufPools [maxPooledClass + 1]sync.Pool

// getBuf returns a buffer of length n, recycled when one is available.
func getBuf(n int) []byte {
	c := bits.Len(uint(n - 1))
	if n <= 0 || c > maxPooledClass {
		return make([]byte, n)
	}
	c = max(c, minPooledClass)
	if p, _ := bufPools[c].Get().(*[]byte); p != nil {
		return (*p)[:n]
	}
	return make([]byte, n, 1<<c)
}

// putBuf makes b available to getBuf; b must not be used afterwards.
func putBuf(b []byte) {
	c := bits.Len(uint(cap(b))) - 1
	if c < minPooledClass || c > maxPooledClass || cap(b) != 1<<c {
		return // not one of ours: let the collector have it
	}
	b = b[:0]
	bufPools[c].Put(&b)
}
