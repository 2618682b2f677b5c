// Bug 4: fmt.Sprintf boxes every argument (scenarios/bug04_sprintf_boxing.c).
// LogPacket is the original text's code, log output set to io.Discard (as
// spanlab's log_println models it). The text's fix is a structured logger that
// is not in the standard library; fixed is what spanlab runs for it: typed
// appends (strconv.AppendInt) into a reused buffer. Measured as spanlab does:
// one warm-up call, then 2000 calls, MemStats deltas divided by the calls, with
// port=8080 size=1500 and again with port=53 size=100.
package main

import (
	"fmt"
	"io"
	"log"
	"strconv"
)

const bug04Calls = 2000

// LogPacket runs in the hot path: ~50k qps.
//
//go:noinline
func LogPacket(srcIP string, port int, size int) {
	msg := fmt.Sprintf("packet from %s:%d size=%d", srcIP, port, size)
	log.Println(msg)
}

var logSink = make([]byte, 0, 256) // the typed formatter's reused buffer

//go:noinline
func LogPacketTyped(srcIP string, port int, size int) {
	b := logSink[:0]
	b = append(b, "packet from "...)
	b = append(b, srcIP...)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(port), 10)
	b = append(b, " size="...)
	b = strconv.AppendInt(b, int64(size), 10)
	logSink = b
}

// bug04Measure returns allocations and bytes per call of one call shape.
func bug04Measure(logf func(string, int, int), port, size int) (int64, int64) {
	src := "10.0.0.1"
	logf(src, port, size)
	m0, b0 := mallocs(), totalAlloc()
	for i := 0; i < bug04Calls; i++ {
		logf(src, port, size)
	}
	return int64((mallocs() - m0) / bug04Calls), int64((totalAlloc() - b0) / bug04Calls)
}

func bug04(logf func(string, int, int)) func() func() {
	return func() func() {
		log.SetOutput(io.Discard)
		allocs, bytes := bug04Measure(logf, 8080, 1500)
		small, _ := bug04Measure(logf, 53, 100)
		key("calls", bug04Calls)
		key("allocs_per_call", allocs)
		key("bytes_per_call", bytes)
		key("small_int_allocs_per_call", small)
		return nil
	}
}

func init() {
	register(4,
		variant{name: "buggy", run: bug04(LogPacket)},
		variant{name: "fixed", run: bug04(LogPacketTyped)},
	)
}
