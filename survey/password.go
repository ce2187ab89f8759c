package survey

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/dxindex/dxindex/survey/model"
	"golang.org/x/crypto/argon2"
)

// argon2id parameters: OWASP's minimum for argon2id (19 MiB, 2 passes, 1
// lane), about 30 ms a hash on this machine class: slow for an attacker
// with a stolen table, fast enough for a sign-in.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// hashGate bounds how many argon2id computations run at once. Each takes
// argonMemory (19 MiB) for its duration: unbounded, 150 parallel sign-ins
// took a server to 2.7 GB. With one slot per core the hashes still use
// every core, memory stays at slots × 19 MiB, and the rest wait their
// turn. Sign-ins (bounded) may queue only so deep and so long, then are
// refused with ErrBusy (503 + Retry-After) rather than piling up; setting
// a password (an admin or the user themselves, never a storm) just waits.
type hashGate struct {
	slots    chan struct{}
	waiting  atomic.Int64
	maxQueue int64
	maxWait  time.Duration
	inUse    atomic.Int64 // hashes running now, and the most seen (tests)
	peak     atomic.Int64
}

func newHashGate(slots, maxQueue int, maxWait time.Duration) *hashGate {
	if slots < 1 {
		slots = 1
	}
	return &hashGate{slots: make(chan struct{}, slots), maxQueue: int64(maxQueue), maxWait: maxWait}
}

// hashing is the process's gate: one per process, since the memory it
// bounds is the process's. A queue of 32 a slot drains in about 1 s at
// ~30 ms a hash; waiting longer than maxWait means the server is
// overloaded, not merely busy.
var hashing atomic.Pointer[hashGate]

func init() {
	n := runtime.GOMAXPROCS(0)
	hashing.Store(newHashGate(n, 32*n, 2*time.Second))
}

// LimitHashing replaces the hash gate (slots running at once, how many
// sign-ins may wait, how long each may wait) and returns a function that
// restores the previous one: for tests and load runs.
func LimitHashing(slots, maxQueue int, maxWait time.Duration) (restore func()) {
	old := hashing.Swap(newHashGate(slots, maxQueue, maxWait))
	return func() { hashing.Store(old) }
}

// PeakHashing is the most argon2id computations seen running at once
// since the gate was made (tests and load runs check the bound with it).
func PeakHashing() int { return int(hashing.Load().peak.Load()) }

// acquire waits for a slot. bounded: refuse with ErrBusy when the queue
// is full or the wait exceeds maxWait; otherwise wait as long as ctx.
func (g *hashGate) acquire(ctx context.Context, bounded bool) (release func(), err error) {
	select {
	case g.slots <- struct{}{}:
		return g.enter(), nil
	default:
	}
	if bounded {
		if g.waiting.Add(1) > g.maxQueue {
			g.waiting.Add(-1)
			return nil, model.ErrBusy
		}
		defer g.waiting.Add(-1)
	}
	var timeout <-chan time.Time
	if bounded {
		t := time.NewTimer(g.maxWait)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case g.slots <- struct{}{}:
		return g.enter(), nil
	case <-timeout:
		return nil, model.ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (g *hashGate) enter() func() {
	n := g.inUse.Add(1)
	for {
		p := g.peak.Load()
		if n <= p || g.peak.CompareAndSwap(p, n) {
			break
		}
	}
	return func() {
		g.inUse.Add(-1)
		<-g.slots
	}
}

// hashPasswordCtx hashes a new password, waiting for the gate as long as
// ctx allows.
func hashPasswordCtx(ctx context.Context, password string) (string, error) {
	release, err := hashing.Load().acquire(ctx, false)
	if err != nil {
		return "", err
	}
	defer release()
	return hashPassword(password)
}

// checkPasswordCtx verifies a password through the gate. bounded is for
// sign-ins: they may be refused with ErrBusy.
func checkPasswordCtx(ctx context.Context, hash, password string, bounded bool) (bool, error) {
	release, err := hashing.Load().acquire(ctx, bounded)
	if err != nil {
		return false, err
	}
	defer release()
	return checkPassword(hash, password)
}

// hashPassword returns a PHC-format argon2id hash of password. Callers
// other than tests go through hashPasswordCtx, which bounds concurrency.
func hashPassword(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// checkPassword reports whether password matches the PHC hash, in
// constant time (callers go through checkPasswordCtx). Parameters come from the hash, so raising them later
// still verifies old hashes.
func checkPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("survey: unsupported password hash")
	}
	var version int
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errors.New("survey: unsupported argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, errors.New("survey: malformed password hash")
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false, errors.New("survey: malformed password hash")
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// passwordProblem returns what is wrong with a new password, or "".
func passwordProblem(password, username string) (vi, en string) {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLength:
		return fmt.Sprintf("Mật khẩu cần ít nhất %d ký tự.", MinPasswordLength), fmt.Sprintf("a password needs at least %d characters", MinPasswordLength)
	case n > 200:
		return "Mật khẩu dài quá 200 ký tự.", "a password is at most 200 characters"
	case strings.EqualFold(password, username):
		return "Mật khẩu không được trùng tên đăng nhập.", "the password must differ from the username"
	case isCommonPassword(password):
		return "Mật khẩu này nằm trong danh sách mật khẩu phổ biến mà kẻ tấn công thử đầu tiên. Hãy chọn mật khẩu khác, ví dụ một câu ngắn dễ nhớ.",
			"this password is on the list of common passwords that attackers try first; choose another, e.g. a short sentence you can remember"
	}
	return "", ""
}
