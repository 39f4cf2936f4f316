// Package storage maps table names to Parquet files wherever they live —
// the local disk, S3 and S3-compatible stores (MinIO, R2, Ceph), Google
// Cloud Storage, Azure Blob Storage / ADLS Gen2, HTTP(S) — and writes
// them back.
//
// A database directory (a folder or an object-store prefix) holds one
// table per NAME.parquet file or NAME folder; tables can also be named by
// path, URL or glob. Opened files (parsed footers) are cached across
// queries, keyed by path and validated by size and modification time
// locally, by ETag on object stores, with a bounded pool of descriptors
// behind the local ones.
//
// A Dataset is the file set of one table before any footer but the first is
// read: hive key=value folders become typed partition columns, which
// PrunePartitions evaluates on paths alone; with union_by_name, schemas are
// merged by column name with lossless widening. Dataset.Table opens what is
// left, in parallel. WriteParquet is COPY ... TO; ParquetMetadata and
// ParquetSchema are DuckDB's table functions; Inspect gives layout advice.
//
// Every write goes through one commit protocol (Stage: stage files, then
// commit them all at once or abort), so that a reader or a crash sees all
// of a write or none of it, on the local disk and on object stores alike.
//
// Folder tables (CREATE TABLE t (cols) in a directory database; the root
// package's tables_file.go drives them) commit this way:
//
//   - The table exists when its CREATE TABLE statement is in
//     DIR/.peregrine/catalog.sql (one atomic replace of that file); DIR/t/
//     holds its rows as data-SEQ-GEN.parquet files whose names sort in row
//     order and are never reused. A missing folder is an empty table.
//   - INSERT adds one file through a Stage: written under a temporary
//     name, one rename commits it.
//   - UPDATE and DELETE (and ALTER's column changes, which rewrite every
//     file) stage the table's next folder, DIR/.peregrine/next-t/:
//     unaffected files are hard links, files holding a changed row are
//     rewritten as SEQ-GEN+1 (left out when DELETE empties them). One
//     atomic exchange of the two folders (renameat2 RENAME_EXCHANGE,
//     SwapFolders) commits; the old folder, now at the staged path, is
//     removed after. A crash before the exchange leaves the old folder,
//     after it the new one; what is left in .peregrine is garbage the next
//     writer sweeps (SweepFolderStaging) when it takes the lock.
//   - Writers hold the folder's flock, so there is one at a time. A reader
//     in another process lists one folder or the other; one whose files
//     vanish under it (the old folder removed) retries its load.
//   - Not single-step: ALTER's column changes (folder exchange, then the
//     catalog) and RENAME / DROP (catalog, folder): a crash between the two
//     steps can leave the catalog and the folder disagreeing. Without
//     RENAME_EXCHANGE, SwapFolders falls back to two renames, and the sweep
//     puts the old folder back if a crash fell between them.
//
// Where bytes come from:
//
//	fs.go           the FileSystem interface (Stat, List, Open, Create, Remove), FileStat, URL schemes
//	localfs.go      the local disk (descriptors from handles.go's bounded pool)
//	objstore.go     one FileSystem for every object store over a small per-provider API:
//	                ranged reads that resume cut bodies, paged listing, staged uploads
//	s3.go, gcs.go,  the providers, through their own SDKs (aws-sdk-go-v2, Google's
//	azure.go        generated JSON API client, azblob); SDK retries off
//	httpfs.go       read-only HTTP(S) with range requests
//	retry.go        one retry policy: jittered exponential backoff on throttling, 5xx,
//	                dropped connections; errors that name the URL
//	remote.go       Catalog.FileSystem, the one place a path meets a file system;
//	                SET s3_* settings; per-bucket clients
//	secrets.go      CREATE SECRET's store (scopes, redaction) and scrubbing of errors
//	secrets_persist.go  CREATE PERSISTENT SECRET: the secret directory's files, read on first use
//	sandbox.go      enable_external_access, allowed_directories, allowed_paths: every
//	                path Catalog.FileSystem hands out is checked at its real location
//
// Reading tables:
//
//	catalog.go      Catalog (Query gives a per-query view: one listing per folder per
//	                query), table names, path resolution, the footer cache
//	files.go, handles.go  table files and the descriptor pool
//	glob.go         globs over any file system: delimiter listings per wildcard level,
//	                one recursive listing for **; the per-query listing cache
//	openlist.go     Open's one-page listing of an object-store folder, handed to the
//	                first query so that it does not list again
//	footer_prefetch.go  footer reads: concurrent opens of one file share a read; an
//	                object-store folder's tables (up to 16 files) are all read at once
//	                when the folder is listed
//	dataset.go      Dataset: a table's files before their footers; union_by_name
//	fileset.go      FileSet: files and hive partitions without opening any (CSV, JSON);
//	                TextFormat tells CSV and JSON paths by extension
//	hive.go         hive partitions: parsing, typing, pruning on paths alone
//	schema.go       schema merging and widening
//	stats.go, ndv.go, ndvsketch.go  statistics for the planner (ranges, distinct counts);
//	                over object stores, footers that already settle a count spare the
//	                dictionary sketches (remoteFootersSuffice)
//	metadata.go, inspect.go, advice.go
//	                parquet_metadata, parquet_schema, parquet_inspect and its advice
//
// Writing:
//
//	write.go, sink.go   WriteParquet and Catalog.WriteParquet (COPY ... TO with
//	                    PARTITION_BY, FILE_SIZE_BYTES): partition routing, Arrow
//	                    builders, row groups and file rotation, into a Stage
//	sink_kinds.go       Arrow/Parquet types and builders of TINYINT..UBIGINT, FLOAT, BLOB (Binary) and
//	                    UUID (written as its text, VARCHAR)
//	sink_kinds.go       Arrow/Parquet types and builders of TINYINT..UBIGINT, FLOAT, TIME
//	                    (Time64 µs) and TIMESTAMPTZ (UTC timestamp; TIMESTAMP has no zone)
//	write_text.go       RowEncoder: the same writer, stage and partitioning for text
//	                    formats (storage/csv's and storage/jsonfmt's encoders)
//	stage.go            the commit protocol (Stage, StagedFile, WriteMode, OpenStage,
//	                    which picks the implementation from the target's path)
//	stage_local.go      the local disk's stage: temporary names and renames, DuckDB's
//	                    rules for existing targets
//	stage_recover.go    the local commit record and the recovery a later start runs
//	exchange_*.go       atomic exchange of two paths where the kernel has it
//	folder_swap.go      SwapFolders (a folder table's commit) and the sweep of its
//	                    staged folders
//	stage_object.go     object-store targets: every file an upload (multipart, blocks,
//	                    resumable session) staged until all are complete, then
//	                    committed; aborted on failure or cancellation
//	pagecrc.go, thriftc.go  the pass that writes page CRCs into files arrow-go wrote,
//	                    and the Thrift compact codec it uses
//
// In memory:
//
//	catalog_file.go     a directory database's own folder, DIR/.peregrine: catalog.sql
//	                    (its folder tables and views as CREATE statements) and, in catalog_lock_*.go,
//	                    the write lock (flock) that names the process holding it
//	table_mem.go        MemTable: the rows of CREATE TABLE in memory, TEMP tables and
//	                    Go's registered data, as immutable chunk snapshots replaced
//	                    whole by each write; MemBuilder builds the next snapshot
//
// Sub-packages: csv (read_csv: sniffer, parallel reader, COPY TO csv
// encoder) and jsonfmt (read_json and COPY TO json); tempdir (this process's temporary folders and the sweep of
// dead processes' ones); objtest (only tests import it) starts S3, GCS and
// Azurite servers on 127.0.0.1 and a fault-injecting proxy.
package storage
