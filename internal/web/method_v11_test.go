package web

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/dashboard/dashview"
	"github.com/dxindex/dxindex/indicators"
)

// The methodology page of an agency set (format v1.1) states levels on the
// index, the roll-up indicators and the evidence's maximum age.
func TestMethodologyIndexLevelsAndRollups(t *testing.T) {
	set, err := indicators.ShippedSet("moet-agency")
	if err != nil {
		t.Fatal(err)
	}
	levels := methodLevels(set, langVI)
	var got []string
	for _, l := range levels {
		got = append(got, strings.Join(l.Conds, "; "))
	}
	if strings.Join(got, " | ") != "Chỉ số trên 75 | Chỉ số từ 50 | " {
		t.Errorf("conditions %q", got)
	}
	if en := methodLevels(set, langEN); en[0].Conds[0] != "Index above 75" {
		t.Errorf("en: %q", en[0].Conds)
	}
	tpl, err := parseTemplates()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	p := dashMethodPage{C: &dashview.Campaign{}, Set: set, Method: set.Index.EffectiveMethod(), Levels: levels}
	if err := tpl.Render(&buf, "dash_method.html", p, nil); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"<strong>3 · Mức đáp ứng tốt</strong> — Chỉ số trên 75</li>",
		"<strong>1 · Mức chưa đáp ứng</strong></li>",
		"Tổng điểm các nhóm",
		"Tổng hợp từ kết quả đã thẩm định của các cơ sở giáo dục trực thuộc: tỷ lệ % cơ sở giáo dục đạt từ mức 2 trở lên",
		"Tổng hợp từ kết quả đã thẩm định của các cơ sở giáo dục trực thuộc: chỉ số bình quân của các cơ sở giáo dục",
		"Tổng hợp từ kết quả đã thẩm định của các cơ sở giáo dục trực thuộc: tỷ lệ % cơ sở giáo dục có kết quả tự đánh giá được phê duyệt",
		"Minh chứng không cũ quá 365 ngày",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Count(out, "Tổng hợp từ kết quả") != 4 {
		t.Errorf("%d roll-ups shown, want 4", strings.Count(out, "Tổng hợp từ kết quả"))
	}
}
