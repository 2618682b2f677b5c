// vm_bench: the page layer's cost benchmark, portable so the kernel
// (selftest=faultbench, under QEMU) and the host (build/bench/fault_cost) measure
// the same operations the same way. Each measurement prints one line:
//   FAULTBENCH env=kernel|hosted op=OP pages=N chunk=C cycles_per_page=X ns_per_page=Y
// (integers; the median of the rounds). Ops:
//   first_touch       write one byte to each freshly committed page (demand-zero fault)
//   release_dontneed  sys_release(DONTNEED) of touched pages, C pages per call
//   release_free      sys_release(FREE) of touched pages, C pages per call
//   reuse_lazyfree    commit + write again pages released with FREE (no new frame)
//   refault_dontneed  commit + write again pages released with DONTNEED (new frame)
#ifndef SPANLAB_VM_BENCH_H
#define SPANLAB_VM_BENCH_H

#include <stdbool.h>
#include <stddef.h>

#define VM_BENCH_MAX_ROUNDS 32

// Runs every measurement over a range of `pages` 4 KiB pages, `rounds` times each
// (1..VM_BENCH_MAX_ROUNDS). Returns false when a page count check failed (the
// pages the benchmark touched were not all resident, or release did not drop them)
// or the range could not be reserved.
bool vm_bench_run(size_t pages, int rounds);

#endif
