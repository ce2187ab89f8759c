// Package pgcluster runs a private PostgreSQL cluster from the server
// binaries installed on the machine: created on first use, started as a
// child process listening only on a Unix socket inside its directory, and
// stopped when its owner stops. It is what lets `make run` work with no
// database server to set up, and what gives every test process its own
// server.
//
// PostgreSQL refuses to run as root; when the caller is root the cluster runs
// as the `postgres` user (or a dedicated `dxindex-pg` user created on demand).
package pgcluster

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// SuperUser is the bootstrap role of a private cluster. Authentication is
// `trust`, which is safe because the only way in is the socket in a 0700
// directory owned by the server's user (and root).
const SuperUser = "dxindex"

// Options configure Start.
type Options struct {
	// Dir holds the cluster: Dir/pgdata (the data directory), Dir/pgsock
	// (the Unix socket) and Dir/postgres.log. Created when missing.
	Dir string
	// Database is created when missing. Default "dxindex".
	Database string
	// Ephemeral trades durability for speed (no fsync, no full-page
	// writes): for throwaway test clusters only, never for real data.
	Ephemeral bool
	// StartTimeout bounds the wait for the server to accept connections,
	// which includes crash recovery after an unclean stop. Default 2 min.
	StartTimeout time.Duration
	// Logger receives progress messages; nil discards them.
	Logger *slog.Logger
}

// Cluster is a running private PostgreSQL server.
type Cluster struct {
	opts    Options
	dataDir string
	sockDir string
	port    int
	cmd     *exec.Cmd     // nil when attached to a server another process owns
	exited  chan struct{} // closed when the owned server process has exited
	waitErr error
	logFile *os.File
}

// Start creates the cluster on first use, then starts it, or attaches to
// it when another process already runs it on the same directory. Two
// processes starting at once are serialised by a lock file; a stale
// postmaster.pid left by a killed process is detected and removed.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	if opts.Dir == "" {
		return nil, errors.New("pgcluster: no directory given")
	}
	if opts.Database == "" {
		opts.Database = "dxindex"
	}
	if opts.StartTimeout == 0 {
		opts.StartTimeout = 2 * time.Minute
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("pgcluster: %w", err)
	}
	opts.Dir = dir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("pgcluster: create %s: %w", dir, err)
	}

	runAs, err := serverUser()
	if err != nil {
		return nil, err
	}
	if err := checkReachable(dir, runAs); err != nil {
		return nil, err
	}

	unlock, err := lockDir(ctx, filepath.Join(dir, "cluster.lock"))
	if err != nil {
		return nil, err
	}
	defer unlock()

	c := &Cluster{opts: opts, dataDir: filepath.Join(dir, "pgdata"), port: 5432}
	c.sockDir = socketDir(dir)

	if err := c.initIfNeeded(ctx, runAs); err != nil {
		return nil, err
	}

	// A server may already run on this data directory (another dxindex
	// process owns it): attach instead of starting a second one, which
	// PostgreSQL would refuse anyway.
	if pid, sock, ok := readPidFile(c.dataDir); ok {
		if processAlive(pid) && isPostgres(pid) {
			if sock != "" {
				c.sockDir = sock
			}
			if err := c.waitReady(ctx, nil); err != nil {
				return nil, fmt.Errorf("pgcluster: a PostgreSQL server (pid %d) already runs on %s but does not accept connections: %w; stop it or wait for it to finish starting", pid, c.dataDir, err)
			}
			opts.Logger.Info("attached to the running private PostgreSQL cluster", "dir", dir, "pid", pid)
			if err := c.ensureDatabase(ctx); err != nil {
				return nil, err
			}
			return c, nil
		}
		// The pid file outlived its server (kill -9, power loss). The pid
		// may even have been reused by an unrelated process, which
		// PostgreSQL itself cannot always tell; we checked it is not a
		// postgres process, so the file is stale.
		opts.Logger.Warn("removing stale postmaster.pid", "pid", pid)
		if err := os.Remove(filepath.Join(c.dataDir, "postmaster.pid")); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("pgcluster: remove stale postmaster.pid: %w", err)
		}
	}
	if err := c.start(ctx, runAs); err != nil {
		return nil, err
	}
	if err := c.ensureDatabase(ctx); err != nil {
		_ = c.Stop(context.Background())
		return nil, err
	}
	return c, nil
}

// DSN returns the connection string for database on this cluster.
func (c *Cluster) DSN(database string) string {
	u := url.URL{Scheme: "postgres", User: url.User(SuperUser), Path: "/" + database}
	q := url.Values{}
	q.Set("host", c.sockDir)
	q.Set("port", strconv.Itoa(c.port))
	u.RawQuery = q.Encode()
	return u.String()
}

// Owned reports whether this process started the server (and so stops it).
func (c *Cluster) Owned() bool { return c.cmd != nil }

// Stop shuts the server down if this process owns it: a fast shutdown
// (open transactions roll back, committed data is safe), then an immediate
// one and finally SIGKILL of its process group if it does not exit in time.
// Stopping an attached cluster does nothing.
func (c *Cluster) Stop(ctx context.Context) error {
	if c.cmd == nil {
		return nil
	}
	defer func() {
		if c.logFile != nil {
			c.logFile.Close()
		}
	}()
	steps := []struct {
		sig  syscall.Signal
		wait time.Duration
	}{
		{syscall.SIGINT, 30 * time.Second}, // fast shutdown
		{syscall.SIGQUIT, 5 * time.Second}, // immediate shutdown
		{syscall.SIGKILL, 5 * time.Second},
	}
	for _, s := range steps {
		select {
		case <-c.exited:
			return nil
		default:
		}
		if s.sig == syscall.SIGKILL {
			// The whole process group: backends too.
			_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
		} else {
			_ = c.cmd.Process.Signal(s.sig)
		}
		t := time.NewTimer(s.wait)
		select {
		case <-c.exited:
			t.Stop()
			c.opts.Logger.Info("private PostgreSQL cluster stopped", "dir", c.opts.Dir)
			return nil
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			// The caller is out of time: do not leave a server behind.
			_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
			<-c.exited
			return ctx.Err()
		}
	}
	return errors.New("pgcluster: server did not stop")
}

func (c *Cluster) initIfNeeded(ctx context.Context, runAs *osUser) error {
	if v, err := os.ReadFile(filepath.Join(c.dataDir, "PG_VERSION")); err == nil {
		_ = v
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("pgcluster: %w", err)
	}
	if entries, err := os.ReadDir(c.dataDir); err == nil && len(entries) > 0 {
		return fmt.Errorf("pgcluster: %s exists but is not a PostgreSQL data directory (no PG_VERSION); move it away", c.dataDir)
	}
	bin, err := FindBinaries("")
	if err != nil {
		return err
	}
	// initdb into a temporary directory and rename it into place, so an
	// interrupted first start never leaves a half-made data directory.
	tmp := c.dataDir + ".init"
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	if err := mkdirOwned(tmp, 0o700, runAs); err != nil {
		return err
	}
	args := []string{"-D", tmp, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"}
	if c.opts.Ephemeral {
		args = append(args, "--no-sync")
	}
	c.opts.Logger.Info("creating the private PostgreSQL cluster", "dir", c.dataDir, "bin", bin)
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), args...)
	cmd.Env = childEnv()
	cmd.Dir = tmp
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL, Credential: runAs.credential()}
	out, err := cmd.CombinedOutput()
	if err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("pgcluster: initdb failed: %w\n%s", err, out)
	}
	if err := os.Rename(tmp, c.dataDir); err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	return nil
}

func (c *Cluster) start(ctx context.Context, runAs *osUser) error {
	ver, err := os.ReadFile(filepath.Join(c.dataDir, "PG_VERSION"))
	if err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	bin, err := FindBinaries(strings.TrimSpace(string(ver)))
	if err != nil {
		return err
	}
	if err := mkdirOwned(c.sockDir, 0o700, runAs); err != nil {
		return err
	}
	// A socket lock file survives a kill -9 of the server; it names a dead
	// pid and would make the new server refuse the socket directory.
	_ = os.Remove(filepath.Join(c.sockDir, fmt.Sprintf(".s.PGSQL.%d.lock", c.port)))

	logPath := filepath.Join(c.opts.Dir, "postgres.log")
	if fi, err := os.Stat(logPath); err == nil && fi.Size() > 10<<20 {
		_ = os.Rename(logPath, logPath+".1")
	}
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o640)
	if err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	args := []string{
		"-D", c.dataDir,
		"-k", c.sockDir,
		"-p", strconv.Itoa(c.port),
		"-c", "listen_addresses=",
		"-c", "unix_socket_permissions=0700",
	}
	if c.opts.Ephemeral {
		args = append(args, "-F", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	cmd := exec.Command(filepath.Join(bin, "postgres"), args...)
	cmd.Env = childEnv()
	cmd.Dir = c.dataDir
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	// Own process group: a Ctrl-C in the terminal reaches dxindex only,
	// which then stops the server in order. Pdeathsig: if dxindex dies
	// (kill -9), the kernel tells the postmaster to shut down at once, so
	// no orphaned server survives it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGQUIT, Credential: runAs.credential()}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return fmt.Errorf("pgcluster: start postgres: %w", err)
	}
	c.cmd = cmd
	c.logFile = logFile
	c.exited = make(chan struct{})
	go func() {
		c.waitErr = cmd.Wait()
		close(c.exited)
	}()
	t0 := time.Now()
	if err := c.waitReady(ctx, c.exited); err != nil {
		_ = c.Stop(context.Background())
		return fmt.Errorf("pgcluster: PostgreSQL did not start: %w\nlast lines of %s:\n%s", err, logPath, tail(logPath, 15))
	}
	c.opts.Logger.Info("private PostgreSQL cluster started", "dir", c.opts.Dir, "pid", cmd.Process.Pid, "took", time.Since(t0).Round(time.Millisecond))
	return nil
}

// waitReady polls until the server accepts a connection, the server
// process exits (exited closed), or the start timeout passes.
func (c *Cluster) waitReady(ctx context.Context, exited <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(ctx, c.opts.StartTimeout)
	defer cancel()
	var last error
	for {
		cctx, ccancel := context.WithTimeout(ctx, 2*time.Second)
		conn, err := pgx.Connect(cctx, c.DSN("postgres"))
		ccancel()
		if err == nil {
			err = conn.Ping(ctx)
			conn.Close(context.Background())
			if err == nil {
				return nil
			}
		}
		last = err
		select {
		case <-exited:
			return fmt.Errorf("the server exited (%v)", c.waitErr)
		case <-ctx.Done():
			return fmt.Errorf("%w (last error: %v)", ctx.Err(), last)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (c *Cluster) ensureDatabase(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, c.DSN("postgres"))
	if err != nil {
		return fmt.Errorf("pgcluster: connect: %w", err)
	}
	defer conn.Close(context.Background())
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, c.opts.Database).Scan(&exists); err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{c.opts.Database}.Sanitize())
	var pgErr interface{ SQLState() string }
	if errors.As(err, &pgErr) && pgErr.SQLState() == "42P04" { // created meanwhile by an attached process
		return nil
	}
	if err != nil {
		return fmt.Errorf("pgcluster: create database %s: %w", c.opts.Database, err)
	}
	return nil
}

// socketDir is Dir/pgsock unless that path is too long for a Unix socket
// address (108 bytes with the file name), in which case a short directory
// under /tmp named after a hash of Dir is used.
func socketDir(dir string) string {
	d := filepath.Join(dir, "pgsock")
	if len(d)+len("/.s.PGSQL.5432") < 100 {
		return d
	}
	sum := sha256.Sum256([]byte(dir))
	return filepath.Join(os.TempDir(), "dxindex-pg-"+hex.EncodeToString(sum[:6]))
}

// readPidFile reads the server pid and socket directory from
// postmaster.pid (lines 1 and 5, see PostgreSQL's pidfile.h).
func readPidFile(dataDir string) (pid int, sockDir string, ok bool) {
	f, err := os.Open(filepath.Join(dataDir, "postmaster.pid"))
	if err != nil {
		return 0, "", false
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() && len(lines) < 6 {
		lines = append(lines, sc.Text())
	}
	if len(lines) == 0 {
		return 0, "", true // empty file: a server crashed while writing it
	}
	pid, _ = strconv.Atoi(strings.TrimSpace(lines[0]))
	if len(lines) >= 5 {
		sockDir = strings.TrimSpace(lines[4])
	}
	return pid, sockDir, true
}

func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// isPostgres reports whether pid runs a postgres binary (not a process
// that reused a dead server's pid).
func isPostgres(pid int) bool {
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	if err != nil {
		// Without /proc we cannot tell; trust the pid file.
		return true
	}
	return filepath.Base(strings.TrimSuffix(exe, " (deleted)")) == "postgres"
}

// childEnv is the environment of initdb and postgres: only what they need,
// so nothing of the caller's (PGHOST, PGDATA, …) changes their behaviour.
func childEnv() []string {
	env := []string{"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "LC_ALL=C.UTF-8"}
	if tz := os.Getenv("TZ"); tz != "" {
		env = append(env, "TZ="+tz)
	}
	return env
}

func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
