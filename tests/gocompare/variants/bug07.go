// Bug 7: sync.Pool keeps whatever its objects still point at
// (scenarios/bug07_pool_trace.c). The original text's Request and reqPool; its
// Handle split in two as spanlab splits it, so that 8 requests are in flight at
// once: handleBegin is Get, Body.Reset, fill the body, maybe set an 8 MiB Trace
// (spanlab's scale=1; the text's 100 MiB) for every 37th request; handleEnd is
// the deferred Put - as it is (buggy) or after the text's fix (fixed:
// r.Body.Reset(); r.Trace = nil; reqPool.Put(r)). 20 rounds of 8, three times,
// with the same GCs spanlab forces between them.
package main

import (
	"bytes"
	"runtime"
	"sync"
)

const bug07TraceBytes = 8 << 20
const bug07InFlight = 8
const bug07Rounds = 20
const bug07TraceEvery = 37

type Request struct {
	Body  *bytes.Buffer
	Trace []byte // sometimes 100 MiB for diagnostic dumps
}

var reqPool = sync.Pool{
	New: func() any { return &Request{Body: new(bytes.Buffer)} },
}

var bug07Traces int64

func handleBegin(n int64, mayTrace bool) *Request {
	r := reqPool.Get().(*Request)
	r.Body.Reset()
	r.Body.WriteString("GET /index.html HTTP/1.1\r\n\r\n") // ... fills r.Body
	if mayTrace && n%bug07TraceEvery == 0 {
		r.Trace = make([]byte, bug07TraceBytes) // ... may set r.Trace
		bug07Traces++
	}
	return r
}

func handleEnd(r *Request, fix bool) {
	if !fix {
		reqPool.Put(r) // BUG: returns r including any Trace it accumulated
		return
	}
	r.Body.Reset()
	r.Trace = nil // critical: drop the large slice's backing array
	reqPool.Put(r)
}

//go:noinline
func bug07Serve(mayTrace, fix bool, n *int64) {
	var inflight [bug07InFlight]*Request
	for round := 0; round < bug07Rounds; round++ {
		for i := range inflight {
			inflight[i] = handleBegin(*n, mayTrace)
			*n++
		}
		for i := range inflight {
			handleEnd(inflight[i], fix)
			inflight[i] = nil
		}
	}
}

func bug07(fix bool) func() func() {
	return func() func() {
		var n int64
		bug07Serve(true, fix, &n)   // traffic, a few requests with traces
		bug07Serve(false, fix, &n)  // more traffic: the pooled requests are reused
		reuse := heapAllocAfterGC() // a GC while the pool is in use
		bug07Serve(false, fix, &n)  // still in use after that GC
		idle1 := heapAllocAfterGC() // then idle: primary -> victim
		idle2 := heapAllocAfterGC() // the second GC drops the victim
		key("requests", n)
		key("traces_set", bug07Traces)
		key("trace_bytes", bug07TraceBytes)
		key("retained_after_reuse", int64(reuse))
		key("retained_after_idle_gc1", int64(idle1))
		key("retained_after_idle_gc2", int64(idle2))
		runtime.KeepAlive(&reqPool)
		return nil
	}
}

func init() {
	register(7,
		variant{name: "buggy", run: bug07(false)},
		variant{name: "fixed", run: bug07(true)},
	)
}
