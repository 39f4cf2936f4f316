package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/metrics"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/runtime/graphx"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/runtime/metricsx"
	jobpb "github.com/apache/beam/sdks/v2/go/pkg/beam/model/jobmanagement_v1"
	pipepb "github.com/apache/beam/sdks/v2/go/pkg/beam/model/pipeline_v1"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/options/jobopts"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/universal/extworker"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/universal/runnerlib"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/util/grpcx"
)

// Jobs go to a Beam job service: prism's, started in this process, or a
// Flink or Spark job server at --endpoint (Beam's portable runners). The
// submission is Beam's own (prepare, stage the worker, submit); waiting is
// ours, so that the job's state changes, its error messages and, every
// second, its metrics (each fragment's tasks done, rows and bytes moved)
// can be shown as the runner reports them. Dataflow goes through Beam's
// Dataflow runner, which reports its own progress.

// runDataflow runs a pipeline on Dataflow (cloud.go; nil in a build
// with -tags nocloud).
var runDataflow func(ctx context.Context, p *beam.Pipeline) (beam.PipelineResult, error)

// jobResult is what a finished job reports.
type jobResult struct {
	metrics metrics.Results
	elapsed time.Duration
}

var prismServer struct {
	once   sync.Once
	client jobpb.JobServiceClient
	err    error
}

func prismClient(ctx context.Context) (jobpb.JobServiceClient, error) {
	prismServer.once.Do(func() {
		prismServer.client, prismServer.err = prism.CreateJobServer(context.Background(), prism.Options{})
	})
	return prismServer.client, prismServer.err
}

// runJob runs the pipeline on runner and waits for it, calling progress
// with the job's metrics as they change.
func runJob(ctx context.Context, runner string, p *beam.Pipeline, progress func(metrics.Results), status func(string)) (*jobResult, error) {
	t0 := time.Now()
	if runner == "dataflow" {
		if runDataflow == nil {
			return nil, errors.New("this build has no Dataflow runner (it was built with -tags nocloud)")
		}
		res, err := runDataflow(ctx, p)
		if err != nil {
			return nil, err
		}
		out := &jobResult{elapsed: time.Since(t0)}
		if res != nil {
			out.metrics = res.Metrics()
		}
		return out, nil
	}
	var client jobpb.JobServiceClient
	switch runner {
	case "prism":
		if *jobopts.EnvironmentType == "" {
			*jobopts.EnvironmentType = "loopback"
		}
		c, err := prismClient(ctx)
		if err != nil {
			return nil, fmt.Errorf("starting prism: %w", err)
		}
		client = c
	case "flink", "spark", "universal":
		endpoint, err := jobopts.GetEndpoint()
		if err != nil {
			return nil, fmt.Errorf("--runner %s needs --endpoint HOST:PORT of a Beam job server: %w", runner, err)
		}
		cc, err := grpcx.Dial(ctx, endpoint, 2*time.Minute)
		if err != nil {
			return nil, fmt.Errorf("connecting to the job server at %s: %w", endpoint, err)
		}
		defer cc.Close()
		client = jobpb.NewJobServiceClient(cc)
	default:
		return nil, fmt.Errorf("unknown runner %q (use prism, flink, spark or dataflow)", runner)
	}
	edges, _, err := p.Build()
	if err != nil {
		return nil, err
	}
	envCfg := jobopts.GetEnvironmentConfig
	if jobopts.IsLoopback() {
		srv, err := extworker.StartLoopback(ctx, 0)
		if err != nil {
			return nil, err
		}
		defer srv.Stop(ctx)
		envCfg = srv.EnvironmentConfig
	}
	env, err := graphx.CreateEnvironment(ctx, jobopts.GetEnvironmentUrn(ctx), envCfg)
	if err != nil {
		return nil, err
	}
	pipe, err := graphx.Marshal(edges, &graphx.Options{Environment: env})
	if err != nil {
		return nil, err
	}
	worker, cleanup, err := workerBinary(ctx)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	if err := runnerlib.UpdateGoEnvironmentWorker(worker, pipe); err != nil {
		return nil, err
	}
	opts := &runnerlib.JobOptions{Name: jobopts.GetJobName(), Experiments: jobopts.GetExperiments(),
		Worker: *jobopts.WorkerBinary, Parallelism: *jobopts.Parallelism, Loopback: jobopts.IsLoopback()}
	prepID, artifacts, token, err := runnerlib.Prepare(ctx, client, pipe, opts)
	if err != nil {
		return nil, err
	}
	token, err = runnerlib.Stage(ctx, prepID, artifacts, worker, token)
	if err != nil {
		return nil, err
	}
	jobID, err := runnerlib.Submit(ctx, client, prepID, token)
	if err != nil {
		return nil, err
	}
	status(fmt.Sprintf("submitted job %s to %s", jobID, runner))
	err = wait(ctx, client, jobID, pipe, progress, status)
	res := &jobResult{elapsed: time.Since(t0)}
	if m, merr := jobMetrics(ctx, client, jobID, pipe); merr == nil {
		res.metrics = *m
	}
	return res, err
}

// workerBinary is the binary the runner starts as the SDK worker: this one
// when it can run on the workers (Linux amd64; in loopback mode none).
func workerBinary(ctx context.Context) (string, func(), error) {
	if jobopts.IsLoopback() {
		f, err := os.CreateTemp("", "peregrine-beam-loopback-*")
		if err != nil {
			return "", nil, err
		}
		f.Close()
		return f.Name(), func() { os.Remove(f.Name()) }, nil
	}
	if *jobopts.WorkerBinary != "" {
		return *jobopts.WorkerBinary, func() {}, nil
	}
	if self, ok := runnerlib.IsWorkerCompatibleBinary(); ok {
		return self, func() {}, nil
	}
	return "", nil, errors.New("this binary cannot run on the cluster's workers: build peregrine-beam for linux/amd64 and pass it as --worker_binary")
}

func jobMetrics(ctx context.Context, client jobpb.JobServiceClient, jobID string, p *pipepb.Pipeline) (*metrics.Results, error) {
	resp, err := client.GetJobMetrics(ctx, &jobpb.GetJobMetricsRequest{JobId: jobID})
	if err != nil {
		return nil, err
	}
	m := resp.GetMetrics()
	return metricsx.FromMonitoringInfos(p, m.GetAttempted(), m.GetCommitted()), nil
}

// wait follows the job's state and messages until it ends, polling its
// metrics every second for progress. A failed job's error is the message
// of the failing task (its fragment, split or partition, and why).
func wait(ctx context.Context, client jobpb.JobServiceClient, jobID string, p *pipepb.Pipeline, progress func(metrics.Results), status func(string)) error {
	stream, err := client.GetMessageStream(ctx, &jobpb.JobMessagesRequest{JobId: jobID})
	if err != nil {
		return fmt.Errorf("following job %s: %w", jobID, err)
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				if m, err := jobMetrics(ctx, client, jobID, p); err == nil {
					progress(*m)
				}
			}
		}
	}()
	var failed bool
	var errs []string
	for {
		msg, err := stream.Recv()
		if err != nil {
			if errors.Is(err, io.EOF) {
				if failed {
					return jobError(jobID, errs)
				}
				return nil
			}
			return err
		}
		if st := msg.GetStateResponse(); st != nil {
			status(fmt.Sprintf("job %s: %s", jobID, st.GetState()))
			switch st.GetState() {
			case jobpb.JobState_DONE:
				return nil
			case jobpb.JobState_CANCELLED:
				return fmt.Errorf("job %s was cancelled", jobID)
			case jobpb.JobState_FAILED:
				failed = true
				if len(errs) > 0 {
					return jobError(jobID, errs)
				}
			}
			continue
		}
		if m := msg.GetMessageResponse(); m != nil && m.GetImportance() >= jobpb.JobMessage_JOB_MESSAGE_ERROR {
			errs = append(errs, m.GetMessageText())
			if failed {
				return jobError(jobID, errs)
			}
		}
	}
}

// jobError reduces the runner's error messages to Peregrine's own, which
// name the failing fragment and its split or partition.
func jobError(jobID string, msgs []string) error {
	for _, m := range msgs {
		if i := strings.Index(m, "peregrine: "); i >= 0 {
			line := m[i+len("peregrine: "):]
			if j := strings.IndexByte(line, '\n'); j >= 0 {
				line = line[:j]
			}
			return errors.New(strings.TrimSpace(line))
		}
	}
	if len(msgs) == 0 {
		return fmt.Errorf("job %s failed without a message", jobID)
	}
	return fmt.Errorf("job %s failed: %s", jobID, msgs[len(msgs)-1])
}

// fragmentCounters sums the peregrine counters of a job by fragment and
// name ("f3.rows_out" → [3]["rows_out"]).
func fragmentCounters(m metrics.Results) map[int]map[string]int64 {
	out := map[int]map[string]int64{}
	for _, c := range m.AllMetrics().Counters() {
		if c.Key.Namespace != "peregrine" {
			continue
		}
		var id int
		var name string
		if k := strings.IndexByte(c.Key.Name, '.'); k > 1 {
			if _, err := fmt.Sscanf(c.Key.Name[1:k], "%d", &id); err != nil {
				continue
			}
			name = c.Key.Name[k+1:]
		}
		if out[id] == nil {
			out[id] = map[string]int64{}
		}
		v := c.Committed
		if v == 0 {
			v = c.Attempted
		}
		out[id][name] += v
	}
	return out
}

func sortedIDs(m map[int]map[string]int64) []int {
	ids := make([]int, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	return ids
}
