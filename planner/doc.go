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
//   - joinmode.go: how a hash join builds (broadcast or partitioned), by
//     cost; leftbuild.go also picks SEMI/ANTI/LEFT joins that hash their
//     smaller left side.
//   - distributed.go, distagg.go, distcost.go, distexplain.go: distributed
//     plans cut into fragments at exchanges, partial aggregation, their
//     cost and EXPLAIN.
//   - explain.go, explain_tree.go: the EXPLAIN printers.
package planner
