// Timer heap insert + delete in Go 1.19 (twin of bench/sched_timers.c): rounds of
// 100,000 time.AfterFunc timers (1 h + pseudo-random 0..1 s, none fires), then Stop
// on each. Run with GOMAXPROCS=1.
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

func never() {}

func main() {
	n, rounds := 100000, 20
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	if len(os.Args) > 2 {
		rounds, _ = strconv.Atoi(os.Args[2])
	}
	timers := make([]*time.Timer, n)
	x := uint64(1)
	var total time.Duration
	for r := 0; r < rounds+1; r++ {
		t0 := time.Now()
		for i := range timers {
			x = x*6364136223846793005 + 1442695040888963407
			d := time.Hour + time.Duration((x>>33)%1000000000)
			timers[i] = time.AfterFunc(d, never)
		}
		for _, t := range timers {
			t.Stop()
		}
		if r > 0 {
			total += time.Since(t0)
		}
	}
	fmt.Printf("go_timers timers=%d rounds=%d ns_per_insert_delete=%.2f\n", n, rounds,
		float64(total.Nanoseconds())/(float64(n)*float64(rounds)))
}
