// Package dbgen generates the TPC-H tables, row for row the data of the
// TPC's dbgen and of DuckDB's tpch extension.
//
// It is written from the TPC-H specification (clause 4.2) and the facts of
// the reference generator: its random number streams (one Park–Miller
// generator per column, each with its seed and a fixed number of draws per
// row, so that any row can be reached by modular exponentiation) and its
// distribution file. Both facts are data files embedded in the package.
//
// A Generator is built for one scale factor and is safe for concurrent use.
// Every table can be generated whole (Parts, Orders, ...) or by row ranges
// (PartRows, OrderRows, LineItemRows, ...), each range independent of the
// others, which is how bench/tpchgen generates in parallel. Rows reach a
// callback one at a time as typed structs.
//
// Files:
//   - dists.dss: the TPC-H distributions (word lists, weights, text
//     grammar), the TPC's dbgen 2.14 file as it is.
//   - streams.tsv: the random number streams: seed, driving table, draws
//     per row and the column each one serves.
//   - catalog.go: reads the two data files.
//   - lehmer.go: the Park–Miller step, skip-ahead, and lanes (a stream
//     placed at a row).
//   - prose.go: the comment text, written from the grammar, and cutting
//     comments from it.
//   - cursor.go: placing a table's lanes at a row; string arena; v-strings
//     and phone numbers.
//   - generator.go: Table, Compat, Options, New, row counts.
//   - rows.go: the row types handed to callbacks.
//   - geo.go: nation and region.
//   - people.go: customer and supplier.
//   - parts.go: part and partsupp.
//   - orders.go: orders and lineitem, and the index of line counts that
//     finds a lineitem row's order.
package dbgen
