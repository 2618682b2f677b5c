// The Go 1.19 side of the scenarios' allocation counts: the original bug texts' programs,
// measured with testing.AllocsPerRun, printed as "bug=NN variant=NAME key=value"
// with the keys the spanlab scenarios print in their RESULT lines. The test
// tests/gocompare/scenarios_vs_go.sh runs this with Debian's golang-1.19 and compares.
package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// A reader of n bytes that fills whatever it is asked for, as a decompressor does.
type patternReader struct{ left int }

func (r *patternReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	n := len(p)
	if n > r.left {
		n = r.left
	}
	for i := 0; i < n; i++ {
		p[i] = byte(i)
	}
	r.left -= n
	return n, nil
}

type Counter struct{ n int64 }

func Tally(items []int, wg *sync.WaitGroup) *Counter {
	c := &Counter{}
	for _, x := range items {
		x := x
		wg.Add(1)
		go func() {
			defer wg.Done()
			if x > 0 {
				c.n++
			}
		}()
	}
	return c
}

func TallyArgs(items []int, wg *sync.WaitGroup) *Counter {
	c := &Counter{}
	for _, x := range items {
		wg.Add(1)
		go func(x int, c *Counter, wg *sync.WaitGroup) {
			defer wg.Done()
			if x > 0 {
				c.n++
			}
		}(x, c, wg)
	}
	return c
}

//go:noinline
func LogPacket(srcIP string, port int, size int) {
	msg := fmt.Sprintf("packet from %s:%d size=%d", srcIP, port, size)
	log.Println(msg)
}

type Point struct{ X, Y float64 }

func NewPoint(x, y float64) *Point { p := Point{X: x, Y: y}; return &p }

var sink *Point

type Metric interface{ Value() float64 }
type VCounter struct{ n uint64 }

func (c VCounter) Value() float64 { return float64(c.n) }

type PCounter struct{ n uint64 }

func (c *PCounter) Value() float64 { return float64(c.n) }

type Registry struct {
	mu sync.Mutex
	m  map[string]Metric
}

func (r *Registry) Add(name string, c VCounter)   { r.mu.Lock(); defer r.mu.Unlock(); r.m[name] = c }
func (r *Registry) AddP(name string, c *PCounter) { r.mu.Lock(); defer r.mu.Unlock(); r.m[name] = c }

type nolock struct{}

func (nolock) Lock()   {}
func (nolock) Unlock() {}

type Cache struct {
	mu nolock
	m  map[string]int
}

func (c *Cache) Bump(key string) {
	for i := 0; i < 32; i++ {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.m[key]++
	}
}

type MCache struct {
	mu sync.Mutex
	m  map[string]int
}

func (c *MCache) bumpOnce(key string) { c.mu.Lock(); defer c.mu.Unlock(); c.m[key]++ }

func out(bug int, variant, key string, v float64) {
	fmt.Printf("bug=%02d variant=%s %s=%d\n", bug, variant, key, int64(v))
}

func main() {
	log.SetOutput(io.Discard)

	// Bug 1: os.ReadFile's capacity for a 12 MiB file (the scenario's scale=1 size).
	dir, _ := os.MkdirTemp("", "spanlab-go")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "big.bin")
	os.WriteFile(path, make([]byte, 12<<20), 0o600)
	data, _ := os.ReadFile(path)
	out(1, "buggy", "kept_cap", float64(cap(data[:64])))

	// Bug 2: bytes.Buffer's capacity after io.Copy of 4 MiB (scale=1).
	var buf bytes.Buffer
	io.Copy(&buf, &patternReader{left: 4 << 20})
	out(2, "buggy", "buffer_cap", float64(buf.Cap()))

	// Bug 12: append one even int at a time out of 1,000,000 (scale=1).
	var kept []int
	reallocs, prev := 0, 0
	for i := 0; i < 1000000; i++ {
		if i%2 == 0 {
			kept = append(kept, i)
			if cap(kept) != prev {
				reallocs, prev = reallocs+1, cap(kept)
			}
		}
	}
	out(12, "buggy", "reallocs", float64(reallocs))
	out(12, "buggy", "final_cap", float64(cap(kept)))

	var wg sync.WaitGroup
	items := make([]int, 100)
	for i := range items {
		items[i] = i
	}
	out(3, "buggy", "allocs_per_call", testing.AllocsPerRun(50, func() { Tally(items, &wg); wg.Wait() }))
	out(3, "args", "allocs_per_call", testing.AllocsPerRun(50, func() { TallyArgs(items, &wg); wg.Wait() }))

	ip, port, size, sport, ssize := "10.0.0.1", 8080, 1500, 53, 100
	out(4, "buggy", "allocs_per_call", testing.AllocsPerRun(2000, func() { LogPacket(ip, port, size) }))
	out(4, "buggy", "small_int_allocs_per_call", testing.AllocsPerRun(2000, func() { LogPacket(ip, sport, ssize) }))

	out(5, "seed", "allocs_per_call", testing.AllocsPerRun(2000, func() { _ = NewPoint(1, 0) }))
	out(5, "buggy", "allocs_per_call", testing.AllocsPerRun(2000, func() { sink = NewPoint(1, 0) }))

	seen := map[string]int{}
	b := []byte("user-7-session-key-0123456789")
	seen[string(b)] = 1
	out(10, "buggy", "allocs_per_line", testing.AllocsPerRun(2000, func() { key := string(b); seen[key]++ }))
	out(10, "assign", "allocs_per_line", testing.AllocsPerRun(2000, func() { seen[string(b)]++ }))
	out(10, "lookup", "allocs_per_line", testing.AllocsPerRun(2000, func() {
		if seen[string(b)] > 0 {
			_ = 0
		}
	}))

	k16 := fmt.Sprint(string(make([]byte, 16)))
	k64 := fmt.Sprint(string(make([]byte, 64)))
	out(11, "buggy", "allocs_per_call_16", testing.AllocsPerRun(2000, func() { _ = sha256.Sum256([]byte(k16)) }))
	out(11, "buggy", "allocs_per_call_64", testing.AllocsPerRun(2000, func() { _ = sha256.Sum256([]byte(k64)) }))

	r := &Registry{m: map[string]Metric{}}
	r.Add("rx", VCounter{1})
	out(15, "buggy", "allocs_per_add_small", testing.AllocsPerRun(2000, func() { r.Add("rx", VCounter{7}) }))
	out(15, "buggy", "allocs_per_add_large", testing.AllocsPerRun(2000, func() { r.Add("rx", VCounter{1000}) }))
	pc := &PCounter{1000}
	out(15, "fixed", "allocs_per_add_large", testing.AllocsPerRun(2000, func() { r.AddP("rx", pc) }))

	c := &Cache{m: map[string]int{"k": 0}}
	out(16, "buggy", "allocs_per_call", testing.AllocsPerRun(2000, func() { c.Bump("k") }))
	mc := &MCache{m: map[string]int{"k": 0}}
	out(16, "fixed", "allocs_per_call", testing.AllocsPerRun(2000, func() {
		for i := 0; i < 32; i++ {
			mc.bumpOnce("k")
		}
	}))
}
