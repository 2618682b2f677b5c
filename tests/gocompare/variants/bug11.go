// Bug 11: []byte(string) in a hot path (scenarios/bug11_bytes_conversion.c).
// The original text's sha256.Sum256([]byte(k)), 20,000 calls (spanlab's
// scale=1) with a 16-byte and then a 64-byte key (spanlab's two keys). fixed is
// the text's fix: the text writes unsafe.Slice(unsafe.StringData(s), len(s)),
// and unsafe.StringData is Go 1.20; its Go 1.19 spelling reads the string
// header's data pointer: unsafe.Slice(*(**byte)(unsafe.Pointer(&k)), len(k)).
// spanlab hashes with FNV-1a standing for SHA-256: neither keeps the bytes.
package main

import (
	"crypto/sha256"
	"unsafe"
)

const bug11Calls = 20000
const key64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

var bug11Sum [32]byte

//go:noinline
func hashConvert(k string, calls int) uint64 {
	m0 := mallocs()
	for i := 0; i < calls; i++ {
		bug11Sum = sha256.Sum256([]byte(k)) // BUG: allocates per call
	}
	return mallocs() - m0
}

//go:noinline
func hashView(k string, calls int) uint64 {
	m0 := mallocs()
	for i := 0; i < calls; i++ {
		b := unsafe.Slice(*(**byte)(unsafe.Pointer(&k)), len(k))
		bug11Sum = sha256.Sum256(b)
	}
	return mallocs() - m0
}

func bug11(hash func(string, int) uint64) func() func() {
	return func() func() {
		k16, k64 := key64[:16], key64
		m16 := hash(k16, bug11Calls)
		m64 := hash(k64, bug11Calls)
		key("calls", bug11Calls)
		key("allocs_per_call_16", int64(m16/bug11Calls))
		key("allocs_per_call_64", int64(m64/bug11Calls))
		return nil
	}
}

func init() {
	register(11,
		variant{name: "buggy", run: bug11(hashConvert)},
		variant{name: "fixed", run: bug11(hashView)},
	)
}
