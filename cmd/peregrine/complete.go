package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// complete returns what the word before the cursor may become: before is
// the input up to the cursor. prefix is the part of the word typed so far
// (the editor replaces it with the chosen candidate).
//
//   - a line starting with "." completes dot commands, then their arguments
//     (modes, on/off, table names, file paths);
//   - inside an unterminated 'string', file paths;
//   - after FROM or JOIN, tables and table functions;
//   - after "name.", the columns of table (or alias) name;
//   - elsewhere keywords, functions, and the columns of the tables the
//     statement names (all tables' when it names none).
func (sh *shell) complete(before string) (prefix string, cands []string) {
	if t := strings.TrimLeft(before, " \t"); strings.HasPrefix(t, ".") && !strings.Contains(t, "\n") {
		return sh.completeDot(t)
	}
	toks := sqlTokens(before)
	var word sqlToken
	sig := significantTokens(toks)
	if n := len(toks); n > 0 {
		last := toks[n-1]
		switch last.kind {
		case tokOpenString:
			p := last.text[1:]
			return p, completePath(p)
		case tokIdent, tokKeyword, tokQuotedIdent:
			word = last
			sig = sig[:len(sig)-1]
		case tokString, tokComment, tokOpenOther:
			return "", nil
		}
	}
	prefix = word.text
	var prev sqlToken
	if len(sig) > 0 {
		prev = sig[len(sig)-1]
	}
	switch {
	case prev.kind == tokPunct && prev.text == "." && len(sig) >= 2:
		owner := unquote(sig[len(sig)-2].text)
		table := sh.resolveAlias(toks, owner)
		return prefix, filterPrefix(prefix, sh.columnNames(table))
	case prev.kind == tokKeyword && (strings.EqualFold(prev.text, "FROM") || strings.EqualFold(prev.text, "JOIN")):
		names, _ := sh.db.Tables()
		for _, f := range functionNames() {
			if isTableFunction(f) {
				names = append(names, f)
			}
		}
		return prefix, filterPrefix(prefix, names)
	}
	var out []string
	lower := prefix != "" && strings.ToLower(prefix) == prefix
	for _, k := range sqlKeywords {
		if lower {
			k = strings.ToLower(k)
		}
		out = append(out, k)
	}
	out = append(out, functionNames()...)
	tables := mentionedTables(toks, sh)
	for _, t := range tables {
		out = append(out, sh.columnNames(t)...)
	}
	out = append(out, tables...)
	return prefix, filterPrefix(prefix, out)
}

func significantTokens(toks []sqlToken) []sqlToken {
	var out []sqlToken
	for _, t := range toks {
		if t.kind != tokSpace && t.kind != tokComment {
			out = append(out, t)
		}
	}
	return out
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return s
}

// filterPrefix keeps the distinct candidates starting with prefix
// (case-insensitively), sorted.
func filterPrefix(prefix string, cands []string) []string {
	seen := map[string]bool{}
	var out []string
	p := strings.ToLower(prefix)
	for _, c := range cands {
		if seen[c] || !strings.HasPrefix(strings.ToLower(c), p) {
			continue
		}
		seen[c] = true
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// mentionedTables are the database tables the statement names (all
// tables when it names none).
func mentionedTables(toks []sqlToken, sh *shell) []string {
	all, _ := sh.db.Tables()
	known := map[string]bool{}
	for _, t := range all {
		known[strings.ToLower(t)] = true
	}
	var out []string
	for _, t := range toks {
		if (t.kind == tokIdent || t.kind == tokQuotedIdent) && known[strings.ToLower(unquote(t.text))] {
			out = append(out, unquote(t.text))
		}
	}
	if len(out) == 0 {
		return all
	}
	return out
}

// resolveAlias maps an alias to its table: "FROM lineitem l" or
// "lineitem AS l" makes l mean lineitem.
func (sh *shell) resolveAlias(toks []sqlToken, name string) string {
	sig := significantTokens(toks)
	all, _ := sh.db.Tables()
	known := map[string]string{}
	for _, t := range all {
		known[strings.ToLower(t)] = t
	}
	if t, ok := known[strings.ToLower(name)]; ok {
		return t
	}
	for i := 0; i+1 < len(sig); i++ {
		t, ok := known[strings.ToLower(unquote(sig[i].text))]
		if !ok {
			continue
		}
		j := i + 1
		if sig[j].kind == tokKeyword && strings.EqualFold(sig[j].text, "AS") && j+1 < len(sig) {
			j++
		}
		if strings.EqualFold(unquote(sig[j].text), name) {
			return t
		}
	}
	return name
}

// columnNames lists a table's columns (cached for the session).
func (sh *shell) columnNames(table string) []string {
	if sh.colCache == nil {
		sh.colCache = map[string][]string{}
	}
	if c, ok := sh.colCache[table]; ok {
		return c
	}
	cols, err := sh.columns(table)
	var names []string
	if err == nil {
		for _, c := range cols {
			names = append(names, c[0])
		}
	}
	sh.colCache[table] = names
	return names
}

// completeDot completes a dot command's name, then its argument.
func (sh *shell) completeDot(line string) (string, []string) {
	fields := splitArgs(line)
	if len(fields) <= 1 && !strings.HasSuffix(line, " ") {
		var names []string
		for _, c := range dotCommands {
			names = append(names, c.name)
		}
		p := line
		return p, filterPrefix(p, names)
	}
	cmd := fields[0]
	arg := ""
	if !strings.HasSuffix(line, " ") && len(fields) > 1 {
		arg = fields[len(fields)-1]
	}
	switch cmd {
	case ".mode":
		return arg, filterPrefix(arg, modes)
	case ".open", ".read", ".output", ".once":
		return arg, completePath(arg)
	case ".tables", ".schema":
		names, _ := sh.db.Tables()
		return arg, filterPrefix(arg, names)
	case ".help":
		var names []string
		for _, c := range dotCommands {
			names = append(names, strings.TrimPrefix(c.name, "."))
		}
		return arg, filterPrefix(arg, names)
	}
	for _, c := range dotCommands {
		if c.name == cmd && c.args == "on|off" {
			return arg, filterPrefix(arg, []string{"on", "off"})
		}
	}
	return arg, nil
}

// completePath lists the files and folders whose path starts with p;
// folders end with "/".
func completePath(p string) []string {
	dir, base := filepath.Split(p)
	read := dir
	if read == "" {
		read = "."
	}
	if strings.HasPrefix(read, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			read = filepath.Join(home, read[2:])
		}
	}
	entries, err := os.ReadDir(read)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".") {
			continue
		}
		if e.IsDir() {
			name += "/"
		}
		out = append(out, dir+name)
	}
	sort.Strings(out)
	return out
}
