// Bug 3: a closure captured by `go` in a loop (scenarios/bug03_closure_go.c).
// Tally is the original text's code; TallyArgs is the text's fix exactly as it
// gives it - `go func(x int) { defer wg.Done(); if x > 0 { c.n++ } }(x)`, a
// literal that still captures c and wg. TallyAllArgs is the form that copied
// every argument onto the new stack up to Go 1.16 (spanlab's args_go116), here
// compiled by Go 1.19. TallyBatched is the text's "even better, batch": one
// goroutine per CPU over a slice (spanlab uses 4). Measured as spanlab does: one
// warm-up call, then 50 calls of Tally(100 items) and wg.Wait(), MemStats deltas
// divided by the calls; testing.AllocsPerRun is printed beside as a cross-check.
package main

import (
	"runtime"
	"sync"
	"testing"
)

const bug03Items = 100
const bug03Calls = 50
const bug03Batches = 4

type Counter struct{ n int64 }

// Tally runs work on each item; the per-iteration closure should be stack-allocated.
func Tally(items []int, wg *sync.WaitGroup) *Counter {
	c := &Counter{}
	for _, x := range items {
		x := x
		wg.Add(1)
		go func() {
			defer wg.Done()
			if x > 0 {
				c.n++ // race aside, we're measuring allocation
			}
		}()
	}
	return c
}

// TallyArgs is the original text's fix: pass x as the goroutine's argument.
func TallyArgs(items []int, wg *sync.WaitGroup) *Counter {
	c := &Counter{}
	for _, x := range items {
		wg.Add(1)
		go func(x int) {
			defer wg.Done()
			if x > 0 {
				c.n++
			}
		}(x)
	}
	return c
}

// tallyOne takes everything as arguments: nothing is captured.
func tallyOne(x int, c *Counter, wg *sync.WaitGroup) {
	defer wg.Done()
	if x > 0 {
		c.n++
	}
}

// TallyAllArgs: `go f(x, c, wg)` with a plain function, the form Go <= 1.16 ran
// with no allocation per goroutine.
func TallyAllArgs(items []int, wg *sync.WaitGroup) *Counter {
	c := &Counter{}
	for _, x := range items {
		wg.Add(1)
		go tallyOne(x, c, wg)
	}
	return c
}

// TallyBatched: one goroutine per batch of items.
func TallyBatched(items []int, wg *sync.WaitGroup) *Counter {
	c := &Counter{}
	for b := 0; b < bug03Batches; b++ {
		lo, hi := len(items)*b/bug03Batches, len(items)*(b+1)/bug03Batches
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, x := range items[lo:hi] {
				if x > 0 {
					c.n++
				}
			}
		}()
	}
	return c
}

func bug03(tally func([]int, *sync.WaitGroup) *Counter) func() func() {
	return func() func() {
		items := make([]int, bug03Items)
		for i := range items {
			items[i] = i
		}
		var wg sync.WaitGroup
		tally(items, &wg) // warm-up: goroutines exist to be reused (gfget)
		wg.Wait()
		m0, b0 := mallocs(), totalAlloc()
		var total int64
		for k := 0; k < bug03Calls; k++ {
			c := tally(items, &wg)
			wg.Wait()
			total += c.n
		}
		m, b := mallocs()-m0, totalAlloc()-b0
		key("items", bug03Items)
		key("allocs_per_call", int64(m/bug03Calls))
		key("bytes_per_call", int64(b/bug03Calls))
		key("counted", total/bug03Calls)
		per := testing.AllocsPerRun(bug03Calls, func() { tally(items, &wg); wg.Wait() })
		key("allocs_per_run_testing", int64(per))
		runtime.KeepAlive(items)
		return nil
	}
}

func init() {
	register(3,
		variant{name: "buggy", run: bug03(Tally)},
		variant{name: "args", run: bug03(TallyArgs)},
		variant{name: "args_go116", run: bug03(TallyAllArgs)},
		variant{name: "batched", run: bug03(TallyBatched)},
	)
}
