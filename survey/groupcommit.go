package survey

import (
	"cmp"
	"context"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
)

// Group commit of saves: the saves that arrive while the groups in flight
// are busy wait for the next group, and a group pays two pipelined round
// trips for all its saves, the second of which commits (saveOnce).
// Nothing waits for a group to fill: a save that arrives when fewer than
// saveGroups groups are in flight starts at once, alone.

const (
	// maxSaveGroup bounds a group: its row locks are held until its write
	// batch commits.
	maxSaveGroup = 64
	// maxSaveReads bounds how often a save is judged again because its
	// assessment changed between the read and the write. Only another
	// writer of the same assessment at the same moment does that (a second
	// tab, an office's correction); it loses a race once, not five times.
	maxSaveReads = 5
	// saveTimeout bounds a group's round trips. It does not follow any
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
	mu       sync.Mutex
	pending  []*saveJob
	inFlight map[int64]bool // the assessments of the groups in flight
	running  int            // groups in flight, each run by one goroutine
	largest  int            // the largest group run so far (tests look)
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

// drain runs groups until the queue holds none that may run. A runner
// that finishes a group looks at the queue again before it stops, so the
// saves that waited for that group's assessments are taken.
func (c *saveCommitter) drain(s *Service) {
	var group []*saveJob
	for {
		c.mu.Lock()
		for _, j := range group {
			delete(c.inFlight, j.x.ID)
		}
		if c.inFlight == nil {
			c.inFlight = map[int64]bool{}
		}
		group, c.pending = takeSaves(c.pending, c.inFlight)
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

// takeSaves takes the next group, oldest first, and marks its assessments
// in flight: at most maxSaveGroup saves, none to an assessment already in
// flight, in this group or another (a second save to an assessment must
// see the first one's write, so it waits until that is committed, rather
// than race it and be judged again), and none whose caller has already
// gone (finished with its context's error).
func takeSaves(pending []*saveJob, inFlight map[int64]bool) (group, rest []*saveJob) {
	rest = pending[:0]
	for _, j := range pending {
		switch {
		case j.ctx.Err() != nil:
			j.err = j.ctx.Err()
			close(j.done)
		case len(group) < maxSaveGroup && !inFlight[j.x.ID]:
			inFlight[j.x.ID] = true
			group = append(group, j)
		default:
			rest = append(rest, j)
		}
	}
	clear(pending[len(rest):])
	return group, rest
}

// commitGroup writes a group and finishes each of its saves. When the
// group's write fails (a statement, a score or the commit), nothing of it
// was written and each save is tried again alone, so that its own error,
// if any, is the one it reports. The saves whose assessment changed after
// the read are judged again on a fresh read, together.
func (s *Service) commitGroup(group []*saveJob) {
	slices.SortFunc(group, func(a, b *saveJob) int { return cmp.Compare(a.x.ID, b.x.ID) })
	ctx, cancel := context.WithTimeout(context.WithoutCancel(group[0].ctx), saveTimeout)
	changed, err := s.saveOnce(ctx, group)
	cancel()
	if err != nil && len(group) > 1 {
		for _, j := range group {
			j.out, j.typed, j.err = nil, nil, nil
			s.commitGroup([]*saveJob{j})
		}
		return
	}
	var again []*saveJob
	for _, j := range group {
		switch {
		case err != nil:
			j.out, j.typed, j.err = nil, nil, err
		case slices.Contains(changed, j):
			if j.reads++; j.reads < maxSaveReads {
				again = append(again, j)
				continue
			}
			// Unavailable (503), not a conflict: nothing is wrong with the
			// value, and the form keeps it and sends it again.
			j.err = errkind.New(errkind.Unavailable, "Phiếu đang được cập nhật liên tục, câu trả lời sẽ được lưu lại sau giây lát.",
				"the assessment kept changing while this answer was saved; it will be sent again shortly")
		}
		close(j.done)
	}
	if len(again) > 0 {
		s.commitGroup(again)
	}
}
