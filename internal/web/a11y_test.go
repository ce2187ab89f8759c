package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestPagesAccessible: every page, as each user who may see it, in
// Vietnamese, names its language, labels every field a person fills in
// (a <label for>, an enclosing <label>, aria-label or aria-labelledby),
// gives every image a text alternative and every button and link a name
// a screen reader can say, and uses each id once.
//
// The pages are checked twice: with A1's assessment a draft (the form a
// principal fills), then answered and submitted (the reviewers' forms).
func TestPagesAccessible(t *testing.T) {
	w := newWorld(t)
	checked := 0
	check := func(state string) {
		for _, r := range w.srv.Routes() {
			if r.Method != http.MethodGet || strings.HasPrefix(r.Path, "/api/") || strings.HasPrefix(r.Path, "/static/") {
				continue
			}
			for _, name := range []string{"", "admin", "so34", "phong338", "ht.a1", "leader338"} {
				rec := w.request(t, name, http.MethodGet, fill(r.Path, w.params(name, true)), "")
				if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
					continue
				}
				checked++
				for _, p := range accessibilityProblems(rec.Body.String()) {
					t.Errorf("%s as %q, %s: %s", r.Path, name, state, p)
				}
			}
		}
	}
	check("A1 a draft")
	principal := signedInActor(t, w.svc, "ht.a1")
	answerBest(t, w.svc, principal, w.assessments["A1"])
	if err := w.svc.Submit(context.Background(), principal, w.assessments["A1"]); err != nil {
		t.Fatal(err)
	}
	check("A1 submitted")
	if checked < 60 {
		t.Fatalf("only %d pages checked", checked)
	}
	t.Logf("%d pages checked", checked)
}

// accessibilityProblems lists what a screen-reader user would miss on the
// page.
func accessibilityProblems(page string) []string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return []string{err.Error()}
	}
	var probs []string
	labelFor := map[string]bool{}
	ids := map[string]int{}
	var fields []*html.Node
	var walk func(n *html.Node, inLabel bool)
	walk = func(n *html.Node, inLabel bool) {
		if n.Type == html.ElementNode {
			if id := attr(n, "id"); id != "" {
				ids[id]++
			}
			switch n.Data {
			case "html":
				if attr(n, "lang") == "" {
					probs = append(probs, "<html> has no lang")
				}
			case "label":
				if f := attr(n, "for"); f != "" {
					labelFor[f] = true
				}
				inLabel = true
			case "input", "select", "textarea":
				typ := attr(n, "type")
				if typ != "hidden" && typ != "submit" && typ != "button" && typ != "image" && typ != "reset" && !inLabel &&
					attr(n, "aria-label") == "" && attr(n, "aria-labelledby") == "" && attr(n, "title") == "" {
					fields = append(fields, n)
				}
			case "img":
				if _, ok := attrOK(n, "alt"); !ok && attr(n, "aria-label") == "" && attr(n, "role") != "presentation" {
					probs = append(probs, "an image without alt: "+attr(n, "src"))
				}
			case "button", "a":
				if strings.TrimSpace(textOf(n)) == "" && attr(n, "aria-label") == "" && attr(n, "title") == "" && attr(n, "aria-labelledby") == "" {
					probs = append(probs, "a <"+n.Data+"> without a name: "+render(n))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLabel)
		}
	}
	walk(doc, false)
	for _, f := range fields {
		if id := attr(f, "id"); id == "" || !labelFor[id] {
			probs = append(probs, "a field without a label: "+render(f))
		}
	}
	for id, n := range ids {
		if n > 1 {
			probs = append(probs, "the id "+id+" is used more than once")
		}
	}
	return probs
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// textOf is the text a screen reader says for n: its text and its images'
// alternatives.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && n.Data == "img":
			b.WriteString(attr(n, "alt"))
		case n.Type == html.ElementNode && (attr(n, "aria-label") != ""):
			b.WriteString(attr(n, "aria-label"))
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func render(n *html.Node) string {
	var b strings.Builder
	_ = html.Render(&b, n)
	s := b.String()
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}
