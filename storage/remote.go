package storage

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	"google.golang.org/api/googleapi"
)

// sharedHTTPClient serves every object store and HTTP server: one
// connection pool, generous limits for parallel ranged reads, and
// timeouts that fail (and so retry) dead connections instead of hanging.
var sharedHTTPClient = &http.Client{Transport: &http.Transport{
	Proxy:                 http.ProxyFromEnvironment,
	DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
	MaxIdleConns:          256,
	MaxIdleConnsPerHost:   64,
	IdleConnTimeout:       90 * time.Second,
	TLSHandshakeTimeout:   10 * time.Second,
	ResponseHeaderTimeout: 60 * time.Second,
	ForceAttemptHTTP2:     true,
}}

// S3Settings are the names of DuckDB's S3 settings that SET accepts; the
// Azure one is the azure extension's.
var S3Settings = []string{"s3_region", "s3_endpoint", "s3_access_key_id", "s3_secret_access_key",
	"s3_session_token", "s3_url_style", "s3_use_ssl", "azure_storage_connection_string"}

var secretSettings = map[string]bool{"s3_secret_access_key": true, "s3_session_token": true, "azure_storage_connection_string": true}

// remotes holds a catalog's object-store settings, its secrets and the
// file systems built from them (one per bucket and configuration).
type remotes struct {
	secrets Secrets

	mu       sync.Mutex
	settings map[string]string
	fss      map[string]FileSystem
	http     *httpFS
}

func newRemotes() *remotes {
	return &remotes{settings: map[string]string{}, fss: map[string]FileSystem{},
		http: &httpFS{client: sharedHTTPClient, retry: DefaultRetry}}
}

// SetOption applies SET name = value for an object-store setting; ok is
// false when name is not one.
func (c *Catalog) SetOption(name, value string) (ok bool, err error) {
	name = strings.ToLower(name)
	if !isRemoteSetting(name) {
		return false, nil
	}
	switch name {
	case "s3_url_style":
		v := strings.ToLower(strings.TrimSpace(value))
		if v != "path" && v != "vhost" && v != "" {
			return true, fmt.Errorf("Invalid Input Error: s3_url_style must be 'path' or 'vhost', got '%s'", value)
		}
		value = v
	case "s3_use_ssl":
		if _, err := parseBool(value); err != nil {
			return true, fmt.Errorf("Invalid Input Error: s3_use_ssl must be a boolean, got '%s'", value)
		}
	}
	if secretSettings[name] {
		registerSecretValue(value)
	}
	r := c.remote
	r.mu.Lock()
	if value == "" {
		delete(r.settings, name)
	} else {
		r.settings[name] = value
	}
	r.mu.Unlock()
	return true, nil
}

// ResetOption is RESET name for an object-store setting.
func (c *Catalog) ResetOption(name string) bool {
	ok, _ := c.SetOption(name, "")
	return ok
}

// Option returns an object-store setting's value, with credentials
// redacted, for SHOW and current_setting.
func (c *Catalog) Option(name string) (string, bool) {
	name = strings.ToLower(name)
	if !isRemoteSetting(name) {
		return "", false
	}
	c.remote.mu.Lock()
	v := c.remote.settings[name]
	c.remote.mu.Unlock()
	if secretSettings[name] && v != "" {
		v = "redacted"
	}
	return v, true
}

// Secrets is the catalog's secret manager (CREATE SECRET, DROP SECRET).
func (c *Catalog) Secrets() *Secrets { return &c.remote.secrets }

func isRemoteSetting(name string) bool {
	for _, s := range S3Settings {
		if s == name {
			return true
		}
	}
	return false
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "on", "yes", "t":
		return true, nil
	case "false", "0", "off", "no", "f":
		return false, nil
	}
	return false, fmt.Errorf("not a boolean: %q", s)
}

// FileSystem returns the file system that holds path. It is the one place
// paths meet file systems: every read, listing and write of the catalog
// goes through it, and so through the access policy (sandbox.go).
func (c *Catalog) FileSystem(ctx context.Context, path string) (FileSystem, error) {
	if err := c.checkPath(path, "file"); err != nil {
		return nil, err
	}
	fsys, err := c.fileSystem(ctx, path)
	if err != nil {
		return nil, err
	}
	return c.guard(fsys), nil
}

func (c *Catalog) fileSystem(ctx context.Context, path string) (FileSystem, error) {
	switch scheme(path) {
	case "", "file":
		return c.local, nil
	case "http", "https":
		return c.remote.http, nil
	case "s3", "gs", "az":
		return c.remote.objectFS(ctx, path)
	}
	return nil, fmt.Errorf("IO Error: unsupported URL scheme in %q (supported: s3://, gs://, az://, abfss://, http(s)://, file://)", path)
}

func (r *remotes) objectFS(ctx context.Context, path string) (FileSystem, error) {
	u, err := parseObjectURL(path)
	if err != nil {
		return nil, err
	}
	root := u.root(path)
	var id string
	var build func() (objectAPI, error)
	switch u.scheme {
	case "s3":
		cfg := r.s3Config(path, "s3")
		id = "s3|" + cfg.key()
		build = func() (objectAPI, error) { return newS3API(ctx, cfg, u.bucket) }
	case "gs":
		if sec, ok := r.secrets.lookup([]string{"gcs"}, path); ok && sec.Params["key_id"] != "" {
			// HMAC keys: Cloud Storage's S3-compatible XML API.
			cfg := r.s3Config(path, "gcs")
			if cfg.endpoint == "" {
				cfg.endpoint = "storage.googleapis.com"
			}
			id = "gs-hmac|" + cfg.key()
			build = func() (objectAPI, error) { return newS3API(ctx, cfg, u.bucket) }
		} else {
			cfg := gcsFromEnv()
			id = "gs|" + cfg.key()
			build = func() (objectAPI, error) { return newGCSAPI(ctx, cfg, u.bucket) }
		}
	case "az":
		cfg := r.azureConfig(path, u.account)
		id = "az|" + cfg.id()
		build = func() (objectAPI, error) { return newAzureAPI(cfg, u.bucket) }
	}
	key := root + "|" + id
	r.mu.Lock()
	defer r.mu.Unlock()
	if fs, ok := r.fss[key]; ok {
		return fs, nil
	}
	api, err := build()
	if err != nil {
		return nil, err
	}
	fs := newObjectFS(root, api)
	r.fss[key] = fs
	return fs, nil
}

// s3Config overlays the settings and then the best matching secret.
func (r *remotes) s3Config(path, secretType string) s3Config {
	r.mu.Lock()
	set := r.settings
	c := s3Config{region: set["s3_region"], endpoint: set["s3_endpoint"], keyID: set["s3_access_key_id"],
		secret: set["s3_secret_access_key"], token: set["s3_session_token"], urlStyle: set["s3_url_style"]}
	if v, ok := set["s3_use_ssl"]; ok {
		b, _ := parseBool(v)
		c.useSSL = &b
	}
	r.mu.Unlock()
	types := []string{secretType}
	if secretType == "s3" {
		types = []string{"s3", "r2"}
	}
	sec, ok := r.secrets.lookup(types, path)
	if !ok {
		return c
	}
	p := sec.Params
	if sec.Provider == "credential_chain" {
		c.keyID, c.secret, c.token = "", "", ""
		c.profile = p["profile"]
	} else if p["key_id"] != "" || p["secret"] != "" {
		c.keyID, c.secret, c.token = p["key_id"], p["secret"], p["session_token"]
	}
	for k, dst := range map[string]*string{"region": &c.region, "endpoint": &c.endpoint, "url_style": &c.urlStyle} {
		if v := p[k]; v != "" {
			*dst = strings.ToLower(v)
			if k == "endpoint" {
				*dst = v
			}
		}
	}
	if v, ok := p["use_ssl"]; ok {
		b, _ := parseBool(v)
		c.useSSL = &b
	}
	if sec.Type == "r2" && p["account_id"] != "" && p["endpoint"] == "" {
		c.endpoint = p["account_id"] + ".r2.cloudflarestorage.com"
	}
	if sec.Type == "r2" && c.region == "" {
		c.region = "auto"
	}
	return c
}

func (r *remotes) azureConfig(path, account string) azureConfig {
	c := azureFromEnv()
	r.mu.Lock()
	if cs := r.settings["azure_storage_connection_string"]; cs != "" {
		c = azureConfig{connString: cs}
	}
	r.mu.Unlock()
	if sec, ok := r.secrets.lookup([]string{"azure"}, path); ok {
		p := sec.Params
		if sec.Provider == "config" {
			c = azureConfig{connString: p["connection_string"], account: p["account_name"], key: p["account_key"],
				sas: strings.TrimPrefix(p["sas_token"], "?"), endpoint: p["endpoint"]}
		} else if p["account_name"] != "" {
			c.account = p["account_name"]
		}
	}
	if account != "" {
		c.account = account
	}
	return c
}

// httpStatus is the HTTP status of a failed request on any provider (0
// when no response arrived).
func httpStatus(err error) int {
	if err == nil {
		return 0
	}
	var ae *awshttp.ResponseError
	if errors.As(err, &ae) {
		return ae.HTTPStatusCode()
	}
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return ge.Code
	}
	var ze *azcore.ResponseError
	if errors.As(err, &ze) {
		return ze.StatusCode
	}
	var he *httpStatusError
	if errors.As(err, &he) {
		return he.code
	}
	return 0
}

// serviceCode is the provider's error code (SlowDown, ServerBusy, …).
func serviceCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	var ze *azcore.ResponseError
	if errors.As(err, &ze) {
		return ze.ErrorCode
	}
	return ""
}
