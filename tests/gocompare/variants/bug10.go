// Bug 10: string([]byte) as a map key in a hot loop
// (scenarios/bug10_string_key.c). The original text's program over spanlab's
// input: 20,000 lines "user-<i mod 100>-session-key-0123456789" (36-37 bytes,
// longer than the compiler's 32-byte tmpBuf) read with the text's
// bufio.Scanner and s.Buffer(make([]byte, 64*1024), 16*1024*1024), after a
// warm-up over the first 100 lines that puts every key in the map.
//
//	buggy:  key := string(s.Bytes()); seen[key]++       (the text's code)
//	assign: seen[string(s.Bytes())]++                   (the text's fix: "index the map directly")
//	lookup: if seen[string(s.Bytes())] > 0 { found++ }  (a read-only index)
//	pointer: map[string]*int looked up first, converted again only for a new key:
//	        if p := counts[string(b)]; p != nil { *p++ } else { n := 1; counts[string(b)] = &n }
package main

import (
	"bufio"
	"io"
	"strconv"
	"testing"
)

const bug10Lines = 20000
const bug10Distinct = 100

var seen map[string]int
var counts map[string]*int
var bug10Found int

// lineReader is the scanner's input, written line by line into the scanner's
// buffer as spanlab formats each line in place (the text reads os.Stdin): no
// input buffer on the heap.
type lineReader struct {
	i, n    int
	line    [64]byte
	pending []byte
}

func (r *lineReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(r.pending) == 0 {
			if r.i == r.n {
				break
			}
			b := append(r.line[:0], "user-"...)
			b = strconv.AppendInt(b, int64(r.i%bug10Distinct), 10)
			r.pending = append(b, "-session-key-0123456789\n"...)
			r.i++
		}
		c := copy(p[n:], r.pending)
		r.pending = r.pending[c:]
		n += c
	}
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

// The three loops, each the text's loop with one body.
//
//go:noinline
func bug10Buggy(s *bufio.Scanner) {
	for s.Scan() {
		key := string(s.Bytes()) // BUG in hot path
		seen[key]++
	}
}

//go:noinline
func bug10Assign(s *bufio.Scanner) {
	for s.Scan() {
		seen[string(s.Bytes())]++
	}
}

//go:noinline
func bug10Lookup(s *bufio.Scanner) {
	for s.Scan() {
		if seen[string(s.Bytes())] > 0 {
			bug10Found++
		}
	}
}

//go:noinline
func bug10Pointer(s *bufio.Scanner) {
	for s.Scan() {
		bug10CountPtr(s.Bytes())
	}
}

func bug10CountPtr(b []byte) {
	if p := counts[string(b)]; p != nil {
		*p++
	} else {
		n := 1
		counts[string(b)] = &n
	}
}

func bug10Scanner(lines int) *bufio.Scanner {
	s := bufio.NewScanner(&lineReader{n: lines})
	s.Buffer(make([]byte, 64*1024), 16*1024*1024)
	return s
}

func bug10(pass, warm func(*bufio.Scanner), body func(b []byte)) func() func() {
	return func() func() {
		seen = make(map[string]int)
		counts = make(map[string]*int)
		warm(bug10Scanner(bug10Distinct)) // warm-up: every key present
		s := bug10Scanner(bug10Lines)
		m0, b0 := mallocs(), totalAlloc()
		pass(s)
		m, b := mallocs()-m0, totalAlloc()-b0
		key("lines", bug10Lines)
		key("allocs_per_line", int64(m/bug10Lines))
		key("pass_mallocs", int64(m))
		key("bytes_per_line", int64(b/bug10Lines))
		line := []byte("user-7-session-key-0123456789") // a line of the input
		key("allocs_per_run_testing", int64(testing.AllocsPerRun(1000, func() { body(line) })))
		return nil
	}
}

func init() {
	register(10,
		variant{name: "buggy", run: bug10(bug10Buggy, bug10Buggy, func(b []byte) { key := string(b); seen[key]++ })},
		variant{name: "assign", run: bug10(bug10Assign, bug10Buggy, func(b []byte) { seen[string(b)]++ })},
		variant{name: "lookup", run: bug10(bug10Lookup, bug10Buggy, func(b []byte) {
			if seen[string(b)] > 0 {
				bug10Found++
			}
		})},
		variant{name: "pointer", run: bug10(bug10Pointer, bug10Pointer, bug10CountPtr)},
	)
}
