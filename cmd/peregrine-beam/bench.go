package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/peregrinedb/peregrine/bench/tpch"
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
)

// benchTPCH times TPC-H queries in this process (the ordinary engine) and
// as Beam jobs on the chosen runner, checks that both give the same rows,
// and prints a Markdown table with the job's exchange costs from its
// metrics: Arrow IPC encoding and decoding time, bytes exchanged, and the
// tasks' total time.
func (c *config) benchTPCH(ctx context.Context, data string, stdout, stderr io.Writer) int {
	quietLogs(c.verbose)
	fail := func(err error) int {
		fmt.Fprintf(stderr, "Error: %v\n", err)
		return 1
	}
	qs, err := tpch.ParseQueryList(c.queries)
	if err != nil {
		return fail(err)
	}
	db, limit, err := c.open(data)
	if err != nil {
		return fail(err)
	}
	defer db.Close()
	fmt.Fprintf(stdout, "| query | peregrine ms | %s ms | ratio | peregrine CPU ms | %s CPU ms | stages | tasks | exchanged | IPC encode ms | IPC decode ms | task time ms |\n", c.runner, c.runner)
	fmt.Fprintln(stdout, "|---|---|---|---|---|---|---|---|---|---|---|---|")
	var sumLocal, sumBeam, sumLocalCPU, sumBeamCPU float64
	for _, q := range qs {
		text, err := tpch.Query(q)
		if err != nil {
			return fail(err)
		}
		var local, beam, localCPU, beamCPU []time.Duration
		var want, got [][]string
		var res *jobResult
		d, err := db.PlanDistributed(text, c.opts)
		if err != nil {
			return fail(fmt.Errorf("Q%d: %w", q, err))
		}
		for r := 0; r < c.runs; r++ {
			t0, c0 := time.Now(), cpuTime()
			want, err = tpch.Collect(ctx, db, text)
			if err != nil {
				return fail(fmt.Errorf("Q%d: %w", q, err))
			}
			local, localCPU = append(local, time.Since(t0)), append(localCPU, cpuTime()-c0)
			t0, c0 = time.Now(), cpuTime()
			cq := *c
			cq.sql = text
			var dir string
			res, dir, err = cq.execute(ctx, d, data, limit, newProgress(d, stderr, true))
			if err == nil {
				got, err = resultRows(ctx, dir, planner.Types(d.Plan.Root().Root))
			}
			removeAll(ctx, dir)
			if err != nil {
				return fail(fmt.Errorf("Q%d: %w", q, err))
			}
			beam, beamCPU = append(beam, time.Since(t0)), append(beamCPU, cpuTime()-c0)
		}
		if err := tpch.Check(&tpch.Answer{Columns: make([]string, len(d.Columns)), Rows: want}, got); err != nil {
			return fail(fmt.Errorf("Q%d: the Beam result differs from the local one: %w", q, err))
		}
		lm, bm, lc, bc := median(local), median(beam), median(localCPU), median(beamCPU)
		sumLocal, sumBeam, sumLocalCPU, sumBeamCPU = sumLocal+lm, sumBeam+bm, sumLocalCPU+lc, sumBeamCPU+bc
		var tasks, bytes, enc, dec, task int64
		for _, f := range fragmentCounters(res.metrics) {
			tasks, bytes, enc, dec, task = tasks+f["tasks"], bytes+f["bytes_out"], enc+f["encode_us"], dec+f["decode_us"], task+f["task_us"]
		}
		fmt.Fprintf(stdout, "| Q%02d | %.0f | %.0f | %.1f | %.0f | %.0f | %d | %d | %s | %.0f | %.0f | %.0f |\n", q, lm, bm, bm/lm, lc, bc,
			len(d.Plan.Fragments), tasks, mib(bytes), float64(enc)/1e3, float64(dec)/1e3, float64(task)/1e3)
	}
	fmt.Fprintf(stdout, "| total | %.0f | %.0f | %.1f | %.0f | %.0f | | | | | | |\n", sumLocal, sumBeam, sumBeam/sumLocal, sumLocalCPU, sumBeamCPU)
	return 0
}

func median(ts []time.Duration) float64 {
	s := append([]time.Duration{}, ts...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return float64(s[len(s)/2].Microseconds()) / 1e3
}

func resultRows(ctx context.Context, dir string, types []coldata.Type) ([][]string, error) {
	r, err := openResult(ctx, dir, types)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var out [][]string
	for {
		b, err := r.Next(ctx)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, tpch.FormatRows(b)...)
	}
}
