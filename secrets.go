package peregrine

import (
	"errors"
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

// CreateSecret is CREATE [OR REPLACE] SECRET [IF NOT EXISTS]. Secrets live
// in memory for the life of the DB and are never shown (SecretsList
// redacts them) nor written into errors, EXPLAIN or logs.
//
//	db.CreateSecret(peregrine.Secret{Type: "s3", Params: map[string]string{
//		"key_id": "AKIA…", "secret": "…", "region": "eu-west-1"}}, false, false)
func (db *DB) CreateSecret(s Secret, orReplace, ifNotExists bool) error {
	return db.cat.Secrets().Create(s, orReplace, ifNotExists)
}

// DropSecret is DROP SECRET [IF EXISTS] name.
func (db *DB) DropSecret(name string, ifExists bool) error {
	return db.cat.Secrets().Drop(name, ifExists)
}

// SecretsList describes the secrets without their credentials, like
// DuckDB's duckdb_secrets().
func (db *DB) SecretsList() []storage.SecretInfo { return db.cat.Secrets().List() }

// errNoPersistentSecrets answers CREATE PERSISTENT SECRET: secrets live in
// memory only; DuckDB's ~/.duckdb/stored_secrets is neither read nor
// written (its files are DuckDB's own binary serialization).
const errNoPersistentSecrets = "Invalid Input Error: Persistent secrets are not supported: Peregrine keeps secrets in memory for the life of the database. Use CREATE SECRET or CREATE TEMPORARY SECRET"

// createSecretSQL runs CREATE SECRET; like DuckDB it answers one row,
// Success = true.
func (db *DB) createSecretSQL(st *sql.CreateSecret) (*Rows, error) {
	if st.Persistent {
		return nil, errors.New(errNoPersistentSecrets)
	}
	sec := Secret{Name: st.Name, Type: st.Type, Provider: st.Provider, Scope: st.Scope, Params: st.Params}
	if err := db.CreateSecret(sec, st.OrReplace, st.IfNotExists); err != nil {
		return nil, err
	}
	return valueRows([]Column{{"Success", coldata.TypeBool}}, [][]coldata.Datum{{{B: true}}}), nil
}

// dropSecretSQL runs DROP SECRET. Every secret is temporary (storage
// "memory"), so DROP PERSISTENT SECRET finds none, as in DuckDB when no
// persistent secret has that name.
func (db *DB) dropSecretSQL(st *sql.DropSecret) error {
	if st.From != "" && st.From != "memory" {
		return fmt.Errorf("Invalid Input Error: Unknown storage type found for drop secret: '%s'", st.From)
	}
	if st.Persistent {
		if st.IfExists {
			return nil
		}
		return fmt.Errorf("Invalid Input Error: Failed to remove non-existent secret with name '%s'", st.Name)
	}
	err := db.DropSecret(st.Name, st.IfExists)
	if err != nil && st.From != "" {
		err = fmt.Errorf("%v for storage '%s'", err, st.From)
	}
	return err
}
