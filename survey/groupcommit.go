package survey

import (
	"cmp"
	"context"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Group commit of saves: the saves that arrive while the groups in flight
// are busy wait for the next group, and a group pays one transaction, two
// pipelined round trips and one commit for all its saves (saveInTx).
// Nothing waits for a group to fill: a save that arrives when fewer than
// saveGroups groups are in flight starts at once, alone.

const (
	// maxSaveGroup bounds a group: its row locks are held until it commits.
	maxSaveGroup = 64
	// saveTimeout bounds a group's transaction. It does not follow any
	// one caller's context: a client that goes away must not cancel the
	// others' saves.
	saveTimeout = 30 * time.Second
)

// saveGroups is how many groups may be in flight at once: enough to keep
// every core busy while other groups wait on the database.
var saveGroups = 2 * runtime.GOMAXPROCS(0)

// saveCommitter queues saves and runs them as groups. Its zero value is
// ready.
type saveCommitter struct {
	mu      sync.Mutex
	pending []*saveJob
	running int // groups in flight, each run by one goroutine
	largest int // the largest group run so far (tests look)
}

// add queues a save and starts a group runner when fewer than saveGroups
// run. The save is finished (j.done closed) by a runner.
func (c *saveCommitter) add(s *Service, j *saveJob) {
	c.mu.Lock()
	c.pending = append(c.pending, j)
	start := c.running < saveGroups
	if start {
		c.running++
	}
	c.mu.Unlock()
	if start {
		go c.drain(s)
	}
}

// drain runs groups until the queue is empty.
func (c *saveCommitter) drain(s *Service) {
	for {
		c.mu.Lock()
		var group []*saveJob
		group, c.pending = takeSaves(c.pending)
		if len(group) == 0 {
			c.running--
			c.mu.Unlock()
			return
		}
		c.largest = max(c.largest, len(group))
		c.mu.Unlock()
		s.commitGroup(group)
	}
}

// takeSaves takes the next group, oldest first: at most maxSaveGroup
// saves, at most one per assessment (a second save to an assessment must
// see the first one's write, so it waits for the next group), and none
// whose caller has already gone (finished with its context's error).
func takeSaves(pending []*saveJob) (group, rest []*saveJob) {
	ids := make(map[int64]bool, min(len(pending), maxSaveGroup))
	rest = pending[:0]
	for _, j := range pending {
		switch {
		case j.ctx.Err() != nil:
			j.err = j.ctx.Err()
			close(j.done)
		case len(group) < maxSaveGroup && !ids[j.x.ID]:
			ids[j.x.ID] = true
			group = append(group, j)
		default:
			rest = append(rest, j)
		}
	}
	clear(pending[len(rest):])
	return group, rest
}

// commitGroup writes a group and finishes each of its saves. When the
// group's transaction fails (a statement, a score or the commit), nothing
// of it was written and each save is tried again alone on the same path,
// so that its own error, if any, is the one it reports.
func (s *Service) commitGroup(group []*saveJob) {
	err := s.writeGroup(group)
	if err != nil && len(group) > 1 {
		for _, j := range group {
			j.out, j.typed, j.err = nil, nil, nil
			s.commitGroup([]*saveJob{j})
		}
		return
	}
	for _, j := range group {
		if err != nil {
			j.out, j.typed, j.err = nil, nil, err
		}
		close(j.done)
	}
}

// writeGroup saves a group in one transaction, its assessments locked in
// id order (so two groups, or a group and a submission, never wait for
// each other in a cycle). The error returned is the group's: when it is
// not nil, nothing was committed.
func (s *Service) writeGroup(group []*saveJob) error {
	slices.SortFunc(group, func(a, b *saveJob) int { return cmp.Compare(a.x.ID, b.x.ID) })
	ctx, cancel := context.WithTimeout(context.WithoutCancel(group[0].ctx), saveTimeout)
	defer cancel()
	return s.inTx(ctx, func(tx pgx.Tx) error { return s.saveInTx(ctx, tx, group) })
}
