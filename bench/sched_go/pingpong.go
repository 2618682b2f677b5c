// Unbuffered channel ping-pong in Go 1.19 (twin of bench/sched_pingpong.c).
// Run with GOMAXPROCS=1.
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

func main() {
	n := 2000000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	ping, pong := make(chan int64), make(chan int64)
	go func() {
		for i := 0; i < n; i++ {
			v := <-ping
			pong <- v
		}
	}()
	t0 := time.Now()
	for i := int64(0); i < int64(n); i++ {
		ping <- i
		if v := <-pong; v != i {
			panic("pingpong: wrong value")
		}
	}
	el := time.Since(t0)
	fmt.Printf("go_pingpong n=%d ns_per_roundtrip=%.2f\n", n, float64(el.Nanoseconds())/float64(n))
}
