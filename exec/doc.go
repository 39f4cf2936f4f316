// Package exec runs physical plans: vectorized, pull-based operators that
// pass coldata batches, with pipelines replicated across workers that take
// Parquet row groups as morsels.
//
// The files:
//
//   - operator.go: the Operator, VecExpr and Selector contracts.
//   - build.go, build_join.go, build_cte.go, build_dataset.go,
//     build_analyze.go: Build turns a physical plan into operators, one per
//     worker of each pipeline, keeps the executor's own choices (how a join
//     builds, a left-build join's fallback) and the row counts breakers
//     measured, and annotates EXPLAIN ANALYZE; adaptive.go: join regions
//     whose chosen plan is built at run time from materialised stages.
//   - fragment.go, exchange.go, aggstate.go: one task of a distributed
//     plan's fragment, the partitioner behind hash exchanges, and partial
//     and final aggregation over accumulator states (both are the hash
//     aggregation: the final one merges state rows in its sink, and
//     flushes and spills them as the local aggregation does).
//   - sample.go: a scan run at plan time to measure a small dimension.
//   - pipeline.go: the parallel layer every pipeline breaker stands on
//     (Sink / Combine / Finalize, one worker runner, runTasks for parallel
//     finalize work); rowbuf.go: the chunked row buffers breakers
//     materialise into.
//   - scan_mem.go: the scan of an in-memory table's snapshot (chunks
//     handed out whole, without copying; row ids for UPDATE/DELETE);
//     scan_stream.go: the one scan of a one-pass table (a Go RecordReader).
//   - scan.go: the table scan's morsel queue and workers; runtimefilter.go:
//     filters finished join builds push into probe-side scans;
//     scan_prefetch.go: remote files' row groups fetched ahead of the
//     workers, from the moment the scan is opened.
//   - distincton.go: the first row of each run of equal keys in a sorted
//     stream (SELECT DISTINCT ON).
//   - filter.go, project.go, limit.go, values.go, gather.go, repeat.go,
//     unnest.go: streaming operators (repeat: rows repeated by a count
//     column, for INTERSECT/EXCEPT ALL; unnest: one row per list element)
//     and the gather that unions parallel workers.
//     A UNION ALL needs no operator: Build concatenates its inputs' worker
//     streams.
//   - recursive.go: WITH RECURSIVE, the anchor then a freshly built step
//     pipeline per round over the working table (WorkScan), UNION dropping
//     rows seen before through a group table.
//   - series.go: range/generate_series, integers and timestamps stepping
//     by intervals, a batch at a time.
//   - hashtable.go: the group table (keys → dense ids) that aggregation,
//     joins and DISTINCT share; hashtable_packed.go: short keys packed
//     into one integer.
//   - hashagg.go, hashagg_merge.go, agg.go, hashagg_flush.go,
//     hashagg_out.go, hashagg_spill.go: hash aggregation, the in-memory
//     merge of its workers' tables, accumulators (agg_hugeint.go: HUGEINT
//     sums, minima and maxima), flushing large tables
//     into partitions, the parallel readers of its output, spilling.
//     agg_named.go: the aggregates named by AggSpec.Name (bool_and,
//     count_if, bit_*, product, first/last/any_value); aggstate_stats.go:
//     variance, stddev, skewness, kurtosis; aggstate_holistic.go: median,
//     quantiles, mode, entropy, string_agg, list (every value kept, spilled
//     as one VARCHAR state); agg_hll.go: approx_count_distinct
//     (HyperLogLog); aggstate_pairs.go: arg_min/arg_max, covar, corr,
//     regr_* (two argument columns as one STRUCT vector); agg_ordered.go:
//     ORDER BY and FILTER inside a named aggregate (orderedAcc keeps each
//     group's rows, sorts them at finalize, spills them as encoded blocks).
//   - joinbuild.go, joinpart.go: join builds (broadcast and radix
//     partitioned); hashjoin.go, hashjoin_pairs.go: the probe;
//     hashjoin_spill.go: the Grace join after a build spills;
//     hashjoin_full.go: FULL OUTER joins (matched build rows marked, the
//     rest emitted after the probe); leftbuild.go, leftbuild_outer.go:
//     semi/anti and LEFT joins that build on their left side.
//   - asof.go, build_asof.go: ASOF joins (the join build's key groups
//     sorted by the inequality column, probe rows binary-searched) and
//     their building, with POSITIONAL joins' (positional.go).
//   - sort.go, sortrows.go, sort_spill.go: the parallel sort, its row
//     comparators and radix index sort, sorted runs on disk; topn.go: top-N.
//   - window.go: window functions over the parallel, spilling sort by
//     (partition, order), cut into blocks of whole partitions that
//     readers evaluate in parallel; window_eval.go: ranking, offset and
//     value functions; window_frame.go: ROWS/RANGE/GROUPS frames;
//     window_agg.go: framed aggregates (prefix sums, segment tree);
//     window_distinct.go: DISTINCT aggregates over sliding frames;
//     window_fill.go: fill(), NULLs interpolated along the ORDER BY key.
//   - memory*.go: memory pools and accounts; gctune.go: the runtime's memory
//     limit kept near the live heap; spill.go: spill files; tempspace*.go:
//     the bound on the bytes spill files hold (max_temp_directory_size).
//   - progress.go: the scans' progress counters.
//   - external.go: the scan of an external source (CSV, JSON files): one
//     operator per worker over the source's shared run.
//   - colstore.go: column helpers the buffering operators share; stats.go:
//     per-operator statistics.
package exec
