package objtest

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// TraceEntry is one request the proxy served while tracing: when it
// arrived and when its response was complete, relative to StartTrace.
type TraceEntry struct {
	Kind       string // GET, HEAD, LIST, PUT, ...
	Path       string
	Range      string
	Start, End time.Duration
	Bytes      int64
}

type tracer struct {
	mu      sync.Mutex
	on      bool
	t0      time.Time
	entries []TraceEntry
}

// StartTrace begins recording every request (dropping what an earlier
// trace recorded), to see which requests of a query overlap.
func (p *Proxy) StartTrace() {
	p.trace.mu.Lock()
	p.trace.on, p.trace.t0, p.trace.entries = true, time.Now(), nil
	p.trace.mu.Unlock()
}

// StopTrace stops recording and returns the requests, by start time.
func (p *Proxy) StopTrace() []TraceEntry {
	p.trace.mu.Lock()
	defer p.trace.mu.Unlock()
	p.trace.on = false
	out := p.trace.entries
	p.trace.entries = nil
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// traceBegin returns the function that records r when its response is done
// (nil when not tracing).
func (p *Proxy) traceBegin(r *http.Request, kind string) func(bytes int64) {
	p.trace.mu.Lock()
	on, t0 := p.trace.on, p.trace.t0
	p.trace.mu.Unlock()
	if !on {
		return nil
	}
	start := time.Since(t0)
	return func(bytes int64) {
		e := TraceEntry{Kind: kind, Path: r.URL.Path, Range: r.Header.Get("Range"), Start: start, End: time.Since(t0), Bytes: bytes}
		if kind == "LIST" {
			e.Path += "?" + r.URL.RawQuery
		}
		p.trace.mu.Lock()
		if p.trace.on {
			p.trace.entries = append(p.trace.entries, e)
		}
		p.trace.mu.Unlock()
	}
}

// WriteTrace prints entries as a timeline: one line per request with its
// start and end in milliseconds, and how many requests were in flight when
// it started (1 means it waited alone: a serial round trip).
func WriteTrace(w io.Writer, entries []TraceEntry) {
	for i, e := range entries {
		inflight := 0
		for _, o := range entries[:i] {
			if o.End > e.Start {
				inflight++
			}
		}
		fmt.Fprintf(w, "%7.1f %7.1f  %2d  %-4s %8d  %s %s\n", ms(e.Start), ms(e.End), inflight+1, e.Kind, e.Bytes,
			strings.TrimPrefix(e.Path, "/"), strings.TrimPrefix(e.Range, "bytes="))
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// countingWriter counts the body bytes of one traced response.
type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.ResponseWriter.Write(b)
	c.n += int64(n)
	return n, err
}

func (c *countingWriter) Flush() {
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
