package setstore

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/internal/setstore/setview"
)

// TestMain gives the store tests a private PostgreSQL; it starts only
// when a test first asks for a database.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func mustShipped(t testing.TB, code string) *indicators.Set {
	t.Helper()
	s, err := indicators.ShippedSet(code)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// revised returns a copy of a shipped set with another version or name.
func revised(t *testing.T, code, version, nameEN string) *indicators.Set {
	t.Helper()
	b, err := json.Marshal(mustShipped(t, code))
	if err != nil {
		t.Fatal(err)
	}
	s, err := indicators.Parse("copy.json", b)
	if err != nil {
		t.Fatal(err)
	}
	s.Version, s.Name.EN = version, nameEN
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	return s
}

func mustSaveCtx(t *testing.T, db postgres.DBTX, set *indicators.Set, want setview.SaveOutcome) int64 {
	t.Helper()
	id, got, err := Save(context.Background(), db, set)
	if err != nil {
		t.Fatalf("save %s %s: %v", set.Code, set.Version, err)
	}
	if got != want {
		t.Fatalf("save %s %s: %s, want %s", set.Code, set.Version, got, want)
	}
	return id
}

func TestStoreSaveGetLatestList(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	for _, s := range indicators.Shipped() {
		if _, out, err := Save(ctx, pool, s); err != nil || out != setview.SaveCreated {
			t.Fatalf("save %s: %s, %v", s.Code, out, err)
		}
	}
	// The same content again is a no-op.
	id1, out, err := Save(ctx, pool, mustShipped(t, "moet-4725"))
	if err != nil || out != setview.SaveUnchanged {
		t.Fatalf("re-save: %s, %v", out, err)
	}

	got, err := Get(ctx, pool, "moet-4725", "2022.1")
	if err != nil {
		t.Fatal(err)
	}
	want, sum, _ := indicators.Canonical(mustShipped(t, "moet-4725"))
	again, _, _ := indicators.Canonical(got.Set)
	if string(again) != string(want) || got.SHA256 != sum || got.ID != id1 || got.LockedAt != nil {
		t.Fatalf("stored set differs: id %d/%d sha %s/%s locked %v", got.ID, id1, got.SHA256, sum, got.LockedAt)
	}
	if got.Name.VI != "Bộ chỉ số đánh giá mức độ chuyển đổi số của cơ sở giáo dục phổ thông và giáo dục thường xuyên" || got.Assessed != "school" {
		t.Errorf("columns: %+v", got)
	}
	// A stored set scores exactly like the shipped one.
	answers := map[string]indicators.Answer{}
	for _, ind := range got.Set.Indicators() {
		switch ind.Type {
		case indicators.TypeBoolean:
			answers[ind.Code] = indicators.BoolAnswer(true)
		case indicators.TypeChoice:
			answers[ind.Code] = indicators.ChoiceAnswer(ind.Options[len(ind.Options)-1].Code)
		case indicators.TypeMulti:
			answers[ind.Code] = indicators.MultiAnswer(ind.Options[0].Code)
		default:
			answers[ind.Code] = indicators.NumberAnswer(100)
		}
	}
	r, err := indicators.Score(got.Set, "primary", answers)
	w, werr := indicators.Score(mustShipped(t, "moet-4725"), "primary", answers)
	if err != nil || werr != nil || !reflect.DeepEqual(r, w) {
		t.Errorf("a stored set scores unlike the shipped one: %+v %v, want %+v %v", r, err, w, werr)
	}

	rev := revised(t, "moet-4725", "2023.1", "revised")
	mustSaveCtx(t, pool, rev, setview.SaveCreated)
	latest, err := Latest(ctx, pool, "moet-4725")
	if err != nil || latest.Version != "2023.1" || latest.Set.Name.EN != "revised" {
		t.Fatalf("latest: %+v, %v", latest, err)
	}

	list, err := List(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, s := range list {
		keys = append(keys, s.Code+" "+s.Version)
		if s.Set != nil {
			t.Errorf("List returns content")
		}
	}
	if strings.Join(keys, ", ") != "example 1, moet-4725 2023.1, moet-4725 2022.1, moet-agency 2024.1-provisional" {
		t.Errorf("list: %v", keys)
	}
	if !list[3].Provisional || list[3].Assessed != "agency" {
		t.Errorf("moet-agency columns: %+v", list[3])
	}
}

func TestStoreImmutable(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	mustSaveCtx(t, pool, revised(t, "example", "1", "v1"), setview.SaveCreated)
	// Before any campaign uses it, a version may still change.
	mustSaveCtx(t, pool, revised(t, "example", "1", "v1 corrected"), setview.SaveUpdated)
	if err := Lock(ctx, pool, "example", "1"); err != nil {
		t.Fatal(err)
	}
	if err := Lock(ctx, pool, "example", "1"); err != nil {
		t.Fatalf("locking twice: %v", err)
	}
	mustSaveCtx(t, pool, revised(t, "example", "1", "v1 corrected"), setview.SaveUnchanged)

	_, _, err := Save(ctx, pool, revised(t, "example", "1", "v1 changed again"))
	if !errors.Is(err, indicators.ErrImmutable) || !errors.Is(err, errkind.Conflict) || !strings.Contains(err.Error(), "example 1 (save the revision as a new version)") {
		t.Fatalf("err = %v, want indicators.ErrImmutable", err)
	}
	got, _ := Get(ctx, pool, "example", "1")
	if got.Set.Name.EN != "v1 corrected" || got.LockedAt == nil {
		t.Fatalf("locked content changed: %q, locked %v", got.Set.Name.EN, got.LockedAt)
	}
	// The database refuses it too, whoever writes.
	for _, q := range []string{
		`UPDATE indicator_sets SET content = jsonb_set(content, '{name,en}', '"sneaky"') WHERE code = 'example'`,
		`UPDATE indicator_sets SET locked_at = NULL WHERE code = 'example'`,
		`DELETE FROM indicator_sets WHERE code = 'example'`,
	} {
		if _, err := pool.Exec(ctx, q); err == nil || !strings.Contains(err.Error(), "is used by a campaign") {
			t.Errorf("%s: err = %v", q, err)
		}
	}
	// A revision is a new version.
	mustSaveCtx(t, pool, revised(t, "example", "2", "v2"), setview.SaveCreated)
}

func TestStoreErrors(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	if _, err := Get(ctx, pool, "nope", "1"); !errors.Is(err, indicators.ErrNotFound) || !errors.Is(err, errkind.NotFound) || !strings.Contains(err.Error(), "no stored set nope 1") {
		t.Errorf("Get: %v", err)
	}
	if _, err := Latest(ctx, pool, "nope"); !errors.Is(err, indicators.ErrNotFound) {
		t.Errorf("Latest: %v", err)
	}
	if err := Lock(ctx, pool, "nope", "1"); !errors.Is(err, indicators.ErrNotFound) {
		t.Errorf("Lock: %v", err)
	}
	bad := &indicators.Set{Code: "m", Version: "1", Name: indicators.Text{VI: "m"}} // no groups, no levels
	if _, _, err := Save(ctx, pool, bad); !errors.Is(err, indicators.ErrInvalidSet) {
		t.Errorf("saving an invalid set: %v", err)
	}
	if list, _ := List(ctx, pool); len(list) != 0 {
		t.Errorf("an invalid set was stored")
	}

	// Save takes part in the caller's transaction.
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Save(ctx, tx, mustShipped(t, "example")); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := Get(ctx, pool, "example", "1"); !errors.Is(err, indicators.ErrNotFound) {
		t.Errorf("a rolled-back save is visible: %v", err)
	}
}
