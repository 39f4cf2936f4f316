package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/peterh/liner"

	"github.com/peregrinedb/peregrine/sql"
)

const helpText = `Enter SQL statements terminated by ";". Dot commands:
  .help              this text
  .tables            list the tables of the database directory
  .mode table|csv|json  output format
  .timer on|off      print each statement's run time
  .quit / .exit      leave (also Ctrl-D)
Ctrl-C cancels a running query or the current input.
`

// lineReader is the part of liner the loop uses (a fake in tests).
type lineReader interface {
	Prompt(prompt string) (string, error)
	AppendHistory(item string)
}

// repl reads statements interactively with line editing and history.
func (sh *shell) repl(dir string) {
	ln := liner.NewLiner()
	defer ln.Close()
	ln.SetCtrlCAborts(true)
	ln.SetMultiLineMode(true)
	histPath := ""
	if home, err := os.UserHomeDir(); err == nil {
		histPath = filepath.Join(home, ".peregrine_history")
		if f, err := os.Open(histPath); err == nil {
			ln.ReadHistory(f)
			f.Close()
		}
	}
	sh.loop(ln, dir)
	if histPath != "" {
		if f, err := os.Create(histPath); err == nil {
			ln.WriteHistory(f)
			f.Close()
		}
	}
}

// loop runs the read-eval-print loop. An error is printed and the session
// goes on; Ctrl-C drops the statement being typed.
func (sh *shell) loop(ln lineReader, dir string) {
	where := "an in-memory database"
	if dir != "" {
		where = dir
	}
	fmt.Fprintf(sh.out, "Peregrine — SQL over Parquet. Connected to %s.\nEnter \".help\" for usage hints.\n", where)
	var buf strings.Builder
	for {
		prompt := "peregrine> "
		if buf.Len() > 0 {
			prompt = "      ...> "
		}
		line, err := ln.Prompt(prompt)
		if errors.Is(err, liner.ErrPromptAborted) {
			buf.Reset()
			continue
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fmt.Fprintf(sh.errOut, "Error: %v\n", err)
			break
		}
		if buf.Len() == 0 && strings.HasPrefix(strings.TrimSpace(line), ".") {
			ln.AppendHistory(line)
			if sh.dot(strings.TrimSpace(line)) {
				break
			}
			continue
		}
		buf.WriteString(line)
		buf.WriteByte('\n')
		if !sql.Complete(buf.String()) {
			continue
		}
		text := buf.String()
		buf.Reset()
		ln.AppendHistory(strings.TrimSpace(text))
		sh.script(text)
	}
	// Errors in an interactive session are not the session's exit status.
	sh.failed = false
}

// dot runs a dot command; it returns true to quit.
func (sh *shell) dot(cmd string) bool {
	f := strings.Fields(cmd)
	switch f[0] {
	case ".quit", ".exit", ".q":
		return true
	case ".help":
		fmt.Fprint(sh.out, helpText)
	case ".tables":
		names, err := sh.db.Tables()
		if err != nil {
			sh.report(err)
		}
		fmt.Fprintln(sh.out, strings.Join(names, "  "))
	case ".mode":
		if len(f) != 2 || (f[1] != "table" && f[1] != "csv" && f[1] != "json") {
			fmt.Fprintln(sh.errOut, "Error: usage: .mode table|csv|json")
			return false
		}
		sh.format = f[1]
	case ".timer":
		if len(f) != 2 || (f[1] != "on" && f[1] != "off") {
			fmt.Fprintln(sh.errOut, "Error: usage: .timer on|off")
			return false
		}
		sh.timer = f[1] == "on"
	default:
		fmt.Fprintf(sh.errOut, "Error: unknown command %s (try .help)\n", f[0])
	}
	return false
}
