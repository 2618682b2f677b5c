// Bug 9: a huge pre-allocation against GOMEMLIMIT
// (scenarios/bug09_memlimit_prealloc.c). The original text's scratch and
// debug.SetMemoryLimit at spanlab's scale=1 sizes: a 96 MiB scratch (the text's
// 1 GiB) of which the first MiB is touched, a 160 MiB limit (the text's 2 GiB),
// with GOGC=off as spanlab runs it; then the "~500 MiB of real work" as spanlab
// does it: 256 MiB allocated in 64 KiB chunks, the last 32 MiB kept live in a
// ring. fixed makes the scratch only as large as is used (1 MiB). The scratch is
// made in the variant, not at package init, because every variant shares this
// binary. scratch_resident_pages comes from mincore(2) over the scratch,
// scratch_committed_pages from the read-write mappings over it (/proc/self/maps).
package main

import (
	"runtime/debug"
	"syscall"
	"unsafe"
)

const (
	mib          = 1 << 20
	bug09Scratch = 96 * mib
	bug09Limit   = 160 * mib
	bug09Live    = 32 * mib
	bug09Churn   = 256 * mib
	bug09Chunk   = 64 * 1024
	bug09Touched = 1 * mib
)

var scratch []byte
var live [][]byte

//go:noinline
func bug09Work() {
	slots := bug09Live / bug09Chunk
	live = make([][]byte, slots)
	for i := 0; i < bug09Churn/bug09Chunk; i++ {
		c := make([]byte, bug09Chunk)
		c[0] = byte(i)
		live[i%slots] = c
	}
}

var mincoreVec [1 << 15]byte // one byte per 4 KiB page, up to 128 MiB; not on the heap

// residentPages counts the resident 4 KiB pages of b with mincore(2).
func residentPages(b []byte) int64 {
	n := (len(b) + 4095) / 4096
	if n > len(mincoreVec) {
		fail("residentPages: %d pages, more than the %d mincoreVec holds", n, len(mincoreVec))
	}
	_, _, e := syscall.Syscall(syscall.SYS_MINCORE, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), uintptr(unsafe.Pointer(&mincoreVec[0])))
	if e != 0 {
		fail("mincore: %v", e)
	}
	var r int64
	for _, v := range mincoreVec[:n] {
		r += int64(v & 1)
	}
	return r
}

func bug09(prealloc bool) func() func() {
	return func() func() {
		size := bug09Touched
		if prealloc {
			size = bug09Scratch
		}
		oldGOGC := debug.SetGCPercent(-1) // GOGC=off ...
		debug.SetMemoryLimit(bug09Limit)  // ... and the soft limit
		scratch = make([]byte, size)
		for i := 0; i < bug09Touched; i++ { // only the first MiB is used
			scratch[i] = 1
		}
		gc0 := memstats().NumGC
		bug09Work()
		gcs := memstats().NumGC - gc0
		reachable := heapAllocAfterGC() - uint64(size)
		key("scratch_bytes", int64(size))
		key("limit_bytes", bug09Limit)
		key("live_bytes", int64(reachable))
		key("scratch_resident_pages", residentPages(scratch))
		lo := uintptr(unsafe.Pointer(&scratch[0]))
		key("scratch_committed_pages", rwPages(lo, lo+uintptr(len(scratch))))
		key("work_gcs", int64(gcs))
		debug.SetMemoryLimit(1<<63 - 1)
		debug.SetGCPercent(oldGOGC)
		return nil
	}
}

func init() {
	register(9,
		variant{name: "buggy", run: bug09(true)},
		variant{name: "fixed", run: bug09(false)},
	)
}
