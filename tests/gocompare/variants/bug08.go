// Bug 8: a rarely-set pointer field still costs the GC a look
// (scenarios/bug08_scan_cost.c). The original text's Event and DebugContext,
// 400,000 events (spanlab's scale=1; the text's 50,000,000) with a Context on
// every 100th; then 5 forced collections instead of the text's endless sleep.
// sidecar is the text's fix (Context moved to map[uint64]*DebugContext, made
// without a size hint as the text makes it); noscan is spanlab's Event without
// pointer fields (the payload as an offset).
//
// Go 1.19 counts no pointer slots, but it counts heap scan work: every object
// scan adds the bytes walked up to its last pointer word (mgcmark.go scanobject,
// gcw.heapScanWork += i), printed per cycle by GODEBUG=gcpacertrace=1 - but not
// for a forced cycle with no allocation during it (endCycle returns early when
// heapLive <= the trigger). So after the common keys are read, one more cycle
// is paced, not forced: 64 KiB noscan garbage is allocated until NumGC moves
// (garbage is never scanned, and what is allocated during the cycle is born
// marked). The parent reads that cycle's figure: words_scanned is it divided by
// 8, spanlab's key (words walked by the bitmap, heap only). gc_ns is the median
// concurrent-mark wall time of the 5 forced cycles from GODEBUG=gctrace=1 (a
// timing; spanlab's is its stop-the-world mark).
package main

import (
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

const bug08Events = 400000
const bug08Collections = 5
const bug08ContextEvery = 100

type Event struct {
	ID        uint64
	Timestamp int64
	Payload   []byte
	Context   *DebugContext // populated for ~1% of events
}

type DebugContext struct {
	Stack [128]uintptr
	Tags  map[string]string
}

// The fix: the rare path in a sidecar.
type EventLean struct {
	ID        uint64
	Timestamp int64
	Payload   []byte
}

var debugByID = map[uint64]*DebugContext{}

// Event without pointers.
type EventFlat struct {
	ID                     uint64
	Timestamp              int64
	PayloadOff, PayloadLen uint32
}

var events []Event
var eventsLean []EventLean
var eventsFlat []EventFlat

//go:noinline
func bug08Build(shape string) {
	switch shape {
	case "buggy":
		events = make([]Event, bug08Events)
		for i := range events {
			events[i].ID = uint64(i)
			events[i].Timestamp = time.Now().UnixNano()
			if i%bug08ContextEvery == 0 {
				events[i].Context = &DebugContext{}
			}
		}
	case "sidecar":
		eventsLean = make([]EventLean, bug08Events)
		for i := range eventsLean {
			eventsLean[i].ID = uint64(i)
			eventsLean[i].Timestamp = time.Now().UnixNano()
			if i%bug08ContextEvery == 0 {
				debugByID[uint64(i)] = &DebugContext{}
			}
		}
	case "noscan":
		eventsFlat = make([]EventFlat, bug08Events)
		for i := range eventsFlat {
			eventsFlat[i].ID = uint64(i)
			eventsFlat[i].Timestamp = time.Now().UnixNano()
		}
	}
}

func bug08(shape string) func() func() {
	return func() func() {
		bug08Build(shape)
		for i := 0; i < bug08Collections; i++ {
			runtime.GC()
		}
		key("events", bug08Events)
		return bug08PacedCycle
	}
}

var bug08Garbage []byte

// bug08PacedCycle allocates noscan garbage until one more GC cycle has ended.
func bug08PacedCycle() {
	gc0 := memstats().NumGC
	for memstats().NumGC == gc0 {
		for i := 0; i < 16; i++ {
			bug08Garbage = make([]byte, 64<<10)
		}
	}
}

var pacerLine = regexp.MustCompile(`^pacer: .* for (\d+)\+(\d+)\+(\d+) B work`)
var gctraceLine = regexp.MustCompile(`^gc \d+ @\S+ \S+: ([\d.]+)\+([\d.]+)\+([\d.]+) ms clock`)

// bug08Trace turns the child's gcpacertrace and gctrace lines into keys.
func bug08Trace(stderr string) {
	var work []int64
	var markNs []int64
	for _, line := range strings.Split(stderr, "\n") {
		if m := pacerLine.FindStringSubmatch(line); m != nil {
			heap, _ := strconv.ParseInt(m[1], 10, 64)
			work = append(work, heap)
		}
		if m := gctraceLine.FindStringSubmatch(line); m != nil && strings.HasSuffix(line, "(forced)") {
			ms, _ := strconv.ParseFloat(m[2], 64)
			markNs = append(markNs, int64(ms*1e6))
		}
	}
	if len(work) < 1 || len(markNs) < bug08Collections {
		fail("expected a gcpacertrace work line and %d forced gctrace cycles, got %d and %d", bug08Collections, len(work), len(markNs))
	}
	key("words_scanned", work[len(work)-1]/8)
	last := append([]int64(nil), markNs[len(markNs)-bug08Collections:]...)
	sort.Slice(last, func(i, j int) bool { return last[i] < last[j] })
	key("gc_ns", last[bug08Collections/2])
}

func init() {
	const trace = "gcpacertrace=1,gctrace=1"
	register(8,
		variant{name: "buggy", run: bug08("buggy"), godebug: trace, trace: bug08Trace},
		variant{name: "sidecar", run: bug08("sidecar"), godebug: trace, trace: bug08Trace},
		variant{name: "noscan", run: bug08("noscan"), godebug: trace, trace: bug08Trace},
	)
}
