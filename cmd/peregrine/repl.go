package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/reeflective/readline"
)

// The line editor is reeflective/readline: a maintained, pure-Go readline
// with multi-line buffers (AcceptMultiline), a completion engine with
// menus, a syntax-highlighting hook, pluggable history sources whose file
// form keeps a multi-line statement as one entry, and emacs/vi keymaps
// from ~/.inputrc. peterh/liner (used before) has no highlighting hook and
// stores one line per history entry; knz/bubbline brings all of bubbletea
// and was last released in 2023; ergochat/readline is not served by the
// module proxy here.

// historyFile is where the REPL keeps its history (DuckDB: ~/.duckdb_history).
func historyFile() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".peregrine_history")
}

// colourTerminal reports whether highlighting should be on: a terminal
// that is not "dumb", and NO_COLOR unset.
func colourTerminal() bool {
	return os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb" && os.Getenv("TERM") != ""
}

// repl reads statements interactively with line editing, completion,
// highlighting and history.
func (sh *shell) repl() {
	sh.interactive = true
	sh.highlight = colourTerminal()
	sh.sigs = make(chan os.Signal, 1)
	signal.Notify(sh.sigs, os.Interrupt)
	defer signal.Stop(sh.sigs)

	rl := readline.NewShell()
	rl.Prompt.Primary(func() string { return "D " })
	rl.Prompt.Secondary(func() string { return "‣ " })
	// Draw the secondary prompt on continuation lines (DuckDB's "‣ ").
	rl.Config.Set("multiline-column", true)
	if path := historyFile(); path != "" {
		if h, err := readline.NewHistoryFromFile(path); err == nil || h != nil {
			rl.History.Add("history", h)
		}
	}
	rl.AcceptMultiline = func(line []rune) bool { return inputComplete(string(line)) }
	rl.SyntaxHighlighter = func(line []rune) string {
		if !sh.highlight {
			return string(line)
		}
		return highlight(string(line))
	}
	rl.Completer = func(line []rune, cursor int) readline.Completions {
		prefix, cands := sh.complete(string(line[:cursor]))
		c := readline.CompleteValues(cands...).NoSpace()
		c.PREFIX = prefix
		return c
	}
	// Tab inserts a sole candidate (or the candidates' common prefix)
	// directly and lists several in the menu. The library's own
	// menu-complete drops a lone inserted candidate at the next key typed.
	rl.Keymap.Register(map[string]func(){"peregrine-complete": func() { sh.completeKey(rl) }})
	for km, binds := range rl.Config.Binds {
		for seq, b := range binds {
			if b.Action == "complete" {
				rl.Config.Bind(km, seq, "peregrine-complete", false)
			}
		}
	}
	where := "an in-memory database"
	if sh.dir != "" {
		where = sh.dir
	}
	fmt.Fprintf(sh.stdout, "%s\nConnected to %s.\nEnter \".help\" for usage hints.\n", version(), where)
	for !sh.quit {
		// Ctrl-C pressed between queries must not cancel the next one.
		select {
		case <-sh.sigs:
		default:
		}
		text, err := rl.Readline()
		if errors.Is(err, readline.ErrInterrupt) {
			continue // Ctrl-C drops the input being typed
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fmt.Fprintf(sh.errOut, "Error: %v\n", err)
			break
		}
		sh.script(text)
	}
	// Errors in an interactive session are not its exit status.
	sh.failed = false
}

// inputComplete says whether the editor should hand the buffer over:
// a dot command, an empty line, or a statement ended by a semicolon.
func inputComplete(buf string) bool {
	t := strings.TrimSpace(buf)
	return t == "" || strings.HasPrefix(strings.TrimLeft(buf, " \t"), ".") && !strings.Contains(t, "\n") || statementComplete(buf)
}

// completeKey is Tab: complete the word before the cursor in place when
// that is unambiguous, else show the candidates.
func (sh *shell) completeKey(rl *readline.Shell) {
	line := []rune(string(*rl.Line()))
	pos := rl.Cursor().Pos()
	prefix, cands := sh.complete(string(line[:pos]))
	if len(cands) == 0 {
		return
	}
	common := cands[0]
	for _, c := range cands[1:] {
		common = commonPrefix(common, c)
	}
	p := []rune(prefix)
	if c := []rune(common); len(c) > len(p) || len(cands) == 1 {
		// Replace the typed prefix: the candidate's case wins (ord -> order).
		start := pos - len(p)
		rest := append(append([]rune{}, c...), line[pos:]...)
		rl.Line().Set(append(append([]rune{}, line[:start]...), rest...)...)
		rl.Cursor().Set(start + len(c))
		return
	}
	if cmd := rl.Keymap.Commands()["possible-completions"]; cmd != nil {
		cmd()
	}
}

// commonPrefix is the longest common prefix of a and b, compared without
// regard to case (taking a's letters).
func commonPrefix(a, b string) string {
	ra, rb := []rune(a), []rune(b)
	n := 0
	for n < len(ra) && n < len(rb) && strings.EqualFold(string(ra[n]), string(rb[n])) {
		n++
	}
	return string(ra[:n])
}
