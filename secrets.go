package peregrine

import (
	"fmt"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/sql"
	"github.com/peregrinedb/peregrine/storage"
)

// Secret is what CREATE SECRET stores: credentials and settings for the
// object-store URLs under its scope (DuckDB's parameters: TYPE s3, r2, gcs
// or azure; KEY_ID, SECRET, SESSION_TOKEN, REGION, ENDPOINT, URL_STYLE,
// USE_SSL, ACCOUNT_ID, CONNECTION_STRING, ACCOUNT_NAME, …; PROVIDER config
// or credential_chain; SCOPE).
type Secret = storage.Secret

// CreateSecret is CREATE [OR REPLACE] [PERSISTENT] SECRET [IF NOT
// EXISTS]. Temporary secrets live in memory for the life of the DB;
// persistent ones (s.Persistent) are also written, readable by the user
// alone, to the secret directory (SET secret_directory; by default
// ~/.peregrine/stored_secrets), where every later database finds them —
// also for its own URL. Secrets are never shown (SecretsList redacts them)
// nor written into errors, EXPLAIN or logs.
//
//	db.CreateSecret(peregrine.Secret{Type: "s3", Params: map[string]string{
//		"key_id": "AKIA…", "secret": "…", "region": "eu-west-1"}}, false, false)
func (db *DB) CreateSecret(s Secret, orReplace, ifNotExists bool) error {
	return db.cat.Secrets().Create(s, orReplace, ifNotExists)
}

// DropSecret is DROP SECRET [IF EXISTS] name: the secret is removed from
// the storage that holds it (its file too, when persistent).
func (db *DB) DropSecret(name string, ifExists bool) error {
	return db.cat.Secrets().Drop(name, ifExists)
}

// SecretsList describes the secrets without their credentials, like
// DuckDB's duckdb_secrets(). It fails when a persistent secret's file
// cannot be read.
func (db *DB) SecretsList() ([]storage.SecretInfo, error) { return db.cat.Secrets().List() }

// createSecretSQL runs CREATE SECRET; like DuckDB it answers one row,
// Success = true.
func (db *DB) createSecretSQL(st *sql.CreateSecret) (*Rows, error) {
	sec := Secret{Name: st.Name, Type: st.Type, Provider: st.Provider, Scope: st.Scope, Params: st.Params, Persistent: st.Persistent}
	if err := db.CreateSecret(sec, st.OrReplace, st.IfNotExists); err != nil {
		return nil, err
	}
	return valueRows([]Column{{"Success", coldata.TypeBool}}, [][]coldata.Datum{{{B: true}}}), nil
}

// dropSecretSQL runs DROP [PERSISTENT|TEMPORARY] SECRET … [FROM storage].
func (db *DB) dropSecretSQL(st *sql.DropSecret) error {
	from := st.From
	switch {
	case from == "temporary":
		from = "memory"
	case from != "" && from != "memory" && from != "local_file":
		return fmt.Errorf("Invalid Input Error: Unknown storage type found for drop secret: '%s'", st.From)
	case st.Persistent:
		from = "local_file"
	case st.Temporary:
		from = "memory"
	}
	return db.cat.Secrets().DropFrom(st.Name, st.IfExists, from, st.From != "")
}
