package peregrine_test

import (
	"context"
	"io/fs"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine/storage/objtest"
)

// uuidFile is the name APPEND gives a file.
var uuidFile = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.parquet$`)

// TestCopyModesLocalAndS3: the object-store stage follows the local
// stage's rules for existing targets (DuckDB's): the same sequence of
// COPYs with and without OVERWRITE, OVERWRITE_OR_IGNORE and APPEND leaves
// the same files, fails at the same steps, and reads back the same rows.
func TestCopyModesLocalAndS3(t *testing.T) {
	s := objtest.StartS3(t)
	s.Bucket(t, "lake")
	objtest.Env(t, s.URL)
	steps := []struct{ sql, opts string }{
		{`SELECT 1 AS a, 'x' AS p`, `PARTITION_BY (p)`},
		{`SELECT 2 AS a, 'y' AS p`, `PARTITION_BY (p)`},                      // not empty: fails
		{`SELECT 3 AS a, 'y' AS p`, `PARTITION_BY (p), OVERWRITE_OR_IGNORE`}, // adds p=y
		{`SELECT 4 AS a, 'x' AS p`, `PARTITION_BY (p), OVERWRITE_OR_IGNORE`}, // replaces p=x/data_0
		{`SELECT 5 AS a, 'x' AS p`, `PARTITION_BY (p), APPEND`},              // a fresh name under p=x
		{`SELECT 6 AS a, 'z' AS p`, `PARTITION_BY (p), OVERWRITE`},           // only p=z is left
		{`SELECT 7 AS a, 'w' AS p`, `PARTITION_BY (p), OVERWRITE`},           // only p=w is left
	}
	run := func(root string, list func() []string) (log []string) {
		db := openDir(t, "")
		ctx := context.Background()
		target := root + "/out"
		for _, st := range steps {
			err := db.Exec(ctx, `COPY (`+st.sql+`) TO '`+target+`' (FORMAT parquet, `+st.opts+`)`)
			entry := "ok"
			if err != nil {
				entry = "error"
				if !strings.Contains(err.Error(), "is not empty") {
					t.Errorf("%s: %v", root, err)
				}
			}
			rows, _, err := sltRows(ctx, db, `SELECT a, p FROM read_parquet('`+target+`/**/*.parquet', hive_partitioning = true) ORDER BY a`)
			if err != nil {
				t.Fatalf("%s: %v", root, err)
			}
			log = append(log, entry+" "+strings.Join(list(), ",")+" "+strings.Join(rows, ";"))
		}
		// A single file where the folder is; a folder over a file, then
		// with OVERWRITE.
		file := target + "/p=w/data_0.parquet"
		for _, q := range []string{
			`COPY (SELECT 1 AS a) TO '` + target + `' (FORMAT parquet)`,
			`COPY (SELECT 1 AS a, 2 AS b) TO '` + file + `' (FORMAT parquet, PARTITION_BY (a))`,
			`COPY (SELECT 1 AS a, 2 AS b) TO '` + file + `' (FORMAT parquet, PARTITION_BY (a), OVERWRITE)`,
		} {
			entry := "ok"
			if err := db.Exec(ctx, q); err != nil {
				entry = "error " + firstWords(err.Error())
			}
			log = append(log, entry+" "+strings.Join(list(), ","))
		}
		return log
	}
	dir := t.TempDir()
	local := run(dir, func() []string {
		var out []string
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(filepath.Join(dir, "out"), p)
				out = append(out, filepath.ToSlash(rel))
			}
			return nil
		})
		return normalize(out)
	})
	remote := run("s3://lake", func() []string {
		var out []string
		for _, k := range s.Keys(t, "lake", "out/") {
			out = append(out, strings.TrimPrefix(k, "out/"))
		}
		return normalize(out)
	})
	if strings.Join(local, "\n") != strings.Join(remote, "\n") {
		t.Fatalf("local and S3 differ:\nlocal:\n%s\nS3:\n%s", strings.Join(local, "\n"), strings.Join(remote, "\n"))
	}
	for i, want := range map[int]string{
		len(steps) - 1: "ok p=w/data_0.parquet 7\tw",
		len(steps):     "error IO Error: Cannot open file p=w/data_0.parquet",
		len(steps) + 1: "error IO Error: Cannot write to p=w/data_0.parquet",
		len(steps) + 2: "ok p=w/data_0.parquet/a=1/data_0.parquet",
	} {
		if local[i] != want {
			t.Fatalf("step %d: %q, want %q", i, local[i], want)
		}
	}
	if n := s.Uploads(t, "lake"); n != 0 {
		t.Fatalf("%d uploads left open", n)
	}
}

// normalize replaces APPEND's random names and sorts.
func normalize(files []string) []string {
	for i, f := range files {
		files[i] = uuidFile.ReplaceAllString(f, "UUID.parquet")
	}
	sort.Strings(files)
	return files
}

// firstWords is an error's category and first words, which do not name
// the path.
func firstWords(s string) string {
	if i := strings.Index(s, ` "`); i >= 0 {
		return s[:i]
	}
	return s
}
