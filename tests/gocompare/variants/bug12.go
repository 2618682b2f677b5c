// Bug 12: append without a capacity hint (scenarios/bug12_append_growth.c).
// The original text's Collect over 1,000,000 items (spanlab's scale=1; the
// text's 10,000,000) keeping the even ones; fixed is the text's fix,
// make([]int, 0, len(items)). Collect runs as the text writes it; its
// allocations (collect_mallocs, bytes_allocated: MemStats deltas) and final_cap
// are measured around it. reallocs and bytes_copied need to see every growth, so
// a copy of the loop that watches cap(out) runs after the common keys are read
// (so that its own allocations are not in them).
package main

import "runtime"

const bug12Items = 1000000

// Collect filters one slice into another.
func Collect(items []int, keep func(int) bool) []int {
	var out []int
	for _, x := range items {
		if keep(x) {
			out = append(out, x) // BUG: grows from 0
		}
	}
	return out
}

// CollectHint is the fix: hint capacity.
func CollectHint(items []int, keep func(int) bool) []int {
	out := make([]int, 0, len(items))
	for _, x := range items {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// collectWatched is Collect's loop (or CollectHint's) counting each growth and
// the bytes growslice copied into the new array.
//
//go:noinline
func collectWatched(items []int, hint bool) (reallocs, copied int64) {
	var out []int
	if hint {
		out = make([]int, 0, len(items))
	}
	for _, x := range items {
		if x%2 == 0 {
			old := cap(out)
			out = append(out, x)
			if cap(out) != old {
				reallocs++
				copied += int64(len(out)-1) * 8
			}
		}
	}
	runtime.KeepAlive(out)
	return reallocs, copied
}

func bug12(collect func([]int, func(int) bool) []int, hint bool) func() func() {
	return func() func() {
		items := make([]int, bug12Items)
		for i := range items {
			items[i] = i
		}
		m0, b0 := mallocs(), totalAlloc()
		out := collect(items, func(x int) bool { return x%2 == 0 })
		m, b := mallocs()-m0, totalAlloc()-b0
		key("kept", int64(len(out)))
		key("final_cap", int64(cap(out)))
		key("bytes_allocated", int64(b))
		key("collect_mallocs", int64(m))
		runtime.KeepAlive(out)
		return func() {
			reallocs, copied := collectWatched(items, hint)
			key("reallocs", reallocs)
			key("bytes_copied", copied)
		}
	}
}

func init() {
	register(12,
		variant{name: "buggy", run: bug12(Collect, false)},
		variant{name: "fixed", run: bug12(CollectHint, true)},
	)
}
