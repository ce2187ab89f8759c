package web

import (
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"
	"github.com/labstack/echo/v4"
)

// compress gzips responses of 1,400 bytes or more (smaller ones fit in
// one packet anyway) for clients that accept it: pages, JSON and CSV are
// text that shrinks five- to tenfold, and principals on slow rural links
// wait on every byte.
//
// It is klauspost's gzhttp rather than echo's Gzip middleware because the
// latter cost a third of the server's CPU under the autosave load
// (docs/performance.md, "Compression"): it resets a compressor (clearing
// 640 KB of match tables) twice for every response, even one too small to
// compress, and compresses with the standard library's slower deflate.
// gzhttp takes a compressor only for a response it compresses.
//
// Echo writes an error's response after the middleware chain returns, so
// an error is written here, inside the compressing writer's lifetime.
func compress(skip func(echo.Context) bool) echo.MiddlewareFunc {
	wrap, err := gzhttp.NewWrapper(gzhttp.MinSize(1400), gzhttp.CompressionLevel(5), gzhttp.EnableZstd(false))
	if err != nil {
		panic(err) // the options are constants
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if skip(c) {
				return next(c)
			}
			res := c.Response()
			plain := res.Writer
			defer func() { res.Writer = plain }() // also when next panics
			wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				res.Writer = w
				c.SetRequest(r)
				if err := next(c); err != nil {
					c.Error(err)
				}
			})).ServeHTTP(plain, c.Request())
			return nil
		}
	}
}

// alreadyCompressed are the responses not worth compressing: files that
// are compressed already, and the health checks.
func alreadyCompressed(c echo.Context) bool {
	p := c.Request().URL.Path
	return strings.HasSuffix(p, ".xlsx") || strings.Contains(p, "/evidence/") || strings.HasSuffix(p, ".png") ||
		p == "/healthz" || p == "/readyz"
}
