package awslive

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progressTick is how often the progress line is redrawn.
const progressTick = 200 * time.Millisecond

// progress draws "glueaccess: AWS lookups: 3 done, 2 running" on a terminal
// while calls have been running longer than after, and erases it when the
// last call ends. A nil *progress draws nothing.
type progress struct {
	w     io.Writer
	after time.Duration

	mu      sync.Mutex
	running int
	done    int
	since   time.Time // when running last went from 0 to 1
	drawing bool      // a drawer goroutine is active
	shown   bool      // the line is on screen
}

func (p *progress) begin() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.running == 0 {
		p.since = time.Now()
	}
	p.running++
	if !p.drawing {
		p.drawing = true
		go p.draw()
	}
}

func (p *progress) end() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running--
	p.done++
}

// draw redraws the line every tick until nothing is running.
func (p *progress) draw() {
	tick := min(progressTick, max(p.after, time.Millisecond))
	t := time.NewTicker(tick)
	defer t.Stop()
	for range t.C {
		p.mu.Lock()
		if p.running == 0 {
			if p.shown {
				fmt.Fprint(p.w, "\r\033[K")
				p.shown = false
			}
			p.drawing = false
			p.mu.Unlock()
			return
		}
		if time.Since(p.since) >= p.after {
			fmt.Fprintf(p.w, "\r\033[Kglueaccess: AWS lookups: %d done, %d running", p.done, p.running)
			p.shown = true
		}
		p.mu.Unlock()
	}
}
