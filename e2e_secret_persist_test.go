package peregrine_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine"
)

// secretRows lists duckdb_secrets() as "name persistent storage" lines.
func secretRows(t *testing.T, db *peregrine.DB) string {
	t.Helper()
	rows, _, err := sltRows(context.Background(), db, "SELECT name, persistent, storage FROM duckdb_secrets() ORDER BY ALL")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(rows, "\n")
}

// TestPersistentSecrets: CREATE PERSISTENT SECRET writes a file readable
// by the user alone that a later database finds, also for its own S3 URL
// (opened before any SQL runs); names in both storages need DROP
// PERSISTENT|TEMPORARY; the settings are fixed once secrets are used.
func TestPersistentSecrets(t *testing.T) {
	host := sqlSecretLake(t)
	home := t.TempDir()
	t.Setenv("HOME", home)
	dir := filepath.Join(home, ".peregrine", "stored_secrets")

	db := openDir(t, "")
	mustExec(t, db, s3SecretSQL("CREATE PERSISTENT SECRET lake", host, sqlSecret, ", SCOPE 's3://lake'"))
	st, err := os.Stat(filepath.Join(dir, "lake.secret.json"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("secret file mode %v, want 0600", st.Mode().Perm())
	}
	if d, _ := os.Stat(dir); d.Mode().Perm() != 0o700 {
		t.Errorf("secret directory mode %v, want 0700", d.Mode().Perm())
	}
	if got := secretRows(t, db); got != "lake\ttrue\tlocal_file" {
		t.Errorf("duckdb_secrets(): %q", got)
	}
	execErr(t, db, s3SecretSQL("CREATE PERSISTENT SECRET lake", host, sqlSecret, ""),
		"Invalid Input Error: Persistent secret with name 'lake' already exists!")
	execErr(t, db, "SET secret_directory = '/elsewhere'",
		"Invalid Input Error: Changing Secret Manager settings after the secret manager is used is not allowed!")

	// A later database opens the lake with the stored secret: no AWS_*
	// variables, and the server checks signatures.
	lake, err := peregrine.Open("s3://lake/tpch")
	if err != nil {
		t.Fatalf("open s3://lake/tpch with a persistent secret: %v", err)
	}
	defer lake.Close()
	n, _, err := sltRows(context.Background(), lake, "SELECT count(*) FROM lineitem")
	if err != nil || len(n) != 1 || n[0] != "60175" {
		t.Fatalf("count over s3 with a persistent secret: %v %v", n, err)
	}
	rows, _, err := sltRows(context.Background(), lake, "SELECT * FROM which_secret('s3://lake/tpch/x.parquet', 's3')")
	if err != nil || strings.Join(rows, "\n") != "lake\tPERSISTENT\tlocal_file" {
		t.Errorf("which_secret: %v %v", rows, err)
	}

	// The same name in memory: the temporary one serves first, and DROP
	// must say which.
	mustExec(t, lake, s3SecretSQL("CREATE SECRET lake", host, wrongKey, ", SCOPE 's3://lake'"))
	if got := secretRows(t, lake); got != "lake\tfalse\tmemory\nlake\ttrue\tlocal_file" {
		t.Errorf("duckdb_secrets() with both: %q", got)
	}
	execErr(t, lake, "DROP SECRET lake",
		"Invalid Input Error: Ambiguity found for secret name 'lake', secret occurs in multiple storages: [local_file,memory] Please specify which secret to drop using: 'DROP <PERSISTENT|TEMPORARY> SECRET'.")
	mustExec(t, lake, "DROP TEMPORARY SECRET lake")
	mustExec(t, lake, "DROP PERSISTENT SECRET lake")
	if _, err := os.Stat(filepath.Join(dir, "lake.secret.json")); !os.IsNotExist(err) {
		t.Errorf("DROP PERSISTENT SECRET left its file: %v", err)
	}
	execErr(t, lake, "DROP PERSISTENT SECRET lake", "Invalid Input Error: Failed to remove non-existent secret with name 'lake'")

	// Disabled before first use: refused; a broken file names itself.
	off := openDir(t, "")
	mustExec(t, off, "SET allow_persistent_secrets = false")
	execErr(t, off, s3SecretSQL("CREATE PERSISTENT SECRET x", host, sqlSecret, ""),
		"Invalid Input Error: Persistent secrets are disabled. Restart DuckDB and enable persistent secrets through 'SET allow_persistent_secrets=true'")
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "bad.secret.json"), []byte("{not json"), 0o600)
	bad := openDir(t, "")
	mustExec(t, bad, "SET secret_directory = '"+other+"'")
	err = bad.Exec(context.Background(), "SELECT * FROM duckdb_secrets()")
	if err == nil || !strings.Contains(err.Error(), filepath.Join(other, "bad.secret.json")) {
		t.Errorf("a broken secret file should be named: %v", err)
	}
}
