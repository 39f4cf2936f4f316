package planner

import (
	"math"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// splitScan cuts a scan into splits of about SplitRows rows, whole row
// groups each, at least min(MinSplits, row groups) of them. Splits follow
// file order and never split a row group; a split may span small files.
func (d *distributor) splitScan(p *PhysScan) []Split {
	type rg struct {
		file, rg int
		rows     int64
	}
	var rgs []rg
	var total int64
	for k, f := range p.Table.Files {
		for g := 0; g < f.NumRowGroups(); g++ {
			n := f.RowGroupNumRows(g)
			rgs = append(rgs, rg{k, g, n})
			total += n
		}
	}
	if len(rgs) == 0 {
		// No row groups at all: one task that reads nothing still produces
		// what an empty scan produces downstream (an ungrouped COUNT's 0).
		return []Split{{}}
	}
	n := int(math.Ceil(float64(total) / float64(d.opts.SplitRows)))
	n = max(n, min(d.opts.MinSplits, len(rgs)), 1)
	n = min(n, len(rgs))
	splits := make([]Split, 0, n)
	var cur Split
	target := float64(total) / float64(n)
	var done int64
	for i, g := range rgs {
		if k := len(cur.Pieces) - 1; k >= 0 && cur.Pieces[k].File == g.file && cur.Pieces[k].To == g.rg {
			cur.Pieces[k].To++
		} else {
			cur.Pieces = append(cur.Pieces, SplitPiece{File: g.file, From: g.rg, To: g.rg + 1})
		}
		cur.Rows += g.rows
		done += g.rows
		left := len(rgs) - i - 1
		need := n - len(splits) - 1 // splits still to fill after this one
		// Close the split when the running total reaches its share, or
		// when the remaining row groups are just enough for the rest.
		if left > 0 && (float64(done) >= target*float64(len(splits)+1) || left == need) && need > 0 {
			splits = append(splits, cur)
			cur = Split{}
		}
	}
	return append(splits, cur)
}

// partitions is the partition count for a hash exchange of about bytes:
// enough for PartitionBytes each, at least Workers, at most MaxPartitions.
func (d *distributor) partitions(bytes float64) int {
	n := int(math.Ceil(bytes / float64(d.opts.PartitionBytes)))
	return min(max(n, d.opts.Workers), d.opts.MaxPartitions)
}

// broadcastBuild decides whether a join's build side is broadcast to the
// probe side's tasks. Some joins must be: cross products (one key),
// NOT IN (a NULL anywhere on the build side decides every row) and keys
// whose types would hash apart. Otherwise broadcasting costs the build
// side once per probe task, shuffling costs both sides once (only the
// build side when the probe is partitioned on its keys already), and the
// build side must be small enough to hold in every task.
func (d *distributor) broadcastBuild(j *PhysHashJoin, probe, build *stream) bool {
	if j.Type == JoinFull {
		// Every task would emit the build rows its probe rows missed.
		return false
	}
	if j.Cross || j.Type == JoinAntiNull || !hashCompatible(j) {
		return true
	}
	b := bytesOf(j.Build)
	if d.opts.BroadcastBytes < 0 || b > float64(d.opts.BroadcastBytes) {
		return false
	}
	broadcast := b * float64(probe.tasks())
	shuffle := b
	if !probe.partitionedOn(j.ProbeKeys) {
		shuffle += bytesOf(j.Probe)
	}
	return broadcast <= shuffle
}

// hashCompatible reports whether equal probe and build keys hash alike:
// the same types, or integers of either width (the executor hashes them
// alike).
func hashCompatible(j *PhysHashJoin) bool {
	pt, bt := Types(j.Probe), Types(j.Build)
	for i := range j.ProbeKeys {
		a, b := pt[j.ProbeKeys[i]], bt[j.BuildKeys[i]]
		if a == b || a.IsInteger() && b.IsInteger() {
			continue
		}
		return false
	}
	return true
}

// bytesOf estimates the size of p's output.
func bytesOf(p Physical) float64 {
	return p.Base().EstRows * float64(rowWidth(p.Base().Out))
}

// rowWidth estimates a row's bytes in a batch.
func rowWidth(cols []ColMeta) int {
	w := 0
	for _, c := range cols {
		w += typeWidth(c.Type)
	}
	return max(w, 1)
}

func typeWidth(t coldata.Type) int {
	switch t.ID {
	case coldata.Bool:
		return 1
	case coldata.Int32, coldata.Date:
		return 4
	case coldata.String:
		return 24
	case coldata.List, coldata.Map, coldata.Struct:
		return 64
	}
	return 8
}
