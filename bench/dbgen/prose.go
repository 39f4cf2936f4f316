package dbgen

// Comment columns are TPC-H "text strings" (specification 4.2.2.10): a
// substring, at a random offset and of a random length, of one long text
// written beforehand from the pseudo-text grammar of 4.2.2.14. The grammar
// and its words are the dists.dss distributions "grammar", "np" and "vp"
// (productions) and the word lists named in phraseLists; the text is drawn
// from its own stream ("text_pool"), sentence after sentence, each followed
// by one space, until it reaches the pool size.

import (
	"strings"
	"unsafe"
)

// Pool sizes: the TPC's dbgen (and DuckDB 2.0's) writes 300 MiB of text;
// DuckDB 1.x's tpch extension wrote 10 MiB, which is all that differs in
// its comments.
const (
	tpcPoolSize    = 300 << 20
	duckdbPoolSize = 10 << 20
)

// prose holds the distributions the text is made of.
type prose struct {
	sentences, nounPhrases, verbPhrases *wordList
	prepositions, terminators           *wordList
	// parts maps a part-of-speech letter of a phrase production to its
	// word list: N noun, V verb, J adjective, D adverb, X auxiliary,
	// A article.
	parts [128]*wordList
}

// phraseLists names the dists.dss list of each part-of-speech letter.
func phraseLists() map[byte]string {
	return map[byte]string{
		'N': "nouns", 'V': "verbs", 'J': "adjectives", 'D': "adverbs", 'X': "auxillaries", 'A': "articles",
	}
}

func newProse(c *catalog) (*prose, error) {
	var err error
	r := &prose{
		sentences:    c.list("grammar", &err),
		nounPhrases:  c.list("np", &err),
		verbPhrases:  c.list("vp", &err),
		prepositions: c.list("prepositions", &err),
		terminators:  c.list("terminators", &err),
	}
	for letter, name := range phraseLists() {
		r.parts[letter] = c.list(name, &err)
	}
	return r, err
}

// phrase appends a noun or verb phrase: a production is picked from list
// and each of its letters becomes a word, followed by the letter's
// punctuation if it has any ("J," gives "word,") and a space.
func (r *prose) phrase(dst []byte, list *wordList, l *lane) []byte {
	for tok := range strings.FieldsSeq(list.choose(l)) {
		dst = append(dst, r.parts[tok[0]].choose(l)...)
		dst = append(dst, tok[1:]...)
		dst = append(dst, ' ')
	}
	return dst
}

// writeSentence appends one sentence: N noun phrase, V verb phrase, P a
// preposition, "the" and a noun phrase, T a terminator that replaces the
// space after the last word.
func (r *prose) writeSentence(dst []byte, l *lane) []byte {
	for tok := range strings.FieldsSeq(r.sentences.choose(l)) {
		switch tok[0] {
		case 'N':
			dst = r.phrase(dst, r.nounPhrases, l)
		case 'V':
			dst = r.phrase(dst, r.verbPhrases, l)
		case 'P':
			dst = append(dst, r.prepositions.choose(l)...)
			dst = append(dst, " the "...)
			dst = r.phrase(dst, r.nounPhrases, l)
		case 'T':
			if n := len(dst); n > 0 && dst[n-1] == ' ' {
				dst = dst[:n-1]
			}
			dst = append(dst, r.terminators.choose(l)...)
		}
	}
	return dst
}

// writePool writes size bytes of text from the text stream.
func (r *prose) writePool(size int, s streamSpec) string {
	var l lane
	l.place(s, 0)
	pool := make([]byte, 0, size)
	var sent []byte
	for len(pool) < size {
		sent = r.writeSentence(sent[:0], &l)
		if room := size - len(pool); room < len(sent)+1 {
			pool = append(pool, sent[:room]...)
			break
		}
		pool = append(pool, sent...)
		pool = append(pool, ' ')
	}
	return unsafe.String(unsafe.SliceData(pool), len(pool))
}

// commentText is the written text and the comment cutter.
type commentText struct {
	text string
}

// cut returns a text string of length [lo, hi]: the offset is drawn
// first, from [0, pool size − hi], then the length.
func (p *commentText) cut(l *lane, lo, hi int64) string {
	off := l.between(0, int64(len(p.text))-hi)
	n := l.between(lo, hi)
	return p.text[off : off+n]
}
