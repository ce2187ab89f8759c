package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dxindex/dxindex/internal/initgc"
	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/jackc/pgx/v5"
)

// TestMain doubles as the dxindex binary: with DXINDEX_TEST_BE_MAIN set the
// test executable runs main(), so end-to-end tests start real dxindex
// processes without a separate build.
func TestMain(m *testing.M) {
	if os.Getenv("DXINDEX_TEST_BE_MAIN") == "1" {
		main()
		return
	}
	initgc.Restore() // as main does
	os.Exit(pgtest.Main(m))
}

// runCLI runs dxindex in-process and returns its exit code and output.
func runCLI(t *testing.T, getenv map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, func(k string) string { return getenv[k] }, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestHelpAndUsageErrors(t *testing.T) {
	code, out, _ := runCLI(t, nil, "--help")
	if code != 0 {
		t.Fatalf("--help exit %d", code)
	}
	for _, c := range commands() {
		if !strings.Contains(out, "  "+c.name+" ") {
			t.Errorf("--help does not list %s", c.name)
		}
	}
	for _, f := range []string{"--data-dir", "--database-url", "--log-level", "--log-format"} {
		if !strings.Contains(out, f) {
			t.Errorf("--help does not list %s", f)
		}
	}
	for _, c := range commands() {
		code, out, _ := runCLI(t, nil, c.name, "--help")
		if code != 0 || !strings.Contains(out, "Usage: dxindex "+c.name) {
			t.Errorf("%s --help: exit %d, output %q", c.name, code, out)
		}
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--bogus"}, "unknown flag --bogus"},
		{[]string{"serve", "--bogus"}, "unknown flag --bogus"},
		{[]string{"migrate", "--nope=1"}, "unknown flag --nope"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"serve", "--addr", "nonsense"}, "invalid --addr"},
		{[]string{"serve", "--log-level", "loud"}, "invalid --log-level"},
		{[]string{"serve", "--log-format", "xml"}, "invalid --log-format"},
		{[]string{"serve", "--reminder-interval", "0s"}, "--reminder-interval must be positive"},
		{[]string{"serve", "--review-notice-delay", "-1m"}, "--review-notice-delay must be positive"},
		{[]string{"serve", "--database-url", "postgres://x:y@host:notaport/db"}, "invalid database URL"},
		{[]string{}, "Usage: dxindex"},
	}
	for _, c := range cases {
		code, out, errs := runCLI(t, nil, c.args...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", c.args, code, errs, c.want)
		}
		if len(c.args) > 0 && out != "" {
			t.Errorf("%v: printed on stdout: %q", c.args, out)
		}
	}
	code, out, _ = runCLI(t, nil, "version")
	if code != 0 || !strings.HasPrefix(out, "dxindex ") {
		t.Fatalf("version: exit %d, %q", code, out)
	}
}

// TestEnvironmentVariables: each global flag and --addr reads its
// environment variable, and a flag given on the command line wins.
func TestEnvironmentVariables(t *testing.T) {
	cases := []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"DXINDEX_LOG_LEVEL": "loud"}, []string{"serve"}, `invalid --log-level "loud"`},
		{map[string]string{"DXINDEX_LOG_FORMAT": "xml"}, []string{"migrate"}, `invalid --log-format "xml"`},
		{map[string]string{"DXINDEX_ADDR": "no-port"}, []string{"serve"}, `invalid --addr "no-port"`},
		{map[string]string{"DATABASE_URL": "postgres://h:bad/db"}, []string{"serve"}, "invalid database URL"},
		{nil, []string{"serve", "--data-dir", ""}, "--data-dir is empty"},
	}
	for _, c := range cases {
		code, _, errs := runCLI(t, c.env, c.args...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("env %v: exit %d, stderr %q; want %q", c.env, code, errs, c.want)
		}
	}
	// The flag overrides the environment.
	code, _, errs := runCLI(t, map[string]string{"DXINDEX_LOG_LEVEL": "loud"}, "version", "--log-level", "warn")
	if code != 0 {
		t.Fatalf("--log-level did not override DXINDEX_LOG_LEVEL: %d %s", code, errs)
	}
}

// TestServeInProcess: run() serves on port 0 until its context ends, then
// shuts down cleanly (exit 0).
func TestServeInProcess(t *testing.T) {
	url := pgtest.URL(t)
	ctx, cancel := context.WithCancel(context.Background())
	out := newLineWriter()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--database-url", url}, func(string) string { return "" }, strings.NewReader(""), out, io.Discard)
	}()
	base := out.waitURL(t, 30*time.Second)
	if code := get(t, base+"readyz"); code != 200 {
		t.Fatalf("/readyz = %d", code)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d after shutdown", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// TestServeLifecycle: a real dxindex process on a private cluster: cold
// start, kill -9, warm start with the data intact, SIGTERM with nothing
// left running.
func TestServeLifecycle(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	dataDir := reachableTempDir(t)

	t0 := time.Now()
	p := startServe(t, "--data-dir", dataDir)
	cold := time.Since(t0)
	if cold > 60*time.Second {
		t.Fatalf("cold start took %v", cold)
	}
	dsn := "postgres://dxindex@/dxindex?host=" + filepath.Join(dataDir, "pgsock")
	execSQL(t, dsn, `INSERT INTO app_settings (key, value) VALUES ('test.survives', '"yes"')`)

	// kill -9: the kernel tells the postmaster (Pdeathsig); no orphan.
	p.kill(t)
	waitNoPostgres(t, dataDir)

	t1 := time.Now()
	p = startServe(t, "--data-dir", dataDir)
	warm := time.Since(t1)
	if warm > 10*time.Second {
		t.Fatalf("warm start took %v", warm)
	}
	if code := get(t, p.url+"readyz"); code != 200 {
		t.Fatalf("/readyz after kill -9 and restart = %d", code)
	}
	var v string
	queryRow(t, dsn, `SELECT value->>0 FROM app_settings WHERE key = 'test.survives'`, &v)
	if v != "yes" {
		t.Fatalf("row lost across kill -9: %q", v)
	}
	// A second process on the same data dir attaches to the running
	// cluster rather than corrupting it.
	q := startServe(t, "--data-dir", dataDir)
	if code := get(t, q.url+"readyz"); code != 200 {
		t.Fatalf("second process on the same data dir: /readyz = %d", code)
	}
	q.term(t)
	if code := get(t, p.url+"readyz"); code != 200 {
		t.Fatalf("owner lost its database when the attached process stopped: %d", code)
	}
	p.term(t)
	waitNoPostgres(t, dataDir)
	t.Logf("cold start %v, warm start %v", cold.Round(time.Millisecond), warm.Round(time.Millisecond))
}

// TestTwoServesOneDatabase: two instances started at once against one
// database both become ready, and each migration is recorded once.
func TestTwoServesOneDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	url := pgtest.EmptyURL(t)
	var wg sync.WaitGroup
	procs := make([]*proc, 2)
	for i := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			procs[i] = startServe(t, "--database-url", url)
		}()
	}
	wg.Wait()
	for _, p := range procs {
		if p == nil {
			t.FailNow()
		}
		if code := get(t, p.url+"readyz"); code != 200 {
			t.Fatalf("%s/readyz = %d", p.url, code)
		}
	}
	all, _ := postgres.Migrations()
	var rows, distinct int
	queryRow(t, url, `SELECT count(*), count(DISTINCT name) FROM schema_migrations`, &rows, &distinct)
	if rows != len(all) || distinct != len(all) {
		t.Fatalf("schema_migrations has %d rows (%d distinct), want %d", rows, distinct, len(all))
	}
	for _, p := range procs {
		p.term(t)
	}
}

// --- helpers ---

type proc struct {
	cmd  *exec.Cmd
	url  string
	done chan error
	out  *lineWriter
}

func startServe(t *testing.T, args ...string) *proc {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), "DXINDEX_TEST_BE_MAIN=1", "DATABASE_URL=")
	out := newLineWriter()
	cmd.Stdout = out
	cmd.Stderr = out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, done: make(chan error, 1), out: out}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
	})
	select {
	case err := <-p.done:
		t.Fatalf("dxindex serve exited before it was ready: %v\n%s", err, out.String())
	default:
	}
	p.url = out.waitURL(t, 60*time.Second)
	return p
}

func (p *proc) kill(t *testing.T) {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

func (p *proc) term(t *testing.T) {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("dxindex exited with %v after SIGTERM\n%s", err, p.out.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatal("dxindex did not stop after SIGTERM")
	}
}

// lineWriter collects a process's output and finds the ready line.
type lineWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func newLineWriter() *lineWriter { return &lineWriter{} }

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *lineWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

var readyLine = regexp.MustCompile(`dxindex is ready at (http://\S+/)`)

func (w *lineWriter) waitURL(t *testing.T, limit time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		sc := bufio.NewScanner(strings.NewReader(w.String()))
		for sc.Scan() {
			if m := readyLine.FindStringSubmatch(sc.Text()); m != nil {
				return m[1]
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("not ready within %v:\n%s", limit, w.String())
	return ""
}

func get(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func execSQL(t *testing.T, dsn, sql string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql); err != nil {
		t.Fatal(err)
	}
}

func queryRow(t *testing.T, dsn, sql string, dest ...any) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if err := conn.QueryRow(context.Background(), sql).Scan(dest...); err != nil {
		t.Fatal(err)
	}
}

// reachableTempDir is a temporary directory the postgres user can enter
// (t.TempDir's parents are private to root).
func reachableTempDir(t *testing.T) string {
	t.Helper()
	base := "/dev/shm"
	if _, err := os.Stat(base); err != nil {
		base = os.TempDir()
	}
	dir, err := os.MkdirTemp(base, "dxsrv")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// waitNoPostgres waits until no postgres process serves dataDir.
func waitNoPostgres(t *testing.T, dataDir string) {
	t.Helper()
	pgdata := filepath.Join(dataDir, "pgdata")
	deadline := time.Now().Add(15 * time.Second)
	for {
		pids := postgresPIDs(pgdata)
		if len(pids) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("postgres processes of %s still running: %v", pgdata, pids)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func postgresPIDs(pgdata string) []string {
	entries, _ := os.ReadDir("/proc")
	var pids []string
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue
		}
		cmdline := strings.ReplaceAll(string(b), "\x00", " ")
		if strings.Contains(cmdline, "postgres") && strings.Contains(cmdline, pgdata) {
			pids = append(pids, fmt.Sprintf("%s: %s", e.Name(), cmdline))
		}
	}
	return pids
}
