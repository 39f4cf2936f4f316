// Package objtest starts object-store servers on 127.0.0.1 for tests: an
// in-process S3 server (gofakes3), a GCS emulator (fake-gcs-server's
// fakestorage), Azure's emulator Azurite (when installed: npm azurite),
// and a proxy that adds latency and injects faults in front of any of
// them, counting requests and bytes. sigv4.go lets the S3 server check
// request signatures (RequireAuth).
//
// Only tests import it; the peregrine binary does not link it.
//
// Files:
//
//	objtest.go  the S3 server (gofakes3), uploads and environment helpers
//	sigv4.go    RequireAuth: the S3 server checks request signatures
//	gcs.go      the GCS emulator (fakestorage)
//	azurite.go  Azurite, started when installed
//	proxy.go    the fault- and latency-injecting proxy, with request and byte counts
//	trace.go    the proxy's request trace (start, end, bytes of each request) and its timeline
package objtest
