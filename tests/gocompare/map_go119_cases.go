// Prints what make(map[K]V, hint) allocates in Go 1.19, for tests/unit/map_test.c:
// the heap bytes (MemStats.TotalAlloc delta: hmap, bucket array, mapextra, all
// size-class rounded) and the hmap's B. One line per case: type, hint, bytes, B.
package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"unsafe"
)

type hmapHead struct {
	count     int
	flags     uint8
	B         uint8
	noverflow uint16
	hash0     uint32
}

var sinkI map[int64]int64
var sinkS map[string]int
var sinkP map[int64]*int

// measure takes the smallest of several measurements: the runtime's own background
// work can allocate between the two ReadMemStats calls now and then.
func measure(name string, hint int, mk func(int) unsafe.Pointer) {
	var a, b runtime.MemStats
	mk(hint) // warm up
	best := ^uint64(0)
	var B uint8
	for i := 0; i < 5; i++ {
		runtime.GC()
		runtime.ReadMemStats(&a)
		p := mk(hint)
		runtime.ReadMemStats(&b)
		if d := b.TotalAlloc - a.TotalAlloc; d < best {
			best = d
		}
		B = (*hmapHead)(p).B
	}
	fmt.Printf("%s %d %d %d\n", name, hint, best, B)
}

func main() {
	debug.SetGCPercent(-1) // only the explicit runtime.GC() calls: no background cycles
	hints := []int{0, 1, 8, 9, 13, 14, 100, 1000, 5000, 100000, 1000000}
	for _, h := range hints {
		measure("i64", h, func(n int) unsafe.Pointer {
			sinkI = make(map[int64]int64, n)
			return *(*unsafe.Pointer)(unsafe.Pointer(&sinkI))
		})
		measure("str", h, func(n int) unsafe.Pointer {
			sinkS = make(map[string]int, n)
			return *(*unsafe.Pointer)(unsafe.Pointer(&sinkS))
		})
		measure("ptr", h, func(n int) unsafe.Pointer {
			sinkP = make(map[int64]*int, n)
			return *(*unsafe.Pointer)(unsafe.Pointer(&sinkP))
		})
	}
}
