package storage

import (
	"errors"
	"os"
	"path/filepath"
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
	aside := b + ".old"
	if err := os.Rename(b, aside); err != nil {
		return ioErrorf("cannot commit %q: %s", b, sysMessage(err))
	}
	if err := os.Rename(a, b); err != nil {
		os.Rename(aside, b)
		return ioErrorf("cannot commit %q: %s", b, sysMessage(err))
	}
	return os.Rename(aside, a)
}

