// Bug 15: a small struct stored by value in an interface
// (scenarios/bug15_iface_boxing.c). The original text's Metric, Counter and
// Registry.Add; the text's fix stores *Counter (pointer receiver). The text's
// Counter is named RegCounter here (value receiver) and PtrCounter (pointer
// receiver) because bug 3's Counter shares this package. As spanlab: a registry
// map made for 16 names, a warm-up Add of each name, then 20,000 Adds with n=7
// and 20,000 with n=1000 (names cycling), allocations counted per Add.
package main

import "sync"

const bug15AddCount = 20000

type Metric interface{ Value() float64 }

type RegCounter struct{ n uint64 }

func (c RegCounter) Value() float64 { return float64(c.n) }

type PtrCounter struct{ n uint64 }

func (c *PtrCounter) Value() float64 { return float64(c.n) }

type Registry struct {
	mu sync.Mutex
	m  map[string]Metric
}

func (r *Registry) Add(name string, c RegCounter) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m[name] = c // BUG: boxes c on every call
}

func (r *Registry) AddPtr(name string, c *PtrCounter) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m[name] = c // interface { *Counter, &c.n } — no boxing
}

var bug15Names = []string{"rx", "tx", "drops", "errs", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"}
var reg = &Registry{}

//go:noinline
func bug15Adds(adds int, n uint64, ptrs []PtrCounter) uint64 {
	m0 := mallocs()
	for i := 0; i < adds; i++ {
		name := bug15Names[i%len(bug15Names)]
		if ptrs != nil {
			ptrs[i%len(ptrs)].n = n
			reg.AddPtr(name, &ptrs[i%len(ptrs)])
		} else {
			reg.Add(name, RegCounter{n})
		}
	}
	return mallocs() - m0
}

func bug15(pointers bool) func() func() {
	return func() func() {
		reg.m = make(map[string]Metric, len(bug15Names))
		var ptrs []PtrCounter
		if pointers {
			ptrs = make([]PtrCounter, len(bug15Names))
		}
		bug15Adds(len(bug15Names), 1000, ptrs) // warm-up: every name in the map
		small := bug15Adds(bug15AddCount, 7, ptrs)
		large := bug15Adds(bug15AddCount, 1000, ptrs)
		key("adds", bug15AddCount)
		key("allocs_per_add_small", int64(small/bug15AddCount))
		key("allocs_per_add_large", int64(large/bug15AddCount))
		reg.m = nil
		return nil
	}
}

func init() {
	register(15,
		variant{name: "buggy", run: bug15(false)},
		variant{name: "fixed", run: bug15(true)},
	)
}
