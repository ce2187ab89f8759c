package web

import (
	"regexp"
	"testing"
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
