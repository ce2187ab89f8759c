package web

// How published results were reviewed (issue 17), in the exports: the
// changes made in review, those the school contested and those upheld,
// from what each publication recorded (dashview.ReviewCounts).

import (
	"context"

	"github.com/dxindex/dxindex/dashboard/dashview"
	"github.com/dxindex/dxindex/internal/sheet"
)

// addReviewColumns appends the review counts of each row's published
// results (a school: its own; a unit: its subtree's sum) to a ranking
// table; head names in lang, or the API's snake_case keys when lang is "".
// A live ranking (not published) gets none.
func (h *dash) addReviewColumns(ctx context.Context, r *dashview.Ranking, t *sheet.Table, lang string) error {
	if r.Filter.Live {
		return nil
	}
	ids := make([]int64, len(r.Rows))
	for i, x := range r.Rows {
		ids[i] = x.UnitID
	}
	counts, err := h.store.ReviewCountsOf(ctx, r.Campaign, ids)
	if err != nil {
		return err
	}
	// The results approved unsampled (sampled verification) come first,
	// then changes, contested, upheld.
	if lang == "" {
		t.Head = append(t.Head, "review_not_sampled", "review_changes", "review_contested", "review_upheld")
	} else {
		off := r.Campaign != nil && r.Campaign.Offices()
		t.Head = append(t.Head, tr(lang, unitKey("sample.not_sampled_col", off)), tr(lang, "trust.changes"), tr(lang, unitKey("trust.contested", off)), tr(lang, "trust.upheld"))
	}
	for i, x := range r.Rows {
		rc, ok := counts[x.UnitID]
		if !ok || rc.Results == 0 {
			t.Rows[i] = append(t.Rows[i], sheet.Cell{N: nan, Num: true}, sheet.Cell{N: nan, Num: true}, sheet.Cell{N: nan, Num: true}, sheet.Cell{N: nan, Num: true})
			continue
		}
		t.Rows[i] = append(t.Rows[i], sheet.Int(rc.NotSampled), sheet.Int(rc.Changes), sheet.Int(rc.Contested), sheet.Int(rc.Upheld))
	}
	return nil
}

// reviewRows are a school export's last lines: its review counts.
// office: the unit is an office (its own result, Decision 3806).
func reviewRows(rc *dashview.ReviewCounts, lang string, office bool) [][]sheet.Cell {
	if rc == nil {
		return nil
	}
	blank := sheet.Cell{N: nan, Num: true}
	return [][]sheet.Cell{
		{sheet.Text(""), sheet.Text(""), sheet.Text(tr(lang, "trust.changes")), sheet.Int(rc.Changes), blank},
		{sheet.Text(""), sheet.Text(""), sheet.Text(tr(lang, unitKey("trust.contested", office))), sheet.Int(rc.Contested), blank},
		{sheet.Text(""), sheet.Text(""), sheet.Text(tr(lang, "trust.upheld")), sheet.Int(rc.Upheld), blank},
		{sheet.Text(""), sheet.Text(""), sheet.Text(tr(lang, unitKey("sample.not_sampled_col", office))), sheet.Int(rc.NotSampled), blank},
	}
}
