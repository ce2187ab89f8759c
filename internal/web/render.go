package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// templates holds one parsed template per page and language, each with
// the layout; the language is bound into the `t` function at parse time.
type templates struct {
	pages map[string]map[string]*template.Template // lang → page → template
}

// staticHashes maps a static file's path to a short hash of its content:
// URLs carry it (/static/app.css?v=ab12cd), so browsers may cache static
// files for a year and still get a new version the moment it ships. It is
// computed on first use, not at package load: every dxindex command links
// this package, and hashing the 1 MB echarts script cost each of them ~7 ms.
var staticHashes = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	_ = fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		m[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:4])
		return nil
	})
	return m
})

// funcs are the template functions of one language.
func funcs(lang string) template.FuncMap {
	return template.FuncMap{
		// static returns the versioned URL of a static file.
		"static": func(name string) (string, error) {
			h, ok := staticHashes()[name]
			if !ok {
				return "", fmt.Errorf("no static file %q", name)
			}
			return "/static/" + name + "?v=" + h, nil
		},
		"t": func(key string) string { return tr(lang, key) },
		// tu is t in the words of the unit assessed: an office's wording
		// (key + "_office") when office is set (i18n_unitwords.go).
		"tu":       func(office bool, key string) string { return tr(lang, unitKey(key, office)) },
		"date":     formatDate,
		"datetime": formatDateTime,
		"num":      func(x float64, decimals int) string { return formatFixed(lang, x, decimals) },
		"int": func(x any) string {
			switch v := x.(type) {
			case int:
				return formatNumber(lang, float64(v), 0)
			case int64:
				return formatNumber(lang, float64(v), 0)
			case *int:
				if v == nil {
					return ""
				}
				return formatNumber(lang, float64(*v), 0)
			}
			return ""
		},
		"role": func(r any) string { return tr(lang, fmt.Sprintf("role.%v", r)) },
		"lang": func() string { return lang },
		"filesize": func(n int64) string {
			// 193 B reads as a typo to most people: bytes, KB, MB with
			// the reader's decimal mark.
			switch {
			case n < 1024:
				return formatNumber(lang, float64(n), 0) + " byte"
			case n < 1024*1024:
				return formatNumber(lang, float64(n)/1024, 1) + " KB"
			}
			return formatNumber(lang, float64(n)/(1024*1024), 1) + " MB"
		},
		"join":   strings.Join,
		"addInt": func(a, b int) int { return a + b },
		"splitPair": func(s string) []string {
			a, b, _ := strings.Cut(s, "|")
			return []string{a, b}
		},
		"field":       func(fe map[string]string, name string) string { return fe[name] },
		"trustFields": trustFields,
		"wholeWords":  wholeWords,
		"has": func(list []string, v string) bool {
			for _, x := range list {
				if x == v {
					return true
				}
			}
			return false
		},
	}
}

// parseTemplates parses every page with the layout, for each language,
// at start-up.
func parseTemplates() (*templates, error) {
	t := &templates{pages: map[string]map[string]*template.Template{}}
	entries, err := fs.ReadDir(templateFiles, "templates")
	if err != nil {
		return nil, err
	}
	for _, lang := range []string{langVI, langEN} {
		t.pages[lang] = map[string]*template.Template{}
		for _, e := range entries {
			name := e.Name()
			// Files starting with "_" are partials, parsed with every page.
			if name == "layout.html" || strings.HasPrefix(name, "_") {
				continue
			}
			p, err := template.New(name).Funcs(funcs(lang)).ParseFS(templateFiles, "templates/layout.html", "templates/_*.html", "templates/"+name)
			if err != nil {
				return nil, fmt.Errorf("web: parse template %s: %w", name, err)
			}
			t.pages[lang][name] = p
		}
	}
	return t, nil
}

// Render implements echo.Renderer. The page renders into a buffer first,
// so a template error becomes a clean 500, not half a page.
func (t *templates) Render(w io.Writer, name string, data any, c echo.Context) error {
	lang := langVI
	if c != nil {
		lang = langOf(c)
	}
	p, ok := t.pages[lang][name]
	if !ok {
		return fmt.Errorf("web: no template %q", name)
	}
	var buf bytes.Buffer
	if err := p.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// static serves the embedded static files; versioned URLs are immutable.
func (s *Server) static(c echo.Context) error {
	name := path.Clean(c.Param("*"))
	b, err := staticFiles.ReadFile("static/" + name)
	if err != nil || strings.Contains(name, "..") {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	if c.QueryParam("v") == staticHashes()[name] && c.QueryParam("v") != "" {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = http.DetectContentType(b)
	}
	return c.Blob(http.StatusOK, ctype, b)
}

// wholeWords escapes a name (of a unit, a group, a criterion or an
// indicator: "4725/QĐ-BGDĐT") for a table cell and keeps each
// hyphenated word on one line ("GDNN-GDTX"): browsers may break after a
// hyphen and no CSS property stops them, which on a phone left
// "GDNN-" and "GDTX" on two lines. Spaces still wrap as usual.
func wholeWords(s string) template.HTML {
	if !strings.Contains(s, "-") {
		return template.HTML(template.HTMLEscapeString(s))
	}
	var b strings.Builder
	for i, w := range strings.Split(s, " ") {
		if i > 0 {
			b.WriteByte(' ')
		}
		if strings.Contains(w, "-") {
			b.WriteString(`<span class="nowrap">`)
			b.WriteString(template.HTMLEscapeString(w))
			b.WriteString(`</span>`)
			continue
		}
		b.WriteString(template.HTMLEscapeString(w))
	}
	return template.HTML(b.String())
}
