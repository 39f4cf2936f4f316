package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"syscall"
	"time"
)

// RetryPolicy bounds how object-store requests are retried: throttling
// (503 SlowDown, 429), server errors (5xx), request timeouts and dropped
// connections are tried again after an exponentially growing, jittered
// pause; anything else (403, 404, a bad request) fails at once.
type RetryPolicy struct {
	Attempts int           // total tries, the first included
	Base     time.Duration // pause before the second try
	Max      time.Duration // cap on one pause
}

// DefaultRetry is what every object store uses unless a test swaps it:
// 10 tries spread over about 20 seconds in the worst case.
var DefaultRetry = RetryPolicy{Attempts: 10, Base: 50 * time.Millisecond, Max: 5 * time.Second}

// pause is the full-jitter backoff before try n (n ≥ 1 is the retry count).
func (p RetryPolicy) pause(n int) time.Duration {
	d := p.Base << min(n-1, 20)
	if d <= 0 || d > p.Max {
		d = p.Max
	}
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// do runs fn until it succeeds, fails with an error that retrying cannot
// fix, ctx is done, or the tries run out. The final error names the
// operation and the URL, never credentials.
func (p RetryPolicy) do(ctx context.Context, op, url string, fn func(ctx context.Context) error) error {
	var err error
	for n := 0; ; n++ {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		err = fn(ctx)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !retryable(err) {
			return wrapStoreErr(op, url, err, n+1)
		}
		if n+1 >= p.Attempts {
			return wrapStoreErr(op, url, err, n+1)
		}
		t := time.NewTimer(p.pause(n + 1))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// StoreError is a failed object-store request after its retries.
type StoreError struct {
	Op, URL  string
	Attempts int
	Status   int // HTTP status, 0 when none was received
	Err      error
}

// Error names the request, the URL and the attempts, then the last failure.
func (e *StoreError) Error() string {
	msg := fmt.Sprintf("IO Error: %s %s failed", e.Op, e.URL)
	if e.Attempts > 1 {
		msg += fmt.Sprintf(" after %d attempts", e.Attempts)
	}
	return msg + ": " + e.Err.Error()
}

// Unwrap returns the last attempt's error, for errors.Is and errors.As.
func (e *StoreError) Unwrap() error { return e.Err }

func wrapStoreErr(op, url string, err error, attempts int) error {
	var se *StoreError
	if errors.As(err, &se) {
		return err
	}
	st := httpStatus(err)
	if st == 404 {
		err = fmtNotFound(err)
	}
	return &StoreError{Op: op, URL: url, Attempts: attempts, Status: st, Err: scrub(err)}
}

// fmtNotFound keeps a 404's message but makes it match fs.ErrNotExist.
func fmtNotFound(err error) error {
	return fmt.Errorf("%w (%s)", errNotExistSentinel, firstLine(err.Error()))
}

var errNotExistSentinel = errNotFound("object").(interface{ Unwrap() error }).Unwrap()

// retryable says whether trying the same request again may succeed.
func retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var perm permanent
	if errors.Is(err, errChanged) || errors.As(err, &perm) {
		return false
	}
	switch st := httpStatus(err); {
	case st == 408 || st == 429 || st >= 500:
		return true
	case st >= 300:
		return false
	}
	if code := serviceCode(err); code != "" {
		switch code {
		case "SlowDown", "Throttling", "ThrottlingException", "RequestTimeout", "InternalError",
			"ServiceUnavailable", "RequestTimeTooSkewed", "ServerBusy", "OperationTimedOut":
			return true
		}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) || errors.Is(err, errShortBody) {
		return true
	}
	var de *net.DNSError
	if errors.As(err, &de) && de.IsNotFound {
		return false // a wrong endpoint or bucket name: retrying cannot help
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return true
	}
	// SDKs flatten some transport errors into strings.
	s := err.Error()
	for _, frag := range []string{"connection reset", "broken pipe", "unexpected EOF", "server closed", "connection refused",
		"use of closed network connection", "http2: ", "timeout"} {
		if strings.Contains(s, frag) {
			return true
		}
	}
	return false
}

// errShortBody is a response body that ended before its announced length.
var errShortBody = errors.New("response body ended early")

// errChanged is a file whose version changed while a query read it.
var errChanged = errors.New("changed while being read; run the query again")

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// ioError prefixes DuckDB's error class once.
func ioError(err error) error {
	if err == nil || strings.HasPrefix(err.Error(), "IO Error: ") || errors.Is(err, ErrPermission) {
		return err
	}
	return fmt.Errorf("IO Error: %w", err)
}
