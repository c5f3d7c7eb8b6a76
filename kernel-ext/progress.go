package kernelext

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/godltrigger/godltrigger/pkg/progress"
)

// maxFinishedRows is how many finished steps a Progress block keeps listed.
const maxFinishedRows = 6

// Progress is a progress.Sink that draws the bars of a cell's steps in one HTML block,
// redrawn in place (no widgets: it also works when the notebook runs headless). Each step
// gets a row while it runs; finished steps keep their final row, so the saved notebook shows
// what ran, how much and how long. Only the last few finished rows are listed.
type Progress struct {
	d  Displayer
	id string

	mu       sync.Mutex
	running  []progress.State // steps in the order they started
	finished []progress.State
	dropped  int // finished rows no longer listed
}

// NewProgress returns a Progress drawing through d in the block id (unique per cell run).
func NewProgress(d Displayer, id string) *Progress { return &Progress{d: d, id: id} }

// Progress returns a new progress block for the steps of this cell.
func (nb *Notebook) Progress() *Progress {
	return NewProgress(nb.D, fmt.Sprintf("dltrigger-progress-%d", time.Now().UnixNano()))
}

// Show draws s; final moves the step to the finished rows.
func (p *Progress) Show(s progress.State, final bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	i := p.indexRunning(s.Step)
	switch {
	case final && i >= 0:
		p.running = append(p.running[:i], p.running[i+1:]...)
		fallthrough
	case final:
		p.finished = append(p.finished, s)
		if len(p.finished) > maxFinishedRows {
			p.dropped += len(p.finished) - maxFinishedRows
			p.finished = p.finished[len(p.finished)-maxFinishedRows:]
		}
	case i >= 0:
		p.running[i] = s
	default:
		p.running = append(p.running, s)
	}
	p.d.UpdateHTML(p.id, p.htmlLocked())
}

func (p *Progress) indexRunning(step string) int {
	for i, r := range p.running {
		if r.Step == step {
			return i
		}
	}
	return -1
}

// HTML renders the block as it stands.
func (p *Progress) HTML() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.htmlLocked()
}

func (p *Progress) htmlLocked() string {
	var b strings.Builder
	b.WriteString(`<div style="font-family:monospace;font-size:12px;line-height:1.5">`)
	if p.dropped > 0 {
		fmt.Fprintf(&b, `<div style="color:#777">… %d earlier step(s) done</div>`, p.dropped)
	}
	for _, s := range p.finished {
		b.WriteString(barHTML(s, true))
	}
	for _, s := range p.running {
		b.WriteString(barHTML(s, false))
	}
	b.WriteString("</div>")
	return b.String()
}

// barHTML draws one step: its name, a bar (when the total is known) and the counts.
func barHTML(s progress.State, done bool) string {
	var b strings.Builder
	b.WriteString(`<div style="display:flex;align-items:center;gap:8px;white-space:nowrap">`)
	mark := "▶"
	color := "#1f77b4"
	if done {
		mark, color = "✔", "#2ca02c"
	}
	fmt.Fprintf(&b, `<span style="color:%s">%s</span><span style="min-width:14em">%s</span>`, color, mark, escape(s.Step))
	if s.Total > 0 {
		frac := min(max(float64(s.Done)/float64(s.Total), 0), 1)
		fmt.Fprintf(&b, `<span style="display:inline-block;width:200px;height:10px;background:#e6e6e6;border-radius:3px">`+
			`<span style="display:block;width:%.1f%%;height:100%%;background:%s;border-radius:3px"></span></span>`, 100*frac, color)
		fmt.Fprintf(&b, `<span>%5.1f%% %d/%d %s</span>`, 100*frac, s.Done, s.Total, escape(s.Unit))
	} else {
		fmt.Fprintf(&b, `<span>%d %s</span>`, s.Done, escape(s.Unit))
	}
	fmt.Fprintf(&b, `<span style="color:#555">%s/s, %s`, progress.HumanRate(s.Rate()), s.Elapsed.Round(100*time.Millisecond))
	if eta := s.ETA(); eta > 0 && !done {
		fmt.Fprintf(&b, `, ETA %s`, eta.Round(time.Second))
	}
	if s.Note != "" {
		fmt.Fprintf(&b, ` (%s)`, escape(s.Note))
	}
	b.WriteString("</span></div>")
	return b.String()
}
