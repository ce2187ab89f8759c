package composite

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestCodeSetFirstDuplicate: on several cores, the first code that repeats
// an earlier one, and that earlier one, are the ones a plain map finds.
func TestCodeSetFirstDuplicate(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for round := range 40 {
		n := 1 + r.IntN(30000)
		keys := make([]string, n)
		for i := range keys {
			keys[i] = fmt.Sprintf("S%07d", r.IntN(4*n))
		}
		if round%3 == 0 { // unique
			for i := range keys {
				keys[i] = fmt.Sprintf("U%d", i)
			}
		}
		wantI, wantJ, wantDup := 0, 0, false
		seen := map[string]int{}
		for j, k := range keys {
			if i, ok := seen[k]; ok {
				wantI, wantJ, wantDup = i, j, true
				break
			}
			seen[k] = j
		}
		for _, workers := range []int{1, 2, 3, 8} {
			c := newCodeSet(keys)
			c.hash(0, n/2)
			c.hash(n/2, n)
			i, j, dup := c.firstDuplicate(workers)
			if dup != wantDup || (dup && (i != wantI || j != wantJ)) {
				t.Fatalf("n=%d workers=%d: got %d, %d, %v; want %d, %d, %v", n, workers, i, j, dup, wantI, wantJ, wantDup)
			}
		}
	}
}

// TestParseDataDuplicateLarge: in a file parsed on several cores, a repeated
// uCode is reported at the line of its second appearance, naming the first.
func TestParseDataDuplicateLarge(t *testing.T) {
	mb, db := genData(20000, 4)
	m, err := ParseMeta(mb)
	if err != nil {
		t.Fatal(err)
	}
	// Unit S012345 (line 12346) appears again as the code of line 17001
	// (unit 17000), and S000007 again on line 19001: the first is reported.
	b := []byte(string(db))
	for _, c := range []struct {
		line int
		code string
	}{{17001, "S012345"}, {19001, "S000007"}} {
		start := 0
		for range c.line - 1 {
			start += bytes.IndexByte(b[start:], '\n') + 1
		}
		copy(b[start:], c.code)
	}
	_, err = ParseData(b, m)
	if err == nil {
		t.Fatal("no error for a repeated uCode")
	}
	if got, want := err.Error(), `line 17001, column uCode: "S012345" is already the code of the unit on line 12346`; got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
