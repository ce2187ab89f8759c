package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/survey/model"
)

// TestCatalogDatesAreDDMMYYYY: a date written into the UI's text is
// dd/mm/yyyy in both languages ("01/07/2025", not "01/7/2025" or "1 July
// 2025"), as the pages write every date.
func TestCatalogDatesAreDDMMYYYY(t *testing.T) {
	short := regexp.MustCompile(`\b(\d{1,2})/(\d{1,2})/(\d{4})\b`)
	month := regexp.MustCompile(`\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December),? \d{4}\b|\b(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2},? \d{4}\b`)
	for k, v := range catalog {
		for i, s := range v {
			for _, m := range short.FindAllStringSubmatch(s, -1) {
				if len(m[1]) != 2 || len(m[2]) != 2 {
					t.Errorf("%s[%d]: date %q is not dd/mm/yyyy", k, i, m[0])
				}
			}
			if m := month.FindString(s); m != "" {
				t.Errorf("%s[%d]: date %q is not dd/mm/yyyy", k, i, m)
			}
		}
	}
}

// TestCalibrationInEnglish: the progress page's and its export's
// calibration by indicator name the indicators in the reader's language
// (the store names them in Vietnamese); the methodology names the set in
// it.
func TestCalibrationInEnglish(t *testing.T) {
	w := newDashWorld(t)
	ctx := context.Background()
	_, sess, err := w.svc.Login(ctx, "so34", "password-so34", "127.0.0.1", model.SessionWeb)
	if err != nil {
		t.Fatal(err)
	}
	get := func(path, lang string) string {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: sess.Token})
		req.AddCookie(&http.Cookie{Name: langCookie, Value: lang})
		rec := httptest.NewRecorder()
		w.srv.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, rec.Code)
		}
		return rec.Body.String()
	}
	p := fmt.Sprintf("/review/%d/progress", w.campaign)
	if body := get(p, langEN); !strings.Contains(body, "Share of teachers using digital materials") || strings.Contains(body, "Tỷ lệ giáo viên dùng học liệu số") {
		t.Error("the English progress page names an indicator in Vietnamese")
	}
	if body := get(p, langVI); !strings.Contains(body, "Tỷ lệ giáo viên dùng học liệu số") {
		t.Error("the Vietnamese progress page lost the indicator's name")
	}
	if body := get(p+"/export.csv?table=indicators", langEN); !strings.Contains(body, "Share of teachers using digital materials") {
		t.Errorf("the English calibration export names an indicator in Vietnamese: %.300s", body)
	}
	// The set's name on the methodology page, in English too.
	if body := get(fmt.Sprintf("/dashboard/%d/methodology", w.campaign), langEN); !strings.Contains(body, "Example set (example") {
		t.Error("the English methodology names the set in Vietnamese")
	}
}
