// Prints the allocations of single calls of a function that defers in a loop, in
// Go 1.19, for tests/unit/defer_test.c, which replays the same sequence. Between the
// calls, runtime.GC() clears the central defer pool (mgc.go clearpools) while the
// per-P pool survives; so the numbers show newdefer/freedefer's pooling exactly.
// One line per step: "call N allocs" or "gc".
package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

type nolock struct{ n int }

func (l *nolock) Lock()   { l.n++ }
func (l *nolock) Unlock() { l.n-- }

//go:noinline
func deferLoop(l *nolock, n int) {
	for i := 0; i < n; i++ {
		l.Lock()
		defer l.Unlock()
	}
}

func main() {
	runtime.GOMAXPROCS(1)
	debug.SetGCPercent(-1) // only the explicit runtime.GC() calls: no background cycles
	l := &nolock{}
	seq := []int{10, 10, 40, 40, -1, 40, 100, 100, -1, 100, 5, -1, 33, 33, 64, -1, -1, 64, 1}
	var a, b runtime.MemStats
	for _, n := range seq {
		if n < 0 {
			runtime.GC()
			fmt.Println("gc")
			continue
		}
		runtime.ReadMemStats(&a)
		deferLoop(l, n)
		runtime.ReadMemStats(&b)
		fmt.Println("call", n, b.Mallocs-a.Mallocs)
	}
}
