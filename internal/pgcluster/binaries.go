package pgcluster

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// ErrNoBinaries is returned when no PostgreSQL server binaries are found.
var ErrNoBinaries = errors.New("pgcluster: PostgreSQL server binaries (initdb, postgres) not found; " +
	"install them with `apt-get install -y postgresql` (Debian/Ubuntu, as root), " +
	"or set PG_BIN to the directory that holds initdb and postgres, " +
	"or pass --database-url to use an existing server")

// FindBinaries returns the directory holding initdb and postgres. It looks,
// in order, at $PG_BIN, at PATH, at `pg_config --bindir`, and at
// /usr/lib/postgresql/*/bin (highest version first). When want is not empty
// (the PG_VERSION of an existing data directory) a directory of that major
// version is preferred, because a server refuses a data directory of another
// major version.
func FindBinaries(want string) (string, error) {
	var candidates []string
	if d := os.Getenv("PG_BIN"); d != "" {
		candidates = append(candidates, d)
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			candidates = append(candidates, filepath.Dir(real))
		}
		candidates = append(candidates, filepath.Dir(p))
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		candidates = append(candidates, strings.TrimSpace(string(out)))
	}
	candidates = append(candidates, debianBinDirs()...)

	var usable []string
	for _, d := range candidates {
		if isExecutable(filepath.Join(d, "initdb")) && isExecutable(filepath.Join(d, "postgres")) {
			usable = append(usable, d)
		}
	}
	if len(usable) == 0 {
		return "", ErrNoBinaries
	}
	if want != "" {
		for _, d := range usable {
			if v, err := ServerMajor(d); err == nil && v == want {
				return d, nil
			}
		}
		v, _ := ServerMajor(usable[0])
		return "", fmt.Errorf("pgcluster: the data directory was created by PostgreSQL %s but only PostgreSQL %s binaries were found (%s); "+
			"install PostgreSQL %s (apt-get install -y postgresql-%s) or upgrade the data directory with pg_upgrade", want, v, usable[0], want, want)
	}
	return usable[0], nil
}

// debianBinDirs lists /usr/lib/postgresql/N/bin, highest N first.
func debianBinDirs() []string {
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(matches, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(matches[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(matches[j])))
		return vi > vj
	})
	return matches
}

// ServerMajor returns the major version of the server in binDir ("15").
func ServerMajor(binDir string) (string, error) {
	out, err := exec.Command(filepath.Join(binDir, "postgres"), "--version").Output()
	if err != nil {
		return "", fmt.Errorf("pgcluster: %s/postgres --version: %w", binDir, err)
	}
	// "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
	fields := strings.Fields(string(out))
	if len(fields) < 3 {
		return "", fmt.Errorf("pgcluster: unexpected postgres --version output %q", out)
	}
	major, _, _ := strings.Cut(fields[2], ".")
	return major, nil
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}
