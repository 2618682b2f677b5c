// Allocation benchmark, Go 1.19 (run with GOGC=off): for 16, 32, 64 and 256 bytes,
// N heap objects (make([]byte, n), kept in a slice so they escape), first word
// touched: "cold" on fresh memory, then after dropping them and runtime.GC(),
// "warm" on the swept memory. Prints as bench/alloc_common.h does.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"time"
)

var sink [][]byte

func phase(ptrs [][]byte, size int) float64 {
	t0 := time.Now()
	for i := range ptrs {
		b := make([]byte, size)
		b[0] = byte(i)
		ptrs[i] = b
	}
	return float64(time.Since(t0).Nanoseconds()) / float64(len(ptrs))
}

func main() {
	n := 1000000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	ptrs := make([][]byte, n)
	sink = ptrs
	for _, size := range []int{16, 32, 64, 256} {
		cold := phase(ptrs, size)
		for i := range ptrs {
			ptrs[i] = nil
		}
		runtime.GC()
		warm := phase(ptrs, size)
		for i := range ptrs {
			ptrs[i] = nil
		}
		runtime.GC()
		fmt.Printf("ALLOC alloc=go size=%d n=%d cold_ns_per_obj=%.2f warm_ns_per_obj=%.2f\n",
			size, n, cold, warm)
	}
}
