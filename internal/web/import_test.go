package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/internal/imports"
	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
)

// The import pages are for admins.
func init() {
	extraPolicies = append(extraPolicies, func(method, path string) (bool, []model.Role, bool) {
		if path == "/admin/import" || strings.HasPrefix(path, "/admin/import/") {
			return false, []model.Role{model.RoleAdmin}, true
		}
		return false, nil, false
	})
}

type importClient struct {
	t          *testing.T
	srv        *Server
	token, tok string
}

func (ic *importClient) do(method, path, ctype string, body io.Reader) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, body)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: ic.token})
	req.Header.Set(csrfHeader, ic.tok)
	rr := httptest.NewRecorder()
	ic.srv.Handler().ServeHTTP(rr, req)
	return rr
}

func (ic *importClient) upload(path, filename string, data []byte) *httptest.ResponseRecorder {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", filename)
	fw.Write(data)
	mw.Close()
	return ic.do(http.MethodPost, path, mw.FormDataContentType(), &b)
}

func TestImportPages(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	srv, err := newServer(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Services: servicesOn(pool)}, func(s *Server) { s.importRoutes() })
	if err != nil {
		t.Fatal(err)
	}
	svc := survey.NewService(pool)
	if _, err := svc.CreateUserBootstrap(ctx, model.UserInput{Username: "admin", Role: model.RoleAdmin, Password: "admin-password"}); err != nil {
		t.Fatal(err)
	}
	_, sess, err := svc.Login(ctx, "admin", "admin-password", "127.0.0.1", model.SessionWeb)
	if err != nil {
		t.Fatal(err)
	}
	ic := &importClient{t: t, srv: srv, token: sess.Token, tok: sess.CSRFToken}

	if rr := ic.do(http.MethodGet, "/admin/import", "", nil); rr.Code != 200 || !strings.Contains(rr.Body.String(), "/admin/import/templates/units.xlsx") {
		t.Fatalf("page: %d", rr.Code)
	}
	for _, f := range []string{"units.xlsx", "units.csv", "users.xlsx", "users.csv", "indicators.xlsx"} {
		rr := ic.do(http.MethodGet, "/admin/import/templates/"+f, "", nil)
		if rr.Code != 200 || !strings.Contains(rr.Header().Get("Content-Disposition"), "attachment") || rr.Body.Len() < 50 {
			t.Fatalf("template %s: %d", f, rr.Code)
		}
	}
	if rr := ic.do(http.MethodGet, "/admin/import/templates/secret.txt", "", nil); rr.Code != 404 {
		t.Errorf("unknown template: %d", rr.Code)
	}

	rows := [][]string{imports.UnitColumns, {"34", "Tỉnh Thái Bình", "province", "", "", "", "", ""}, {"338", "Huyện Quỳnh Phụ", "district", "34", "", "", "", ""}}
	for i := 1; len(rows) < 501; i++ {
		rows = append(rows, []string{fmt.Sprintf("338%03d", i), fmt.Sprintf("Trường Mầm non Quỳnh Ngọc %d", i), "school", "338", "mầm non", "250", "18", "20"})
	}
	bad := make([][]string, len(rows))
	for i := range rows {
		bad[i] = append([]string(nil), rows[i]...)
	}
	bad[41][6] = "-3"      // row 42
	bad[42][0] = ""        // row 43
	bad[399][3] = "338001" // row 400: a school under a school
	b, _ := imports.Write("xlsx", "units", bad)
	rr := ic.upload("/admin/import/units", "units.xlsx", b)
	body := rr.Body.String()
	if rr.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "import-errors") {
		t.Fatalf("bad file: %d", rr.Code)
	}
	for _, row := range []string{"<td>42</td>", "<td>43</td>", "<td>400</td>"} {
		if !strings.Contains(body, row) {
			t.Errorf("bad row %s not listed", row)
		}
	}
	var n int
	pool.QueryRow(ctx, `SELECT count(*) FROM units`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d units imported from a bad file", n)
	}
	b, _ = imports.Write("csv", "units", rows)
	if rr := ic.upload("/admin/import/units", "units.csv", b); rr.Code != 200 || !strings.Contains(rr.Body.String(), "500") {
		t.Fatalf("good file: %d %s", rr.Code, rr.Body)
	}
	pool.QueryRow(ctx, `SELECT count(*) FROM units`).Scan(&n)
	if n != 500 {
		t.Fatalf("%d units", n)
	}

	b, _ = imports.Write("xlsx", "users", [][]string{imports.UserColumns, {"ht.338001", "Trần Văn Bình", "school", "338001"}})
	rr = ic.upload("/admin/import/users", "users.xlsx", b)
	if rr.Code != 200 || !strings.Contains(rr.Body.String(), "import-passwords") || rr.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("users: %d", rr.Code)
	}

	tpl := ic.do(http.MethodGet, "/admin/import/templates/indicators.xlsx", "", nil).Body.Bytes()
	rr = ic.upload("/admin/import/indicators", "moet.xlsx", tpl)
	if rr.Code != 200 || !strings.Contains(rr.Body.String(), "moet-4725 2022.1") {
		t.Fatalf("indicators: %d", rr.Code)
	}
}
