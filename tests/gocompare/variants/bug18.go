// Bug 18: time.NewTicker never stopped (scenarios/bug18_ticker_leak.c). The
// original text's Watch, 200 calls (spanlab's scale=1) with spanlab's periods:
// a 10 ms ticker (the text's time.Second) and dur = 2 ms; then a 50 ms idle
// sleep while the leaked tickers keep firing. fixed adds the text's fix,
// defer t.Stop().
//
// Go 1.19 has no public count of the timers in the P's timer heap. Watch gets
// one added line, track(t), which sets a finalizer on the Ticker: the timer heap
// points into the Ticker (its runtimeTimer field), so a Ticker still in the heap
// is never finalized. After the common keys are read, a few collections run
// the finalizers, and timers_in_heap (and timers) is calls - finalized: the
// Tickers the runtime still holds. Go counts no timer firings or examinations
// (spanlab's timers_fired_while_idle, timers_examined_per_tick).
package main

import (
	"context"
	"runtime"
	"sync/atomic"
	"time"
)

const bug18Calls = 200
const bug18Tick = 10 * time.Millisecond
const bug18Dur = 2 * time.Millisecond

var bug18Polls int64
var bug18Finalized int64

func poll() { bug18Polls++ }

// track is the measurement line in Watch: counts the Ticker when it is freed.
func track(t *time.Ticker) {
	runtime.SetFinalizer(t, func(*time.Ticker) { atomic.AddInt64(&bug18Finalized, 1) })
}

func Watch(ctx context.Context, dur time.Duration) {
	deadline := time.After(dur)
	t := time.NewTicker(bug18Tick) // BUG: never Stop()ped
	track(t)
	for {
		select {
		case <-ctx.Done():
			return
		case <-deadline:
			return
		case <-t.C:
			poll()
		}
	}
}

func WatchStop(ctx context.Context, dur time.Duration) {
	deadline := time.After(dur)
	t := time.NewTicker(bug18Tick)
	defer t.Stop()
	track(t)
	for {
		select {
		case <-ctx.Done():
			return
		case <-deadline:
			return
		case <-t.C:
			poll()
		}
	}
}

func bug18(watch func(context.Context, time.Duration)) func() func() {
	return func() func() {
		ctx := context.Background()
		before := runtime.NumGoroutine()
		for i := 0; i < bug18Calls; i++ {
			watch(ctx, bug18Dur)
		}
		time.Sleep(5 * bug18Tick) // the leaked tickers keep firing
		key("calls", bug18Calls)
		key("goroutines_added", int64(runtime.NumGoroutine()-before))
		return func() {
			for i := 0; i < 5; i++ { // let unreachable Tickers be finalized
				runtime.GC()
				time.Sleep(10 * time.Millisecond)
			}
			held := bug18Calls - atomic.LoadInt64(&bug18Finalized)
			key("timers_in_heap", held)
			key("timers", held)
		}
	}
}

func init() {
	register(18,
		variant{name: "buggy", run: bug18(Watch)},
		variant{name: "fixed", run: bug18(WatchStop)},
	)
}
