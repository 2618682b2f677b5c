// Bug 2: bytes.Buffer.Bytes() hands out the buffer's whole array
// (scenarios/bug02_buffer_bytes.c). The original text's Decompress, reading a
// gzip file that expands to 4 MiB (spanlab's scale=1 size; the text's ~50 MiB),
// 8 times (the text's 50). buggy keeps b[:4096], threeindex b[:4096:4096] (the
// text's remark that a three-index slice does not help), fixed a 4 KiB copy.
package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"runtime"
)

const bug02Iterations = 8
const bug02Keep = 4096

var bug02BufferCap int // what buf.Cap() was when Decompress returned

// Decompress reads ~500 KiB compressed, expands to ~50 MiB, hands back the result.
func Decompress(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, gz); err != nil {
		return nil, err
	}
	bug02BufferCap = buf.Cap() // measurement: the array Bytes() aliases
	return buf.Bytes(), nil
}

func bug02(keep func(b []byte) []byte) func() func() {
	return func() func() {
		results := make([][]byte, 0, bug02Iterations)
		for i := 0; i < bug02Iterations; i++ {
			b, err := Decompress(dataDir + "/data.gz")
			if err != nil {
				fail("%v", err)
			}
			results = append(results, keep(b)) // we only keep the header
		}
		retained := heapAllocAfterGC()
		key("iterations", bug02Iterations)
		key("data_bytes", gzDataBytes)
		key("buffer_cap", int64(bug02BufferCap))
		key("kept_cap", int64(cap(results[0])))
		key("retained_bytes", int64(retained))
		runtime.KeepAlive(results)
		return nil
	}
}

func init() {
	register(2,
		variant{name: "buggy", run: bug02(func(b []byte) []byte { return b[:4096] })},
		variant{name: "threeindex", run: bug02(func(b []byte) []byte { return b[:4096:4096] })},
		variant{name: "fixed", run: bug02(func(b []byte) []byte {
			c := make([]byte, bug02Keep)
			copy(c, b[:4096])
			return c
		})},
	)
}
