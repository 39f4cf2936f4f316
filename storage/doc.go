// Package storage maps table names to Parquet files: a database directory
// where each NAME.parquet file or NAME folder is a table, plus tables named
// by path or glob. It keeps opened files (parsed footers) in a cache keyed by
// path, size and modification time so repeated queries skip re-parsing, with
// a bounded pool of descriptors behind them.
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
// of a write or none of it.
//
// Files:
//   - catalog.go, files.go, handles.go: tables, path resolution, the footer
//     cache and the descriptor pool.
//   - dataset.go, hive.go, schema.go: file sets, hive partitions, schema
//     merging and widening.
//   - stats.go, ndv.go: column ranges and distinct-value estimates.
//   - metadata.go, inspect.go, advice.go: parquet_metadata/parquet_schema,
//     layout reports and advice.
//   - write.go, sink.go: WriteParquet, partition routing, Arrow builders,
//     row groups and file rotation.
//   - stage.go: the commit protocol (Stage, StagedFile, WriteMode,
//     OpenStage); stage_local.go: the local file system's stage and DuckDB's
//     rules for existing targets; stage_recover.go: the commit record and
//     the recovery a later start runs; exchange_*.go: atomic exchange of
//     two paths where the kernel has it.
//   - pagecrc.go, thriftc.go: the pass that writes page CRCs into files
//     arrow-go wrote, and the Thrift compact codec it uses.
//   - tempdir/: this process's temporary folders and the sweep of dead
//     processes' ones.
package storage
