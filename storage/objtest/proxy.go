package objtest

import (
	"bytes"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Faults says what the proxy does to requests. Probabilities are per
// request and exclusive (one fault at most per request).
type Faults struct {
	// Latency is added to every request before it is forwarded.
	Latency time.Duration
	// Throttle answers 503 SlowDown (S3's throttling) or 429, alternately.
	Throttle float64
	// ServerError answers 500 InternalError.
	ServerError float64
	// CutBody forwards the request but drops the connection halfway
	// through the response body.
	CutBody float64
	// Slow delays the response by SlowDelay, then trickles the body.
	Slow      float64
	SlowDelay time.Duration
	// Fail, when set, decides per request whether to answer 503 (for
	// tests that target one kind of request, e.g. the third PUT).
	Fail func(r *http.Request) bool
}

// Proxy forwards to a server, adding latency and faults and counting
// requests and response bytes.
type Proxy struct {
	URL    string
	target string

	mu     sync.Mutex
	faults Faults
	rng    *rand.Rand
	flip   bool

	Requests, BytesOut, Injected atomic.Int64
	byMethod                     sync.Map // method → *atomic.Int64

	trace tracer
}

// StartProxy starts a proxy to target (a server URL); it stops when the
// test ends. The fault sequence is deterministic for a given seed.
func StartProxy(t testing.TB, target string, seed uint64) *Proxy {
	p := &Proxy{target: strings.TrimRight(target, "/"), rng: rand.New(rand.NewPCG(seed, 0x5eed))}
	srv := httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// SetFaults replaces the fault settings.
func (p *Proxy) SetFaults(f Faults) {
	p.mu.Lock()
	p.faults = f
	p.mu.Unlock()
}

// Count returns the requests seen with the given method; listings count
// as "LIST", not "GET".
func (p *Proxy) Count(method string) int64 {
	if v, ok := p.byMethod.Load(method); ok {
		return v.(*atomic.Int64).Load()
	}
	return 0
}

// ResetCounts zeroes the counters.
func (p *Proxy) ResetCounts() {
	p.Requests.Store(0)
	p.BytesOut.Store(0)
	p.Injected.Store(0)
	p.byMethod.Range(func(k, _ any) bool { p.byMethod.Delete(k); return true })
}

type fault int

const (
	none fault = iota
	throttle
	serverError
	cutBody
	slow
)

func (p *Proxy) pick(r *http.Request) (Faults, fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f := p.faults
	if f.Fail != nil && f.Fail(r) {
		return f, throttle
	}
	x := p.rng.Float64()
	switch {
	case x < f.Throttle:
		return f, throttle
	case x < f.Throttle+f.ServerError:
		return f, serverError
	case x < f.Throttle+f.ServerError+f.CutBody:
		return f, cutBody
	case x < f.Throttle+f.ServerError+f.CutBody+f.Slow:
		return f, slow
	}
	return f, none
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	p.Requests.Add(1)
	kind := r.Method
	if q := r.URL.Query(); r.Method == "GET" && (q.Has("list-type") || q.Has("prefix") || q.Get("comp") == "list") {
		kind = "LIST"
	}
	v, _ := p.byMethod.LoadOrStore(kind, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
	if done := p.traceBegin(r, kind); done != nil {
		cw := &countingWriter{ResponseWriter: w}
		w = cw
		defer func() { done(cw.n) }()
	}
	f, what := p.pick(r)
	if f.Latency > 0 {
		time.Sleep(f.Latency)
	}
	body, _ := io.ReadAll(r.Body)
	switch what {
	case throttle:
		p.Injected.Add(1)
		p.mu.Lock()
		p.flip = !p.flip
		flip := p.flip
		p.mu.Unlock()
		if flip {
			writeError(w, 503, "SlowDown", "Please reduce your request rate.")
		} else {
			writeError(w, 429, "TooManyRequests", "Too many requests.")
		}
		return
	case serverError:
		p.Injected.Add(1)
		writeError(w, 500, "InternalError", "We encountered an internal error. Please try again.")
		return
	}
	out, err := http.NewRequestWithContext(r.Context(), r.Method, p.target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), 502)
		return
	}
	out.Header = r.Header.Clone()
	out.Host = r.Host
	out.ContentLength = int64(len(body))
	resp, err := http.DefaultTransport.RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), 502)
		return
	}
	defer resp.Body.Close()
	for k, vs := range resp.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if what == slow && f.SlowDelay > 0 {
		p.Injected.Add(1)
		time.Sleep(f.SlowDelay)
	}
	w.WriteHeader(resp.StatusCode)
	if what == cutBody && resp.ContentLength > 16 {
		p.Injected.Add(1)
		n, _ := io.CopyN(w, resp.Body, resp.ContentLength/2)
		p.BytesOut.Add(n)
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		// Abort the response: the client sees the connection close
		// before the announced length arrived.
		panic(http.ErrAbortHandler)
	}
	if what == slow {
		// Trickle: small writes with pauses.
		buf := make([]byte, 32<<10)
		for {
			n, err := resp.Body.Read(buf)
			if n > 0 {
				w.Write(buf[:n])
				p.BytesOut.Add(int64(n))
				if fl, ok := w.(http.Flusher); ok {
					fl.Flush()
				}
				time.Sleep(time.Millisecond)
			}
			if err != nil {
				return
			}
		}
	}
	n, _ := io.Copy(w, resp.Body)
	p.BytesOut.Add(n)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<Error><Code>"+code+"</Code><Message>"+msg+"</Message></Error>")
}
