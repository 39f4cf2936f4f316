package storage

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

func (r *Report) add(kind, what, command, why string, args ...any) {
	if command != "" {
		what += ": " + command
	}
	r.Suggestions = append(r.Suggestions, Suggestion{Kind: kind, What: what, Command: command, Why: fmt.Sprintf(why, args...)})
}

// sqlString quotes s as a SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// rewriteCommand is a COPY statement that rewrites the dataset with the
// given ORDER BY (may be "") and options, into a new folder beside it:
// what a suggestion asks the user to run, and what the tests run.
func (r *Report) rewriteCommand(orderBy string, opts ...string) string {
	src := "SELECT * FROM " + sqlString(r.Path)
	if len(r.PartitionCols) > 0 {
		src = "SELECT * FROM read_parquet(" + sqlString(r.Path) + ", hive_partitioning = true)"
	}
	if orderBy != "" {
		src += " ORDER BY " + orderBy
	}
	target := r.rewriteTarget()
	folder := false
	for _, o := range opts {
		folder = folder || strings.HasPrefix(o, "PARTITION_BY") || strings.HasPrefix(o, "FILE_SIZE_BYTES")
	}
	if !folder {
		target += ".parquet" // one file
	}
	return fmt.Sprintf("COPY (%s) TO %s (%s)", src, sqlString(target), strings.Join(append([]string{"FORMAT parquet"}, opts...), ", "))
}

// rewriteTarget is where a rewrite goes: beside the dataset, with
// "_rewritten" added to its name (a folder when partitioned or split into
// files of a size, else NAME_rewritten.parquet).
func (r *Report) rewriteTarget() string {
	p := strings.TrimRight(r.Path, "/")
	if i := strings.IndexAny(p, "*?["); i >= 0 {
		p = strings.TrimRight(p[:strings.LastIndex(p[:i], "/")+1], "/")
		if p == "" {
			p = "dataset"
		}
	}
	return strings.TrimSuffix(p, ".parquet") + "_rewritten"
}

// partitionOpt keeps the dataset's partitioning in a rewrite.
func (r *Report) partitionOpt() []string {
	if len(r.PartitionCols) == 0 {
		return nil
	}
	var names []string
	for _, c := range r.PartitionCols {
		names = append(names, c.Name)
	}
	return []string{"PARTITION_BY (" + strings.Join(names, ", ") + ")"}
}

func median(xs []int64) int64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]int64(nil), xs...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// suggest turns the measurements into advice.
func (r *Report) suggest(files []DataFile, g Guidance) {
	r.adviseFileSizes(g)
	r.adviseCodecs(files, g)
	r.adviseRowGroups(g)
	r.advisePartitions(g)
	r.adviseSort(g)
}

func (r *Report) adviseFileSizes(g Guidance) {
	var small, large int
	for _, f := range r.Files {
		switch {
		case f.Bytes < g.MinFileBytes:
			small++
		case f.Bytes > g.MaxFileBytes:
			large++
		}
	}
	// Small files only matter when they could be combined: one small file
	// holding the whole dataset is as good as it gets.
	if small > 1 {
		target := max(1, (r.Bytes+g.MaxFileBytes/2-1)/(g.MaxFileBytes/2))
		r.add("file-size", fmt.Sprintf("compact into about %d file(s)", target), r.rewriteCommand("", append(r.partitionOpt(), "FILE_SIZE_BYTES '512MB'")...),
			"%d of %d files are under %s (median %s); each file costs an open, a footer parse and a scheduling unit, and tiny row groups compress and prune poorly",
			small, len(r.Files), HumanBytes(g.MinFileBytes), HumanBytes(median(fileBytes(r.Files))))
	}
	if large > 0 {
		r.add("file-size", "split large files", r.rewriteCommand("", append(r.partitionOpt(), "FILE_SIZE_BYTES '512MB'")...),
			"%d file(s) exceed %s (largest %s): one huge file limits parallel writes and makes rewrites expensive",
			large, HumanBytes(g.MaxFileBytes), HumanBytes(maxBytes(r.Files)))
	}
}

func fileBytes(fs []FileInfo) []int64 {
	out := make([]int64, len(fs))
	for i, f := range fs {
		out[i] = f.Bytes
	}
	return out
}

func maxBytes(fs []FileInfo) int64 {
	var m int64
	for _, f := range fs {
		m = max(m, f.Bytes)
	}
	return m
}

func (r *Report) adviseCodecs(files []DataFile, g Guidance) {
	var bad []string
	var comp, uncomp int64
	uncompressed := false
	for _, c := range r.Columns {
		for _, codec := range c.Codecs {
			if codec == "UNCOMPRESSED" || codec == "GZIP" {
				bad = append(bad, c.Name+" ("+codec+")")
				comp += c.Compressed
				uncomp += c.Uncompressed
				uncompressed = uncompressed || codec == "UNCOMPRESSED"
				break
			}
		}
	}
	if len(bad) == 0 {
		return
	}
	why := fmt.Sprintf("columns %s store %s as %s (ratio %.2fx)", strings.Join(bad, ", "), HumanBytes(uncomp), HumanBytes(comp), ratio(uncomp, comp))
	if uncompressed && len(files) > 0 {
		for _, f := range files {
			if z, s, ok := codecRatios(context.Background(), f.File, g.CodecSampleBytes); ok {
				why += fmt.Sprintf("; on a sample of the uncompressed chunks zstd measured %.2fx and snappy %.2fx", z, s)
				break
			}
		}
	} else {
		why += "; gzip decompresses several times slower than zstd at a similar ratio"
	}
	r.add("codec", "rewrite with COMPRESSION zstd (best ratio; snappy is fastest)", r.rewriteCommand("", append(r.partitionOpt(), "COMPRESSION zstd")...), "%s", why)
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func (r *Report) adviseRowGroups(g Guidance) {
	if r.RowGroups == 0 {
		return
	}
	avg := r.Rows / int64(r.RowGroups)
	// Row groups smaller than their file allows are a writer setting; ones
	// that fill a small file are a file-size problem, reported above.
	var split []FileInfo
	for _, f := range r.Files {
		if f.RowGroups > 1 && f.Rows/int64(f.RowGroups) < g.MinRowGroupRows {
			split = append(split, f)
		}
	}
	// Only when the row groups as a whole are small: the figure printed is
	// the one the threshold was applied to.
	if len(split) > 0 && avgRows(split) < g.MinRowGroupRows {
		size := max(g.MinRowGroupRows, 122880)
		r.add("row-group-size", fmt.Sprintf("write with ROW_GROUP_SIZE %d (at least %d)", size, g.MinRowGroupRows), r.rewriteCommand("", append(r.partitionOpt(), fmt.Sprintf("ROW_GROUP_SIZE %d", size))...),
			"%d file(s) hold several row groups averaging %d rows, below %d (dataset average %d over %d row groups); small row groups mean per-group overhead (metadata, page headers, scheduling) dominates and compression sees little data",
			len(split), avgRows(split), g.MinRowGroupRows, avg, r.RowGroups)
	}
	var big int
	for _, f := range r.Files {
		if f.RowGroups > 0 && f.Rows/int64(f.RowGroups) > g.MaxRowGroupRows {
			big++
		}
	}
	if big > 0 {
		size := min(g.MaxRowGroupRows, 122880*4)
		r.add("row-group-size", fmt.Sprintf("write with ROW_GROUP_SIZE about %d", size), r.rewriteCommand("", append(r.partitionOpt(), fmt.Sprintf("ROW_GROUP_SIZE %d", size))...),
			"%d file(s) have row groups above %d rows: a row group is the unit of parallelism and of statistics pruning, so huge ones leave cores idle and skip less",
			big, g.MaxRowGroupRows)
	}
}

func avgRows(fs []FileInfo) int64 {
	var rows, groups int64
	for _, f := range fs {
		if f.RowGroups > 1 {
			rows += f.Rows
			groups += int64(f.RowGroups)
		}
	}
	if groups == 0 {
		return 0
	}
	return rows / groups
}

func (r *Report) advisePartitions(g Guidance) {
	if n := len(r.Partitions); n > 1 {
		sizes := make([]int64, n)
		for i, p := range r.Partitions {
			sizes[i] = p.Bytes
		}
		med := median(sizes)
		if med < g.MinFileBytes {
			last := r.PartitionCols[len(r.PartitionCols)-1].Name
			what := fmt.Sprintf("drop partition column %s (or partition more coarsely)", last)
			var keep []string
			for _, c := range r.PartitionCols[:len(r.PartitionCols)-1] {
				keep = append(keep, c.Name)
			}
			var opts []string
			if len(keep) > 0 {
				opts = append(opts, "PARTITION_BY ("+strings.Join(keep, ", ")+")")
			}
			r.add("partition-drop", what, r.rewriteCommand("", opts...),
				"%d partitions with a median of %s (largest %s, skew %.1fx) are below %s each: every query lists and opens them all, and each holds too little data for good files",
				n, HumanBytes(med), HumanBytes(r.Partitions[0].Bytes), ratio(r.Partitions[0].Bytes, max(med, 1)), HumanBytes(g.MinFileBytes))
		} else if r.Partitions[0].Bytes > 4*med {
			r.add("partition-skew", "rebalance partitions (a finer key for the largest, or FILE_SIZE_BYTES)", r.rewriteCommand("", append(r.partitionOpt(), "FILE_SIZE_BYTES '512MB'")...),
				"the largest partition %s holds %s, %.1fx the median %s: queries touching it run long on few cores",
				r.Partitions[0].Name, HumanBytes(r.Partitions[0].Bytes), ratio(r.Partitions[0].Bytes, med), HumanBytes(med))
		}
	}
	for _, c := range r.Columns {
		if c.SampleNDV < 2 || c.SampleNDV > g.MaxPartitionNDV {
			continue
		}
		if c.Type.ID != coldata.Date && c.Type.ID != coldata.String {
			continue
		}
		per := r.Bytes / int64(c.SampleNDV)
		if per < g.MinFileBytes {
			continue
		}
		r.add("partition-add", fmt.Sprintf("partition by %s", c.Name), r.rewriteCommand("", "PARTITION_BY ("+c.Name+")"),
			"%s has %d distinct values in a sample, so partitions would average %s: filters on it would skip whole folders before any footer is read",
			c.Name, c.SampleNDV, HumanBytes(per))
	}
}

func (r *Report) adviseSort(g Guidance) {
	if r.RowGroups < g.MinRowGroupsForSort {
		return
	}
	type cand struct {
		name    string
		overlap float64
		rank    int
	}
	var cs []cand
	for _, c := range r.Columns {
		if c.Overlap < g.OverlapThreshold {
			continue
		}
		rank := 3
		switch c.Type.ID {
		case coldata.Date, coldata.Timestamp:
			rank = 0
		case coldata.Int32, coldata.Int64, coldata.Decimal:
			rank = 1
		case coldata.String:
			rank = 2
		}
		if rank < 3 {
			cs = append(cs, cand{c.Name, c.Overlap, rank})
		}
	}
	if len(cs) == 0 {
		return
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].rank < cs[j].rank })
	var detail []string
	for _, c := range cs {
		detail = append(detail, fmt.Sprintf("%s %.0f%%", c.name, 100*c.overlap))
	}
	r.add("sort", fmt.Sprintf("sort by %s when writing", cs[0].name), r.rewriteCommand(cs[0].name, r.partitionOpt()...),
		"row-group min/max ranges overlap heavily (%s of the other %d row groups on average), so a filter on these columns must read nearly every row group; sorted, each row group covers a narrow range and statistics skip the rest",
		strings.Join(detail, ", "), r.RowGroups-1)
}

// HumanBytes prints a byte count with a binary unit (1.5 MiB).
func HumanBytes(b int64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(b)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", b)
}

// Text renders the report for the CLI.
func (r *Report) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d files, %s, %d rows, %d row groups\n", r.Path, len(r.Files), HumanBytes(r.Bytes), r.Rows, r.RowGroups)
	if len(r.Files) > 0 {
		sizes := fileBytes(r.Files)
		fmt.Fprintf(&b, "file sizes: median %s, largest %s\n", HumanBytes(median(sizes)), HumanBytes(maxBytes(r.Files)))
	}
	show := r.Files
	if len(show) > 10 {
		show = show[:10]
	}
	for _, f := range show {
		fmt.Fprintf(&b, "  %s  %s  %d rows  %d row groups\n", f.Path, HumanBytes(f.Bytes), f.Rows, f.RowGroups)
	}
	if len(r.Files) > len(show) {
		fmt.Fprintf(&b, "  ... %d more\n", len(r.Files)-len(show))
	}
	if len(r.Partitions) > 0 {
		var names []string
		for _, p := range r.PartitionCols {
			names = append(names, p.Name+" "+p.Type.String())
		}
		sizes := make([]int64, len(r.Partitions))
		for i, p := range r.Partitions {
			sizes[i] = p.Bytes
		}
		med := median(sizes)
		fmt.Fprintf(&b, "partitions (%s): %d, largest %s = %s, median %s, skew %.1fx\n", strings.Join(names, ", "),
			len(r.Partitions), r.Partitions[0].Name, HumanBytes(r.Partitions[0].Bytes), HumanBytes(med), ratio(r.Partitions[0].Bytes, max(med, 1)))
	}
	b.WriteString("columns:\n")
	for _, c := range r.Columns {
		ov := "-"
		if c.Overlap >= 0 {
			ov = fmt.Sprintf("%.0f%%", 100*c.Overlap)
		}
		fmt.Fprintf(&b, "  %-20s %-14s %-12s %-30s %s -> %s (%.2fx), overlap %s\n", c.Name, c.Type, strings.Join(c.Codecs, ","),
			strings.Join(c.Encodings, ","), HumanBytes(c.Uncompressed), HumanBytes(c.Compressed), ratio(c.Uncompressed, c.Compressed), ov)
	}
	if len(r.Suggestions) == 0 {
		b.WriteString("no suggestions: the layout is within the usual guidance\n")
	}
	for i, s := range r.Suggestions {
		fmt.Fprintf(&b, "%d. [%s] %s\n   why: %s\n", i+1, s.Kind, s.What, s.Why)
	}
	return b.String()
}
