// Command dxload is dxindex's load generator: N principals sign in, save
// answers (at a realistic pace, or as fast as they can), attach evidence
// and submit, while M visitors read pages; it reports throughput and
// latency percentiles per endpoint and then checks in the database that
// every write acknowledged with a 2xx is there.
//
//	dxload --base http://127.0.0.1:8080 --database-url postgres://… --principals 500 --duration 60s
//
// With --pgbench it also runs PostgreSQL's pgbench (simple-update mode,
// same number of clients) on a scratch database of the same server, before
// the load and after it, so the two throughputs are measured in one run
// and the ratio is taken against the mean of pgbench's two.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5/pgxpool"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The load generator shares the machine with the server it measures:
	// collecting garbage less often leaves the server more CPU.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "dxload:", err)
		os.Exit(1)
	}
}

type config struct {
	base        string
	dbURL       string
	principals  int
	visitors    int
	duration    time.Duration
	pace        time.Duration
	visitorPath string
	pgbench     bool
	submit      bool
	ramp        time.Duration
}

func run(ctx context.Context, args []string, out io.Writer) error {
	var c config
	fs := flag.NewFlagSet("dxload", flag.ContinueOnError)
	fs.StringVar(&c.base, "base", "http://127.0.0.1:8080", "dxindex base URL")
	fs.StringVar(&c.dbURL, "database-url", os.Getenv("DATABASE_URL"), "the server's database (fixture and the final check)")
	fs.IntVar(&c.principals, "principals", 100, "concurrent principals saving answers")
	fs.IntVar(&c.visitors, "visitors", 10, "concurrent visitors reading pages")
	fs.DurationVar(&c.duration, "duration", 30*time.Second, "how long the load runs")
	fs.DurationVar(&c.pace, "pace", 2*time.Second, "mean pause between a principal's saves (0: as fast as possible)")
	fs.StringVar(&c.visitorPath, "visitor-paths", "/,/healthz", "comma-separated paths visitors read")
	fs.BoolVar(&c.pgbench, "pgbench", false, "also run pgbench -N with as many clients, on a scratch database")
	fs.BoolVar(&c.submit, "submit", true, "principals who answered everything submit")
	fs.DurationVar(&c.ramp, "ramp", 10*time.Second, "principals sign in spread over this time, as they do (0: all at once)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.dbURL == "" {
		return errors.New("--database-url is required (fixture and verification)")
	}
	pool, err := postgres.NewPool(ctx, c.dbURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	fx, err := fixture(ctx, pool, c.principals, out)
	if err != nil {
		return err
	}
	// pgbench runs before the load and after it, and the ratio is taken
	// against the mean of the two: a shared machine's speed drifts over
	// minutes, and one side measured only before or only after would
	// carry that drift into the ratio.
	var pb *pgbenchDB
	var tpsBefore float64
	if c.pgbench {
		if pb, err = newPgbench(ctx, c.dbURL); err != nil {
			return err
		}
		if tpsBefore, err = pb.run(ctx, c.principals, c.duration); err != nil {
			return err
		}
		checkpoint(ctx, pool)
	}
	st := newStats()
	tr := &http.Transport{MaxIdleConnsPerHost: c.principals + c.visitors, MaxConnsPerHost: 0}
	client := &http.Client{Timeout: 30 * time.Second, Transport: tr}
	lctx, cancel := context.WithTimeout(ctx, c.duration)
	defer cancel()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var acked []ack
	t0 := time.Now()
	for i := 0; i < c.principals; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if c.ramp > 0 {
				sleep(lctx, time.Duration(int64(c.ramp)*int64(i)/int64(c.principals)))
			}
			a := principal(lctx, client, c, fx, i, st, t0)
			mu.Lock()
			acked = append(acked, a...)
			mu.Unlock()
		}()
	}
	paths := strings.Split(c.visitorPath, ",")
	for i := 0; i < c.visitors; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			for lctx.Err() == nil {
				p := strings.TrimSpace(paths[rng.IntN(len(paths))])
				st.do(client, "GET "+p, mustReq(http.MethodGet, c.base+p, "", nil))
				sleep(lctx, 200*time.Millisecond)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(t0)
	st.report(out, elapsed)

	missing, err := verify(ctx, pool, acked)
	if err != nil {
		return err
	}
	saves := st.count("PUT answer", true)
	steady := elapsed - min(elapsed, c.ramp)
	fmt.Fprintf(out, "\nautosave throughput (steady state, after the ramp): %.0f saves/s (%d acknowledged in %v)\n", float64(saves)/steady.Seconds(), saves, steady.Round(time.Millisecond))
	fmt.Fprintf(out, "acknowledged writes checked in the database: %d, missing: %d\n", len(acked), missing)
	if c.pgbench {
		checkpoint(ctx, pool)
		tpsAfter, err := pb.run(ctx, c.principals, c.duration)
		if err != nil {
			return err
		}
		tps := (tpsBefore + tpsAfter) / 2
		fmt.Fprintf(out, "pgbench -N (simple update), %d clients: %.0f tps before the load, %.0f after, mean %.0f; autosave / pgbench = %.0f%%\n",
			c.principals, tpsBefore, tpsAfter, tps, 100*float64(saves)/steady.Seconds()/tps)
	}
	if missing > 0 {
		return fmt.Errorf("FAIL: %d acknowledged writes missing", missing)
	}
	fmt.Fprintln(out, "PASS: no acknowledged write missing")
	return nil
}

// fixtureData is what the principals act on.
type fixtureData struct {
	campaign    int64
	assessments []int64 // by principal
	usernames   []string
	indicators  []*indicators.Indicator
}

const loadCampaign = "Tải thử dxload"

// fixture creates (once) a province of load-test schools, a principal for
// each and a campaign on moet-4725 open until next year.
func fixture(ctx context.Context, pool *pgxpool.Pool, n int, out io.Writer) (*fixtureData, error) {
	svc := survey.NewService(pool)
	if _, err := postgres.Migrate(ctx, pool); err != nil {
		return nil, err
	}
	if _, err := svc.InstallShippedSets(ctx); err != nil {
		return nil, err
	}
	root := &model.Actor{Role: model.RoleAdmin}
	if _, err := svc.UnitByCode(ctx, "LOAD"); err != nil {
		if _, err := svc.CreateUnit(ctx, root, model.UnitInput{Code: "LOAD", Name: "Tỉnh tải thử", Kind: "province"}); err != nil {
			return nil, err
		}
		if _, err := svc.CreateUnit(ctx, root, model.UnitInput{Code: "LOAD-D", Name: "Huyện tải thử", Kind: "district", ParentCode: "LOAD"}); err != nil {
			return nil, err
		}
	}
	t0 := time.Now()
	for i := 0; i < n; i++ {
		code := fmt.Sprintf("LOAD-%05d", i)
		if _, err := svc.UnitByCode(ctx, code); err == nil {
			continue
		}
		if _, err := svc.CreateUnit(ctx, root, model.UnitInput{Code: code, Name: "Trường THCS tải thử " + code, Kind: "school", ParentCode: "LOAD-D", SchoolLevels: []string{"lower_secondary"}}); err != nil {
			return nil, err
		}
		if _, err := svc.CreateUserBootstrap(ctx, model.UserInput{Username: "load." + strings.ToLower(code), Role: model.RoleSchool, UnitCode: code, Password: "load-password-" + code}); err != nil {
			return nil, err
		}
	}
	var campaign int64
	err := pool.QueryRow(ctx, `SELECT id FROM campaigns WHERE name = $1 AND root_unit_id = (SELECT id FROM units WHERE code = 'LOAD-D')`, loadCampaign).Scan(&campaign)
	if err != nil {
		now := time.Now()
		c, err := svc.CreateCampaign(ctx, root, model.CampaignInput{Name: loadCampaign, SetCode: "moet-4725", RootUnitCode: "LOAD-D",
			OpensOn: now.AddDate(0, -1, 0), SelfDue: now.AddDate(1, 0, 0), ReviewDue: now.AddDate(1, 1, 0)})
		if err != nil {
			return nil, err
		}
		campaign = c.ID
	}
	fmt.Fprintf(out, "fixture: %d principals ready (%v)\n", n, time.Since(t0).Round(time.Millisecond))
	fx := &fixtureData{campaign: campaign}
	for i := 0; i < n; i++ {
		code := fmt.Sprintf("LOAD-%05d", i)
		var id int64
		if err := pool.QueryRow(ctx, `SELECT x.id FROM assessments x JOIN units u ON u.id = x.unit_id WHERE x.campaign_id = $1 AND u.code = $2`, campaign, code).Scan(&id); err != nil {
			return nil, fmt.Errorf("assessment of %s: %w (schools added after the campaign opened are not in it; use a fresh database)", code, err)
		}
		fx.assessments = append(fx.assessments, id)
		fx.usernames = append(fx.usernames, "load."+strings.ToLower(code))
	}
	set, err := indicators.ShippedSet("moet-4725")
	if err != nil {
		return nil, err
	}
	for _, ind := range set.Indicators() {
		if ind.AppliesToLevel("lower_secondary") {
			fx.indicators = append(fx.indicators, ind)
		}
	}
	return fx, nil
}

type ack struct {
	assessment int64
	indicator  string
	version    int
	value      []byte
}

// principal signs in and saves answers until the load ends.
func principal(ctx context.Context, client *http.Client, c config, fx *fixtureData, i int, st *stats, start time.Time) []ack {
	rng := rand.New(rand.NewPCG(uint64(i), 1))
	user := fx.usernames[i]
	code := strings.ToUpper(strings.TrimPrefix(user, "load."))
	body, _ := json.Marshal(map[string]string{"username": user, "password": "load-password-" + code})
	resp, ok := st.do(client, "POST login", mustReq(http.MethodPost, c.base+"/api/v1/auth/login", "", body))
	if !ok {
		return nil
	}
	var lr struct{ Token string }
	_ = json.Unmarshal(resp, &lr)
	aid := fx.assessments[i]
	resp, ok = st.do(client, "GET assessment", mustReq(http.MethodGet, fmt.Sprintf("%s/api/v1/assessments/%d", c.base, aid), lr.Token, nil))
	if !ok {
		return nil
	}
	var x struct {
		Status  string
		Answers map[string]struct{ Version int }
	}
	_ = json.Unmarshal(resp, &x)
	versions := map[string]int{}
	for k, v := range x.Answers {
		versions[k] = v.Version
	}
	var acked []ack
	answered := map[string]bool{}
	for ctx.Err() == nil && (x.Status == "draft" || x.Status == "returned") {
		ind := fx.indicators[rng.IntN(len(fx.indicators))]
		val, _ := json.Marshal(answerFor(ind, rng))
		body := fmt.Appendf(nil, `{"value":%s,"version":%d}`, val, versions[ind.Code])
		name := "PUT answer"
		if time.Since(start) < c.ramp {
			// Saves while others are still signing in (argon2 hashing
			// takes the CPU) are reported apart from the steady state.
			name = "PUT answer (ramp)"
		}
		resp, ok := st.do(client, name, mustReq(http.MethodPut, fmt.Sprintf("%s/api/v1/assessments/%d/answers/%s", c.base, aid, ind.Code), lr.Token, body))
		if ok {
			v := savedVersion(resp)
			versions[ind.Code] = v
			answered[ind.Code] = true
			acked = append(acked, ack{aid, ind.Code, v, val})
		}
		if c.submit && len(answered) == len(fx.indicators) {
			for _, ind := range fx.indicators {
				if ind.Evidence == "required" {
					ev, _ := json.Marshal(map[string]string{"url": "https://truong.example.edu.vn/minh-chung/" + ind.Code})
					st.do(client, "POST evidence", mustReq(http.MethodPost, fmt.Sprintf("%s/api/v1/assessments/%d/evidence/%s", c.base, aid, ind.Code), lr.Token, ev))
				}
			}
			if _, ok := st.do(client, "POST submit", mustReq(http.MethodPost, fmt.Sprintf("%s/api/v1/assessments/%d/submit", c.base, aid), lr.Token, nil)); ok {
				break
			}
		}
		if c.pace > 0 {
			// Exponential pauses: people do not type in lock-step.
			sleep(ctx, time.Duration(rng.ExpFloat64()*float64(c.pace)))
		}
	}
	return acked
}

// savedVersion reads "version" from a save's answer. The answer is large
// (the whole score) and dxload shares the CPU with the server it measures,
// so it looks for the one number it needs; any other shape is decoded.
func savedVersion(body []byte) int {
	const key = `"version":`
	if i := bytes.Index(body, []byte(key)); i >= 0 {
		rest := body[i+len(key):]
		n := 0
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if v, err := strconv.Atoi(string(rest[:n])); err == nil && n < len(rest) && (rest[n] == ',' || rest[n] == '}') {
			return v
		}
	}
	var sv struct{ Version int }
	_ = json.Unmarshal(body, &sv)
	return sv.Version
}

func answerFor(ind *indicators.Indicator, rng *rand.Rand) any {
	switch ind.Type {
	case indicators.TypeBoolean:
		return rng.IntN(4) > 0
	case indicators.TypeChoice:
		return ind.Options[rng.IntN(len(ind.Options))].Code
	case indicators.TypeMulti:
		return []string{ind.Options[rng.IntN(len(ind.Options))].Code}
	case indicators.TypePercent:
		return rng.IntN(101)
	}
	return rng.IntN(10)
}

func mustReq(method, url, token string, body []byte) *http.Request {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		panic(err) // the URLs are built here, from a checked base
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// verify checks that every acknowledged save is in the database: the
// answer exists with at least the acknowledged version, and with exactly
// the acknowledged value when the version is the same.
func verify(ctx context.Context, pool *pgxpool.Pool, acked []ack) (int, error) {
	latest := map[string]ack{}
	for _, a := range acked {
		k := fmt.Sprint(a.assessment, "/", a.indicator)
		if cur, ok := latest[k]; !ok || a.version > cur.version {
			latest[k] = a
		}
	}
	missing := 0
	for _, a := range latest {
		var version int
		var value []byte
		err := pool.QueryRow(ctx, `SELECT version, value FROM answers WHERE assessment_id = $1 AND indicator = $2`, a.assessment, a.indicator).Scan(&version, &value)
		if err != nil || version < a.version || (version == a.version && !sameJSON(value, a.value)) {
			missing++
		}
	}
	return missing, nil
}

func sameJSON(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return bytes.Equal(xb, yb)
}

// stats records latencies per endpoint.
type stats struct {
	mu   sync.Mutex
	lat  map[string][]time.Duration
	errs map[string]int
	code map[string]map[int]int
}

func newStats() *stats {
	return &stats{lat: map[string][]time.Duration{}, errs: map[string]int{}, code: map[string]map[int]int{}}
}

func (s *stats) do(client *http.Client, name string, req *http.Request) ([]byte, bool) {
	t0 := time.Now()
	resp, err := client.Do(req)
	var body []byte
	status := 0
	if err == nil {
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		status = resp.StatusCode
	}
	d := time.Since(t0)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.code[name] == nil {
		s.code[name] = map[int]int{}
	}
	s.code[name][status]++
	if err != nil || status/100 != 2 {
		s.errs[name]++
		return body, false
	}
	s.lat[name] = append(s.lat[name], d)
	return body, true
}

func (s *stats) count(name string, ok bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ok {
		return len(s.lat[name])
	}
	return s.errs[name]
}

func (s *stats) report(out io.Writer, elapsed time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.code))
	for n := range s.code {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintf(out, "\n%-16s %8s %8s %8s %8s %8s %8s  %s\n", "endpoint", "ok", "non-2xx", "req/s", "p50", "p95", "p99", "statuses")
	for _, n := range names {
		l := s.lat[n]
		sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
		pct := func(p float64) string {
			if len(l) == 0 {
				return "-"
			}
			return l[min(len(l)-1, int(p*float64(len(l))))].Round(100 * time.Microsecond).String()
		}
		fmt.Fprintf(out, "%-16s %8d %8d %8.1f %8s %8s %8s  %v\n", n, len(l), s.errs[n], float64(len(l))/elapsed.Seconds(), pct(0.50), pct(0.95), pct(0.99), s.code[n])
	}
}

// checkpoint flushes what one measured phase left dirty before the next
// starts, so that neither pays for the other's writes. It is best effort:
// a role that may not CHECKPOINT only makes the comparison noisier.
func checkpoint(ctx context.Context, pool *pgxpool.Pool) {
	_, _ = pool.Exec(ctx, `CHECKPOINT`)
}

// pgbenchDB is a scratch database of the same server, initialised for
// PostgreSQL's own benchmark.
type pgbenchDB struct {
	path string   // the pgbench binary
	conn []string // its connection flags
}

// newPgbench creates and initialises the scratch database (scale 10).
func newPgbench(ctx context.Context, dbURL string) (*pgbenchDB, error) {
	pool, err := postgres.NewPool(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	_, _ = pool.Exec(ctx, `DROP DATABASE IF EXISTS dxload_pgbench WITH (FORCE)`)
	if _, err := pool.Exec(ctx, `CREATE DATABASE dxload_pgbench`); err != nil {
		pool.Close()
		return nil, err
	}
	cfg := pool.Config().ConnConfig
	pool.Close()
	bench, err := exec.LookPath("pgbench")
	if err != nil {
		matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pgbench")
		if len(matches) == 0 {
			return nil, errors.New("pgbench not found")
		}
		bench = matches[len(matches)-1]
	}
	pb := &pgbenchDB{path: bench, conn: []string{"-h", cfg.Host, "-p", fmt.Sprint(cfg.Port), "-U", cfg.User}}
	if b, err := exec.CommandContext(ctx, bench, append(append([]string{"-i", "-q", "-s", "10"}, pb.conn...), "dxload_pgbench")...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pgbench -i: %v\n%s", err, b)
	}
	return pb, nil
}

// run runs pgbench in simple-update mode (-N) with clients clients for d
// and returns its transactions per second.
func (pb *pgbenchDB) run(ctx context.Context, clients int, d time.Duration) (float64, error) {
	args := append(append([]string{"-N", "-c", fmt.Sprint(clients), "-j", "2", "-T", fmt.Sprint(int(d.Seconds())), "-n"}, pb.conn...), "dxload_pgbench")
	b, err := exec.CommandContext(ctx, pb.path, args...).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("pgbench: %v\n%s", err, b)
	}
	m := regexp.MustCompile(`tps = ([0-9.]+)`).FindSubmatch(b)
	if m == nil {
		return 0, fmt.Errorf("pgbench output without tps:\n%s", b)
	}
	var tps float64
	fmt.Sscan(string(m[1]), &tps)
	return tps, nil
}
