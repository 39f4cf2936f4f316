package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	_ "github.com/peregrinedb/peregrine"
)

func main() {
	nfail := flag.Int("failures", 3, "first failures to print per file")
	ncause := flag.Int("causes", 25, "most frequent failure causes to print")
	timeout := flag.Duration("timeout", 20*time.Second, "time limit of one statement or query")
	quiet := flag.Bool("q", false, "print only files with failures and the totals")
	flag.Parse()
	files, err := collect(flag.Args())
	if err != nil || len(files) == 0 {
		fmt.Fprintln(os.Stderr, "usage: slt DIR-or-FILES...", err)
		os.Exit(2)
	}
	var total fileStats
	causes := map[string]int{}
	causeFiles := map[string]map[string]int{}
	for _, f := range files {
		st := runFile(f, *timeout)
		total.add(st)
		for c, n := range st.causes {
			causes[c] += n
			if causeFiles[c] == nil {
				causeFiles[c] = map[string]int{}
			}
			causeFiles[c][filepath.Base(f)] += n
		}
		if *quiet && st.queryFail == 0 && st.skipped == "" {
			continue
		}
		st.print(f, *nfail)
	}
	fmt.Printf("\nTOTAL %d files (%d skipped): queries %d/%d passed (%.1f%%), statements %d/%d\n",
		len(files), total.skippedFiles, total.queryPass, total.queryPass+total.queryFail,
		pct(total.queryPass, total.queryPass+total.queryFail), total.stmtPass, total.stmtPass+total.stmtFail)
	printCauses(causes, causeFiles, *ncause)
}

// collect expands directories into their .test and .test_slow files.
func collect(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			out = append(out, a)
			continue
		}
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".test") || strings.HasSuffix(p, ".test_slow")) {
				out = append(out, p)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(out)
	return out, nil
}

func pct(a, b int) float64 {
	if b == 0 {
		return 100
	}
	return 100 * float64(a) / float64(b)
}

func printCauses(causes map[string]int, files map[string]map[string]int, n int) {
	type kv struct {
		k string
		n int
	}
	var all []kv
	for k, v := range causes {
		all = append(all, kv{k, v})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].n > all[j].n || all[i].n == all[j].n && all[i].k < all[j].k })
	if len(all) > n {
		all = all[:n]
	}
	fmt.Println("\nmost frequent failure causes (query records):")
	for _, c := range all {
		fmt.Printf("%6d  %s\n", c.n, c.k)
		fmt.Printf("        in %s\n", topFiles(files[c.k], 3))
	}
}

// topFiles names the files contributing most to one cause.
func topFiles(m map[string]int, n int) string {
	names := make([]string, 0, len(m))
	for f := range m {
		names = append(names, f)
	}
	sort.Slice(names, func(i, j int) bool {
		return m[names[i]] > m[names[j]] || m[names[i]] == m[names[j]] && names[i] < names[j]
	})
	var parts []string
	for i, f := range names {
		if i == n {
			parts = append(parts, fmt.Sprintf("and %d more files", len(names)-n))
			break
		}
		parts = append(parts, fmt.Sprintf("%s (%d)", f, m[f]))
	}
	return strings.Join(parts, ", ")
}

// fileStats counts one file's (or all files') outcomes.
type fileStats struct {
	queryPass, queryFail int
	stmtPass, stmtFail   int
	skipped              string // reason the whole file was skipped
	skippedFiles         int
	failures             []string
	causes               map[string]int
}

func (s *fileStats) add(o fileStats) {
	s.queryPass += o.queryPass
	s.queryFail += o.queryFail
	s.stmtPass += o.stmtPass
	s.stmtFail += o.stmtFail
	if o.skipped != "" {
		s.skippedFiles++
	}
}

func (s *fileStats) print(f string, nfail int) {
	if s.skipped != "" {
		fmt.Printf("%s: skipped (%s)\n", f, s.skipped)
		return
	}
	fmt.Printf("%s: queries %d/%d (%.1f%%), statements %d/%d\n", f, s.queryPass, s.queryPass+s.queryFail,
		pct(s.queryPass, s.queryPass+s.queryFail), s.stmtPass, s.stmtPass+s.stmtFail)
	for i, m := range s.failures {
		if i >= nfail {
			break
		}
		fmt.Println("    " + strings.ReplaceAll(m, "\n", "\n    "))
	}
}

var supportedRequires = map[string]bool{
	"skip_reload": true, "no_alternative_verify": true, "no_block_verification": true,
	"notwindows": true, "notmingw": true, "noforcestorage": true, "no_extension_autoloading": true,
	"no_latest_storage": true, "64bit": true, "notmusl": true, "exact_vector_size": false,
	"json": true, // the JSON scalar functions are built in (sql/bind_jsonfn.go)
}

func requireOK(r string) bool {
	f := strings.Fields(r)
	if len(f) == 2 && f[0] == "vector_size" {
		var n int
		fmt.Sscan(f[1], &n)
		return n <= 2048
	}
	return supportedRequires[r]
}

// isSQLiteFile reports whether a file is one of SQLite's own tests as
// DuckDB runs them (integer division, floats printed as integers).
func isSQLiteFile(path string) bool {
	return strings.Contains(filepath.ToSlash(path), "sqlite/") ||
		regexp.MustCompile(`(^|/)select\d+\.test(_slow)?$`).MatchString(filepath.ToSlash(path))
}

// runFile runs one file on a fresh in-memory database and connection.
func runFile(path string, timeout time.Duration) fileStats {
	st := fileStats{causes: map[string]int{}}
	raw, err := os.ReadFile(path)
	if err != nil {
		st.skipped = err.Error()
		return st
	}
	sqliteMode := isSQLiteFile(path)
	recs := expandLoops(parse(string(raw), parseOptions{sqliteMode: sqliteMode, requireOK: requireOK}))
	for _, r := range recs {
		if r.Kind == recSkipFile {
			st.skipped = r.Reason
			return st
		}
	}
	db, err := sql.Open("peregrine", "")
	if err != nil {
		st.skipped = err.Error()
		return st
	}
	defer db.Close()
	conn, err := db.Conn(context.Background())
	if err != nil {
		st.skipped = err.Error()
		return st
	}
	defer conn.Close()
	run := &runner{conn: conn, timeout: timeout, sqlite: sqliteMode, labels: map[string]string{}}
	if sqliteMode {
		run.exec("SET integer_division = true")
	}
	for _, r := range recs {
		switch r.Kind {
		case recHalt:
			return st
		case recHashThreshold:
			run.hashThreshold = r.N
		case recStatement:
			if msg := run.statement(r); msg == "" {
				st.stmtPass++
			} else {
				st.stmtFail++
				st.failures = append(st.failures, fmt.Sprintf("line %d: statement: %s\n%s", r.Line, msg, r.SQL))
			}
		case recQuery:
			msg, cause := run.query(r)
			if msg == "" {
				st.queryPass++
				continue
			}
			st.queryFail++
			st.causes[cause]++
			st.failures = append(st.failures, fmt.Sprintf("line %d: %s\n%s", r.Line, msg, r.SQL))
		}
	}
	return st
}

// expandLoops unrolls loop/foreach blocks, substituting ${var} in SQL and
// expected results.
func expandLoops(recs []record) []record {
	var out []record
	for i := 0; i < len(recs); i++ {
		r := recs[i]
		if r.Kind != recLoop {
			if r.Kind != recEndLoop {
				out = append(out, r)
			}
			continue
		}
		depth, j := 1, i+1
		for ; j < len(recs) && depth > 0; j++ {
			switch recs[j].Kind {
			case recLoop:
				depth++
			case recEndLoop:
				depth--
			}
		}
		body := recs[i+1 : max(i+1, j-1)]
		for _, v := range r.LoopVals {
			for _, b := range expandLoops(body) {
				out = append(out, substitute(b, r.LoopVar, v))
			}
		}
		i = j - 1
	}
	return out
}

func substitute(r record, name, val string) record {
	rep := strings.NewReplacer("${"+name+"}", val)
	r.SQL = rep.Replace(r.SQL)
	r.ErrText = rep.Replace(r.ErrText)
	exp := make([]string, len(r.Expected))
	for i, e := range r.Expected {
		exp[i] = rep.Replace(e)
	}
	r.Expected = exp
	return r
}
