package survey

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestBatcher: every job added from many goroutines runs exactly once, in
// batches no larger than the take allows, with never more runners than
// the limit, and the runners stop when the queue is empty.
func TestBatcher(t *testing.T) {
	type job struct {
		n    int
		ran  atomic.Int32
		done chan struct{}
	}
	var active, maxActive, batches, maxBatch atomic.Int32
	b := &batcher[*job]{limit: 3, take: takeFirst[*job](5)}
	b.run = func(batch []*job) {
		raise(&maxActive, active.Add(1))
		raise(&maxBatch, int32(len(batch)))
		batches.Add(1)
		time.Sleep(time.Millisecond) // a round trip: lets jobs pile up
		for _, j := range batch {
			j.ran.Add(1)
			close(j.done)
		}
		active.Add(-1)
	}
	const jobs = 500
	all := make([]*job, jobs)
	var wg sync.WaitGroup
	for i := range all {
		all[i] = &job{n: i, done: make(chan struct{})}
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.add(all[i])
			<-all[i].done
		}()
	}
	wg.Wait()
	for _, j := range all {
		if j.ran.Load() != 1 {
			t.Fatalf("job %d ran %d times", j.n, j.ran.Load())
		}
	}
	if maxActive.Load() > 3 || maxBatch.Load() > 5 {
		t.Fatalf("%d runners at once (limit 3), a batch of %d (limit 5)", maxActive.Load(), maxBatch.Load())
	}
	if batches.Load() >= jobs {
		t.Errorf("%d batches for %d jobs: nothing was batched", batches.Load(), jobs)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		b.mu.Lock()
		running, left := b.running, len(b.pending)
		b.mu.Unlock()
		if running == 0 && left == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d runners still running, %d jobs left", running, left)
		}
		time.Sleep(time.Millisecond)
	}
}

// raise sets m to v when v is larger.
func raise(m *atomic.Int32, v int32) {
	for old := m.Load(); v > old && !m.CompareAndSwap(old, v); old = m.Load() {
	}
}

// takeFirst is a take that makes batches of at most n jobs, oldest first.
func takeFirst[J any](n int) func(pending []J) (batch, rest []J) {
	return func(pending []J) ([]J, []J) {
		k := min(n, len(pending))
		batch := append([]J(nil), pending[:k]...)
		rest := append(pending[:0], pending[k:]...)
		clear(pending[len(rest):])
		return batch, rest
	}
}
