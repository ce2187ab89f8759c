package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
)

// validAnswer is an answer that fits the indicator (the first option, yes,
// a middling number).
func validAnswer(ind *indicators.Indicator) any {
	switch ind.Type {
	case indicators.TypeBoolean:
		return true
	case indicators.TypeChoice:
		return ind.Options[len(ind.Options)-1].Code
	case indicators.TypeMulti:
		return []string{ind.Options[0].Code}
	case indicators.TypePercent:
		return 75
	}
	return 3
}

// TestKill9DuringSaves: 200 answer saves from 10 principals at once; the
// server (and with it its private PostgreSQL) is killed with SIGKILL in the
// middle. After a restart, every save that was acknowledged with a 2xx is
// there, with the acknowledged version and value.
func TestKill9DuringSaves(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	ctx := context.Background()
	dataDir := reachableTempDir(t)
	p := startServe(t, "--data-dir", dataDir)
	dsn := "postgres://dxindex@/dxindex?host=" + filepath.Join(dataDir, "pgsock")
	pool, err := postgres.NewPool(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	svc := survey.NewService(pool)
	root := &model.Actor{Role: model.RoleAdmin}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = svc.CreateUnit(ctx, root, model.UnitInput{Code: "34", Name: "Thái Bình", Kind: "province"})
	must(err)
	_, err = svc.CreateUnit(ctx, root, model.UnitInput{Code: "338", Name: "Quỳnh Phụ", Kind: "district", ParentCode: "34"})
	must(err)
	const schools = 10
	for i := 0; i < schools; i++ {
		code := fmt.Sprintf("S%02d", i)
		_, err = svc.CreateUnit(ctx, root, model.UnitInput{Code: code, Name: "Trường THCS số " + code, Kind: "school", ParentCode: "338", SchoolLevels: []string{"lower_secondary"}})
		must(err)
		_, err = svc.CreateUserBootstrap(ctx, model.UserInput{Username: "ht." + code, Role: model.RoleSchool, UnitCode: code, Password: "password-" + code})
		must(err)
	}
	now := time.Now()
	c, err := svc.CreateCampaign(ctx, root, model.CampaignInput{Name: "Năm học", SetCode: "moet-4725", RootUnitCode: "338",
		OpensOn: now.AddDate(0, -1, 0), SelfDue: now.AddDate(0, 1, 0), ReviewDue: now.AddDate(0, 2, 0)})
	must(err)
	rows, err := svc.CampaignAssessments(ctx, root, c.ID)
	must(err)
	pool.Close()
	set, err := indicators.ShippedSet("moet-4725")
	must(err)
	var inds []*indicators.Indicator
	for _, ind := range set.Indicators() {
		if ind.AppliesToLevel("lower_secondary") {
			inds = append(inds, ind)
		}
	}
	if len(inds) < 20 {
		t.Fatalf("only %d indicators", len(inds))
	}
	type save struct {
		aid       int64
		indicator string
		value     any
		token     string
	}
	var saves []save
	client := &http.Client{Timeout: 10 * time.Second}
	for _, r := range rows {
		body, _ := json.Marshal(map[string]string{"username": "ht." + r.UnitCode, "password": "password-" + r.UnitCode})
		resp, err := client.Post(p.url+"api/v1/auth/login", "application/json", bytes.NewReader(body))
		must(err)
		var lr struct{ Token string }
		_ = json.NewDecoder(resp.Body).Decode(&lr)
		resp.Body.Close()
		for _, ind := range inds[:20] {
			saves = append(saves, save{r.ID, ind.Code, validAnswer(ind), lr.Token})
		}
	}
	if len(saves) != 200 {
		t.Fatalf("%d saves prepared", len(saves))
	}

	type ack struct {
		save
		version int
	}
	var mu sync.Mutex
	var acked []ack
	var nAcked atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, sv := range saves {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			body, _ := json.Marshal(map[string]any{"value": sv.value, "version": 0})
			req, _ := http.NewRequest(http.MethodPut, fmt.Sprintf("%sapi/v1/assessments/%d/answers/%s", p.url, sv.aid, sv.indicator), bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+sv.token)
			resp, err := client.Do(req)
			if err != nil {
				return // not acknowledged
			}
			defer resp.Body.Close()
			var out struct{ Version int }
			if resp.StatusCode/100 == 2 && json.NewDecoder(resp.Body).Decode(&out) == nil {
				mu.Lock()
				acked = append(acked, ack{sv, out.Version})
				mu.Unlock()
				nAcked.Add(1)
			}
		}()
	}
	close(start)
	// Kill the server mid-stream: once some saves are acknowledged, while
	// others are in flight.
	deadline := time.Now().Add(20 * time.Second)
	for nAcked.Load() < 40 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	p.kill(t)
	wg.Wait()
	t.Logf("%d of %d saves acknowledged before kill -9", len(acked), len(saves))
	if len(acked) == 0 || len(acked) == len(saves) {
		t.Fatalf("the kill did not land mid-stream (%d acknowledged)", len(acked))
	}
	waitNoPostgres(t, dataDir)

	q := startServe(t, "--data-dir", dataDir)
	defer q.term(t)
	pool, err = postgres.NewPool(ctx, dsn)
	must(err)
	defer pool.Close()
	missing := 0
	for _, a := range acked {
		var version int
		var value json.RawMessage
		err := pool.QueryRow(ctx, `SELECT version, value FROM answers WHERE assessment_id = $1 AND indicator = $2`, a.aid, a.indicator).Scan(&version, &value)
		want, _ := json.Marshal(a.value)
		if err != nil || version != a.version || !jsonEqual(value, want) {
			missing++
			t.Errorf("acknowledged save %d/%s (version %d, %s) lost: got %d %s %v", a.aid, a.indicator, a.version, want, version, value, err)
		}
	}
	// Scores were written in the same transactions as the answers.
	var inconsistent int
	must(pool.QueryRow(ctx, `SELECT count(*) FROM assessments x WHERE x.answered <> (SELECT count(*) FROM answers a WHERE a.assessment_id = x.id)`).Scan(&inconsistent))
	if inconsistent > 0 {
		t.Errorf("%d assessments whose stored score does not match their answers", inconsistent)
	}
	t.Logf("after restart: %d acknowledged saves checked, %d missing", len(acked), missing)
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return bytes.Equal(xb, yb)
}
