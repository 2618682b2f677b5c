// Allocation benchmark, Go 1.19: the twin of bench/alloc_common.h. One process per
// object size: N objects of SIZE bytes, noscan (new([SIZE/8]uint64), mallocgc as
// make([]byte, SIZE)) or pointer-holding (new(struct{p *T; x [SIZE/8-1]uint64}),
// the types of bench/alloc_ptrtype.h), the second word written, each kept in a
// []unsafe.Pointer: "cold" on fresh memory, then every reference dropped and
// runtime.GC(), "warm" on the memory it freed. GOGC comes from the environment
// (run with GOGC=100 or off, GOMAXPROCS=1). Timed like the C side: CPU time of the
// whole process (background GC workers included) in batches of 4096, the median
// batch and the mean; the same ALLOC line.
// Usage: alloc_go N SIZE noscan|ptr
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

const batch = 4096

// processCPU is the CPU time of the whole process in ns (CLOCK_PROCESS_CPUTIME_ID,
// 2, as bench/alloc_common.h uses).
func processCPU() int64 {
	var ts syscall.Timespec
	syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, 2, uintptr(unsafe.Pointer(&ts)), 0)
	return ts.Nano()
}

type (
	P16 struct {
		p *P16
		x [1]uint64
	}
	P32 struct {
		p *P32
		x [3]uint64
	}
	P64 struct {
		p *P64
		x [7]uint64
	}
	P256 struct {
		p *P256
		x [31]uint64
	}
)

// fill allocates ptrs[i0:i1] as new(T), writing the second word of each.
func fill[T any](ptrs []unsafe.Pointer, i0, i1 int) {
	for i := i0; i < i1; i++ {
		p := new(T)
		(*[2]uint64)(unsafe.Pointer(p))[1] = uint64(i)
		ptrs[i] = unsafe.Pointer(p)
	}
}

// fillers[kind][size] is the batch function of each benchmark object.
var fillers = map[string]map[int]func([]unsafe.Pointer, int, int){
	"noscan": {16: fill[[2]uint64], 32: fill[[4]uint64], 64: fill[[8]uint64], 256: fill[[32]uint64]},
	"ptr":    {16: fill[P16], 32: fill[P32], 64: fill[P64], 256: fill[P256]},
}

// phase fills every slot of ptrs, timed per batch; returns the median batch's and
// the mean ns per object.
func phase(ptrs []unsafe.Pointer, f func([]unsafe.Pointer, int, int)) (median, mean float64) {
	var rates []float64
	start := processCPU()
	for i0 := 0; i0 < len(ptrs); i0 += batch {
		i1 := i0 + batch
		if i1 > len(ptrs) {
			i1 = len(ptrs)
		}
		t0 := processCPU()
		f(ptrs, i0, i1)
		rates = append(rates, float64(processCPU()-t0)/float64(i1-i0))
	}
	mean = float64(processCPU()-start) / float64(len(ptrs))
	sort.Float64s(rates)
	return rates[len(rates)/2], mean
}

func main() {
	var n, size int
	var f func([]unsafe.Pointer, int, int)
	if len(os.Args) == 4 {
		n, _ = strconv.Atoi(os.Args[1])
		size, _ = strconv.Atoi(os.Args[2])
		f = fillers[os.Args[3]][size]
	}
	if n <= 0 || f == nil {
		fmt.Fprintln(os.Stderr, "usage: alloc_go N SIZE noscan|ptr  (N > 0; SIZE 16, 32, 64 or 256)")
		os.Exit(2)
	}
	ptrs := make([]unsafe.Pointer, n)
	for i := 0; i < n; i += 512 { // fault the array in outside the timing
		ptrs[i] = nil
	}
	cold, coldMean := phase(ptrs, f)
	for i := range ptrs {
		ptrs[i] = nil
	}
	runtime.GC()
	warm, warmMean := phase(ptrs, f)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	name, gogc := "go", os.Getenv("GOGC")
	if os.Args[3] == "ptr" {
		name = "go-ptr"
	}
	if gogc == "" {
		gogc = "100"
	}
	fmt.Printf("ALLOC alloc=%s size=%d n=%d cold_ns_per_obj=%.2f warm_ns_per_obj=%.2f "+
		"cold_mean=%.2f warm_mean=%.2f gogc=%s num_gc=%d\n",
		name, size, n, cold, warm, coldMean, warmMean, gogc, ms.NumGC)
	runtime.KeepAlive(ptrs)
}
