package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/sql"
)

// dotCommand is one dot command: usage and help for .help and completion.
type dotCommand struct {
	name, args, help string
	run              func(sh *shell, args []string) error
}

// dotCommands are DuckDB's dot commands that apply to Peregrine.
var dotCommands []dotCommand

func init() {
	onOff := func(set func(sh *shell, v bool)) func(sh *shell, args []string) error {
		return func(sh *shell, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("usage: on|off")
			}
			v, err := parseBool(args[0])
			if err != nil {
				return err
			}
			set(sh, v)
			return nil
		}
	}
	dotCommands = []dotCommand{
		{".bail", "on|off", "Stop after hitting an error. Default: off", onOff(func(sh *shell, v bool) { sh.bail = v })},
		{".changes", "on|off", "Show number of rows changed by SQL", onOff(func(sh *shell, v bool) { sh.changes = v })},
		{".echo", "on|off", "Turn command echo on or off", onOff(func(sh *shell, v bool) { sh.echo = v })},
		{".exit", "?CODE?", "Exit this program with return-code CODE", dotExit},
		{".headers", "on|off", "Turn display of headers on or off. Does not apply to duckbox mode", onOff(func(sh *shell, v bool) { sh.output.headers = v })},
		{".help", "?PATTERN?", "Show help text for PATTERN", dotHelp},
		{".highlight", "on|off", "Toggle syntax highlighting in the shell on / off", onOff(func(sh *shell, v bool) { sh.highlight = v })},
		{".maxrows", "COUNT", "Sets the maximum number of rows for display (default: 40). Only for duckbox mode", func(sh *shell, args []string) error {
			return setInt(args, &sh.output.maxRows)
		}},
		{".maxwidth", "COUNT", "Sets the maximum width in characters. 0 defaults to terminal width. Only for duckbox mode", func(sh *shell, args []string) error {
			return setInt(args, &sh.output.maxWidth)
		}},
		{".mode", "MODE ?TABLE?", "Set output mode: " + strings.Join(modes, ", "), dotMode},
		{".nullvalue", "STRING", "Use STRING in place of NULL values", func(sh *shell, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("usage: .nullvalue STRING")
			}
			sh.output.nullValue = args[0]
			return nil
		}},
		{".once", "FILE", "Output for the next SQL command only to FILE", func(sh *shell, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("usage: .once FILE")
			}
			return sh.setOutput(args[0], true)
		}},
		{".open", "?DIR?", "Close the database and open DIR (none: an in-memory database)", dotOpen},
		{".output", "?FILE?", "Send output to FILE or stdout if FILE is omitted", func(sh *shell, args []string) error {
			if len(args) > 1 {
				return fmt.Errorf("usage: .output ?FILE?")
			}
			path := ""
			if len(args) == 1 {
				path = args[0]
			}
			return sh.setOutput(path, false)
		}},
		{".quit", "", "Exit this program", func(sh *shell, args []string) error { sh.quit = true; return nil }},
		{".read", "FILE", "Read input from FILE", func(sh *shell, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("usage: .read FILE")
			}
			b, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			sh.script(string(b))
			return nil
		}},
		{".schema", "?PATTERN?", "Show the CREATE statements matching PATTERN", dotSchema},
		{".separator", "COL ?ROW?", "Change the column and row separators", func(sh *shell, args []string) error {
			if len(args) < 1 || len(args) > 2 {
				return fmt.Errorf("usage: .separator COL ?ROW?")
			}
			sh.output.colSep = unescape(args[0])
			if len(args) == 2 {
				sh.output.rowSep = unescape(args[1])
			}
			return nil
		}},
		{".show", "", "Show the current values for various settings", dotShow},
		{".tables", "?PATTERN?", "List names of tables matching LIKE pattern PATTERN", dotTables},
		{".timer", "on|off", "Turn SQL timer on or off", onOff(func(sh *shell, v bool) { sh.timer = v })},
	}
}

// dot runs a dot command line; it returns false on error.
func (sh *shell) dot(line string) bool {
	args := splitArgs(line)
	if len(args) == 0 {
		return true
	}
	name := args[0]
	if name == ".q" {
		name = ".quit"
	}
	var found []dotCommand
	for _, c := range dotCommands {
		if c.name == name {
			found = []dotCommand{c}
			break
		}
		// Like SQLite and DuckDB, a unique prefix is enough (.tab, .he).
		if strings.HasPrefix(c.name, name) && len(name) > 2 {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		sh.report(fmt.Errorf("unknown command or invalid arguments: %q. Enter \".help\" for help", strings.TrimPrefix(name, ".")))
		return false
	}
	if err := found[0].run(sh, args[1:]); err != nil {
		sh.report(fmt.Errorf("%s: %v", found[0].name, err))
		return false
	}
	return true
}

// splitArgs splits a dot command line on spaces; single or double quotes
// keep spaces inside an argument.
func splitArgs(line string) []string {
	var out []string
	var cur strings.Builder
	in := byte(0)
	has := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case in != 0 && c == in:
			in = 0
		case in != 0:
			cur.WriteByte(c)
		case c == '\'' || c == '"':
			in, has = c, true
		case c == ' ' || c == '\t':
			if has {
				out = append(out, cur.String())
				cur.Reset()
				has = false
			}
		default:
			cur.WriteByte(c)
			has = true
		}
	}
	if has {
		out = append(out, cur.String())
	}
	return out
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "on", "yes", "true", "1":
		return true, nil
	case "off", "no", "false", "0":
		return false, nil
	}
	return false, fmt.Errorf("not a boolean value: %q (use on or off)", s)
}

func setInt(args []string, dst *int) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: COUNT")
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 0 {
		return fmt.Errorf("not a count: %q", args[0])
	}
	*dst = n
	return nil
}

// unescape turns \t, \n, \r and \\ in a separator into their characters.
func unescape(s string) string {
	return strings.NewReplacer(`\t`, "\t", `\n`, "\n", `\r`, "\r", `\\`, `\`).Replace(s)
}

func dotExit(sh *shell, args []string) error {
	sh.quit = true
	sh.exitCode = 0
	if len(args) > 0 {
		n, err := strconv.Atoi(args[0])
		if err != nil {
			return fmt.Errorf("not an exit code: %q", args[0])
		}
		sh.exitCode = n
	}
	return nil
}

func dotHelp(sh *shell, args []string) error {
	var sb strings.Builder
	for _, c := range dotCommands {
		if len(args) > 0 && !strings.Contains(c.name, args[0]) {
			continue
		}
		fmt.Fprintf(&sb, "%-24s %s\n", strings.TrimSpace(c.name+" "+c.args), c.help)
	}
	if len(args) == 0 {
		sb.WriteString("\nEnter SQL statements terminated by \";\". Tab completes keywords, tables, columns,\nfunctions, file paths inside quotes and dot commands. Ctrl-C cancels a running query.\n")
	}
	_, err := fmt.Fprint(sh.out, sb.String())
	return err
}

func dotMode(sh *shell, args []string) error {
	if len(args) == 0 {
		_, err := fmt.Fprintf(sh.out, "current output mode: %s\n", sh.output.mode)
		return err
	}
	table := ""
	if len(args) > 1 {
		table = args[1]
	}
	return sh.output.setMode(strings.ToLower(args[0]), table)
}

func dotOpen(sh *shell, args []string) error {
	if len(args) > 1 {
		return fmt.Errorf("usage: .open ?DIR?")
	}
	dir := ""
	if len(args) == 1 {
		dir = args[0]
	}
	db, err := openDB(dir, sh.threads, sh.memory, sh.tempDir)
	if err != nil {
		return err
	}
	sh.db.Close()
	sh.db, sh.conn, sh.dir, sh.colCache = db, nil, dir, nil
	return nil
}

// matchingTables lists the database's tables matching the LIKE pattern in
// args (all without one).
func (sh *shell) matchingTables(args []string) ([]string, error) {
	names, err := sh.db.Tables()
	if err != nil {
		return nil, err
	}
	if len(args) == 0 {
		return names, nil
	}
	re := regexp.MustCompile("(?i)" + sql.LikeRegexp(args[0])) // .tables matches names case-insensitively
	var out []string
	for _, n := range names {
		if re.MatchString(n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// dotTables prints table names in columns across the terminal, as
// DuckDB and SQLite do.
func dotTables(sh *shell, args []string) error {
	names, err := sh.matchingTables(args)
	if err != nil || len(names) == 0 {
		return err
	}
	sort.Strings(names)
	w := 0
	for _, n := range names {
		w = max(w, displayWidth(n))
	}
	perLine := max(1, (sh.output.termWidth()+2)/(w+2))
	lines := (len(names) + perLine - 1) / perLine
	var sb strings.Builder
	for l := 0; l < lines; l++ {
		for k := l; k < len(names); k += lines {
			n := names[k]
			sb.WriteString(n)
			if k+lines < len(names) {
				sb.WriteString(strings.Repeat(" ", w-displayWidth(n)+2))
			}
		}
		sb.WriteByte('\n')
	}
	_, err = fmt.Fprint(sh.out, sb.String())
	return err
}

// dotSchema prints a CREATE TABLE statement per matching table, with the
// columns and types the engine reads.
func dotSchema(sh *shell, args []string) error {
	names, err := sh.matchingTables(args)
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, n := range names {
		cols, err := sh.columns(n)
		if err != nil {
			return err
		}
		parts := make([]string, len(cols))
		for i, c := range cols {
			parts[i] = quoteIdent(c[0]) + " " + c[1]
		}
		fmt.Fprintf(sh.out, "CREATE TABLE %s(%s);\n", quoteIdent(n), strings.Join(parts, ", "))
	}
	return nil
}

// columns returns (name, type) of table's columns.
func (sh *shell) columns(table string) ([][2]string, error) {
	rows, err := sh.db.Query(context.Background(), "DESCRIBE "+quoteIdent(table))
	if err != nil {
		return nil, err
	}
	var out [][2]string
	_, err = eachRow(context.Background(), rows, coldata.Format, func(r []cell) error {
		out = append(out, [2]string{r[0].s, r[1].s})
		return nil
	})
	rows.Close()
	return out, err
}

func dotShow(sh *shell, args []string) error {
	where := "stdout"
	if sh.outName != "" {
		where = sh.outName
	}
	db := sh.dir
	if db == "" {
		db = ":memory:"
	} else if abs, err := filepath.Abs(db); err == nil {
		db = abs
	}
	onOff := func(b bool) string {
		if b {
			return "on"
		}
		return "off"
	}
	items := [][2]string{
		{"echo", onOff(sh.echo)},
		{"headers", onOff(sh.output.headers)},
		{"mode", sh.output.mode},
		{"nullvalue", strconv.Quote(sh.output.nullValue)},
		{"output", where},
		{"colseparator", strconv.Quote(sh.output.colSep)},
		{"rowseparator", strconv.Quote(sh.output.rowSep)},
		{"maxrows", strconv.Itoa(sh.output.maxRows)},
		{"maxwidth", strconv.Itoa(sh.output.maxWidth)},
		{"timer", onOff(sh.timer)},
		{"bail", onOff(sh.bail)},
		{"changes", onOff(sh.changes)},
		{"filename", db},
	}
	for _, it := range items {
		fmt.Fprintf(sh.out, "%12s: %s\n", it[0], it[1])
	}
	return nil
}
