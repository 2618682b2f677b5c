// Bug 16: defer inside a loop (scenarios/bug16_defer_loop.c).
//
//	seed:  the original text's Cache.Bump with its sync.Mutex: the second Lock
//	       blocks forever and Go ends the process with "fatal error: all
//	       goroutines are asleep - deadlock!" (the parent reports outcome=deadlock)
//	buggy: the same Bump over a lock that does not block (Lock and Unlock count
//	       how many are held), as spanlab's buggy runs it
//	fixed: the text's fix, bumpOnce with one defer, called 32 times per call
//
// 2000 calls after a warm-up call, allocations per call from MemStats. Go has no
// count of pending deferred calls; pending_defers_at_return is measured with
// the lock: how many Unlocks are still to run at Bump's last statement (the
// lock's count; for bumpOnce, whether its sync.Mutex is still locked). That
// probe is a copy of the function with one line added, run after the common
// keys are read.
package main

import "sync"

const bug16Calls = 2000
const bug16Loop = 32

type Cache struct {
	mu sync.Mutex
	m  map[string]int
}

func (c *Cache) Bump(key string) {
	for i := 0; i < 32; i++ {
		c.mu.Lock()
		defer c.mu.Unlock() // BUG: defer accumulates inside the loop
		c.m[key]++
	}
}

func (c *Cache) bumpOnce(key string) {
	c.mu.Lock()
	defer c.mu.Unlock() // open-coded; one defer
	c.m[key]++
}

// countingLock does not block: it counts the Locks not yet Unlocked.
type countingLock struct{ held int64 }

func (l *countingLock) Lock()   { l.held++ }
func (l *countingLock) Unlock() { l.held-- }

type CountingCache struct {
	mu countingLock
	m  map[string]int
}

func (c *CountingCache) Bump(key string) {
	for i := 0; i < 32; i++ {
		c.mu.Lock()
		defer c.mu.Unlock() // BUG: defer accumulates inside the loop
		c.m[key]++
	}
}

var bug16Pending int64

// The probes: the functions above with their last statement recording the
// deferred Unlocks still to run.
func (c *CountingCache) bumpProbe(key string) {
	for i := 0; i < 32; i++ {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.m[key]++
	}
	bug16Pending = c.mu.held
}

func (c *Cache) bumpOnceProbe(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[key]++
	bug16Pending = 1
	if c.mu.TryLock() {
		bug16Pending = 0
		c.mu.Unlock()
	}
}

func bug16Report(calls int, m uint64) {
	key("calls", int64(calls))
	key("allocs_per_call", int64(m/uint64(calls)))
}

func bug16Seed() func() {
	c := &Cache{m: map[string]int{}}
	c.Bump("k")
	fail("not reached: Bump with a sync.Mutex returned")
	return nil
}

func bug16Buggy() func() {
	c := &CountingCache{m: map[string]int{}}
	c.Bump("k") // warm-up: the key exists, the pools hold records
	m0 := mallocs()
	for i := 0; i < bug16Calls; i++ {
		c.Bump("k")
	}
	bug16Report(bug16Calls, mallocs()-m0)
	return func() {
		c.bumpProbe("k")
		key("pending_defers_at_return", bug16Pending)
	}
}

func bug16Fixed() func() {
	c := &Cache{m: map[string]int{}}
	for i := 0; i < bug16Loop; i++ {
		c.bumpOnce("k")
	}
	m0 := mallocs()
	for i := 0; i < bug16Calls; i++ {
		for j := 0; j < bug16Loop; j++ {
			c.bumpOnce("k")
		}
	}
	bug16Report(bug16Calls, mallocs()-m0)
	return func() {
		c.bumpOnceProbe("k")
		key("pending_defers_at_return", bug16Pending)
	}
}

func init() {
	register(16,
		variant{name: "seed", run: bug16Seed, outcome: "deadlock"},
		variant{name: "buggy", run: bug16Buggy},
		variant{name: "fixed", run: bug16Fixed},
	)
}
