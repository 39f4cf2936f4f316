package storage

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Secret is what CREATE SECRET stores: credentials and settings for the
// URLs under its scope. Parameter names are DuckDB's, lower case (key_id,
// secret, session_token, region, endpoint, url_style, use_ssl, account_id,
// connection_string, account_name, …).
type Secret struct {
	Name string
	// Type is s3, r2, gcs or azure.
	Type string
	// Provider is "config" (the parameters given) or "credential_chain"
	// (the provider's standard chain, optionally with a profile).
	Provider string
	// Scope lists URL prefixes the secret applies to; empty means every
	// URL of its type. The longest matching prefix wins.
	Scope  []string
	Params map[string]string
	// Persistent secrets are written to the secret directory and found
	// again by later processes (CREATE PERSISTENT SECRET); the others live
	// in memory for the life of the database.
	Persistent bool
}

// secretParams lists, per type, the parameters CREATE SECRET accepts; the
// ones marked true are credentials, which are redacted when listed.
var secretParams = map[string]map[string]bool{
	"s3": {"key_id": false, "secret": true, "session_token": true, "region": false, "endpoint": false,
		"url_style": false, "use_ssl": false, "profile": false, "chain": false, "url_compatibility_mode": false,
		"account_id": false, "kms_key_id": false, "validation": false, "refresh": false},
	"azure": {"connection_string": true, "account_name": false, "account_key": true, "sas_token": true,
		"endpoint": false, "chain": false, "tenant_id": false, "client_id": false, "client_secret": true},
	"http": {"bearer_token": true, "extra_http_headers": true},
}

func init() {
	secretParams["r2"] = secretParams["s3"]
	secretParams["gcs"] = secretParams["s3"]
}

// secretTypeOf is the secret type that serves a URL scheme.
func secretTypesFor(sch string) []string {
	switch sch {
	case "s3":
		return []string{"s3", "r2"}
	case "gs":
		return []string{"gcs"}
	case "az":
		return []string{"azure"}
	case "http", "https":
		return []string{"http"}
	}
	return nil
}

// Secrets is the secret manager of a database: temporary (in memory)
// secrets and persistent ones (files in the secret directory, see
// secrets_persist.go), by name; one name may be in both.
type Secrets struct {
	mu     sync.RWMutex
	byName map[string]Secret // temporary
	stored map[string]Secret // persistent, read from the directory on first use
	// gen changes with every change, so cached clients built from an older
	// set of secrets are not reused.
	gen int

	dir       string // SET secret_directory, when dirSet
	dirSet    bool
	noPersist bool  // SET allow_persistent_secrets = false
	used      bool  // settings are fixed once the manager is used
	loadErr   error // a persistent secret that could not be read
}

// defaultScopes are the URL prefixes a secret without SCOPE serves, per
// type (DuckDB's defaults).
var defaultScopes = map[string][]string{
	"s3": {"s3://", "s3n://", "s3a://"}, "r2": {"r2://"}, "gcs": {"gcs://", "gs://"},
	"azure": {"azure://", "az://", "abfss://", "abfs://"}, "http": {"http://", "https://"},
}

// Create stores a secret. An unnamed secret is named __default_TYPE like
// DuckDB's. replace is CREATE OR REPLACE; ifNotExists keeps an existing one.
// Errors never quote a parameter's value.
func (s *Secrets) Create(sec Secret, replace, ifNotExists bool) error {
	sec.Type = strings.ToLower(sec.Type)
	allowed, ok := secretParams[sec.Type]
	if !ok {
		return fmt.Errorf("Invalid Input Error: Secret type '%s' not found", sec.Type)
	}
	provider, which := strings.ToLower(sec.Provider), ""
	switch provider {
	case "":
		provider, which = "config", "default "
	case "config", "credential_chain":
	default:
		return fmt.Errorf("Invalid Input Error: Secret provider '%s' not found for type '%s'", provider, sec.Type)
	}
	sec.Provider = provider
	params := map[string]string{}
	for k, v := range sec.Params {
		k = strings.ToLower(k)
		if _, ok := allowed[k]; !ok {
			return fmt.Errorf("Binder Error: Unknown parameter '%s' for secret type '%s' with %sprovider '%s'", k, sec.Type, which, provider)
		}
		if allowed[k] {
			registerSecretValue(v)
		}
		if k == "use_ssl" || k == "url_compatibility_mode" {
			b, err := parseBool(v)
			if err != nil {
				return fmt.Errorf("Binder Error: Failed to cast option '%s' to type 'BOOLEAN': 'Could not convert string '%s' to BOOL'", k, v)
			}
			v = strconv.FormatBool(b)
		}
		params[k] = v
	}
	sec.Params = params
	if len(sec.Scope) == 0 {
		sec.Scope = defaultScopes[sec.Type]
	}
	if sec.Name == "" {
		sec.Name = "__default_" + sec.Type
	}
	sec.Name = strings.ToLower(sec.Name)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.use(); err != nil {
		return err
	}
	kind, store := "Temporary", &s.byName
	if sec.Persistent {
		kind, store = "Persistent", &s.stored
	}
	if _, exists := (*store)[sec.Name]; exists {
		switch {
		case ifNotExists:
			return nil
		case !replace:
			return fmt.Errorf("Invalid Input Error: %s secret with name '%s' already exists!", kind, sec.Name)
		}
	}
	if sec.Persistent {
		if err := s.store(sec); err != nil {
			return err
		}
	}
	if *store == nil {
		*store = map[string]Secret{}
	}
	(*store)[sec.Name] = sec
	s.gen++
	return nil
}

// Drop removes a secret from whichever storage holds it.
func (s *Secrets) Drop(name string, ifExists bool) error {
	return s.DropFrom(name, ifExists, "", false)
}

// DropFrom removes a secret from one storage: "memory" (DROP TEMPORARY
// SECRET), "local_file" (DROP PERSISTENT SECRET) or "" for the one that
// holds it; a name in both must say which, as in DuckDB. named is DROP …
// FROM storage, whose errors name the storage.
func (s *Secrets) DropFrom(name string, ifExists bool, storage string, named bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.use(); err != nil {
		return err
	}
	name = strings.ToLower(name)
	var in []string
	for _, st := range s.storagesOf(name) {
		if storage == "" || st == storage {
			in = append(in, st)
		}
	}
	switch len(in) {
	case 0:
		switch {
		case ifExists:
			return nil
		case named && storage == "local_file":
			return fmt.Errorf("Invalid Input Error: Failed to remove non-existent persistent secret '%s' in secret storage 'local_file'", name)
		case named:
			return fmt.Errorf("Invalid Input Error: Failed to remove non-existent temporary secret '%s'", name)
		}
		return fmt.Errorf("Invalid Input Error: Failed to remove non-existent secret with name '%s'", name)
	case 2:
		return fmt.Errorf("Invalid Input Error: Ambiguity found for secret name '%s', secret occurs in multiple storages: [%s] Please specify which secret to drop using: 'DROP <PERSISTENT|TEMPORARY> SECRET'.", name, strings.Join(in, ","))
	}
	if in[0] == "local_file" {
		if err := s.unstore(name); err != nil {
			return err
		}
		delete(s.stored, name)
	} else {
		delete(s.byName, name)
	}
	s.gen++
	return nil
}

// SecretInfo is a secret as listed (duckdb_secrets()): credentials redacted.
type SecretInfo struct {
	Name, Type, Provider string
	Scope                []string
	// Persistent secrets are in Storage "local_file", the others in
	// "memory" (DuckDB's names).
	Persistent bool
	Storage    string
	// Redacted is DuckDB's secret_string: name, type, provider, scope and
	// the parameters with credentials replaced by "redacted".
	Redacted string
}

func (sec Secret) info() SecretInfo {
	var kv []string
	for k, v := range sec.Params {
		if secretParams[sec.Type][k] {
			v = "redacted"
		}
		kv = append(kv, k+"="+v)
	}
	sort.Strings(kv)
	head := "name=" + sec.Name + ";type=" + sec.Type + ";provider=" + sec.Provider + ";serializable=true;scope=" + strings.Join(sec.Scope, ",")
	if len(kv) > 0 {
		head += ";" + strings.Join(kv, ";")
	}
	storage := "memory"
	if sec.Persistent {
		storage = "local_file"
	}
	return SecretInfo{Name: sec.Name, Type: sec.Type, Provider: sec.Provider, Scope: sec.Scope,
		Persistent: sec.Persistent, Storage: storage, Redacted: head}
}

// List describes the secrets, sorted by name (a name in both storages:
// the temporary one first), without their credentials. It fails only
// when a persistent secret's file cannot be read.
func (s *Secrets) List() ([]SecretInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.use()
	var out []SecretInfo
	for _, m := range []map[string]Secret{s.byName, s.stored} {
		for _, sec := range m {
			out = append(out, sec.info())
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// Which describes the secret of type typ that would serve url (DuckDB's
// which_secret).
func (s *Secrets) Which(url, typ string) (SecretInfo, bool) {
	sec, ok := s.lookup([]string{strings.ToLower(typ)}, url)
	if !ok {
		return SecretInfo{}, false
	}
	return sec.info(), true
}

// lookup returns the secret of one of types whose scope is the longest
// prefix of url; between equally long ones, a temporary one before a
// persistent one, then the first by name.
func (s *Secrets) lookup(types []string, url string) (Secret, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.use() // an unreadable file is reported by the statements on secrets
	best, bestLen := Secret{}, -1
	for _, m := range []map[string]Secret{s.byName, s.stored} {
		for _, sec := range m {
			if !slices.Contains(types, sec.Type) {
				continue
			}
			l := -1
			for _, sc := range sec.Scope {
				if strings.HasPrefix(url, sc) && len(sc) > l {
					l = len(sc)
				}
			}
			better := l > bestLen || l == bestLen && (best.Persistent && !sec.Persistent ||
				best.Persistent == sec.Persistent && sec.Name < best.Name)
			if l >= 0 && better {
				best, bestLen = sec, l
			}
		}
	}
	return best, bestLen >= 0
}

func (s *Secrets) generation() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.gen
}

// fingerprint stands for a credential in cache keys, never the value.
func fingerprint(s string) string {
	if s == "" {
		return ""
	}
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

// knownSecrets holds credential values given through SET or CREATE
// SECRET, so that scrub can remove them from any error text.
var knownSecrets sync.Map

func registerSecretValue(v string) {
	if len(v) >= 4 {
		knownSecrets.Store(v, true)
	}
}

// signedQuery matches credentials that SDKs may echo in URLs of errors:
// SAS signatures, presigned AWS parameters, account keys.
var signedQuery = regexp.MustCompile(`(?i)((?:sig|x-amz-signature|x-amz-credential|x-amz-security-token|accountkey|sharedaccesssignature|access_token)=)[^&;\s"']+`)

// scrub removes credentials from an error's text.
func scrub(err error) error {
	if err == nil {
		return nil
	}
	s := err.Error()
	t := signedQuery.ReplaceAllString(s, "${1}redacted")
	knownSecrets.Range(func(k, _ any) bool {
		t = strings.ReplaceAll(t, k.(string), "redacted")
		return true
	})
	if t == s {
		return err
	}
	return scrubbed{msg: t, err: err}
}

// scrubbed keeps the original error for errors.Is/As but prints redacted.
type scrubbed struct {
	msg string
	err error
}

func (s scrubbed) Error() string { return s.msg }
func (s scrubbed) Unwrap() error { return s.err }
