// Command peregrine-beam runs one Peregrine query as an Apache Beam
// pipeline: locally on prism (the default), or on Flink, Spark or Google
// Cloud Dataflow through Beam's runners.
//
//	peregrine-beam [--runner prism|flink|spark|dataflow] [--endpoint HOST:PORT]
//	    [--format table|csv|json] [--out URL] DIR_OR_URL -c "SQL"
//
// It is a Go module of its own, so that neither the engine's module nor
// the peregrine binary depends on Beam. The query is planned by the engine
// (peregrine.DB.PlanDistributed: fragments cut at exchanges) and every
// fragment becomes a Beam transform whose elements are its tasks; each task
// runs the engine's executor over Arrow IPC batches.
//
// Files:
//   - main.go: flags, the query's life (plan, run, print or write), progress
//   - pipeline.go: fragments as transforms; the DoFns that run tasks
//   - job.go: submitting to prism or a job server, following the job and
//     its metrics; Dataflow through Beam's runner
//   - result.go: the result's part files, reading them back, committing
//     --out Parquet files
//   - bench.go: --tpch, TPC-H in-process against Beam jobs (cpu_*.go: the
//     process's CPU time)
//   - cloud.go: the Dataflow runner and the GCS and S3 file systems (left
//     out by -tags nocloud)
package main
