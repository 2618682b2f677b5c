// Bug 6: a map's buckets never shrink (scenarios/bug06_map_shrink.c). The
// original text's program at 100,000 entries (spanlab's scale=1; the text's
// 1,000,000): fill map[int][]byte with 256-byte values, delete every key with
// the text's range loop (Go compiles it to runtime.mapclear), runtime.GC().
// fixed replaces the drained map, the text's fix.
//
// bucket_bytes reads the map's header (runtime.hmap, Go 1.19 layout) with
// unsafe: B and the bucket array pointer are the map's own; the array's size is
// makeBucketArray's rule (2^B buckets plus 2^(B-4) preallocated overflow ones,
// rounded up to the allocator's size class or pages), and every
// overflow bucket outside the array is found by walking the chains.
package main

import (
	"runtime"
	"unsafe"
)

const bug06Entries = 100000
const bug06ValueBytes = 256

// runtime.hmap and the bucket of map[int][]byte, as Go 1.19 lays them out.
type hmap struct {
	count      int
	flags      uint8
	B          uint8
	noverflow  uint16
	hash0      uint32
	buckets    unsafe.Pointer
	oldbuckets unsafe.Pointer
	nevacuate  uintptr
	extra      unsafe.Pointer
}
type bmapIntBytes struct {
	tophash  [8]uint8
	keys     [8]int
	elems    [8][]byte
	overflow unsafe.Pointer
}

// roundupsize is the allocator's rounding of n bytes without allocating: the
// smallest of the runtime's own size classes (MemStats.BySize) holding n, or
// whole 8 KiB pages from 32 KiB up (malloc.go: larger objects get their own span).
func roundupsize(n uintptr) uintptr {
	if n >= 32<<10 {
		return (n + 8191) &^ 8191
	}
	m := memstats()
	for _, c := range m.BySize {
		if uintptr(c.Size) >= n {
			return uintptr(c.Size)
		}
	}
	fail("roundupsize(%d): beyond MemStats.BySize", n)
	return 0
}

// bucketBytes returns the bytes of m's bucket array and its separately allocated
// overflow buckets.
func bucketBytes(m map[int][]byte) int64 {
	h := *(**hmap)(unsafe.Pointer(&m))
	if h == nil || h.buckets == nil {
		return 0
	}
	size := unsafe.Sizeof(bmapIntBytes{})
	n := uintptr(1) << h.B
	if h.B >= 4 {
		n += uintptr(1) << (h.B - 4)
	}
	bytes := roundupsize(size * n)
	lo, hi := uintptr(h.buckets), uintptr(h.buckets)+bytes
	for i := uintptr(0); i < uintptr(1)<<h.B; i++ {
		b := (*bmapIntBytes)(unsafe.Add(h.buckets, i*size))
		for o := b.overflow; o != nil && o != h.buckets; o = (*bmapIntBytes)(o).overflow {
			if uintptr(o) < lo || uintptr(o) >= hi {
				bytes += roundupsize(size)
			}
		}
	}
	return int64(bytes)
}

//go:noinline
func bug06Fill() map[int][]byte {
	m := make(map[int][]byte)
	for i := 0; i < bug06Entries; i++ {
		m[i] = make([]byte, 256)
	}
	return m
}

// bug06FillAndDrain is the shared first half: fill, measure, delete every key.
func bug06FillAndDrain() map[int][]byte {
	m := bug06Fill()
	full := heapAllocAfterGC()
	key("entries", bug06Entries)
	key("heap_alloc_full", int64(full))
	key("bucket_bytes_full", bucketBytes(m))
	for k := range m {
		delete(m, k)
	}
	return m
}

// bug06Map holds the map, as spanlab's is on the heap: a map that does not escape
// gets its header and first bucket on the stack in Go (walk/builtin.go), and a
// stack bucket is not heap memory.
var bug06Map map[int][]byte

// bug06AfterDelete reads the map that is kept, after runtime.GC().
func bug06AfterDelete(m map[int][]byte) {
	bug06Map = m
	after := heapAllocAfterGC()
	key("heap_alloc_after_delete", int64(after))
	key("bucket_bytes", bucketBytes(m))
	key("map_len", int64(len(m)))
	runtime.KeepAlive(m)
}

func bug06Buggy() func() {
	bug06AfterDelete(bug06FillAndDrain())
	return nil
}

func bug06Fixed() func() {
	m := bug06FillAndDrain()
	m = make(map[int][]byte) // replace the drained map
	bug06AfterDelete(m)
	return nil
}

func init() {
	register(6,
		variant{name: "buggy", run: bug06Buggy},
		variant{name: "fixed", run: bug06Fixed},
	)
}
