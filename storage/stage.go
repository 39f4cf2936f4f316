package storage

import (
	"context"
	"io"
)

// The commit protocol of every write the engine makes (COPY ... TO and
// anything else that produces files): the writer stages files, then either
// commits them, which publishes all of them at once, or aborts, which
// leaves the target as it was. A Stage hides where the files go; the local
// file system is one implementation (stage_local.go), object stores the
// other (stage_object.go: an S3 multipart upload that becomes visible only
// when completed is a staged file), chosen by OpenStage from the target's
// path.
//
//	st, err := OpenStage(ctx, StageSpec{Path: p, Folder: true, Mode: WriteOverwrite})
//	f, err := st.Create("a=1/data_0.parquet") // write, then f.Close()
//	err = st.Commit(ctx)                       // or st.Abort()

// WriteMode is the policy for a target that already exists (DuckDB's COPY
// options; at most one of them may be given).
type WriteMode uint8

const (
	// WriteDefault replaces a single-file target; a folder target must be
	// absent or empty.
	WriteDefault WriteMode = iota
	// WriteOverwrite (OVERWRITE) replaces a folder target's whole contents
	// (or a file where a folder is wanted).
	WriteOverwrite
	// WriteOverwriteOrIgnore (OVERWRITE_OR_IGNORE) writes into an existing
	// folder, replacing files of the same name and keeping the others.
	WriteOverwriteOrIgnore
	// WriteAppend (APPEND) adds files with fresh names to an existing
	// folder.
	WriteAppend
)

// String is the mode's COPY option name (OVERWRITE, APPEND, ...).
func (m WriteMode) String() string {
	switch m {
	case WriteOverwrite:
		return "OVERWRITE"
	case WriteOverwriteOrIgnore:
		return "OVERWRITE_OR_IGNORE"
	case WriteAppend:
		return "APPEND"
	}
	return "default"
}

// StageSpec says what a write produces and where.
type StageSpec struct {
	// Path is the target: a file, or a folder when Folder is set.
	Path string
	// Folder: the write produces files under Path (PARTITION_BY,
	// FILE_SIZE_BYTES) instead of the single file Path.
	Folder bool
	Mode   WriteMode
	// TempRoot is the folder of this process's temporary folder (the
	// database's temp_directory, "" for the default), where the commit's
	// record lives so that a later start can finish or undo a commit that
	// a crash interrupted.
	TempRoot string
	// FS is the file system of a URL target (s3://, gs://, az://), the
	// one Catalog.FileSystem resolves with the database's settings and
	// secrets; local paths do not use it.
	FS FileSystem
}

// Stage is one write's staging area.
//
// Create starts a file that will appear at name: "" is the single-file
// target itself, otherwise a slash-separated path under the target folder
// ("a=1/data_0.parquet"). Files are written and closed before Commit; a
// closed file is complete but not visible.
//
// Commit publishes every closed file so that a reader or a crash sees all
// of them or none (see the implementation's notes for the one case where
// a concurrent reader may see part). Abort removes what was staged; it is
// safe after a failed Commit and idempotent. Exactly one of Commit or
// Abort ends a Stage.
type Stage interface {
	Create(name string) (StagedFile, error)
	Commit(ctx context.Context) error
	Abort() error
	// FreshName returns a file name no existing or staged file under dir
	// (a slash path below the target) has, for APPEND.
	FreshName(dir, ext string) string
}

// StagedFile is one file being written into a Stage.
type StagedFile interface {
	io.Writer
	// Close completes the file; it becomes visible only with Commit.
	Close() error
}

// OpenStage checks the target against spec's mode (DuckDB's rules for
// existing targets) and opens a staging area for it. The checks happen
// here, before any row is computed, so that a bad target fails fast.
func OpenStage(ctx context.Context, spec StageSpec) (Stage, error) {
	if IsRemote(spec.Path) {
		if spec.FS == nil {
			return nil, ioErrorf("writing %q needs the database's object-store settings: write through a Catalog (COPY ... TO)", spec.Path)
		}
		return openObjectStage(ctx, spec)
	}
	p, err := localPath(spec.Path)
	if err != nil {
		return nil, err
	}
	spec.Path = p
	return openLocalStage(spec)
}
