package parser

import (
	"sort"
	"strings"
	"testing"
)

func TestTokensSpellInput(t *testing.T) {
	src := "SELECT a, 'it''s' /* c /* nested */ */ -- line\n FROM \"T\" WHERE x >= $1 AND y::INT[] <> ?"
	toks, err := Tokens(src)
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	kinds := map[Kind]int{}
	for _, tk := range toks {
		sb.WriteString(tk.Text)
		kinds[tk.Kind]++
	}
	if sb.String() != src {
		t.Errorf("tokens spell %q", sb.String())
	}
	for _, k := range []Kind{Ident, String, Comment, Space, QuotedIdent, Op, Param} {
		if kinds[k] == 0 {
			t.Errorf("no %s token", k)
		}
	}
	// An unterminated string is still a token, to the end, with the error.
	toks, err = Tokens("SELECT 'abc")
	if err == nil || toks[len(toks)-1].Kind != String || toks[len(toks)-1].Text != "'abc" {
		t.Errorf("unterminated string: %v %v", toks, err)
	}
}

func TestKeywords(t *testing.T) {
	kw := Keywords()
	if !sort.SliceIsSorted(kw, func(i, j int) bool { return kw[i].Word < kw[j].Word }) || len(kw) < 400 {
		t.Errorf("%d keywords, sorted: %v", len(kw), sort.SliceIsSorted(kw, func(i, j int) bool { return kw[i].Word < kw[j].Word }))
	}
	for word, cat := range map[string]Category{"select": Reserved, "Year": Unreserved, "INTEGER": ColumnName, "left": TypeFunction} {
		k, ok := LookupKeyword(word)
		if !ok || k.Category != cat {
			t.Errorf("%s: %v %v", word, k, ok)
		}
	}
	if _, ok := LookupKeyword("lineitem"); ok {
		t.Error("lineitem is not a keyword")
	}
}

func TestSplitAndComplete(t *testing.T) {
	pieces, err := Split("SELECT 1; SELECT ';' -- ;\n; /* ; */ SELECT 2;;")
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, p := range pieces {
		texts = append(texts, p.Text)
	}
	if got := strings.Join(texts, "|"); got != "SELECT 1|SELECT ';' -- ;|/* ; */ SELECT 2" {
		t.Errorf("split: %q", got)
	}
	for buf, want := range map[string]bool{
		"SELECT 1;":          true,
		"SELECT 1; -- done":  true,
		"SELECT 1":           false,
		"SELECT ';":          false,
		"SELECT 1 /* ; */":   false,
		"SELECT $$;":         false,
		"SELECT $$;$$;\n":    true,
		"SELECT 1; SELECT 2": false,
	} {
		if got := Complete(buf); got != want {
			t.Errorf("Complete(%q) = %v", buf, got)
		}
	}
}

// TestDeepNesting: 5,000 nested parentheses give a result; past the limit
// a clear error, never a stack overflow.
func TestDeepNesting(t *testing.T) {
	deep := "SELECT " + strings.Repeat("(", 5000) + "1" + strings.Repeat(")", 5000)
	if _, err := ParseOne(deep); err != nil {
		t.Errorf("5000 parentheses: %v", err)
	}
	deeper := "SELECT " + strings.Repeat("(", MaxDepth+10) + "1" + strings.Repeat(")", MaxDepth+10)
	_, err := ParseOne(deeper)
	if err == nil || !strings.Contains(err.Error(), "nests too deeply") {
		t.Errorf("too deep: %v", err)
	}
	minus := "SELECT " + strings.Repeat("- ", 100000) + "1"
	if _, err := ParseOne(minus); err == nil || !strings.Contains(err.Error(), "nests too deeply") {
		t.Errorf("100000 minus signs: %v", err)
	}
}
