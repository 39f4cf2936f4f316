package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"time"

	"github.com/peregrinedb/peregrine"
)

// shell holds one invocation's state: the database, the output settings
// and the dot commands' switches.
type shell struct {
	db     *peregrine.DB
	conn   *peregrine.Conn // the session statements run in (SET SESSION)
	dir    string
	stdout io.Writer // the terminal or standard output
	out    io.Writer // where results go: stdout or the .output file
	errOut io.Writer
	output output

	outFile io.Closer // the .output/.once file, when open
	outName string
	once    bool

	timer, echo, bail, changes bool
	lastChanges, totalChanges  int64

	// settings the command line gave, reapplied by .open
	threads         int
	memory, tempDir string

	interactive bool
	sigs        chan os.Signal // Ctrl-C while a query runs (REPL only)
	progress    progressConfig
	highlight   bool
	colCache    map[string][]string // table columns for completion

	failed   bool
	exitCode int // >= 0 once .exit/.quit asked to leave
	quit     bool
}

// stop reports whether the session should stop reading commands.
func (sh *shell) stop() bool { return sh.quit || (sh.bail && sh.failed && !sh.interactive) }

// script runs text: SQL statements and dot commands (a line starting with
// "." outside a statement), as the REPL would have read them.
func (sh *shell) script(text string) {
	var buf strings.Builder
	flush := func() bool {
		s := buf.String()
		buf.Reset()
		if strings.TrimSpace(s) == "" {
			return true
		}
		return sh.sql(s)
	}
	for _, line := range strings.SplitAfter(text, "\n") {
		if sh.quit {
			return
		}
		if buf.Len() == 0 && strings.HasPrefix(line, ".") {
			if !sh.dot(strings.TrimRight(line, "\r\n")) && sh.bail {
				return
			}
			continue
		}
		buf.WriteString(line)
		if statementComplete(buf.String()) {
			if !flush() && sh.bail {
				return
			}
		}
	}
	flush()
}

// sql runs every statement of text; with bail it stops at the first error.
func (sh *shell) sql(text string) bool {
	stmts, err := splitStatements(text)
	if err != nil {
		if !strings.Contains(err.Error(), " Error: ") {
			err = fmt.Errorf("Parser Error: %v", err)
		}
		sh.report(err)
		return false
	}
	ok := true
	for _, s := range stmts {
		if !sh.statement(s) {
			ok = false
			if sh.bail || sh.quit {
				return false
			}
		}
	}
	return ok
}

// interruptContext is cancelled by Ctrl-C while a statement runs. In the
// REPL the session's signal channel is used (Ctrl-C at the prompt is the
// line editor's); in scripts an interrupt also stops the script.
func (sh *shell) interruptContext() (context.Context, func()) {
	if sh.sigs == nil {
		ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
		return ctx, cancel
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		select {
		case <-sh.sigs:
			cancel()
		case <-done:
		}
	}()
	return ctx, func() { close(done); cancel() }
}

// statement runs one statement and prints its result; Ctrl-C cancels it.
func (sh *shell) statement(text string) (ok bool) {
	if sh.echo {
		fmt.Fprintln(sh.out, text)
	}
	ctx, cancel := sh.interruptContext()
	defer cancel()
	ctx, prog := peregrine.WithProgress(ctx)
	bar := sh.startProgress(prog)
	defer func() {
		bar.stop()
		// A bug must never show users a Go stack trace.
		if r := recover(); r != nil {
			if os.Getenv("PEREGRINE_DEBUG") != "" {
				debug.PrintStack()
			}
			sh.report(fmt.Errorf("internal error: %v", r))
			ok = false
		}
		sh.endOnce()
	}()
	start := time.Now()
	u0, s0, cpu := cpuTimes()
	rows, err := sh.session().Query(ctx, text)
	if err == nil {
		if n, ok := rows.Changes(); ok {
			// Like DuckDB's shell, a statement that changes rows (COPY …
			// TO) prints no table; .changes reports the count instead.
			err = rows.Close()
			sh.lastChanges = n
			sh.totalChanges += n
		} else {
			_, err = sh.output.render(ctx, bar.clearing(sh.out), rows)
		}
	}
	bar.stop()
	if err != nil {
		if errors.Is(err, context.Canceled) {
			err = errors.New("Interrupted")
			if sh.sigs == nil {
				sh.quit = true
			}
		}
		sh.report(err)
		return false
	}
	if sh.changes {
		// As in DuckDB's shell (SQLite's changes()): the count of the
		// last statement that changed rows, which a query leaves as it was.
		fmt.Fprintf(sh.out, "changes: %d   total_changes: %d\n", sh.lastChanges, sh.totalChanges)
	}
	if sh.timer {
		line := fmt.Sprintf("Run Time (s): real %.3f", time.Since(start).Seconds())
		if u1, s1, ok := cpuTimes(); ok && cpu {
			line += fmt.Sprintf(" user %.6f sys %.6f", u1-u0, s1-s0)
		}
		fmt.Fprintln(sh.out, line)
	}
	return true
}

// report prints an error as DuckDB's shell does: its LINE context and
// caret on the lines below the message.
func (sh *shell) report(err error) {
	sh.failed = true
	msg := strings.TrimRight(err.Error(), " \t\n")
	fmt.Fprintf(sh.errOut, "Error: %s\n", msg)
}

// setOutput sends results to path ("" or "stdout": back to standard
// output); once: for the next statement only.
func (sh *shell) setOutput(path string, once bool) error {
	sh.closeOutput()
	if path == "" || path == "stdout" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	sh.out, sh.outFile, sh.outName, sh.once = f, f, path, once
	return nil
}

func (sh *shell) closeOutput() {
	if sh.outFile != nil {
		sh.outFile.Close()
	}
	sh.out, sh.outFile, sh.outName, sh.once = sh.stdout, nil, "", false
}

// endOnce ends a .once redirection after its statement.
func (sh *shell) endOnce() {
	if sh.once {
		sh.closeOutput()
	}
}

// session is the shell's session on its database, opened on first use
// and again after .open.
func (sh *shell) session() *peregrine.Conn {
	if sh.conn == nil {
		sh.conn = sh.db.Connect()
	}
	return sh.conn
}
