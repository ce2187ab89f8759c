package web

import (
	"context"
	"net/http"
	"testing"

	"github.com/dxindex/dxindex/internal/testfix"
	"github.com/dxindex/dxindex/survey/model"
)

// TestAPILogoutEndsTheSession: after POST /api/v1/auth/logout the token
// opens nothing, on this instance or any other (the session row is gone).
func TestAPILogoutEndsTheSession(t *testing.T) {
	s := newTestServer(t, nil)
	svc := surveyOf(s)
	testfix.Users(t, svc, model.UserInput{Username: "admin2", Role: model.RoleAdmin, Password: "Kq4-Harbour-Violet-73m"})
	_, sess, err := svc.Login(context.Background(), "admin2", "Kq4-Harbour-Violet-73m", "127.0.0.1", model.SessionAPI)
	if err != nil {
		t.Fatal(err)
	}
	bearer := "Bearer " + sess.Token
	if rec := do(s, http.MethodGet, "/api/v1/me", "Authorization", bearer); rec.Code != http.StatusOK {
		t.Fatalf("/api/v1/me before sign-out: %d", rec.Code)
	}
	if rec := do(s, http.MethodPost, "/api/v1/auth/logout", "Authorization", bearer); rec.Code != http.StatusNoContent {
		t.Fatalf("sign-out: %d %s", rec.Code, rec.Body)
	}
	if rec := do(s, http.MethodGet, "/api/v1/me", "Authorization", bearer); rec.Code != http.StatusUnauthorized {
		t.Fatalf("/api/v1/me after sign-out: %d, want 401", rec.Code)
	}
}
