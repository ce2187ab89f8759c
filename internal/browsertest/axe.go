package browsertest

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core 4.14.1 (Deque Systems, MPL-2.0, its notice at the
// top of the file), axe.min.js as npm ships it, unmodified: the accessibility
// rules browsers' developer tools use. It is kept here rather than fetched
// so that the tests run offline.
//
//go:embed axe.min.js
var axeSource string

// Accessibility runs axe-core's WCAG 2.0 and 2.1 level A and AA rules
// (contrast, names of fields and buttons, keyboard access to scrolling
// regions, ARIA used right, …) on the page loaded in ctx and returns each
// violation as one line: the rule, its impact, how many elements, and up
// to three of them with what is wrong.
func Accessibility(t testing.TB, ctx context.Context) []string {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { if (!window.axe) {`+axeSource+`} return true })()`)); err != nil {
		t.Fatalf("browsertest: loading axe-core: %v", err)
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]})
  .then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\s+/g, " "))}))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("browsertest: running axe-core: %v", err)
	}
	var vs []struct {
		ID, Impact, Help string
		Nodes            []string
	}
	if err := json.Unmarshal([]byte(res), &vs); err != nil {
		t.Fatalf("browsertest: axe-core's results: %v", err)
	}
	var out []string
	for _, v := range vs {
		nodes := v.Nodes
		if len(nodes) > 3 {
			nodes = nodes[:3]
		}
		out = append(out, fmt.Sprintf("%s (%s, %d elements): %s — %s", v.ID, v.Impact, len(v.Nodes), v.Help, strings.Join(nodes, " | ")))
	}
	return out
}
