// Measuring helpers for the Go 1.19 side of the scenarios: key printing, the
// common keys spanlab puts first on every RESULT line (MemStats, page counts of
// the heap arenas, goroutines), and allocation counting over a loop, all read
// from the running Go runtime - nothing here is computed from what it ought to be.
package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// The variant being run: every key line names it.
var curBug int
var curVariant string

// key records one "bug=NN variant=NAME key=VALUE" line. The lines collect in a
// static array (not on the heap) and are written by flushKeys at the end of the
// variant, so that printing keys allocates nothing the later keys would count.
var keyBuf [1 << 16]byte
var keyLen int

func key(name string, v int64) {
	b := keyBuf[keyLen:keyLen]
	b = append(b, "bug="...)
	if curBug < 10 {
		b = append(b, '0')
	}
	b = strconv.AppendInt(b, int64(curBug), 10)
	b = append(b, " variant="...)
	b = append(b, curVariant...)
	b = append(b, ' ')
	b = append(b, name...)
	b = append(b, '=')
	b = strconv.AppendInt(b, v, 10)
	b = append(b, '\n')
	if keyLen+len(b) > len(keyBuf)-64 {
		fail("too many keys for keyBuf")
	}
	keyLen += len(b)
}

// flushKeys writes the recorded key lines to stdout.
func flushKeys() {
	os.Stdout.Write(keyBuf[:keyLen])
	keyLen = 0
}

// memstats returns runtime.ReadMemStats now, as a copy. It reads into a package
// variable: a MemStats the caller's frame passed to ReadMemStats could escape,
// and an allocation here would count in the very deltas it measures.
var msBuf runtime.MemStats

func memstats() runtime.MemStats {
	runtime.ReadMemStats(&msBuf)
	return msBuf
}

// heapAllocAfterGC is spanlab's sc_heap_alloc_after_gc: runtime.GC(), then HeapAlloc.
func heapAllocAfterGC() uint64 {
	runtime.GC()
	return memstats().HeapAlloc
}

// mallocs and totalAlloc are MemStats.Mallocs and MemStats.TotalAlloc now.
func mallocs() uint64    { return memstats().Mallocs }
func totalAlloc() uint64 { return memstats().TotalAlloc }

// The Go heap's arenas on linux/amd64: Go 1.19 reserves them from the hint
// 0x00c000000000 upwards (malloc.go mallocinit), 64 MiB at a time, and keeps
// them PROT_NONE until sysMap makes them read-write.
const arenaLo, arenaHi = 0x00c000000000, 0x00c000000000 + 1<<40

// arenaPages are the 4 KiB page counts of the heap arenas, read from
// /proc/self/smaps: mapped is the read-write part (Go's sysMap'd memory: heap and
// stack spans), resident its Rss, lazyfree its LazyFree (pages released with
// MADV_FREE that the kernel has not reclaimed yet).
type arenaPages struct{ mapped, resident, lazyfree int64 }

// readArenaPages sums smaps over the arena range.
func readArenaPages() arenaPages {
	var p arenaPages
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		fail("open /proc/self/smaps: %v", err)
	}
	defer f.Close()
	in, rw := false, false
	var lo, hi uint64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":") {
			r := strings.SplitN(fields[0], "-", 2)
			lo, _ = strconv.ParseUint(r[0], 16, 64)
			hi, _ = strconv.ParseUint(r[1], 16, 64)
			in = lo >= arenaLo && hi <= arenaHi
			rw = strings.HasPrefix(fields[1], "rw")
			if in && rw {
				p.mapped += int64(hi-lo) / 4096
			}
			continue
		}
		if !in || !rw || len(fields) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(fields[1], 10, 64)
		switch fields[0] {
		case "Rss:":
			p.resident += kb / 4
		case "LazyFree:":
			p.lazyfree += kb / 4
		}
	}
	return p
}

// rwPages counts the 4 KiB pages of [lo, hi) that lie in read-write mappings
// (/proc/self/maps): what Go has sysMap'd of that range.
func rwPages(lo, hi uintptr) int64 {
	data, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		fail("read /proc/self/maps: %v", err)
	}
	var n int64
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 || !strings.HasPrefix(fields[1], "rw") {
			continue
		}
		r := strings.SplitN(fields[0], "-", 2)
		a, _ := strconv.ParseUint(r[0], 16, 64)
		b, _ := strconv.ParseUint(r[1], 16, 64)
		if a < uint64(lo) {
			a = uint64(lo)
		}
		if b > uint64(hi) {
			b = uint64(hi)
		}
		if b > a {
			n += int64(b-a) / 4096
		}
	}
	return n
}

// The common keys, read at the end of a variant as spanlab's runner reads them
// (MemStats first: reading smaps allocates).
type common struct {
	m          runtime.MemStats
	pages      arenaPages
	goroutines int
}

func readCommon() *common {
	c := &common{m: memstats(), goroutines: runtime.NumGoroutine()}
	c.pages = readArenaPages()
	return c
}

// print writes the common keys. committed_pages is the arenas' read-write pages:
// what Go has sysMap'd (heap and stack spans, used or not). Go on Linux never
// takes a page back to PROT_NONE: a released page keeps its mapping, MADV_DONTNEED
// only drops its frame (spanlab's release decommits; see README.md).
// timers is not printed: Go 1.19 has no timer count (bug 18 counts its tickers).
func (c *common) print() {
	m := &c.m
	key("heap_alloc", int64(m.HeapAlloc))
	key("heap_inuse", int64(m.HeapInuse))
	key("heap_sys", int64(m.HeapSys))
	key("heap_released", int64(m.HeapReleased))
	key("heap_objects", int64(m.HeapObjects))
	key("mallocs", int64(m.Mallocs))
	key("frees", int64(m.Frees))
	key("total_alloc", int64(m.TotalAlloc))
	key("num_gc", int64(m.NumGC))
	key("stack_inuse", int64(m.StackInuse))
	key("committed_pages", c.pages.mapped)
	key("resident_pages", c.pages.resident)
	key("lazyfree_pages", c.pages.lazyfree)
	key("goroutines", int64(c.goroutines))
}

// fail ends the variant with a message naming what went wrong.
func fail(format string, args ...any) {
	flushKeys()
	fmt.Fprintf(os.Stderr, "gocompare bug %02d variant %s: %s\n", curBug, curVariant, fmt.Sprintf(format, args...))
	os.Exit(1)
}
