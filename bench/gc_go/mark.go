// Mark throughput for Go, the twin of bench/mark_common.h: the same list of 64-byte
// objects built with the collector off, then three runtime.GC() timed with the
// monotonic clock (run with GOMAXPROCS=1); the same line: live_bytes = objects x
// object size, gc_ms = the median collection. Usage: mark [MiB]
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"time"
	"unsafe"
)

type Obj struct {
	next *Obj
	pad  [7]int64
}

var head *Obj

func main() {
	mib := 1024
	if len(os.Args) > 1 {
		mib, _ = strconv.Atoi(os.Args[1])
	}
	size := int(unsafe.Sizeof(Obj{}))
	n := mib << 20 / size
	old := debug.SetGCPercent(-1)
	var tail *Obj
	for i := 0; i < n; i++ {
		o := &Obj{}
		o.pad[0] = int64(i)
		if tail != nil {
			tail.next = o
		} else {
			head = o
		}
		tail = o
	}
	tail = nil
	debug.SetGCPercent(old)
	var gc [3]time.Duration
	for r := range gc {
		t0 := time.Now()
		runtime.GC()
		gc[r] = time.Since(t0)
	}
	sort.Slice(gc[:], func(i, j int) bool { return gc[i] < gc[j] })
	fmt.Printf("mark objects=%d live_bytes=%d gc_ms=%.1f\n", n, n*size,
		float64(gc[1].Nanoseconds())/1e6)
	runtime.KeepAlive(head)
}
