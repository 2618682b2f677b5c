// Prints Sprintf cases with Go's own results for tests/unit/fmt_test.c, which runs
// this program with Go 1.19 and compares spanlab's gofmt_sprintf case by case.
// One line per case: kind (i, u, f, s, b; I, B, S for []int64, []byte, []string
// whose value is "N" for nil or "L" and the elements: "1,-2", bytes, or strings
// separated by NUL), the format, the value and Go's result,
// every field hex-encoded (floats as their IEEE bits) so nothing needs escaping.
package main

import (
	"encoding/hex"
	"fmt"
	"math"
	"strings"
)

func h(s string) string { return hex.EncodeToString([]byte(s)) }

// enc describes a slice value: "N" for nil, else "L" and its elements.
func enc(isNil bool, elems string) string {
	if isNil {
		return "N"
	}
	return "L" + elems
}

func main() {
	ints := []int64{0, 7, -7, 255, 256, -1000, 123456789, math.MinInt64, math.MaxInt64}
	ifmts := []string{"%d", "%5d", "%-5d|", "%05d", "%+d", "% d", "%x", "%X", "%#x", "%o",
		"%#o", "%b", "%.3d", "%8.3d", "%v", "%-+6d|", "%s", "%t", "%.0d", "%x|%d"}
	for _, f := range ifmts {
		for _, v := range ints {
			fmt.Printf("i %s %x %s\n", h(f), uint64(v), h(fmt.Sprintf(f, v)))
		}
	}
	uints := []uint64{0, 255, 256, math.MaxUint64}
	for _, f := range []string{"%d", "%x", "%v", "%08b|"} {
		for _, v := range uints {
			fmt.Printf("u %s %x %s\n", h(f), v, h(fmt.Sprintf(f, v)))
		}
	}
	floats := []float64{0, 1, -1, 0.5, 3.14159, 1e21, 1e20, 123456.789, 1e-7, 2.5e-300,
		math.MaxFloat64, math.Copysign(0, -1), 100, 1234567, 0.000123, 1.0 / 3, 2.0 / 3,
		math.Inf(1), math.Inf(-1), math.NaN(), 5e-324, 0.1 + 0.7}
	ffmts := []string{"%v", "%f", "%.2f", "%8.3f", "%-9.1f|", "%e", "%.3e", "%E", "%g",
		"%.3g", "%G", "%+.1f", "%010.3f", "% f", "%.0f", "%6v|", "%d"}
	for _, f := range ffmts {
		for _, v := range floats {
			fmt.Printf("f %s %x %s\n", h(f), math.Float64bits(v), h(fmt.Sprintf(f, v)))
		}
	}
	strs := []string{"", "a", "hello", "tab\there", "quote\"s", "back\\slash", "\x01\x7f", "0123456789abcdef"}
	sfmts := []string{"%s", "%q", "%x", "%X", "%10s|", "%-10s|", "%.2s", "%v", "%5.1s|", "%d", "%q|%s"}
	for _, f := range sfmts {
		for _, v := range strs {
			fmt.Printf("s %s %s %s\n", h(f), h(v), h(fmt.Sprintf(f, v)))
		}
	}
	slices := [][]int64{nil, {}, {1}, {1, -2, 300}}
	for _, f := range []string{"%v", "%d", "%x", "%5d|", "%s"} {
		for _, v := range slices {
			fmt.Printf("I %s %s %s\n", h(f), h(enc(v == nil, strings.Trim(strings.Join(strings.Fields(fmt.Sprint(v)), ","), "[]"))), h(fmt.Sprintf(f, v)))
		}
	}
	bslices := [][]byte{nil, []byte("hi"), []byte("a\x00\xff")}
	for _, f := range []string{"%v", "%s", "%q", "%x", "%X", "%d"} {
		for _, v := range bslices {
			fmt.Printf("B %s %s %s\n", h(f), h(enc(v == nil, string(v))), h(fmt.Sprintf(f, v)))
		}
	}
	sslices := [][]string{nil, {"a", "b c"}}
	for _, f := range []string{"%v", "%q", "%s"} {
		for _, v := range sslices {
			fmt.Printf("S %s %s %s\n", h(f), h(enc(v == nil, strings.Join(v, "\x00"))), h(fmt.Sprintf(f, v)))
		}
	}
	for _, f := range []string{"%t", "%v", "%6t|", "%d"} {
		for _, v := range []bool{true, false} {
			b := 0
			if v {
				b = 1
			}
			fmt.Printf("b %s %x %s\n", h(f), b, h(fmt.Sprintf(f, v)))
		}
	}
}
