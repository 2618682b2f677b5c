// Bug 13: expecting RSS to drop without a GC cycle (scenarios/bug13_freeosmemory.c).
// The original text's program with a 64 MiB array (spanlab's scale=1; the
// text's 500 MiB), every page touched as spanlab touches them, the array held
// by a package variable as spanlab's global root.
//
//	freeosmemory: huge = nil; debug.FreeOSMemory()   (the text's program)
//	madv_free:    the same under GODEBUG=madvdontneed=0 (release with MADV_FREE)
//	release_only: huge = nil, and no call: Go has no way to release free pages
//	              without a GC (debug.FreeOSMemory collects first), so this shows
//	              the state such a release would find: the array's span in use.
//
// Page counts are the heap arenas' Rss and LazyFree from /proc/self/smaps.
// spanlab's madv_free collects and then releases with MADV_FREE; in Go that is
// one debug.FreeOSMemory call with madvdontneed=0 (a GC, then the release).
package main

import (
	"os"
	"runtime/debug"
	"strings"
)

const bug13HugeBytes = 64 << 20

var huge []byte

//go:noinline
func allocateHuge() {
	huge = make([]byte, bug13HugeBytes)
	for i := range huge {
		huge[i] = 0xab
	}
}

// bug13AllocateAndDrop is the part every variant shares; returns HeapReleased before the drop.
func bug13AllocateAndDrop() uint64 {
	allocateHuge()
	m := memstats()
	pages := readArenaPages()
	key("huge_bytes", bug13HugeBytes)
	lazy := int64(0)
	if strings.Contains(os.Getenv("GODEBUG"), "madvdontneed=0") {
		lazy = 1
	}
	key("release_mode_free", lazy)
	key("heap_inuse_before", int64(m.HeapInuse))
	key("resident_before", pages.resident)
	huge = nil // drop the reference
	return m.HeapReleased
}

func bug13ReleaseOnly() func() {
	bug13AllocateAndDrop()
	return nil
}

func bug13FreeOSMemory() func() {
	before := bug13AllocateAndDrop()
	debug.FreeOSMemory()
	key("released_bytes", int64(memstats().HeapReleased-before))
	return nil
}

func init() {
	register(13,
		variant{name: "release_only", run: bug13ReleaseOnly},
		variant{name: "freeosmemory", run: bug13FreeOSMemory},
		variant{name: "madv_free", run: bug13FreeOSMemory, godebug: "madvdontneed=0"},
	)
}
