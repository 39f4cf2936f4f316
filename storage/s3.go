package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go/logging"
)

// s3Config is the resolved configuration of one S3 (or S3-compatible)
// bucket: the providers' standard chain (AWS_* variables, shared config
// and profiles, instance roles) overlaid by DuckDB's s3_* settings and
// then by a matching secret.
type s3Config struct {
	region, endpoint     string
	keyID, secret, token string
	urlStyle             string // "path", "vhost" or "" (path with a custom endpoint)
	useSSL               *bool
	profile              string
}

// key identifies clients that can be shared.
func (c s3Config) key() string {
	ssl := "-"
	if c.useSSL != nil {
		ssl = fmt.Sprint(*c.useSSL)
	}
	return strings.Join([]string{c.region, c.endpoint, c.keyID, fingerprint(c.secret), fingerprint(c.token), c.urlStyle, ssl, c.profile}, "|")
}

// endpointURL turns DuckDB's s3_endpoint ("host:port", no scheme) into a
// URL using s3_use_ssl; an endpoint with a scheme is taken as is.
func (c s3Config) endpointURL() string {
	ep := c.endpoint
	if ep == "" {
		return ""
	}
	if strings.Contains(ep, "://") {
		return strings.TrimRight(ep, "/")
	}
	if c.useSSL != nil && !*c.useSSL {
		return "http://" + strings.TrimRight(ep, "/")
	}
	return "https://" + strings.TrimRight(ep, "/")
}

// newS3API builds a client for one bucket. The SDK's own retries are off:
// objectFS retries every call under one policy.
func newS3API(ctx context.Context, c s3Config, bucket string) (*s3API, error) {
	opts := []func(*config.LoadOptions) error{
		// Errors are returned, never logged (they could name a bucket
		// layout in a shared log; credentials never appear in either).
		config.WithLogger(logging.Nop{}),
		config.WithClientLogMode(0),
		config.WithRetryer(func() aws.Retryer { return aws.NopRetryer{} }),
		// A buildable client, so that the SDK can add AWS_CA_BUNDLE's
		// certificates; same pool limits as the other stores.
		config.WithHTTPClient(awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
			tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 256, 64
			tr.ResponseHeaderTimeout = 60 * time.Second
		})),
		// Third-party servers (MinIO, Ceph, R2, older versions) do not all
		// accept the newer trailing checksums; send them only when required.
		config.WithRequestChecksumCalculation(aws.RequestChecksumCalculationWhenRequired),
		config.WithResponseChecksumValidation(aws.ResponseChecksumValidationWhenRequired),
	}
	if c.region != "" {
		opts = append(opts, config.WithRegion(c.region))
	}
	if c.profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(c.profile))
	}
	if c.keyID != "" {
		opts = append(opts, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(c.keyID, c.secret, c.token)))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("IO Error: S3 configuration: %v", scrub(err))
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	ep := c.endpointURL()
	custom := ep != "" || cfg.BaseEndpoint != nil || os.Getenv("AWS_ENDPOINT_URL_S3") != ""
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		if ep != "" {
			o.BaseEndpoint = aws.String(ep)
		}
		switch c.urlStyle {
		case "path":
			o.UsePathStyle = true
		case "vhost":
			o.UsePathStyle = false
		default:
			// MinIO, Ceph and most S3-compatible servers are addressed
			// by path; AWS itself by virtual host.
			o.UsePathStyle = custom
		}
	})
	return &s3API{c: client, bucket: bucket}, nil
}

type s3API struct {
	c      *s3.Client
	bucket string
}

func (a *s3API) head(ctx context.Context, key string) (objInfo, error) {
	out, err := a.c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &a.bucket, Key: &key})
	if err != nil {
		return objInfo{}, err
	}
	return objInfo{key: key, size: aws.ToInt64(out.ContentLength), mtime: aws.ToTime(out.LastModified), etag: aws.ToString(out.ETag)}, nil
}

func (a *s3API) get(ctx context.Context, key string, off, n int64, etag string) (io.ReadCloser, error) {
	in := &s3.GetObjectInput{Bucket: &a.bucket, Key: &key, Range: aws.String(fmt.Sprintf("bytes=%d-%d", off, off+n-1))}
	if etag != "" {
		in.IfMatch = aws.String(etag)
	}
	out, err := a.c.GetObject(ctx, in)
	if err != nil {
		if httpStatus(err) == 412 {
			return nil, fmt.Errorf("s3://%s/%s %w", a.bucket, key, errChanged)
		}
		return nil, err
	}
	if etag != "" && out.ETag != nil && *out.ETag != etag {
		out.Body.Close()
		return nil, fmt.Errorf("s3://%s/%s %w", a.bucket, key, errChanged)
	}
	return out.Body, nil
}

func (a *s3API) list(ctx context.Context, prefix string, delim bool, token string) ([]objInfo, []string, string, error) {
	in := &s3.ListObjectsV2Input{Bucket: &a.bucket, Prefix: &prefix}
	if delim {
		in.Delimiter = aws.String("/")
	}
	if token != "" {
		in.ContinuationToken = &token
	}
	out, err := a.c.ListObjectsV2(ctx, in)
	if err != nil {
		return nil, nil, "", err
	}
	objs := make([]objInfo, 0, len(out.Contents))
	for _, o := range out.Contents {
		objs = append(objs, objInfo{key: aws.ToString(o.Key), size: aws.ToInt64(o.Size), mtime: aws.ToTime(o.LastModified), etag: aws.ToString(o.ETag)})
	}
	var subs []string
	for _, p := range out.CommonPrefixes {
		subs = append(subs, aws.ToString(p.Prefix))
	}
	next := ""
	if aws.ToBool(out.IsTruncated) {
		next = aws.ToString(out.NextContinuationToken)
		if next == "" {
			return nil, nil, "", errors.New("listing is truncated but has no continuation token")
		}
	}
	return objs, subs, next, nil
}

func (a *s3API) put(ctx context.Context, key string, data []byte) error {
	_, err := a.c.PutObject(ctx, &s3.PutObjectInput{Bucket: &a.bucket, Key: &key, Body: bytes.NewReader(data), ContentLength: aws.Int64(int64(len(data)))})
	return err
}

func (a *s3API) del(ctx context.Context, key string) error {
	_, err := a.c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &a.bucket, Key: &key})
	return err
}

func (a *s3API) startMultipart(ctx context.Context, key string) (multipart, error) {
	out, err := a.c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: &a.bucket, Key: &key})
	if err != nil {
		return nil, err
	}
	return &s3Multipart{a: a, key: key, id: aws.ToString(out.UploadId)}, nil
}

// s3Multipart is a multipart upload: the object exists only once
// CompleteMultipartUpload succeeds.
type s3Multipart struct {
	a         *s3API
	key, id   string
	parts     []types.CompletedPart
	completes int
}

func (m *s3Multipart) part(ctx context.Context, n int, data []byte) error {
	out, err := m.a.c.UploadPart(ctx, &s3.UploadPartInput{Bucket: &m.a.bucket, Key: &m.key, UploadId: &m.id,
		PartNumber: aws.Int32(int32(n)), Body: bytes.NewReader(data), ContentLength: aws.Int64(int64(len(data)))})
	if err != nil {
		return err
	}
	for len(m.parts) < n {
		m.parts = append(m.parts, types.CompletedPart{})
	}
	m.parts[n-1] = types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(int32(n))}
	return nil
}

func (m *s3Multipart) complete(ctx context.Context) error {
	m.completes++
	_, err := m.a.c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: &m.a.bucket, Key: &m.key, UploadId: &m.id,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: m.parts}})
	if err != nil && m.completes > 1 && httpStatus(err) == 404 {
		// An earlier attempt completed the upload but its answer was
		// lost: the upload is gone and the object is there.
		if _, herr := m.a.head(ctx, m.key); herr == nil {
			return nil
		}
	}
	return err
}

func (m *s3Multipart) abort(ctx context.Context) error {
	_, err := m.a.c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: &m.a.bucket, Key: &m.key, UploadId: &m.id})
	if httpStatus(err) == 404 {
		return nil
	}
	return err
}
