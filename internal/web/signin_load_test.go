package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSignInLoad measures sign-in under load (issue 18, item 6): 500
// principals signing in over 15 s through a real HTTP server, then 150 at
// the same instant. It reports latency percentiles and the process's peak
// resident memory; it asserts p99 < 2 s for the spread load and that the
// burst adds no more than 300 MiB (150 unbounded argon2id hashes would add
// 2.8 GiB), answering each sign-in 200 or, past the hasher's queue, 503
// with Retry-After. Opt in with DXINDEX_SIGNIN_LOAD=1: it takes about 20 s of both
// cores.
func TestSignInLoad(t *testing.T) {
	if os.Getenv("DXINDEX_SIGNIN_LOAD") == "" {
		t.Skip("set DXINDEX_SIGNIN_LOAD=1 to run the sign-in load measurement")
	}
	w := newWorld(t)
	ctx := context.Background()
	const n = 650
	// Principals share one stored hash (of "password-ht.a1"): making 650
	// hashes is not what is measured.
	if _, err := w.pool.Exec(ctx, `
		INSERT INTO users (username, display_name, role, unit_id, password_hash)
		SELECT 'load.' || i, 'Hiệu trưởng ' || i, 'school', u.unit_id, u.password_hash
		FROM generate_series(1, $1) i, (SELECT unit_id, password_hash FROM users WHERE username = 'ht.a1') u`, n); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(w.srv.Handler())
	defer hs.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 200}, Timeout: 30 * time.Second}
	signIn := func(i int) (time.Duration, int) {
		body := fmt.Sprintf(`{"username":"load.%d","password":"password-ht.a1"}`, i)
		t0 := time.Now()
		resp, err := client.Post(hs.URL+"/api/v1/auth/login", "application/json", strings.NewReader(body))
		if err != nil {
			t.Errorf("sign-in %d: %v", i, err)
			return time.Since(t0), 0
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") == "" {
			t.Errorf("sign-in %d: 503 without Retry-After", i)
		}
		return time.Since(t0), resp.StatusCode
	}
	run := func(name string, count int, spread time.Duration, first int, busyOK bool) []time.Duration {
		hwm0 := peakRSS(t)
		var mu sync.Mutex
		var lat []time.Duration
		codes := map[int]int{}
		var wg sync.WaitGroup
		start := time.Now()
		for i := 0; i < count; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				if spread > 0 {
					time.Sleep(time.Until(start.Add(spread * time.Duration(i) / time.Duration(count))))
				}
				d, code := signIn(first + i)
				mu.Lock()
				lat = append(lat, d)
				codes[code]++
				mu.Unlock()
			}(i)
		}
		wg.Wait()
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		pct := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))].Round(time.Millisecond) }
		hwm1 := peakRSS(t)
		t.Logf("%s: %d sign-ins in %v: p50 %v, p90 %v, p99 %v, max %v; answers %v; peak RSS %d MiB (+%d MiB)",
			name, count, time.Since(start).Round(time.Millisecond), pct(0.5), pct(0.9), pct(0.99), pct(1), codes, hwm1>>20, (hwm1-hwm0)>>20)
		// A burst beyond the hasher's queue may be told to come back
		// (503 + Retry-After); nothing else may fail.
		if codes[http.StatusOK] != count && (!busyOK || codes[http.StatusOK]+codes[http.StatusServiceUnavailable] != count) {
			t.Errorf("%s: answers %v", name, codes)
		}
		return lat
	}
	lat := run("500 over 15 s", 500, 15*time.Second, 1, false)
	if p99 := lat[int(0.99*float64(len(lat)-1))]; p99 >= 2*time.Second {
		t.Errorf("p99 %v, want < 2 s", p99)
	}
	before := peakRSS(t)
	run("150 at once", 150, 0, 501, true)
	if grew := peakRSS(t) - before; grew > 300<<20 {
		t.Errorf("150 simultaneous sign-ins raised peak memory by %d MiB", grew>>20)
	}
}

// peakRSS is the process's peak resident memory (VmHWM), in bytes.
func peakRSS(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status")
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
			return kb << 10
		}
	}
	return 0
}
