// Prints the capacities Go 1.19's append picks for tests/unit/slice_test.c, which
// runs this program and replays the same appends with spanlab's slice_append.
// One line per case: element size, elements appended per call, appends, and the
// distinct capacities seen in order.
package main

import (
	"fmt"
	"strings"
)

func caps[T any](k, calls int) string {
	var s []T
	add := make([]T, k)
	var b strings.Builder
	last := -1
	for i := 0; i < calls; i++ {
		s = append(s, add...)
		if cap(s) != last {
			last = cap(s)
			fmt.Fprintf(&b, "%d,", last)
		}
	}
	return b.String()
}

func run[T any](size int) {
	for _, k := range []int{1, 3, 7, 100} {
		calls := 3000
		if k == 100 {
			calls = 300
		}
		fmt.Printf("%d %d %d %s\n", size, k, calls, caps[T](k, calls))
	}
}

func main() {
	run[[1]byte](1)
	run[[2]byte](2)
	run[[5]byte](5)
	run[int64](8)
	run[[12]byte](12)
	run[[16]byte](16)
	run[[24]byte](24)
	run[[40]byte](40)
	run[[100]byte](100)
	run[[1000]byte](1000)
}
