// Bug 14: goroutines blocked on a channel nobody closes
// (scenarios/bug14_chan_readers.c). The original text's FanOut and main loop at
// 100 batches (spanlab's scale=1; the text's 1000) of 4 readers and 10 sends;
// fixed closes the channel after the last send, the text's "caller owns it"
// fix. Then, as spanlab: one runtime.Gosched() to let the readers see the
// close, runtime.GC(), HeapAlloc and runtime.NumGoroutine().
package main

import "runtime"

const bug14Batches = 100
const bug14Readers = 4

// FanOut spawns a reader per shard; sends on the channel; never closes it.
func FanOut(nShards int) chan int {
	ch := make(chan int, 64) // heap-allocated runtime.hchan
	for i := 0; i < nShards; i++ {
		go func() {
			for v := range ch {
				_ = v
			}
			// never reached
		}()
	}
	return ch
}

//go:noinline
func bug14Batch(closeIt bool) {
	ch := FanOut(bug14Readers)
	for j := 0; j < 10; j++ {
		ch <- j
	}
	if closeIt {
		close(ch) // the fix: the owner closes when done
	}
	// caller "done" with this batch; drops ch
}

func bug14(closeIt bool) func() func() {
	return func() func() {
		for i := 0; i < bug14Batches; i++ {
			bug14Batch(closeIt)
		}
		runtime.Gosched()
		heap := heapAllocAfterGC()
		key("batches", bug14Batches)
		key("readers_per_batch", bug14Readers)
		key("heap_after_gc", int64(heap))
		return nil
	}
}

func init() {
	register(14,
		variant{name: "buggy", run: bug14(false)},
		variant{name: "fixed", run: bug14(true)},
	)
}
