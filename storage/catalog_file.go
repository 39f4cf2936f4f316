package storage

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// A directory database keeps what Parquet files cannot say in a small
// folder of its own, DIR/.peregrine (hidden: table listings skip it):
//
//	DIR/.peregrine/catalog.sql   the folder tables (DIR/NAME/), as CREATE TABLE
//	                             statements with their defaults and constraints,
//	                             and the views, as the CREATE VIEW statements
//	                             that made them, one per statement, separated
//	                             by ";\n" (read back on Open; edit with care)
//	DIR/.peregrine/next-NAME/    a folder table's next folder while a write
//	                             stages it (see doc.go)
//	DIR/.peregrine/lock          held (flock) by the process writing the folder;
//	                             it holds that process's id
//
// catalog.sql is replaced whole by a write to a temporary name, fsync and a
// rename, so a crash leaves the old file or the new one.

// CatalogDir is the folder of a directory database's own files.
func CatalogDir(dir string) string { return filepath.Join(dir, ".peregrine") }

// ReadCatalogFile returns the statements of DIR/.peregrine/catalog.sql (none
// when it does not exist).
func ReadCatalogFile(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(CatalogDir(dir), "catalog.sql"))
	if os.IsNotExist(err) {
		return "", nil
	}
	if err != nil {
		return "", ioErrorf("cannot read the catalog of %q: %s", dir, sysMessage(err))
	}
	return string(b), nil
}

// WriteCatalogFile replaces DIR/.peregrine/catalog.sql with statements,
// atomically.
func WriteCatalogFile(dir string, statements []string) error {
	cd := CatalogDir(dir)
	if err := os.MkdirAll(cd, 0o755); err != nil {
		return ioErrorf("cannot write the catalog of %q: %s", dir, sysMessage(err))
	}
	var b strings.Builder
	b.WriteString("-- Peregrine catalog: the folder tables and views of this database, read when it is opened.\n")
	for _, s := range statements {
		b.WriteString(strings.TrimSpace(s))
		b.WriteString(";\n")
	}
	tmp, err := os.CreateTemp(cd, ".catalog-*.sql")
	if err != nil {
		return ioErrorf("cannot write the catalog of %q: %s", dir, sysMessage(err))
	}
	_, err = tmp.WriteString(b.String())
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(cd, "catalog.sql"))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return ioErrorf("cannot write the catalog of %q: %s", dir, sysMessage(err))
	}
	if d, err := os.Open(cd); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// SweepDeadStaging removes the staged single files (.NAME.peregrine-PID-
// ....tmp) that writers killed before their commit left in a directory
// database. The caller holds the folder's write lock, so no other process
// is writing there: unlike sweepStagingNear it need not wait an hour. A
// staged single file is never past its commit point (the commit is its
// rename), so removing it loses nothing.
func SweepDeadStaging(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".tmp") {
			continue
		}
		_, rest, ok := strings.Cut(name, stageTag)
		if !ok {
			continue
		}
		if num, _, _ := strings.Cut(rest, "-"); num == strconv.Itoa(os.Getpid()) {
			continue
		}
		os.Remove(filepath.Join(dir, name))
	}
}
