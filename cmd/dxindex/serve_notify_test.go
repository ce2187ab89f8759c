package main

import (
	"testing"
	"time"

	"github.com/dxindex/dxindex/survey"
)

// --review-notice-delay reaches the survey service the web layer calls:
// it is what schedules the notice of a review session's changes.
func TestReviewNoticeDelayReachesTheService(t *testing.T) {
	svc, ok := webServices(nil, false, 17*time.Minute).Survey.(*survey.Service)
	if !ok {
		t.Fatalf("the web layer's survey service is %T", svc)
	}
	if svc.ChangesDelay != 17*time.Minute {
		t.Errorf("ChangesDelay = %v, want 17m", svc.ChangesDelay)
	}
}
