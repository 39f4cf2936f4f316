package objtest

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// RequireAuth makes the server answer 403 to every request not signed
// (AWS Signature Version 4, header form) with this access key and secret,
// as S3 does: tests can then tell right credentials from wrong ones.
func (s *S3) RequireAuth(keyID, secret string) { s.auth.Store(&[2]string{keyID, secret}) }

func (s *S3) serve(w http.ResponseWriter, r *http.Request) {
	if a := s.auth.Load(); a != nil {
		if code, ok := checkSigV4(r, a[0], a[1]); !ok {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>` + code + `</Code><Message>denied by the test server</Message></Error>`))
			return
		}
	}
	s.inner.ServeHTTP(w, r)
}

// checkSigV4 recomputes the request's signature with the expected secret
// over the headers the client signed and compares it with the one sent.
func checkSigV4(r *http.Request, keyID, secret string) (code string, ok bool) {
	rest, ok := strings.CutPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ")
	if !ok {
		return "AccessDenied", false
	}
	fields := map[string]string{}
	for _, f := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(f), "=")
		fields[k] = v
	}
	scope := strings.Split(fields["Credential"], "/")
	if len(scope) != 5 || scope[0] != keyID {
		return "InvalidAccessKeyId", false
	}
	at, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return "AccessDenied", false
	}
	u := *r.URL
	u.Scheme, u.Host = "http", r.Host
	req, err := http.NewRequest(r.Method, u.String(), nil)
	if err != nil {
		return "AccessDenied", false
	}
	req.Host = r.Host
	for _, h := range strings.Split(fields["SignedHeaders"], ";") {
		switch h {
		case "host":
		case "content-length":
			req.ContentLength = r.ContentLength
		default:
			req.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	creds := aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret, SessionToken: r.Header.Get("X-Amz-Security-Token")}
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	if err := signer.SignHTTP(context.Background(), creds, req, r.Header.Get("X-Amz-Content-Sha256"), scope[3], scope[2], at); err != nil {
		return "AccessDenied", false
	}
	_, want, _ := strings.Cut(req.Header.Get("Authorization"), "Signature=")
	if want == "" || want != fields["Signature"] {
		return "SignatureDoesNotMatch", false
	}
	return "", true
}
