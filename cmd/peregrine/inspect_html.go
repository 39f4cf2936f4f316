package main

import (
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/peregrinedb/peregrine/storage"
)

// writeHTMLReport writes the layout reports as one self-contained HTML
// page (inline CSS, bars drawn with plain HTML, no scripts): partition
// sizes with their skew, the distribution of row-group sizes, and each
// column's codecs, encodings and compression. Written to a temporary name
// and renamed into place.
func writeHTMLReport(path string, reports []*storage.Report) error {
	var pages []htmlTable
	for _, r := range reports {
		pages = append(pages, htmlFor(r))
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".inspect-*.html")
	if err != nil {
		return err
	}
	if err := htmlReport.Execute(tmp, pages); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

type htmlBar struct {
	Label string
	Value string
	Pct   float64 // width of the bar, 0-100
	Warn  bool
}

type htmlColumn struct {
	Name, Type, Codecs, Encodings, Sizes string
	Ratio                                float64
	Pct                                  float64
}

type htmlTable struct {
	R           *storage.Report
	Summary     string
	Skew        string
	Partitions  []htmlBar
	RowGroups   []htmlBar
	Columns     []htmlColumn
	Suggestions []storage.Suggestion
}

func htmlFor(r *storage.Report) htmlTable {
	t := htmlTable{R: r, Suggestions: r.Suggestions,
		Summary: fmt.Sprintf("%d files, %s, %d rows, %d row groups", len(r.Files), storage.HumanBytes(r.Bytes), r.Rows, r.RowGroups)}
	// Partitions, largest first, against the largest.
	if n := len(r.Partitions); n > 0 {
		sizes := make([]int64, n)
		for i, p := range r.Partitions {
			sizes[i] = p.Bytes
		}
		sort.Slice(sizes, func(i, j int) bool { return sizes[i] < sizes[j] })
		med := max(sizes[n/2], 1)
		top := max(r.Partitions[0].Bytes, 1)
		t.Skew = fmt.Sprintf("%d partitions; largest %s, median %s, skew %.1fx", n, storage.HumanBytes(r.Partitions[0].Bytes), storage.HumanBytes(med), float64(r.Partitions[0].Bytes)/float64(med))
		for i, p := range r.Partitions {
			if i == 200 {
				t.Partitions = append(t.Partitions, htmlBar{Label: fmt.Sprintf("… %d more", n-i)})
				break
			}
			t.Partitions = append(t.Partitions, htmlBar{Label: p.Name, Value: fmt.Sprintf("%s, %d rows, %d files", storage.HumanBytes(p.Bytes), p.Rows, p.Files),
				Pct: 100 * float64(p.Bytes) / float64(top), Warn: p.Bytes > 4*med})
		}
	}
	// Row-group sizes in power-of-two buckets of rows.
	buckets := map[int]int{}
	maxCount := 0
	for _, n := range r.RowGroupRows {
		b := 0
		for v := n; v > 1; v >>= 1 {
			b++
		}
		buckets[b]++
		maxCount = max(maxCount, buckets[b])
	}
	var keys []int
	for k := range buckets {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	for _, k := range keys {
		lo, hi := int64(1)<<k, int64(1)<<(k+1)-1
		t.RowGroups = append(t.RowGroups, htmlBar{Label: fmt.Sprintf("%d – %d rows", lo, hi), Value: fmt.Sprintf("%d row groups", buckets[k]),
			Pct: 100 * float64(buckets[k]) / float64(maxCount), Warn: hi < storage.DefaultGuidance.MinRowGroupRows})
	}
	var biggest int64 = 1
	for _, c := range r.Columns {
		biggest = max(biggest, c.Uncompressed)
	}
	for _, c := range r.Columns {
		ratio := 0.0
		if c.Compressed > 0 {
			ratio = float64(c.Uncompressed) / float64(c.Compressed)
		}
		t.Columns = append(t.Columns, htmlColumn{Name: c.Name, Type: c.Type.String(), Codecs: strings.Join(c.Codecs, ", "),
			Encodings: strings.Join(c.Encodings, ", "), Sizes: storage.HumanBytes(c.Uncompressed) + " → " + storage.HumanBytes(c.Compressed),
			Ratio: ratio, Pct: 100 * float64(c.Compressed) / float64(biggest)})
	}
	return t
}

var htmlReport = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct": func(f float64) string { return fmt.Sprintf("%.1f%%", f) },
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Peregrine layout report</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:72em}
h1{font-size:1.5em}h2{font-size:1.25em;border-bottom:1px solid #ccc;margin-top:2em}h3{font-size:1.05em}
table{border-collapse:collapse;width:100%}td,th{padding:.2em .5em;text-align:left;vertical-align:top;border-bottom:1px solid #eee}
.bar{background:#e8eef7;width:22em}.bar div{background:#3b73c4;height:1em}.bar div.warn{background:#d9822b}
.num{text-align:right;white-space:nowrap}code{background:#f4f4f4;padding:.1em .3em;font-size:.9em;word-break:break-all}
.sugg li{margin-bottom:.8em}
</style></head><body>
<h1>Peregrine layout report</h1>
{{range .}}
<h2>{{.R.Path}}</h2>
<p>{{.Summary}}</p>
{{if .Partitions}}<h3>Partition sizes</h3><p>{{.Skew}} (orange: more than 4× the median)</p>
<table>{{range .Partitions}}<tr><td>{{.Label}}</td><td class="bar"><div{{if .Warn}} class="warn"{{end}} style="width:{{pct .Pct}}"></div></td><td class="num">{{.Value}}</td></tr>{{end}}</table>{{end}}
<h3>Row-group sizes</h3><p>Rows per row group (orange: below the 100,000 rows guidance).</p>
<table>{{range .RowGroups}}<tr><td>{{.Label}}</td><td class="bar"><div{{if .Warn}} class="warn"{{end}} style="width:{{pct .Pct}}"></div></td><td class="num">{{.Value}}</td></tr>{{end}}</table>
<h3>Codecs and encodings per column</h3>
<table><tr><th>column</th><th>type</th><th>codecs</th><th>encodings</th><th>compressed size</th><th class="num">uncompressed → compressed</th><th class="num">ratio</th></tr>
{{range .Columns}}<tr><td>{{.Name}}</td><td>{{.Type}}</td><td>{{.Codecs}}</td><td>{{.Encodings}}</td><td class="bar"><div style="width:{{pct .Pct}}"></div></td><td class="num">{{.Sizes}}</td><td class="num">{{printf "%.2f" .Ratio}}×</td></tr>{{end}}</table>
<h3>Suggestions</h3>
{{if .Suggestions}}<ol class="sugg">{{range .Suggestions}}<li><b>[{{.Kind}}]</b> {{.What}}<br>{{if .Command}}<code>{{.Command}}</code><br>{{end}}<small>why: {{.Why}}</small></li>{{end}}</ol>{{else}}<p>No suggestions: the layout is within the usual guidance.</p>{{end}}
{{end}}
</body></html>
`))
