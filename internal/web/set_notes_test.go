package web

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/indicators"
)

// TestPublicSetAPIHidesAdminNotes: the notes of an indicator set are for
// administrators (issue 18, "also found"); the public set API served them
// to anyone. Visitors, principals and evaluators get the set without
// them; an admin gets them, privately.
func TestPublicSetAPIHidesAdminNotes(t *testing.T) {
	w := newWorld(t)
	const path = "/api/v1/indicator-sets/moet-4725/2022.1"
	notes := func(body []byte) int {
		var set indicators.Set
		if err := json.Unmarshal(body, &set); err != nil {
			t.Fatal(err)
		}
		n := 0
		if set.Note != nil {
			n++
		}
		for _, g := range set.Groups {
			if g.Note != nil {
				n++
			}
			for _, c := range g.Criteria {
				if c.Note != nil {
					n++
				}
				for _, ind := range c.Indicators {
					if ind.Note != nil {
						n++
					}
				}
			}
		}
		return n
	}
	adminRec := w.request(t, "admin", "GET", path, "")
	if adminRec.Code != 200 || notes(adminRec.Body.Bytes()) == 0 {
		t.Fatalf("admin: %d, %d notes: the fixture set must carry notes", adminRec.Code, notes(adminRec.Body.Bytes()))
	}
	if cc := adminRec.Header().Get("Cache-Control"); !strings.Contains(cc, "private") {
		t.Errorf("admin's copy: Cache-Control %q", cc)
	}
	for _, name := range []string{"", "ht.a1", "phong338", "leader338"} {
		rec := w.request(t, name, "GET", path, "")
		if rec.Code != 200 {
			t.Fatalf("%q: %d", name, rec.Code)
		}
		if n := notes(rec.Body.Bytes()); n != 0 || strings.Contains(rec.Body.String(), `"note"`) {
			t.Errorf("%q sees %d administrators' notes", name, n)
		}
		// Everything else is the set as the admin sees it.
		var pub, full indicators.Set
		json.Unmarshal(rec.Body.Bytes(), &pub)
		json.Unmarshal(adminRec.Body.Bytes(), &full)
		if len(pub.Indicators()) != len(full.Indicators()) || len(pub.Indicators()) == 0 || pub.Name != full.Name {
			t.Errorf("%q: %d indicators, admin %d", name, len(pub.Indicators()), len(full.Indicators()))
		}
	}
	// The stored set keeps its notes for the next admin.
	if rec := w.request(t, "admin", "GET", path, ""); notes(rec.Body.Bytes()) != notes(adminRec.Body.Bytes()) {
		t.Error("stripping the notes changed the stored set")
	}
}
