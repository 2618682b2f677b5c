// The Go 1.19 side of spanlab's scenarios: every variant of the 18 scenarios
// written as the Go program it models (the original bug text's own code where it
// gives it), run at the sizes spanlab runs at scale=1, printing
// "bug=NN variant=NAME key=VALUE" for every RESULT key that has a Go counterpart.
//
// Usage (Go 1.19, GO111MODULE=off; see run.sh):
//
//	variants [-run all|N,M,...]       every selected variant, each in a fresh process
//	variants -bug N -variant NAME -data DIR   one variant in this process
//
// Each variant runs in a process of its own, as spanlab runs each in a fresh
// runtime, with GOMAXPROCS=1 (spanlab has one P) and the GODEBUG the variant
// needs. The parent prepares the input files (so that writing them allocates
// nothing in the variant), reports each variant's outcome ("outcome=ok", or
// "outcome=deadlock" for a variant that ends in Go's deadlock error), and turns
// runtime trace lines a variant asked for (gcpacertrace, gctrace) into keys.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"time"
)

// A variant: its name as spanlab spells it, the Go program, and what the parent
// needs to run it.
type variant struct {
	name    string
	run     func() (after func()) // prints its keys; after runs once the common keys are printed
	godebug string                // GODEBUG for its process ("" for none)
	outcome string                // "" completes; "deadlock" when Go ends it with the deadlock error
	trace   func(stderr string)   // turns the runtime's trace lines into keys (in the parent)
}

type scenario struct {
	bug      int
	variants []variant
}

var scenarios = map[int]scenario{}

// register is called by each bugNN.go's init.
func register(bug int, vs ...variant) { scenarios[bug] = scenario{bug, vs} }

var dataDir string // where the parent put big.bin and data.gz

func main() {
	run := flag.String("run", "all", "scenarios to run, each variant in its own process: all or N,M,...")
	bug := flag.Int("bug", 0, "run one variant of this scenario in this process (with -variant)")
	name := flag.String("variant", "", "the variant to run with -bug")
	flag.StringVar(&dataDir, "data", "", "directory holding the input files (made by the parent)")
	flag.Parse()
	if *bug != 0 {
		runOne(*bug, *name)
		return
	}
	if !runAll(*run) {
		os.Exit(1)
	}
}

// findVariant returns scenario bug's variant name, or fails naming what exists.
func findVariant(bug int, name string) variant {
	s, ok := scenarios[bug]
	if !ok {
		fmt.Fprintf(os.Stderr, "gocompare: no scenario %d (there are 1..18)\n", bug)
		os.Exit(2)
	}
	var names []string
	for _, v := range s.variants {
		if v.name == name {
			return v
		}
		names = append(names, v.name)
	}
	fmt.Fprintf(os.Stderr, "gocompare: scenario %d has no variant %q (it has %s)\n", bug, name, strings.Join(names, ", "))
	os.Exit(2)
	return variant{}
}

// runOne runs a variant in this process and prints its keys, then the common ones.
func runOne(bug int, name string) {
	v := findVariant(bug, name)
	curBug, curVariant = bug, name
	start := memstats()
	after := v.run()
	readCommon().print()
	key("start_heap_alloc", int64(start.HeapAlloc))
	key("start_heap_objects", int64(start.HeapObjects))
	if after != nil {
		after()
	}
	flushKeys()
}

// selection parses -run.
func selection(run string) []int {
	var bugs []int
	if run == "all" {
		for b := range scenarios {
			bugs = append(bugs, b)
		}
		sort.Ints(bugs)
		return bugs
	}
	for _, w := range strings.Split(run, ",") {
		b, err := strconv.Atoi(w)
		if _, ok := scenarios[b]; err != nil || !ok {
			fmt.Fprintf(os.Stderr, "gocompare: -run: %q is not a scenario number (1..18)\n", w)
			os.Exit(2)
		}
		bugs = append(bugs, b)
	}
	return bugs
}

// runAll runs every selected variant in a child process; returns whether each
// ended as expected.
func runAll(run string) bool {
	bugs := selection(run)
	dir, err := os.MkdirTemp("", "gocompare-variants")
	if err != nil {
		fmt.Fprintf(os.Stderr, "gocompare: temp dir: %v\n", err)
		return false
	}
	defer os.RemoveAll(dir)
	makeInputs(dir)
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "gocompare: os.Executable: %v\n", err)
		return false
	}
	ok := true
	for _, b := range bugs {
		for _, v := range scenarios[b].variants {
			ok = runChild(self, dir, b, v) && ok
		}
	}
	return ok
}

// childTimeout bounds one variant's process: the slowest takes about a second.
const childTimeout = 2 * time.Minute

// runChild runs one variant in a fresh process and relays its keys.
func runChild(self, dir string, bug int, v variant) bool {
	ctx, cancel := context.WithTimeout(context.Background(), childTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, self, "-bug", strconv.Itoa(bug), "-variant", v.name, "-data", dir)
	env := []string{"GOMAXPROCS=1"}
	if v.godebug != "" {
		env = append(env, "GODEBUG="+v.godebug)
	}
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	os.Stdout.Write(stdout.Bytes())
	curBug, curVariant = bug, v.name
	outcome := "ok"
	if ctx.Err() != nil {
		outcome = fmt.Sprintf("killed after %v (a hang)", childTimeout)
	} else if err != nil {
		outcome = "failed"
		if strings.Contains(stderr.String(), "all goroutines are asleep - deadlock!") {
			outcome = "deadlock"
		}
	}
	want := v.outcome
	if want == "" {
		want = "ok"
	}
	if outcome != want {
		fmt.Fprintf(os.Stderr, "gocompare: bug %02d variant %s ended %s, expected %s: %v\n%s", bug, v.name, outcome, want, err, stderr.String())
		return false
	}
	fmt.Printf("bug=%02d variant=%s outcome=%s\n", bug, v.name, outcome)
	if v.trace != nil {
		v.trace(stderr.String())
	}
	flushKeys()
	return true
}

// The input files, at spanlab's scale=1 sizes: big.bin (bug 1's file) and
// data.gz (bug 2's compressed input).
const bigBinBytes = 12 << 20 // bug01_slice_pin.c FILE_BYTES_PER_SCALE
const gzDataBytes = 4 << 20  // bug02_buffer_bytes.c DATA_BYTES_PER_SCALE

func makeInputs(dir string) {
	big := make([]byte, bigBinBytes)
	for off := range big {
		big[off] = byte(off >> 15) // as spanlab's synthetic file: one value per 32 KiB read
	}
	must(os.WriteFile(dir+"/big.bin", big, 0o600))
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	chunk := make([]byte, 1<<16)
	for i := range chunk {
		chunk[i] = byte(i)
	}
	for n := 0; n < gzDataBytes; n += len(chunk) {
		w.Write(chunk)
	}
	must(w.Close())
	must(os.WriteFile(dir+"/data.gz", gz.Bytes(), 0o600))
}

func must(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "gocompare: %v\n", err)
		os.Exit(1)
	}
}
