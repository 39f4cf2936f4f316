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

// noAWSEnv leaves the AWS chain with nothing: no keys, no endpoint, no
// config files, no instance metadata.
func noAWSEnv(t *testing.T) {
	objtest.Env(t, "")
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_ENDPOINT_URL", "")
}

func countLineitem(t *testing.T, db *peregrine.DB, url string) (string, error) {
	t.Helper()
	rows, err := tpch.Collect(context.Background(), db, "SELECT count(*) FROM '"+url+"'")
	if err != nil {
		return "", err
	}
	return rows[0][0], nil
}

// openDB opens a database closed when the test ends.
func openDir(t *testing.T, dir string) *peregrine.DB {
	t.Helper()
	db, err := peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestS3Settings: DuckDB's SET s3_* settings reach an S3-compatible
// endpoint with path-style addressing, and the secret never shows.
func TestS3Settings(t *testing.T) {
	fastRetries(t)
	noAWSEnv(t)
	s := s3Lake(t)
	host := strings.TrimPrefix(s.URL, "http://")
	db := openDir(t, "")
	ctx := context.Background()
	for _, st := range []string{"SET s3_region = 'eu-central-1'", "SET s3_endpoint = '" + host + "'", "SET s3_use_ssl = false",
		"SET s3_access_key_id = '" + objtest.S3Key + "'", "SET s3_secret_access_key = 'sEcReT-vAlUe-42'", "SET s3_url_style = 'path'"} {
		if err := db.Exec(ctx, st); err != nil {
			t.Fatalf("%s: %v", st, err)
		}
	}
	n, err := countLineitem(t, db, "s3://lake/tpch/lineitem.parquet")
	if err != nil || n != "60175" {
		t.Fatalf("count over SET s3_*: %s, %v", n, err)
	}
	_, err = countLineitem(t, db, "s3://lake/tpch/missing.parquet")
	if err == nil || !strings.Contains(err.Error(), "s3://lake/tpch/missing.parquet") || strings.Contains(err.Error(), "sEcReT-vAlUe-42") {
		t.Fatalf("missing object: %v", err)
	}
	plan, err := tpch.Collect(ctx, db, "EXPLAIN SELECT count(*) FROM 's3://lake/tpch/lineitem.parquet'")
	if err != nil || strings.Contains(fmt.Sprint(plan), "sEcReT") {
		t.Fatalf("EXPLAIN: %v, %v", plan, err)
	}
	if err := db.Exec(ctx, "SET s3_url_style = 'sideways'"); err == nil {
		t.Fatal("a bad s3_url_style was accepted")
	}
	// By name, the endpoint is addressed by path too; vhost addressing
	// puts the bucket into the host name (lake.localhost), which the
	// server does not serve: the setting is obeyed.
	port := host[strings.LastIndexByte(host, ':'):]
	for _, st := range []string{"SET s3_endpoint = 'localhost" + port + "'", "RESET s3_url_style"} {
		if err := db.Exec(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := countLineitem(t, db, "s3://lake/tpch/lineitem.parquet"); err != nil || n != "60175" {
		t.Fatalf("path style by default with a custom endpoint: %s, %v", n, err)
	}
	if err := db.Exec(ctx, "SET s3_url_style = 'vhost'"); err != nil {
		t.Fatal(err)
	}
	if _, err := countLineitem(t, db, "s3://lake/tpch/lineitem.parquet"); err == nil {
		t.Fatal("vhost style reached the path-style server")
	}
}

// TestS3Secrets: CREATE SECRET's Go form; the secret whose SCOPE is the
// longest prefix of a URL serves it.
func TestS3Secrets(t *testing.T) {
	fastRetries(t)
	noAWSEnv(t)
	s := s3Lake(t)
	host := strings.TrimPrefix(s.URL, "http://")
	db := openDir(t, "")
	good := peregrine.Secret{Type: "s3", Scope: []string{"s3://lake/tpch"}, Params: map[string]string{
		"key_id": objtest.S3Key, "secret": "top-secret-key-99", "endpoint": host, "use_ssl": "false", "region": "us-east-1"}}
	dead := peregrine.Secret{Name: "dead", Type: "s3", Params: map[string]string{
		"key_id": "x", "secret": "y", "endpoint": "127.0.0.1:1", "use_ssl": "false"}}
	for _, sec := range []peregrine.Secret{good, dead} {
		if err := db.CreateSecret(sec, false, false); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.CreateSecret(good, false, false); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("duplicate secret: %v", err)
	}
	if n, err := countLineitem(t, db, "s3://lake/tpch/lineitem.parquet"); err != nil || n != "60175" {
		t.Fatalf("scoped secret: %s, %v", n, err)
	}
	if _, err := countLineitem(t, db, "s3://lake/other/x.parquet"); err == nil || strings.Contains(err.Error(), "top-secret") {
		t.Fatalf("the unscoped secret's dead endpoint should fail: %v", err)
	}
	list, err := db.SecretsList()
	if err != nil {
		t.Fatal(err)
	}
	for _, si := range list {
		if strings.Contains(si.Redacted, "top-secret") {
			t.Fatalf("secret listed: %s", si.Redacted)
		}
	}
	if err := db.DropSecret("__default_s3", false); err != nil {
		t.Fatal(err)
	}
	if err := db.DropSecret("__default_s3", false); err == nil || !strings.Contains(err.Error(), "non-existent") {
		t.Fatalf("dropping twice: %v", err)
	}
}
