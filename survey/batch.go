package survey

import "sync"

// batcher runs the jobs that arrive together as batches: a job is added
// to the queue, and up to limit runners take batches from it until it is
// empty. Nothing waits for a batch to fill: a job that arrives when a
// runner is free starts at once, alone; under load the jobs that arrive
// while the runners are busy make the next batches. The save path uses it
// to pay two database round trips and one commit for many saves.
type batcher[J any] struct {
	limit int
	// take splits the queue into the next batch and the jobs left for
	// later, keeping their order; it may finish jobs it drops.
	take func(pending []J) (batch, rest []J)
	// run runs a batch and finishes each of its jobs.
	run func(batch []J)

	mu      sync.Mutex
	pending []J
	running int
}

// add queues a job and starts a runner when fewer than limit run.
func (b *batcher[J]) add(j J) {
	b.mu.Lock()
	b.pending = append(b.pending, j)
	start := b.running < b.limit
	if start {
		b.running++
	}
	b.mu.Unlock()
	if start {
		go b.drain()
	}
}

// drain runs batches until the queue is empty.
func (b *batcher[J]) drain() {
	for {
		b.mu.Lock()
		var batch []J
		batch, b.pending = b.take(b.pending)
		if len(batch) == 0 {
			b.running--
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		b.run(batch)
	}
}
