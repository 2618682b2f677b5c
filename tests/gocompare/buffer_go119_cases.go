// Prints bytes.Buffer capacities from Go 1.19 for tests/unit/buffer_test.c, which
// replays the same operations with spanlab's buf_*. One line per case: the case's
// words and the distinct capacities seen in order.
//   w SIZE CALLS       Write SIZE bytes CALLS times
//   r SIZE             ReadFrom a bytes.Reader of SIZE bytes into an empty buffer
//   g N SIZE           Grow(N) on an empty buffer, then Write SIZE bytes
//   x SIZE CALLS       alternately Write SIZE bytes and Read SIZE/2 bytes
package main

import (
	"bytes"
	"fmt"
	"strings"
)

type rec struct {
	b    strings.Builder
	last int
}

func (r *rec) see(c int) {
	if c != r.last {
		r.last = c
		fmt.Fprintf(&r.b, "%d,", c)
	}
}

func main() {
	for _, size := range []int{1, 10, 63, 64, 65, 100, 1000, 5000, 40000} {
		calls := 200000 / size
		if calls > 3000 {
			calls = 3000
		}
		var b bytes.Buffer
		r := rec{last: -1}
		p := make([]byte, size)
		for i := 0; i < calls; i++ {
			b.Write(p)
			r.see(b.Cap())
		}
		fmt.Printf("w %d %d %s\n", size, calls, r.b.String())
	}
	for _, size := range []int{0, 1, 511, 512, 513, 1000, 4096, 100000, 1 << 20} {
		var b bytes.Buffer
		b.ReadFrom(bytes.NewReader(make([]byte, size)))
		fmt.Printf("r %d %d,%d,\n", size, b.Len(), b.Cap())
	}
	for _, n := range []int{1, 64, 65, 1000} {
		for _, size := range []int{10, 100, 5000} {
			var b bytes.Buffer
			r := rec{last: -1}
			b.Grow(n)
			r.see(b.Cap())
			b.Write(make([]byte, size))
			r.see(b.Cap())
			fmt.Printf("g %d %d %s\n", n, size, r.b.String())
		}
	}
	for _, size := range []int{10, 100, 3000} {
		var b bytes.Buffer
		r := rec{last: -1}
		p := make([]byte, size)
		q := make([]byte, size/2)
		for i := 0; i < 500; i++ {
			b.Write(p)
			b.Read(q)
			r.see(b.Cap())
		}
		fmt.Printf("x %d 500 %s\n", size, r.b.String())
	}
}
