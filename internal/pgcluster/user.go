package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// osUser is the account the server runs as; nil means the current one.
type osUser struct {
	name     string
	uid, gid uint32
}

func (u *osUser) credential() *syscall.Credential {
	if u == nil {
		return nil
	}
	return &syscall.Credential{Uid: u.uid, Gid: u.gid, NoSetGroups: true}
}

// dedicatedUser is created when dxindex runs as root on a machine without
// a `postgres` account.
const dedicatedUser = "dxindex-pg"

// serverUser returns the account to run PostgreSQL as: nil (ourselves)
// unless we are root, which PostgreSQL refuses.
func serverUser() (*osUser, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", dedicatedUser} {
		if u, err := lookupUser(name); err == nil {
			return u, nil
		}
	}
	out, err := exec.Command("useradd", "--system", "--user-group", "--no-create-home",
		"--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", dedicatedUser).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("pgcluster: PostgreSQL refuses to run as root and there is no `postgres` user; "+
			"creating the user %s failed: %v: %s", dedicatedUser, err, out)
	}
	return lookupUser(dedicatedUser)
}

func lookupUser(name string) (*osUser, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return nil, err
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("pgcluster: user %s has a non-numeric uid or gid", name)
	}
	return &osUser{name: name, uid: uint32(uid), gid: uint32(gid)}, nil
}

// checkReachable makes sure the server's user can enter dir: every parent
// must grant it search (x) permission, which private directories such as
// /root or a 0700 temp dir do not.
func checkReachable(dir string, u *osUser) error {
	if u == nil {
		return nil
	}
	for d := dir; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return fmt.Errorf("pgcluster: %w", err)
		}
		st := fi.Sys().(*syscall.Stat_t)
		mode := fi.Mode().Perm()
		ok := mode&0o001 != 0 ||
			(st.Uid == u.uid && mode&0o100 != 0) ||
			(st.Gid == u.gid && mode&0o010 != 0)
		if !ok {
			if d == dir {
				// Our own directory: open it up rather than fail.
				if err := os.Chmod(d, mode|0o055); err == nil {
					continue
				}
			}
			return fmt.Errorf("pgcluster: PostgreSQL refuses to run as root, so it runs as user %q, which cannot enter %s (mode %v); "+
				"choose a --data-dir whose parent directories others may enter (e.g. /var/lib/dxindex), or run `chmod o+x %s`", u.name, d, mode, d)
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}

// mkdirOwned creates dir (if missing) with perm, owned by u.
func mkdirOwned(dir string, perm os.FileMode, u *osUser) error {
	if err := os.MkdirAll(dir, perm); err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	if err := os.Chmod(dir, perm); err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	if u != nil {
		if err := os.Chown(dir, int(u.uid), int(u.gid)); err != nil {
			return fmt.Errorf("pgcluster: %w", err)
		}
	}
	return nil
}

// lockDir takes an exclusive flock on path, waiting while another process
// holds it (it is creating or starting the cluster). The kernel releases
// the lock if the process dies, so a crash never leaves it held.
func lockDir(ctx context.Context, path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("pgcluster: %w", err)
	}
	deadline := time.Now().Add(3 * time.Minute)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				f.Close()
			}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("pgcluster: lock %s: %w", path, err)
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("pgcluster: another process has held %s for 3 minutes; is a dxindex stuck starting?", path)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
