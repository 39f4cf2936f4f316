package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/peregrinedb/peregrine"
)

// progressConfig says whether and where the progress bar is drawn: on the
// terminal, for statements running longer than delay (DuckDB waits two
// seconds by default; we show it after one).
type progressConfig struct {
	enabled bool
	delay   time.Duration
	tick    time.Duration
	term    io.Writer
	width   func() int
}

// defaultProgress draws on standard output when it is a terminal.
// PEREGRINE_PROGRESS_DELAY (a Go duration) changes the wait, for tests.
func defaultProgress(stdout io.Writer) progressConfig {
	c := progressConfig{enabled: isTerminal(stdout), delay: time.Second, tick: 100 * time.Millisecond, term: stdout,
		width: func() int { return terminalWidth(stdout) }}
	if d, err := time.ParseDuration(os.Getenv("PEREGRINE_PROGRESS_DELAY")); err == nil {
		c.delay = d
	}
	return c
}

// progressBar draws one statement's bar until stopped.
type progressBar struct {
	cfg   progressConfig
	p     *peregrine.Progress
	quit  chan struct{}
	done  chan struct{}
	once  sync.Once
	mu    sync.Mutex
	drawn bool
}

// startProgress starts the bar's goroutine; it returns nil (a bar that does
// nothing) when bars are off.
func (sh *shell) startProgress(p *peregrine.Progress) *progressBar {
	if !sh.progress.enabled {
		return nil
	}
	b := &progressBar{cfg: sh.progress, p: p, quit: make(chan struct{}), done: make(chan struct{})}
	go b.run()
	return b
}

func (b *progressBar) run() {
	defer close(b.done)
	select {
	case <-time.After(b.cfg.delay):
	case <-b.quit:
		return
	}
	t := time.NewTicker(b.cfg.tick)
	defer t.Stop()
	for {
		done, total := b.p.Rows()
		if total > 0 {
			b.mu.Lock()
			io.WriteString(b.cfg.term, "\r"+renderBar(float64(done)/float64(total), b.cfg.width()))
			b.drawn = true
			b.mu.Unlock()
		}
		select {
		case <-t.C:
		case <-b.quit:
			return
		}
	}
}

// stop ends the bar and erases it, so the result prints on a clean line.
func (b *progressBar) stop() {
	if b == nil {
		return
	}
	b.once.Do(func() {
		close(b.quit)
		<-b.done
		if b.drawn {
			io.WriteString(b.cfg.term, "\r\x1b[2K")
		}
	})
}

// clearing wraps w so that the bar is erased before the first byte of the
// result is written.
func (b *progressBar) clearing(w io.Writer) io.Writer {
	if b == nil {
		return w
	}
	return &clearWriter{w: w, b: b}
}

type clearWriter struct {
	w io.Writer
	b *progressBar
}

func (c *clearWriter) Write(p []byte) (int, error) {
	c.b.stop()
	return c.w.Write(p)
}

// renderBar draws DuckDB's bar: the percentage, then a bar of eighth-block
// characters between ▕ and ▏, sized to the terminal (at most 60 cells).
func renderBar(frac float64, termWidth int) string {
	frac = min(max(frac, 0), 1)
	w := 60
	if termWidth > 0 {
		w = min(w, termWidth-8)
	}
	w = max(w, 10)
	eighths := int(frac * float64(w*8))
	full, part := eighths/8, eighths%8
	var sb strings.Builder
	fmt.Fprintf(&sb, "%3d%% ▕", int(frac*100))
	sb.WriteString(strings.Repeat("█", full))
	if full < w {
		if part > 0 {
			sb.WriteString(string([]rune("▏▎▍▌▋▊▉")[part-1]))
			full++
		}
		sb.WriteString(strings.Repeat(" ", w-full))
	}
	sb.WriteString("▏")
	return sb.String()
}
