// Mark throughput for Go: the same list of 64-byte objects as spanlab's bench/mark.c,
// then runtime.GC() timed (run with GOMAXPROCS=1). Usage: mark [MiB]
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"time"
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
	n := mib << 20 / 64
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
	best := time.Duration(1 << 62)
	for r := 0; r < 3; r++ {
		t0 := time.Now()
		runtime.GC()
		if dt := time.Since(t0); dt < best {
			best = dt
		}
	}
	liveMB := n * 64 >> 20
	fmt.Printf("mark live_mb=%d objects=%d gc_ms=%.1f mb_per_s=%.0f\n", liveMB, n,
		float64(best.Nanoseconds())/1e6, float64(liveMB)/best.Seconds())
	runtime.KeepAlive(head)
}
