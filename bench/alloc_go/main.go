// Allocation benchmark, Go 1.19 (run with GOGC=off): for 16, 32, 64 and 256 bytes,
// N heap objects (make([]byte, n), kept in a slice so they escape), first word
// touched: "cold" on fresh memory, then after dropping them and runtime.GC(),
// "warm" on the swept memory. Timed in batches of 4096 like bench/alloc_common.h:
// the median batch and the mean, printed in the same format.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"time"
)

var sink [][]byte

const batch = 4096

func phase(ptrs [][]byte, size int) (median, mean float64) {
	var rates []float64
	start := time.Now()
	for i0 := 0; i0 < len(ptrs); i0 += batch {
		i1 := i0 + batch
		if i1 > len(ptrs) {
			i1 = len(ptrs)
		}
		t0 := time.Now()
		for i := i0; i < i1; i++ {
			b := make([]byte, size)
			b[0] = byte(i)
			ptrs[i] = b
		}
		rates = append(rates, float64(time.Since(t0).Nanoseconds())/float64(i1-i0))
	}
	mean = float64(time.Since(start).Nanoseconds()) / float64(len(ptrs))
	sort.Float64s(rates)
	return rates[len(rates)/2], mean
}

func main() {
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
