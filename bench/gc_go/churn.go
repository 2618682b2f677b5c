// churn for Go: N 32-byte objects with one pointer, the last 100,000 alive (same
// work and output as spanlab's bench/churn.c; bench/run_gc.sh reads the pauses from
// GODEBUG=gctrace=1). Usage: churn [N]
package main

import (
	"fmt"
	"os"
	"strconv"
)

const window = 100000

type Obj struct {
	next    *Obj
	a, b, c int64
}

var ring [window]*Obj

func main() {
	n := 50000000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	var prev *Obj
	var sum int64
	for i := 0; i < n; i++ {
		o := &Obj{a: int64(i)}
		if prev != nil {
			prev.next = o
		}
		ring[i%window] = o
		prev = o
		if r := ring[(i*7)%window]; r != nil {
			sum += r.a & 1
		}
	}
	fmt.Printf("churn objects=%d window=%d checksum=%d\n", n, window, sum)
}
