package kernelext

import (
	"fmt"
	"html"
	"strings"
)

// Table is an HTML table: a caption, a header row and rows of cells (plain text, escaped).
type Table struct {
	Caption string
	Header  []string
	Rows    [][]string
	// Note is a line under the table (plain text), e.g. how many rows are left out.
	Note string
}

// Add appends a row.
func (t *Table) Add(cells ...string) { t.Rows = append(t.Rows, cells) }

// HTML renders the table. Numeric-looking cells are right-aligned.
func (t *Table) HTML() string {
	var b strings.Builder
	b.WriteString(`<div style="overflow-x:auto"><table style="border-collapse:collapse;font-family:sans-serif;font-size:13px">`)
	if t.Caption != "" {
		fmt.Fprintf(&b, `<caption style="text-align:left;font-weight:bold;padding:4px 0">%s</caption>`, escape(t.Caption))
	}
	if len(t.Header) > 0 {
		b.WriteString("<thead><tr>")
		for _, h := range t.Header {
			fmt.Fprintf(&b, `<th style="border-bottom:2px solid #444;padding:3px 8px;text-align:left">%s</th>`, escape(h))
		}
		b.WriteString("</tr></thead>")
	}
	b.WriteString("<tbody>")
	for i, r := range t.Rows {
		bg := ""
		if i%2 == 1 {
			bg = "background:#f3f3f3;"
		}
		fmt.Fprintf(&b, `<tr style="%s">`, bg)
		for _, c := range r {
			align := "left"
			if numeric(c) {
				align = "right"
			}
			fmt.Fprintf(&b, `<td style="white-space:nowrap;padding:3px 8px;border-bottom:1px solid #ddd;text-align:%s;font-family:monospace">%s</td>`, align, escape(c))
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table>")
	if t.Note != "" {
		fmt.Fprintf(&b, `<div style="font-size:12px;color:#555">%s</div>`, escape(t.Note))
	}
	b.WriteString("</div>")
	return b.String()
}

// Table shows t.
func (nb *Notebook) Table(t *Table) { nb.D.DisplayHTML(t.HTML()) }

// KeyValues shows a two-column table of names and values, in the order given.
func (nb *Notebook) KeyValues(caption string, kv ...string) error {
	if len(kv)%2 != 0 {
		return fmt.Errorf("kernelext: KeyValues %q: odd number of arguments (%d)", caption, len(kv))
	}
	t := &Table{Caption: caption, Header: []string{"", "value"}}
	for i := 0; i < len(kv); i += 2 {
		t.Add(kv[i], kv[i+1])
	}
	nb.Table(t)
	return nil
}

func escape(s string) string { return html.EscapeString(s) }

// numeric reports whether s reads as a number (with an optional sign, % or ± part).
func numeric(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+-.eE%± ", r):
		default:
			return false
		}
	}
	return digits > 0
}
