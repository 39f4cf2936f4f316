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
//   - scan.go: the table scan's morsel queue and workers; runtimefilter.go:
//     filters finished join builds push into probe-side scans.
//   - filter.go, project.go, limit.go, values.go, gather.go, repeat.go,
//     unnest.go: streaming operators (repeat: rows repeated by a count
//     column, for INTERSECT/EXCEPT ALL; unnest: one row per list element)
//     and the gather that unions parallel workers.
//     A UNION ALL needs no operator: Build concatenates its inputs' worker
//     streams.
//   - hashtable.go: the group table (keys → dense ids) that aggregation,
//     joins and DISTINCT share; hashtable_packed.go: short keys packed
//     into one integer.
//   - hashagg.go, hashagg_merge.go, agg.go, hashagg_flush.go,
//     hashagg_out.go, hashagg_spill.go: hash aggregation, the in-memory
//     merge of its workers' tables, accumulators (agg_hugeint.go: HUGEINT
//     sums, minima and maxima), flushing large tables
//     into partitions, the parallel readers of its output, spilling.
//   - joinbuild.go, joinpart.go: join builds (broadcast and radix
//     partitioned); hashjoin.go, hashjoin_pairs.go: the probe;
//     hashjoin_spill.go: the Grace join after a build spills; leftbuild.go,
//     leftbuild_outer.go: semi/anti and LEFT joins that build on their left
//     side.
//   - sort.go, sortrows.go, sort_spill.go: the parallel sort, its row
//     comparators and radix index sort, sorted runs on disk; topn.go: top-N.
//   - memory*.go: memory pools and accounts; gctune.go: the runtime's memory
//     limit kept near the live heap; spill.go: spill files; tempspace*.go:
//     the bound on the bytes spill files hold (max_temp_directory_size).
//   - progress.go: the scans' progress counters.
//   - colstore.go: column helpers the buffering operators share; stats.go:
//     per-operator statistics.
package exec
