package storage

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// SwapFolders exchanges two folders in one atomic step (a folder table's
// commit: the staged folder becomes the table, the table's old folder
// takes the staged one's place). Where the kernel cannot exchange, it
// falls back to two renames, with a moment in which neither is in place.
func SwapFolders(a, b string) error {
	err := exchange(a, b)
	if !errors.Is(err, errNoExchange) {
		if err != nil {
			return ioErrorf("cannot commit %q: %s", b, sysMessage(err))
		}
		syncDir(filepath.Dir(b))
		return nil
	}
	aside := a + ".old"
	if err := os.Rename(b, aside); err != nil {
		return ioErrorf("cannot commit %q: %s", b, sysMessage(err))
	}
	if err := os.Rename(a, b); err != nil {
		os.Rename(aside, b)
		return ioErrorf("cannot commit %q: %s", b, sysMessage(err))
	}
	return os.Rename(aside, a)
}

// SweepFolderStaging clears what folder-table writers killed before they
// finished left in DIR/.peregrine: staged next folders (before their
// exchange they are uncommitted, after it they are the old state; either
// way garbage), dropped folders, and the old folder of SwapFolders'
// fallback, put back where a crash left the table without one. The caller
// holds the folder's write lock.
func SweepFolderStaging(dir string) {
	cd := CatalogDir(dir)
	entries, err := os.ReadDir(cd)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() {
			continue
		}
		if table, ok := strings.CutSuffix(strings.TrimPrefix(name, "next-"), ".old"); ok && strings.HasPrefix(name, "next-") {
			if _, err := os.Stat(filepath.Join(dir, table)); os.IsNotExist(err) {
				os.Rename(filepath.Join(cd, name), filepath.Join(dir, table))
				continue
			}
		}
		if strings.HasPrefix(name, "next-") || strings.HasPrefix(name, "dropped-") {
			os.RemoveAll(filepath.Join(cd, name))
		}
	}
}
