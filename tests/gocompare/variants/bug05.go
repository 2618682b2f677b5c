// Bug 5: returning a pointer to a local (scenarios/bug05_escape_local.c).
// NewPoint is the original text's code. seed runs the text's loop
// `_ = NewPoint(float64(i), 0)` (NewPoint inlines and p stays on the stack);
// buggy stores the result in a package variable so that &p outlives the call;
// fixed returns the Point by value, the text's fix. 1,000,000 iterations
// (spanlab's scale=1; the text's 10,000,000), GOGC=100 as spanlab's default.
package main

import "runtime"

const bug05Iterations = 1000000

type Point struct{ X, Y float64 }

// NewPoint "looks" stack-safe: local struct, returned by pointer.
func NewPoint(x, y float64) *Point {
	p := Point{X: x, Y: y}
	return &p
}

// NewPointValue is the fix: return by value.
func NewPointValue(x, y float64) Point {
	return Point{X: x, Y: y}
}

var pointSink *Point

func bug05Finish(m0 uint64, gc0 uint32) {
	m := memstats()
	key("iterations", bug05Iterations)
	key("loop_mallocs", int64(m.Mallocs-m0))
	key("allocs_per_call", int64((m.Mallocs-m0)/bug05Iterations))
	key("loop_gcs", int64(m.NumGC-gc0))
}

func bug05Seed() func() {
	m := memstats()
	for i := 0; i < bug05Iterations; i++ {
		_ = NewPoint(float64(i), 0)
	}
	bug05Finish(m.Mallocs, m.NumGC)
	return nil
}

func bug05Buggy() func() {
	m := memstats()
	var sum float64
	for i := 0; i < bug05Iterations; i++ {
		pointSink = NewPoint(float64(i), 0)
		sum += pointSink.X
	}
	bug05Finish(m.Mallocs, m.NumGC)
	runtime.KeepAlive(sum)
	return nil
}

func bug05Fixed() func() {
	m := memstats()
	var sum float64
	for i := 0; i < bug05Iterations; i++ {
		sum += NewPointValue(float64(i), 0).X
	}
	bug05Finish(m.Mallocs, m.NumGC)
	runtime.KeepAlive(sum)
	return nil
}

func init() {
	register(5,
		variant{name: "seed", run: bug05Seed},
		variant{name: "buggy", run: bug05Buggy},
		variant{name: "fixed", run: bug05Fixed},
	)
}
