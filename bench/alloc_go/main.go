// Allocation benchmark, Go 1.19 (run with GOGC=off): for 16, 32, 64 and 256 bytes,
// N heap objects (make([]byte, n), kept in a slice so they escape), first word
// touched: "cold" on fresh memory, then after dropping them and runtime.GC(),
// "warm" on the swept memory. Timed in batches of 4096 of thread CPU time like
// bench/alloc_common.h:
// the median batch and the mean, printed in the same format.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"syscall"
	"unsafe"
)

var sink [][]byte

const batch = 4096

// threadCPU is this thread's CPU time in ns (CLOCK_THREAD_CPUTIME_ID, as the C
// benchmarks use); main locks itself to its thread.
func threadCPU() int64 {
	var ts syscall.Timespec
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, 3, uintptr(unsafe.Pointer(&ts)), 0)
	return ts.Nano()
}

func phase(ptrs [][]byte, size int) (median, mean float64) {
	var rates []float64
	start := threadCPU()
	for i0 := 0; i0 < len(ptrs); i0 += batch {
		i1 := i0 + batch
		if i1 > len(ptrs) {
			i1 = len(ptrs)
		}
		t0 := threadCPU()
		for i := i0; i < i1; i++ {
			b := make([]byte, size)
			b[0] = byte(i)
			ptrs[i] = b
		}
		rates = append(rates, float64(threadCPU()-t0)/float64(i1-i0))
	}
	mean = float64(threadCPU()-start) / float64(len(ptrs))
	sort.Float64s(rates)
	return rates[len(rates)/2], mean
}

func main() {
	runtime.LockOSThread()
	n := 1000000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	ptrs := make([][]byte, n)
	sink = ptrs
	for _, size := range []int{16, 32, 64, 256} {
		cold, coldMean := phase(ptrs, size)
		for i := range ptrs {
			ptrs[i] = nil
		}
		runtime.GC()
		warm, warmMean := phase(ptrs, size)
		for i := range ptrs {
			ptrs[i] = nil
		}
		runtime.GC()
		fmt.Printf("ALLOC alloc=go size=%d n=%d cold_ns_per_obj=%.2f warm_ns_per_obj=%.2f cold_mean=%.2f warm_mean=%.2f\n",
			size, n, cold, warm, coldMean, warmMean)
	}
}
