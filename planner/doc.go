// Package planner turns bound logical plans into physical plans: rule passes
// (predicate pushdown, join-key extraction, projection pruning), a
// cardinality-driven join order, and physical choices (hash-join build
// sides, top-N), printed by EXPLAIN.
//
// In logical plans every column has a query-wide ColID and expr.Column.Index
// holds that ID, so rules can move expressions between nodes without
// renumbering. The physical plan switches to positional indexes.
//
// Files:
//   - logical.go, physical.go: the plan nodes; Plan/PlanWith and lowering.
//     aggorder.go: an aggregate's ORDER BY keys and FILTER column
//     (AggCall.Extra lists every input of a call past Arg).
//   - external.go: ExternalSource, the relations a Values node reads
//     through their own reader (CSV, JSON files), and their column pruning.
//   - distincton.go: DistinctOn (the first row of each run of equal keys,
//     over a sort: SELECT DISTINCT ON).
//   - series.go: Series, the range/generate_series leaf.
//   - recursive.go: RecursiveCTE and WorkScan, leaves whose anchor and step
//     are planned on their own.
//   - window.go: Window (window functions over partitions sorted by
//     their ORDER BY, with frames), its pruning, pushdown of filters on
//     partition keys, lowering and EXPLAIN.
//   - setop.go: Union (UNION ALL of inputs) and Repeat (rows repeated by
//     a count column, for INTERSECT/EXCEPT ALL), their rules and lowering.
//   - unnest.go: Unnest (one row per list element, lists zipped) and its lowering.
//   - pushdown.go, orfactor.go, outerjoin.go, prune.go, partitions.go,
//     footeragg.go, cte.go, leftbuild.go: rewrite rules, one concern each
//     (outerjoin.go: LEFT joins that are inner or anti joins in disguise).
//   - stats.go, selectivity.go: the estimator (rows, distinct values,
//     filter selectivities); sample.go: small filtered dimensions measured
//     at plan time through the executor.
//   - impliedrange.go: range filters implied by join keys and footer
//     ranges.
//   - joincard.go: the cardinality model of a join region; joindp.go,
//     joinorder.go: join ordering (DPhyp: dynamic programming over
//     connected subgraphs and their connected complements, greedy past
//     dpBudget or for disconnected regions); joinregion.go: the relations
//     of a region, including LEFT joins whose inner neighbours may move
//     below them.
//   - adaptive.go: join regions re-planned at run time when a stage's
//     measured size is far off its estimate.
//   - fulljoin.go: FULL OUTER, POSITIONAL and ASOF joins through the rule
//     passes (what may be pushed below them); asof.go, positional.go: the
//     lowering of ASOF joins (a hash join with a nearest-match spec) and
//     the positional join node.
//   - joinmode.go: how a hash join builds (broadcast or partitioned), by
//     cost; leftbuild.go also picks SEMI/ANTI/LEFT joins that hash their
//     smaller left side.
//   - distributed.go, distagg.go, distcost.go, distexplain.go: distributed
//     plans cut into fragments at exchanges, partial aggregation, their
//     cost and EXPLAIN.
//   - explain.go, explain_tree.go: the EXPLAIN printers.
package planner
