// Derived from github.com/pingcap/go-tpc v1.0.12, tpch/dbgen (Apache License
// 2.0), a Go port of the TPC-H dbgen. See NOTICE for what was changed.

package dbgen

import (
	"strings"
	"sync"
	"weak"

	"github.com/pingcap/go-tpc/tpch/dbgen/dist"
)

// distribution is a dists.dss weighted set. weight holds the running total,
// as dbgen's read_dist stores it; for "nations" that running total is the
// region key, which is why the file's weights look odd (ALGERIA 0,
// ARGENTINA 1, BRAZIL 0, ...).
type distribution struct {
	text   []string
	weight []int64
}

func loadDist(name string) *distribution {
	items := dist.Maps[name]
	d := &distribution{text: make([]string, len(items)), weight: make([]int64, len(items))}
	var total int64
	for i, it := range items {
		total += int64(it.Weight)
		d.text[i] = it.Text
		d.weight[i] = total
	}
	return d
}

// pick is dbgen's pick_str: a weighted draw, returning the member's index.
func (d *distribution) pick(s *streams, sd int) int {
	j := s.random(1, d.weight[len(d.weight)-1], sd)
	i := 0
	for d.weight[i] < j {
		i++
	}
	return i
}

// grammar is a parsed grammar distribution ("grammar", "np", "vp"): each
// production is a list of symbols, each optionally followed by punctuation.
type grammar struct {
	*distribution
	prods [][]symbol
}

type symbol struct {
	kind  byte
	punct byte // 0 when none
}

func loadGrammar(name string) *grammar {
	g := &grammar{distribution: loadDist(name)}
	for _, syntax := range g.text {
		var prod []symbol
		// strings.Fields matches the strtok(" ") tokenising of text.c.
		for _, tok := range strings.Fields(syntax) {
			sym := symbol{kind: tok[0]}
			if len(tok) > 1 {
				sym.punct = tok[1]
			}
			prod = append(prod, sym)
		}
		g.prods = append(g.prods, prod)
	}
	return g
}

// dists holds every distribution the generator reads. It is immutable after
// loading and shared by all generators.
type dists struct {
	nations, regions, oPriority, lInstruct, lSmode, lRflag *distribution
	cMseg, colors, pTypes, pCntr                           *distribution
	articles, nouns, adjectives, adverbs, prepositions     *distribution
	verbs, terminators, auxiliaries                        *distribution
	grammar, np, vp                                        *grammar
}

var loadDists = sync.OnceValue(func() *dists {
	return &dists{
		nations:      loadDist("nations"),
		regions:      loadDist("regions"),
		oPriority:    loadDist("o_oprio"),
		lInstruct:    loadDist("instruct"),
		lSmode:       loadDist("smode"),
		lRflag:       loadDist("rflag"),
		cMseg:        loadDist("msegmnt"),
		colors:       loadDist("colors"),
		pTypes:       loadDist("p_types"),
		pCntr:        loadDist("p_cntr"),
		articles:     loadDist("articles"),
		nouns:        loadDist("nouns"),
		adjectives:   loadDist("adjectives"),
		adverbs:      loadDist("adverbs"),
		prepositions: loadDist("prepositions"),
		verbs:        loadDist("verbs"),
		terminators:  loadDist("terminators"),
		auxiliaries:  loadDist("auxillaries"),
		grammar:      loadGrammar("grammar"),
		np:           loadGrammar("np"),
		vp:           loadGrammar("vp"),
	}
})

// Text pool sizes. Every comment column is a random slice of one
// pseudo-English text pool, so the pool's size decides which slice a row
// gets: the data is only reproducible with the same size.
const (
	// duckdbTextPoolSize is the pool DuckDB's tpch extension builds.
	duckdbTextPoolSize = 10 << 20
	// tpcTextPoolSize is TEXT_POOL_SIZE of the TPC's own dbgen.
	tpcTextPoolSize = 300 << 20
)

type textPool struct{ text string }

// The pools are cached weakly: a 300 MiB pool should not outlive the
// generators that use it, yet concurrent and back-to-back generators should
// not each rebuild it.
var poolCache struct {
	sync.Mutex
	m map[int]weak.Pointer[textPool]
}

func getTextPool(size int, d *dists) *textPool {
	poolCache.Lock()
	defer poolCache.Unlock()
	if p := poolCache.m[size].Value(); p != nil {
		return p
	}
	p := &textPool{text: buildTextPool(size, d)}
	if poolCache.m == nil {
		poolCache.m = make(map[int]weak.Pointer[textPool])
	}
	poolCache.m[size] = weak.Make(p)
	return p
}

// buildTextPool is dbgen's init_text_pool: sentences from the grammar,
// separated by single spaces, the last one cut at the pool size. The pool
// stream is independent of every table stream, so a pool of one size is a
// prefix of a larger one.
func buildTextPool(size int, d *dists) string {
	s := initialStreams
	buf := make([]byte, 0, size+512)
	sentence := make([]byte, 0, 512)
	for len(buf) < size {
		sentence = d.sentence(sentence[:0], &s, textSd)
		needed := size - len(buf)
		if needed >= len(sentence)+1 {
			buf = append(buf, sentence...)
			buf = append(buf, ' ')
		} else {
			buf = append(buf, sentence[:needed]...)
		}
	}
	return string(buf)
}

func (d *dists) sentence(dst []byte, s *streams, sd int) []byte {
	for _, sym := range d.grammar.prods[d.grammar.pick(s, sd)] {
		switch sym.kind {
		case 'V':
			dst = d.verbPhrase(dst, s, sd)
		case 'N':
			dst = d.nounPhrase(dst, s, sd)
		case 'P':
			dst = append(dst, d.prepositions.text[d.prepositions.pick(s, sd)]...)
			dst = append(dst, " the "...)
			dst = d.nounPhrase(dst, s, sd)
		case 'T':
			// The terminator replaces the space after the last word.
			dst = dst[:len(dst)-1]
			dst = append(dst, d.terminators.text[d.terminators.pick(s, sd)]...)
		}
		if sym.punct != 0 {
			dst = append(dst, sym.punct)
		}
	}
	return dst
}

func (d *dists) nounPhrase(dst []byte, s *streams, sd int) []byte {
	for _, sym := range d.np.prods[d.np.pick(s, sd)] {
		var src *distribution
		switch sym.kind {
		case 'A':
			src = d.articles
		case 'J':
			src = d.adjectives
		case 'D':
			src = d.adverbs
		default: // 'N'
			src = d.nouns
		}
		dst = appendWord(dst, src, s, sd, sym.punct)
	}
	return dst
}

func (d *dists) verbPhrase(dst []byte, s *streams, sd int) []byte {
	for _, sym := range d.vp.prods[d.vp.pick(s, sd)] {
		var src *distribution
		switch sym.kind {
		case 'D':
			src = d.adverbs
		case 'V':
			src = d.verbs
		default: // 'X'
			src = d.auxiliaries
		}
		dst = appendWord(dst, src, s, sd, sym.punct)
	}
	return dst
}

func appendWord(dst []byte, src *distribution, s *streams, sd int, punct byte) []byte {
	dst = append(dst, src.text[src.pick(s, sd)]...)
	if punct != 0 {
		dst = append(dst, punct)
	}
	return append(dst, ' ')
}
