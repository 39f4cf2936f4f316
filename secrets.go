package peregrine

import "github.com/peregrinedb/peregrine/storage"

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
