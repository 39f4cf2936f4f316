package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Persistent secrets (CREATE PERSISTENT SECRET) live in a folder, one file
// a secret, readable by the user alone (mode 0600 in a 0700 folder, like an
// SSH key), so that a later process finds them: even the secret for the
// database's own URL (`peregrine s3://bucket/db`), which is listed before
// any SQL runs. DuckDB keeps its own in ~/.duckdb/stored_secrets in its
// binary serialization; ours are JSON files in ~/.peregrine/stored_secrets
// (SET secret_directory to move them), a format documented here:
//
//	{"name": "lake", "type": "s3", "provider": "config",
//	 "scope": ["s3://lake/"], "params": {"key_id": "…", "secret": "…"}}
//
// in NAME.secret.json. The folder is read once, on the secret manager's
// first use; like DuckDB, its settings cannot change after that.

// storedSecretSuffix ends every persistent secret's file name.
const storedSecretSuffix = ".secret.json"

// storedSecret is the file format of a persistent secret.
type storedSecret struct {
	Name     string            `json:"name"`
	Type     string            `json:"type"`
	Provider string            `json:"provider"`
	Scope    []string          `json:"scope"`
	Params   map[string]string `json:"params"`
}

// defaultSecretDirectory is ~/.peregrine/stored_secrets ("" when there is
// no home folder: persistent secrets are then refused).
func defaultSecretDirectory() string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return ""
	}
	return filepath.Join(home, ".peregrine", "stored_secrets")
}

// SetDirectory is SET secret_directory ("" restores the default).
func (s *Secrets) SetDirectory(dir string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.used {
		return errSecretManagerUsed
	}
	s.dir, s.dirSet = dir, dir != ""
	return nil
}

// SetAllowPersistent is SET allow_persistent_secrets.
func (s *Secrets) SetAllowPersistent(allow bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.used {
		return errSecretManagerUsed
	}
	s.noPersist = !allow
	return nil
}

// Directory is the folder of persistent secrets (secret_directory).
func (s *Secrets) Directory() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.directory()
}

// AllowPersistent is allow_persistent_secrets.
func (s *Secrets) AllowPersistent() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return !s.noPersist
}

var errSecretManagerUsed = errors.New("Invalid Input Error: Changing Secret Manager settings after the secret manager is used is not allowed!")

func (s *Secrets) directory() string {
	if s.dirSet {
		return s.dir
	}
	return defaultSecretDirectory()
}

// use marks the manager used and reads the persistent secrets on the first
// call; s.mu is held for writing. A file that cannot be read is an error
// for every later statement on secrets, naming the file; lookups skip it.
func (s *Secrets) use() error {
	if s.used {
		return s.loadErr
	}
	s.used = true
	if s.noPersist {
		return nil
	}
	dir := s.directory()
	if dir == "" {
		return nil
	}
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		s.loadErr = fmt.Errorf("IO Error: could not read the persistent secrets in %s: %v", dir, err)
		return s.loadErr
	}
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), storedSecretSuffix) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		sec, err := readStoredSecret(path)
		if err != nil {
			s.loadErr = err
			continue
		}
		if s.stored == nil {
			s.stored = map[string]Secret{}
		}
		s.stored[sec.Name] = sec
	}
	return s.loadErr
}

func readStoredSecret(path string) (Secret, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Secret{}, fmt.Errorf("IO Error: could not read the persistent secret %s: %v", path, err)
	}
	var st storedSecret
	if err := json.Unmarshal(raw, &st); err != nil {
		return Secret{}, fmt.Errorf("IO Error: the persistent secret %s is not valid: %v", path, err)
	}
	want := strings.TrimSuffix(filepath.Base(path), storedSecretSuffix)
	if st.Name != want || secretParams[st.Type] == nil {
		return Secret{}, fmt.Errorf("IO Error: the persistent secret %s is not valid: its name must be %q and its type one of s3, r2, gcs, azure, http", path, want)
	}
	for k, v := range st.Params {
		if secretParams[st.Type][k] {
			registerSecretValue(v)
		}
	}
	return Secret{Name: st.Name, Type: st.Type, Provider: st.Provider, Scope: st.Scope, Params: st.Params, Persistent: true}, nil
}

// store writes a persistent secret's file: under a temporary name first,
// renamed into place, so a crash leaves the old secret or the new one.
func (s *Secrets) store(sec Secret) error {
	if s.noPersist {
		return errors.New("Invalid Input Error: Persistent secrets are disabled. Restart DuckDB and enable persistent secrets through 'SET allow_persistent_secrets=true'")
	}
	dir := s.directory()
	if dir == "" {
		return errors.New("Invalid Input Error: Persistent secrets need a home folder or SET secret_directory")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("IO Error: could not create the secret directory %s: %v", dir, err)
	}
	raw, err := json.MarshalIndent(storedSecret{Name: sec.Name, Type: sec.Type, Provider: sec.Provider, Scope: sec.Scope, Params: sec.Params}, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".tmp-"+sec.Name+"-*")
	if err != nil {
		return fmt.Errorf("IO Error: could not write the persistent secret in %s: %v", dir, err)
	}
	tmp := f.Name()
	_, err = f.Write(append(raw, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, sec.Name+storedSecretSuffix))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("IO Error: could not write the persistent secret in %s: %v", dir, err)
	}
	return nil
}

// unstore removes a persistent secret's file.
func (s *Secrets) unstore(name string) error {
	path := filepath.Join(s.directory(), name+storedSecretSuffix)
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("IO Error: could not remove the persistent secret %s: %v", path, err)
	}
	return nil
}

// storagesOf lists the storages holding a secret named name, sorted.
func (s *Secrets) storagesOf(name string) []string {
	var out []string
	if _, ok := s.stored[name]; ok {
		out = append(out, "local_file")
	}
	if _, ok := s.byName[name]; ok {
		out = append(out, "memory")
	}
	sort.Strings(out)
	return out
}
