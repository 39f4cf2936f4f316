// Package storage maps table names to Parquet files wherever they live —
// the local disk, S3 and S3-compatible stores (MinIO, R2, Ceph), Google
// Cloud Storage, Azure Blob Storage / ADLS Gen2, HTTP(S) — and writes
// them back.
//
// A database directory (a folder or an object-store prefix) holds one
// table per NAME.parquet file or NAME folder; tables can also be named by
// path, URL or glob. Opened files (parsed footers) are cached across
// queries, keyed by path and validated by size and modification time
// locally, by ETag on object stores.
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
//	sandbox.go      enable_external_access, allowed_directories, allowed_paths: every
//	                path Catalog.FileSystem hands out is checked at its real location
//
// Reading tables:
//
//	catalog.go      Catalog (Query gives a per-query view: one listing per folder per
//	                query), table names, path resolution, the footer cache
//	glob.go         globs over any file system: delimiter listings per wildcard level,
//	                one recursive listing for **; the per-query listing cache
//	dataset.go      Dataset: a table's files before their footers; union_by_name
//	hive.go         hive partitions: parsing, typing, pruning on paths alone
//	schema.go       schema merging and widening
//	stats.go, ndv.go  statistics for the planner (ranges, distinct counts)
//	files.go, metadata.go, inspect.go, advice.go
//	                parquet_metadata, parquet_schema, parquet_inspect and its advice
//
// Writing:
//
//	write.go, sink.go   COPY ... TO (PARTITION_BY, FILE_SIZE_BYTES): local files under
//	                    temporary names renamed into place at the end
//	stage_object.go     object-store targets: every file an upload staged until all
//	                    are complete, then committed; aborted on failure or cancellation
//
// objtest (a sub-package only tests import) starts S3, GCS and Azurite
// servers on 127.0.0.1 and a fault-injecting proxy.
package storage
