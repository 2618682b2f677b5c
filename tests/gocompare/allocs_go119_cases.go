// Prints allocations per operation measured by Go 1.19's testing.AllocsPerRun, for
// tests/unit/iface_test.c, which measures the same operations with spanlab's
// constructs at the allocator. One line per case: operation, argument, allocations.
package main

import (
	"fmt"
	"testing"
)

var (
	sinkI any
	sinkS string
	sinkB []byte
	sinkN int
)

//go:noinline
func useS(s string) int { return len(s) }

//go:noinline
func useB(b []byte) int { return len(b) }

func main() {
	for _, v := range []int64{0, 1, 127, 255, 256, 1000, -1, 1 << 40} {
		x := v
		fmt.Println("box_int64", v, testing.AllocsPerRun(100, func() { sinkI = x }))
		fmt.Println("sprintf_d", v, testing.AllocsPerRun(100, func() { sinkS = fmt.Sprintf("%d", x) }))
	}
	for _, f := range []float64{0, 1, 0.5} {
		x := f
		fmt.Println("box_float64", f, testing.AllocsPerRun(100, func() { sinkI = x }))
	}
	for n := 0; n <= 40; n++ {
		b := make([]byte, n)
		for i := range b {
			b[i] = 'a' + byte(i%26)
		}
		s := string(b)
		fmt.Println("string_escaping", n, testing.AllocsPerRun(100, func() { sinkS = string(b) }))
		fmt.Println("string_local", n, testing.AllocsPerRun(100, func() { sinkN += useS(string(b)) }))
		fmt.Println("bytes_escaping", n, testing.AllocsPerRun(100, func() { sinkB = []byte(s) }))
		fmt.Println("bytes_local", n, testing.AllocsPerRun(100, func() { sinkN += useB([]byte(s)) }))
		fmt.Println("box_string", n, testing.AllocsPerRun(100, func() { sinkI = s }))
		fmt.Println("sprintf_s", n, testing.AllocsPerRun(100, func() { sinkS = fmt.Sprintf("%s", s) }))
		t := s + "" // a non-constant operand either side
		fmt.Println("concat_escaping", n, testing.AllocsPerRun(100, func() { sinkS = t + "xy" }))
		fmt.Println("concat_local", n, testing.AllocsPerRun(100, func() { sinkN += useS(t + "xy") }))
	}
}
