package peregrine_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/bench/tpch"
	"github.com/peregrinedb/peregrine/storage/objtest"
)

// The S3 server of these tests checks signatures against this key pair.
const (
	sqlKeyID  = "AKIASQLSECRETTEST"
	sqlSecret = "sql-secret-value-77"
	wrongKey  = "not-the-right-secret-55"
)

// sqlSecretLake is the TPC-H lake on an S3 server that only answers
// requests signed with sqlKeyID/sqlSecret, and no AWS_* credentials.
func sqlSecretLake(t *testing.T) (host string) {
	fastRetries(t)
	noAWSEnv(t)
	s := s3Lake(t)
	s.RequireAuth(sqlKeyID, sqlSecret)
	return strings.TrimPrefix(s.URL, "http://")
}

// s3SecretSQL is a CREATE SECRET statement for the test server.
func s3SecretSQL(head, host, secret, extra string) string {
	return fmt.Sprintf("%s (TYPE s3, KEY_ID '%s', SECRET '%s', ENDPOINT '%s', USE_SSL false, URL_STYLE 'path', REGION 'us-east-1'%s)",
		head, sqlKeyID, secret, host, extra)
}

func mustExecAll(t *testing.T, db *peregrine.DB, stmts ...string) {
	t.Helper()
	for _, st := range stmts {
		mustExec(t, db, st)
	}
}

// execErr runs st, which must fail with exactly want, and checks that no
// credential shows in the error.
func execErr(t *testing.T, db *peregrine.DB, st, want string) {
	t.Helper()
	err := db.Exec(context.Background(), st)
	if err == nil || strings.SplitN(err.Error(), "\n", 2)[0] != want {
		t.Fatalf("%s:\n got %v\nwant %s", st, err, want)
	}
	noCredential(t, err.Error())
}

func noCredential(t *testing.T, s string) {
	t.Helper()
	for _, c := range []string{sqlSecret, wrongKey} {
		if strings.Contains(s, c) {
			t.Fatalf("a credential shows: %s", s)
		}
	}
}

// TestCreateSecretSQL: a secret created in SQL signs the requests of
// queries over TPC-H data on S3, which answer as over the local files;
// wrong credentials are refused by the server.
func TestCreateSecretSQL(t *testing.T) {
	host := sqlSecretLake(t)
	db := openDir(t, "")
	ctx := context.Background()
	const q = "SELECT l_returnflag, l_linestatus, sum(l_quantity), sum(l_extendedprice * (1 - l_discount)), count(*) " +
		"FROM '%s/lineitem.parquet' JOIN '%s/orders.parquet' ON l_orderkey = o_orderkey " +
		"WHERE o_orderdate < DATE '1995-01-01' GROUP BY ALL ORDER BY ALL"
	local, err := tpch.Collect(ctx, db, fmt.Sprintf(q, duckdbSF001, duckdbSF001))
	if err != nil || len(local) == 0 {
		t.Fatal(local, err)
	}
	mustExec(t, db, s3SecretSQL("CREATE SECRET lake", host, wrongKey, ""))
	_, err = tpch.Collect(ctx, db, fmt.Sprintf(q, "s3://lake/tpch", "s3://lake/tpch"))
	if err == nil {
		t.Fatal("the server accepted a wrong secret")
	}
	noCredential(t, err.Error())
	mustExec(t, db, s3SecretSQL("CREATE OR REPLACE SECRET lake", host, sqlSecret, ""))
	remote, err := tpch.Collect(ctx, db, fmt.Sprintf(q, "s3://lake/tpch", "s3://lake/tpch"))
	if err != nil || fmt.Sprint(remote) != fmt.Sprint(local) {
		t.Fatalf("over S3 with the secret: %v, %v\nlocal: %v", remote, err, local)
	}
}

func secretStrings(t *testing.T, db *peregrine.DB) map[string]string {
	t.Helper()
	rows, err := tpch.Collect(context.Background(), db, "SELECT name, secret_string FROM duckdb_secrets()")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows {
		out[r[0]] = r[1]
	}
	return out
}

// TestSecretScopesSQL: of the secrets whose SCOPE prefixes a URL the
// longest wins (DuckDB's rule); DROP SECRET gives the URL to the next;
// IF NOT EXISTS, OR REPLACE and their errors are DuckDB's.
func TestSecretScopesSQL(t *testing.T) {
	host := sqlSecretLake(t)
	db := openDir(t, "")
	ctx := context.Background()
	const url = "s3://lake/tpch/lineitem.parquet"
	mustExecAll(t, db,
		s3SecretSQL("CREATE SECRET wide", host, wrongKey, ", SCOPE 's3://lake'"),
		s3SecretSQL("CREATE SECRET narrow", host, sqlSecret, ", SCOPE ['s3://lake/tpch/', 's3://other']"),
		s3SecretSQL("CREATE SECRET", host, wrongKey, ""))
	for u, want := range map[string]string{url: "narrow", "s3://lake/x.parquet": "wide", "s3://elsewhere/x": "__default_s3"} {
		rows, err := tpch.Collect(ctx, db, "SELECT name, persistent, storage FROM which_secret('"+u+"', 's3')")
		if err != nil || len(rows) != 1 || rows[0][0] != want || rows[0][1] != "TEMPORARY" || rows[0][2] != "memory" {
			t.Fatalf("which_secret(%s): %v, %v; want %s", u, rows, err, want)
		}
	}
	if n, err := countLineitem(t, db, url); err != nil || n != "60175" {
		t.Fatalf("the longest scope should sign: %s, %v", n, err)
	}
	if _, err := countLineitem(t, db, "s3://lake/tpch/orders.parquet"); err != nil {
		t.Fatal(err)
	}

	// IF NOT EXISTS keeps the secret; without it the name is taken; OR
	// REPLACE replaces.
	mustExec(t, db, s3SecretSQL("CREATE SECRET IF NOT EXISTS narrow", host, wrongKey, ", SCOPE 's3://lake/tpch/'"))
	if n, err := countLineitem(t, db, url); err != nil || n != "60175" {
		t.Fatalf("IF NOT EXISTS replaced the secret: %s, %v", n, err)
	}
	execErr(t, db, s3SecretSQL("CREATE SECRET narrow", host, wrongKey, ""),
		"Invalid Input Error: Temporary secret with name 'narrow' already exists!")
	execErr(t, db, s3SecretSQL("CREATE TEMPORARY SECRET NARROW", host, wrongKey, ""),
		"Invalid Input Error: Temporary secret with name 'narrow' already exists!")
	mustExec(t, db, s3SecretSQL("CREATE OR REPLACE SECRET narrow", host, sqlSecret, ", SCOPE 's3://lake/tpch/orders'"))
	if _, err := countLineitem(t, db, url); err == nil {
		t.Fatal("lineitem read with the wide secret's wrong key")
	}
	if got := secretStrings(t, db)["narrow"]; !strings.Contains(got, "scope=s3://lake/tpch/orders;") {
		t.Fatalf("OR REPLACE kept the old secret: %s", got)
	}

	// DROP: the URL falls to the next longest scope.
	mustExecAll(t, db, s3SecretSQL("CREATE OR REPLACE SECRET narrow", host, sqlSecret, ", SCOPE 's3://lake/tpch/'"),
		"DROP SECRET wide", "DROP TEMPORARY SECRET IF EXISTS wide", "DROP SECRET IF EXISTS never_made")
	rows, err := tpch.Collect(ctx, db, "SELECT name FROM which_secret('s3://lake/x.parquet', 's3')")
	if err != nil || len(rows) != 1 || rows[0][0] != "__default_s3" {
		t.Fatalf("after DROP: %v, %v", rows, err)
	}
	mustExec(t, db, "DROP SECRET narrow")
	if _, err := countLineitem(t, db, url); err == nil {
		t.Fatal("read after the right secret was dropped")
	}
	execErr(t, db, "DROP SECRET narrow", "Invalid Input Error: Failed to remove non-existent secret with name 'narrow'")
	execErr(t, db, "DROP PERSISTENT SECRET __default_s3", "Invalid Input Error: Failed to remove non-existent secret with name '__default_s3'")
	execErr(t, db, "DROP SECRET __default_s3 FROM local_file", "Invalid Input Error: Failed to remove non-existent persistent secret '__default_s3' in secret storage 'local_file'")
	execErr(t, db, "DROP SECRET nosuch FROM memory", "Invalid Input Error: Failed to remove non-existent temporary secret 'nosuch'")
	execErr(t, db, "DROP SECRET nosuch FROM elsewhere", "Invalid Input Error: Unknown storage type found for drop secret: 'elsewhere'")

	// DuckDB 1.5.5's messages (src/main/secret/secret_manager.cpp,
	// transform_secret.cpp); httpfs cannot load offline, so duckq cannot
	// produce them for the s3 type.
	execErr(t, db, "CREATE OR REPLACE SECRET IF NOT EXISTS x (TYPE s3)", `Parser Error: syntax error at or near "NOT"`)
	execErr(t, db, "CREATE SECRET x (TYPE foo)", "Invalid Input Error: Secret type 'foo' not found")
	execErr(t, db, "CREATE SECRET x (KEY_ID 'k')", "Parser Error: Failed to create secret - secret must have a type defined")
	execErr(t, db, "CREATE SECRET x (TYPE s3, FOO 'bar')", "Binder Error: Unknown parameter 'foo' for secret type 's3' with default provider 'config'")
	execErr(t, db, "CREATE SECRET x (TYPE s3, PROVIDER credential_chain, FOO 'bar')", "Binder Error: Unknown parameter 'foo' for secret type 's3' with provider 'credential_chain'")
	execErr(t, db, "CREATE SECRET x (TYPE s3, PROVIDER magic)", "Invalid Input Error: Secret provider 'magic' not found for type 's3'")
	execErr(t, db, "CREATE SECRET x (TYPE s3, SECRET 'a-secret-1', secret 'a-secret-2')", "Binder Error: Duplicate query param found while parsing create secret: 'secret'")
}

// TestSecretRedaction: credentials given in CREATE SECRET appear neither
// in duckdb_secrets() (redacted as DuckDB redacts them), nor in EXPLAIN,
// nor in any error, syntax errors of the statement itself included.
func TestSecretRedaction(t *testing.T) {
	host := sqlSecretLake(t)
	db := openDir(t, "")
	ctx := context.Background()
	mustExecAll(t, db, s3SecretSQL("CREATE SECRET s", host, sqlSecret, ", SESSION_TOKEN '"+wrongKey+"', SCOPE 's3://lake/tpch'"),
		"CREATE SECRET a (TYPE azure, CONNECTION_STRING 'AccountName=x;AccountKey="+wrongKey+"')")
	got := secretStrings(t, db)
	want := "name=s;type=s3;provider=config;serializable=true;scope=s3://lake/tpch;endpoint=" + host +
		";key_id=" + sqlKeyID + ";region=us-east-1;secret=redacted;session_token=redacted;url_style=path;use_ssl=false"
	if got["s"] != want || got["a"] != "name=a;type=azure;provider=config;serializable=true;scope=azure://,az://,abfss://,abfs://;connection_string=redacted" {
		t.Fatalf("duckdb_secrets():\n%v\nwant s = %s", got, want)
	}
	rows, err := tpch.Collect(ctx, db, "FROM duckdb_secrets()")
	if err != nil {
		t.Fatal(err)
	}
	noCredential(t, fmt.Sprint(rows))
	execErr(t, db, "FROM duckdb_secrets(redact := false)", "Invalid Input Error: Displaying unredacted secrets is disabled")
	plan, err := tpch.Collect(ctx, db, "EXPLAIN SELECT count(*) FROM 's3://lake/tpch/lineitem.parquet'")
	if err != nil {
		t.Fatal(err)
	}
	noCredential(t, fmt.Sprint(plan))
	if _, err := countLineitem(t, db, "s3://lake/tpch/missing.parquet"); err == nil {
		t.Fatal("missing object read")
	} else {
		noCredential(t, err.Error())
	}
	// Statements that fail before the secret is stored.
	for _, st := range []string{
		"CREATE SECRET x (TYPE s3, SECRET '" + sqlSecret + "' KEY_ID 'k')",
		"CREATE SECRET x (TYPE s3, SECRET '" + sqlSecret + "', KEY_ID 'k', FOO 1)",
		"CREATE SECRET x (TYPE s3, SECRET '" + sqlSecret + "', SECRET '" + wrongKey + "')",
		"CREATE SECRET x (TYPE s3, SECRET '" + sqlSecret + "', SCOPE 1)",
		"CREATE SECRET x (TYPE s3, SECRET '" + sqlSecret,
		"CREATE SECRET x (TYPE s3, SECRET $$" + sqlSecret + "$$ oops)",
		"EXPLAIN CREATE SECRET x (TYPE s3, SECRET '" + sqlSecret + "')",
		"CREATE SECRET x (TYPE s3, SECRET '" + sqlSecret + "', USE_SSL 'maybe')",
	} {
		err := db.Exec(ctx, st)
		if err == nil {
			t.Fatalf("%s: no error", st)
		}
		noCredential(t, err.Error())
	}
	if err := db.Exec(ctx, "SELECT 1; CREATE SECRET y (TYPE s3, SECRET '"+sqlSecret+"'); SELECT 'x"); err == nil {
		t.Fatal("unterminated script ran")
	} else {
		noCredential(t, err.Error())
	}
}

// The package's objtest server really checks signatures (a test that
// could not fail otherwise).
func TestSecretServerChecksSignatures(t *testing.T) {
	host := sqlSecretLake(t)
	db := openDir(t, "")
	for _, sec := range []string{
		s3SecretSQL("CREATE OR REPLACE SECRET s", host, sqlSecret+"x", ""),
		strings.Replace(s3SecretSQL("CREATE OR REPLACE SECRET s", host, sqlSecret, ""), sqlKeyID, objtest.S3Key, 1),
	} {
		mustExec(t, db, sec)
		if _, err := countLineitem(t, db, "s3://lake/tpch/lineitem.parquet"); err == nil {
			t.Fatalf("accepted: %s", sec)
		} else if !strings.Contains(err.Error(), "403") && !strings.Contains(err.Error(), "SignatureDoesNotMatch") && !strings.Contains(err.Error(), "InvalidAccessKeyId") {
			t.Logf("error: %v", err)
		}
	}
}
