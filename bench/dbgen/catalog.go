package dbgen

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
)

// The generator's facts are data files, read into a catalog per Generator:
// dists.dss is the TPC-H distribution file (word lists, weights, the text
// grammar) and streams.tsv the table of random number streams.

//go:embed dists.dss
var distsFile string

//go:embed streams.tsv
var streamsFile string

// wordList is one distribution of dists.dss: its entries in file order and
// their running weight totals, which is how a weighted pick reads them.
type wordList struct {
	name  string
	words []string
	cum   []int64
	// flat says every weight is 1: a pick is then a direct index.
	flat bool
	// sorted says the running totals never decrease, so a pick may
	// bisect. (The nations list uses its weights for region numbers,
	// some negative, and is never picked from.)
	sorted bool
}

// chooseIndex draws one number from l and returns the entry it selects: the
// first whose running total reaches a uniform draw in [1, total].
func (w *wordList) chooseIndex(l *lane) int {
	r := l.between(1, w.cum[len(w.cum)-1])
	if w.flat {
		return int(r - 1)
	}
	if w.sorted {
		lo, hi := 0, len(w.cum)-1
		for lo < hi {
			mid := (lo + hi) / 2
			if w.cum[mid] >= r {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		return lo
	}
	for i, c := range w.cum {
		if c >= r {
			return i
		}
	}
	return len(w.cum) - 1
}

func (w *wordList) choose(l *lane) string { return w.words[w.chooseIndex(l)] }

// parseDists reads the dists.dss format: "BEGIN name", "COUNT|n", one
// "token|weight" line per entry, "END name"; '#' starts a comment line.
func parseDists(text string) (map[string]*wordList, error) {
	lists := make(map[string]*wordList)
	var (
		cur   *wordList
		count = -1
	)
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		bad := func(why string) error {
			return fmt.Errorf("dbgen: dists.dss line %d: %s: %q", n+1, why, line)
		}
		keyword, rest, _ := strings.Cut(line, " ")
		switch strings.ToLower(keyword) {
		case "begin":
			if cur != nil {
				return nil, bad("BEGIN inside " + cur.name)
			}
			cur = &wordList{name: strings.TrimSpace(rest), flat: true, sorted: true}
			count = -1
			continue
		case "end":
			if cur == nil {
				return nil, bad("END without BEGIN")
			}
			if count != len(cur.words) || count == 0 {
				return nil, bad(fmt.Sprintf("%s has %d entries, COUNT says %d", cur.name, len(cur.words), count))
			}
			lists[cur.name] = cur
			cur = nil
			continue
		}
		if cur == nil {
			return nil, bad("entry outside BEGIN/END")
		}
		i := strings.LastIndexByte(line, '|')
		if i < 0 {
			return nil, bad("no '|'")
		}
		token := line[:i]
		weight, err := strconv.ParseInt(strings.TrimSpace(line[i+1:]), 10, 64)
		if err != nil {
			return nil, bad("weight")
		}
		if strings.EqualFold(token, "count") {
			count = int(weight)
			continue
		}
		total := weight
		if k := len(cur.cum); k > 0 {
			total += cur.cum[k-1]
			cur.sorted = cur.sorted && weight >= 0
		}
		cur.flat = cur.flat && weight == 1
		cur.words = append(cur.words, token)
		cur.cum = append(cur.cum, total)
	}
	if cur != nil {
		return nil, fmt.Errorf("dbgen: dists.dss: %s has no END", cur.name)
	}
	return lists, nil
}

// streamSpec is one row of streams.tsv.
type streamSpec struct {
	number int
	table  string
	seed   int64
	perRow int64
}

// parseStreams reads streams.tsv: number, table, seed, draws per row, use.
func parseStreams(text string) (map[string]streamSpec, error) {
	out := make(map[string]streamSpec)
	for n, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("dbgen: streams.tsv line %d: want 5 tab-separated fields: %q", n+1, line)
		}
		num, err1 := strconv.Atoi(f[0])
		seed, err2 := strconv.ParseInt(f[2], 10, 64)
		per, err3 := strconv.ParseInt(f[3], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil || seed <= 0 || seed >= lehmerMod || per <= 0 {
			return nil, fmt.Errorf("dbgen: streams.tsv line %d: bad number: %q", n+1, line)
		}
		if f[4] == "-" {
			continue
		}
		if _, dup := out[f[4]]; dup {
			return nil, fmt.Errorf("dbgen: streams.tsv line %d: %s listed twice", n+1, f[4])
		}
		out[f[4]] = streamSpec{number: num, table: f[1], seed: seed, perRow: per}
	}
	return out, nil
}

// catalog is everything read from the data files.
type catalog struct {
	lists   map[string]*wordList
	streams map[string]streamSpec
}

func loadCatalog() (*catalog, error) {
	lists, err := parseDists(distsFile)
	if err != nil {
		return nil, err
	}
	streams, err := parseStreams(streamsFile)
	if err != nil {
		return nil, err
	}
	return &catalog{lists: lists, streams: streams}, nil
}

// list returns a distribution by name, recording a missing one in *err.
func (c *catalog) list(name string, err *error) *wordList {
	w := c.lists[name]
	if w == nil && *err == nil {
		*err = fmt.Errorf("dbgen: dists.dss has no distribution %q", name)
	}
	return w
}
