package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/dashboard"
	"github.com/dxindex/dxindex/dashboard/dashview"
)

// TestDashboardBodyCacheKeyedByContent: rendered page bodies were cached
// under fmt.Sprintf("%p", ranking) (issue 18, "also found"). Once a
// ranking leaves the store's cache, Go may allocate another unit's ranking
// at the same address, and that unit's page then showed the first one's
// body. The test puts district 339's ranking at the address district
// 338's was rendered from, as that reuse would, and expects 339's body;
// then a refreshed ranking of the same unit (new participation counts)
// is rendered again rather than served stale.
func TestDashboardBodyCacheKeyedByContent(t *testing.T) {
	ctx := context.Background()
	w := newDashWorld(t)
	h := &dash{s: w.srv, store: dashboard.New(w.pool)}
	cp, err := h.store.Published(ctx, w.campaign)
	if err != nil {
		t.Fatal(err)
	}
	ranking := func(code string) *dashview.Ranking {
		u, err := h.store.Unit(ctx, cp, code)
		if err != nil {
			t.Fatal(err)
		}
		r, err := h.store.Ranking(ctx, cp, u, dashview.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		c := *r // the store's ranking is shared: callers must not modify it
		return &c
	}
	r338, r339 := ranking("338"), ranking("339")

	r := new(dashview.Ranking)
	*r = *r338
	addr := fmt.Sprintf("%p", r)
	b338, err := h.unitBody(cp, r, langVI)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b338), "An Bài") || strings.Contains(string(b338), "Trường THCS Hưng Hà") {
		t.Fatalf("district 338's body does not list its schools")
	}

	// Address reuse: the same pointer now holds district 339's ranking.
	*r = *r339
	if fmt.Sprintf("%p", r) != addr {
		t.Fatal("the address changed")
	}
	b339, err := h.unitBody(cp, r, langVI)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b339), "An Bài") || !strings.Contains(string(b339), "Trường THCS Hưng Hà") {
		t.Fatalf("district 339's page shows another unit's cached body: %s", b339)
	}

	// A refreshed ranking of 339 (same key, a new value): rendered anew.
	fresh := new(dashview.Ranking)
	*fresh = *r339
	fresh.Self.Submitted, fresh.Self.Total = 7777, 8888
	b, err := h.unitBody(cp, fresh, langVI)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "7.777") && !strings.Contains(string(b), "7777") {
		t.Fatalf("a refreshed ranking was served the stale body")
	}
	// And the unchanged one is served from the cache: the same string.
	again, _ := h.unitBody(cp, fresh, langVI)
	if again != b {
		t.Fatal("the body was not cached")
	}
	// The language is part of the key.
	en, _ := h.unitBody(cp, fresh, langEN)
	if en == b {
		t.Fatal("the English page got the Vietnamese body")
	}
}
