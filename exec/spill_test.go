package exec

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// spillRun records the pools and directories of one spilling case so that
// every variant can be checked to release them.
type spillRun struct {
	limit   int64
	pools   []*MemoryPool
	dirs    []string
	ops     []Operator
	t       *testing.T
	spilled int64
}

func (r *spillRun) env() memEnv {
	p := NewMemoryPool(r.limit)
	d := r.t.TempDir()
	r.pools = append(r.pools, p)
	r.dirs = append(r.dirs, d)
	return memEnv{pool: p, dir: d}
}

// check asserts the pool is back to zero and the spill directory empty.
func (r *spillRun) check(name string) {
	r.t.Helper()
	for i, p := range r.pools {
		if p.Used() != 0 {
			r.t.Errorf("%s: pool still holds %d bytes after Close", name, p.Used())
		}
		ents, err := os.ReadDir(r.dirs[i])
		if err != nil {
			r.t.Fatal(err)
		}
		if len(ents) != 0 {
			r.t.Errorf("%s: %d spill files left in %s", name, len(ents), r.dirs[i])
		}
	}
	for _, op := range r.ops {
		if s, ok := op.(StatsReporter); ok {
			r.spilled += s.OpStats().SpilledBytes
		}
	}
	r.pools, r.dirs, r.ops = nil, nil, nil
}

// runSpilling reruns c (batch sizes 3 and 1024, with and without selection
// vectors, and with c.workers) under a memory limit; mk receives the env.
// With wantSpill, some variant must have spilled.
func runSpilling(t *testing.T, c opCase, limit int64, wantSpill bool, mk func(ins [][]Operator, env memEnv) Operator) {
	t.Helper()
	r := &spillRun{limit: limit, t: t}
	c.mk = func(ins [][]Operator) Operator {
		op := mk(ins, r.env())
		r.ops = append(r.ops, op)
		return op
	}
	workers := []int{1}
	if c.workers > 1 {
		workers = append(workers, c.workers)
	}
	for _, w := range workers {
		for _, bs := range []int{3, 1024} {
			for _, sel := range []bool{false, true} {
				name := fmt.Sprintf("%s/w=%d/bs=%d/sel=%v", c.name, w, bs, sel)
				runVariant(t, c, name, w, bs, sel)
				r.check(name)
			}
		}
	}
	if wantSpill && r.spilled == 0 {
		t.Errorf("%s: nothing spilled under a limit of %d", c.name, limit)
	}
}

func TestSortSpill(t *testing.T) {
	in := sortInput(6000, 5)
	for _, name := range []string{"int", "str desc", "int,str desc", "str nf,int desc", "int,float,str,id", "date desc,float"} {
		keys := sortKeySets[name]
		c := sortCase("spill "+name, sortTypes, in, keys)
		runSpilling(t, c, 256<<10, true, func(ins [][]Operator, env memEnv) Operator {
			return withMemory(NewSort(single(ins), keys), env)
		})
	}
}

// TestSortSpillManyRuns forces more runs than one merge pass reads.
func TestSortSpillManyRuns(t *testing.T) {
	in := sortInput(30000, 9)
	keys := sortKeySets["int,float,str,id"]
	c := sortCase("many runs", sortTypes, in, keys)
	r := &spillRun{limit: 256 << 10, t: t}
	c.mk = func(ins [][]Operator) Operator {
		op := withMemory(NewSort(single(ins), keys), r.env())
		r.ops = append(r.ops, op)
		return op
	}
	runVariant(t, c, "many runs", 1, 1024, false)
	r.check("many runs")
	if r.spilled == 0 {
		t.Fatal("nothing spilled")
	}
}

func TestSortLimitBelowOneBatch(t *testing.T) {
	c := sortCase("tiny", sortTypes, sortInput(3000, 2), sortKeySets["int"])
	c.wantErr = "memory limit of 1.0 KiB exceeded while sorting"
	r := &spillRun{limit: 1 << 10, t: t}
	c.mk = func(ins [][]Operator) Operator {
		return withMemory(NewSort(single(ins), sortKeySets["int"]), r.env())
	}
	runVariant(t, c, "tiny", 1, 1024, false)
	r.check("tiny")
}

func TestMemoryPool(t *testing.T) {
	p := NewMemoryPool(100)
	a, b := p.NewAccount("while testing"), p.NewAccount("while testing")
	if err := a.Grow(60); err != nil {
		t.Fatal(err)
	}
	err := b.Grow(50)
	var mle *MemoryLimitError
	if !errors.Is(err, ErrMemoryLimit) || !errors.As(err, &mle) || mle.Needed != 10 {
		t.Fatalf("Grow past the limit: %v", err)
	}
	if want := "memory limit of 100 B exceeded while testing (needed 10 B more)"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	if err := b.Resize(40); err != nil || p.Used() != 100 || p.Peak() != 100 {
		t.Fatalf("Resize: %v used=%d", err, p.Used())
	}
	a.Close()
	b.Shrink(15)
	if p.Used() != 25 || b.Used() != 25 || b.Peak() != 40 {
		t.Errorf("after release used=%d b=%d", p.Used(), b.Used())
	}
	p.SetLimit(0)
	if err := a.Grow(1 << 40); err != nil {
		t.Errorf("unlimited pool refused: %v", err)
	}
	a.Close()
	b.Close()
	if p.Used() != 0 {
		t.Errorf("used %d after closing", p.Used())
	}
	if DefaultMemoryLimit() <= 0 {
		t.Errorf("DefaultMemoryLimit = %d", DefaultMemoryLimit())
	}
	var nilPool *MemoryPool
	if err := nilPool.NewAccount("x").Grow(1 << 50); err != nil {
		t.Errorf("nil pool refused: %v", err)
	}
}

var _ = coldata.DefaultBatchSize
