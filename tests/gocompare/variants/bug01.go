// Bug 1: a small slice of a large read pins the whole backing array
// (scenarios/bug01_slice_pin.c). The original text's Header and main, at
// spanlab's scale=1 sizes: a 12 MiB file (the text's 200 MiB) read 8 times (the
// text's 100). fixed copies the header out (bytes.Clone is Go 1.20; make+copy
// is its Go 1.19 spelling).
package main

import (
	"os"
	"runtime"
)

const bug01Iterations = 8

// Header keeps only the first 64 bytes of the file but the rest is unreachable... right?
func Header(path string) ([]byte, error) {
	data, err := os.ReadFile(path) // file is 200 MiB
	if err != nil {
		return nil, err
	}
	return data[:64], nil
}

// HeaderCopy is the fix: copy out, then let the original go.
func HeaderCopy(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	h := make([]byte, 64)
	copy(h, data[:64])
	return h, nil
}

func bug01(header func(string) ([]byte, error)) func() func() {
	return func() func() {
		hdrs := make([][]byte, 0, bug01Iterations)
		for i := 0; i < bug01Iterations; i++ {
			h, err := header(dataDir + "/big.bin")
			if err != nil {
				fail("%v", err)
			}
			hdrs = append(hdrs, h)
		}
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		key("iterations", bug01Iterations)
		key("file_bytes", bigBinBytes)
		key("retained_bytes", int64(m.HeapAlloc))
		key("kept_cap", int64(cap(hdrs[0])))
		runtime.KeepAlive(hdrs)
		return nil
	}
}

func init() {
	register(1,
		variant{name: "buggy", run: bug01(Header)},
		variant{name: "fixed", run: bug01(HeaderCopy)},
	)
}
