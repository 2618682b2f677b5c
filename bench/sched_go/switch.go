// Goroutine switch cost in Go 1.19 (twin of bench/sched_switch.c): two goroutines
// call runtime.Gosched in turn, N times each. Run with GOMAXPROCS=1.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"time"
)

func main() {
	n := 5000000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	go func() {
		for i := 0; i < n; i++ {
			runtime.Gosched()
		}
	}()
	runtime.Gosched()
	t0 := time.Now()
	for i := 0; i < n; i++ {
		runtime.Gosched()
	}
	el := time.Since(t0)
	fmt.Printf("go_switch n=%d ns_per_switch=%.2f\n", n, float64(el.Nanoseconds())/(2*float64(n)))
}
