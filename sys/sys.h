// sys: the narrow platform interface that mm/ and rt/ call, and nothing else.
//
// Go's runtime talks to its OS through a handful of verbs (runtime/mem_linux.go:
// sysReserve, sysMap, sysUsed, sysUnused, sysFree). spanlab keeps those verbs and
// adds the question Go cannot answer: which of these pages are resident?
// Two implementations exist: kernel/sys_kernel.c (our own page tables, demand-zero
// PTEs, a page-fault handler) and sys/linux_pages.c (mmap, mprotect, madvise,
// mincore). Nothing above this header knows which one it runs on.
//
// Page states (4 KiB granularity, the hardware page; runtime pages are 8 KiB):
//   reserved   address space set aside, any access faults
//   committed  usable, reads as zero on first touch, no frame yet
//   resident   committed and backed by a frame
//   lazyfree   released in SYS_RELEASE_FREE mode: no longer committed, but the
//              frame stays until memory pressure reclaims it (MADV_FREE)
// Counts nest as Go's statistics do: committed includes committed+resident pages,
// resident includes lazyfree pages (they still hold a frame), reserved counts every
// page of the range whatever its state.
#ifndef SPANLAB_SYS_H
#define SPANLAB_SYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sys/machine_x86_64.h" // SYS_INTERRUPT_CONTEXT, sys_highest_bit, sys_clear_bit

#define SYS_PAGE_SIZE 4096u

typedef enum sys_page_state {
    SYS_PAGE_UNMAPPED = 0, // not inside any reserved range
    SYS_PAGE_RESERVED,
    SYS_PAGE_COMMITTED,
    SYS_PAGE_RESIDENT,
    SYS_PAGE_LAZYFREE,
} sys_page_state_t;

typedef enum sys_release_mode {
    SYS_RELEASE_DONTNEED, // drop the frame now (MADV_DONTNEED): resident falls at once
    SYS_RELEASE_FREE,     // lazily freed (MADV_FREE): resident falls under pressure
} sys_release_mode_t;

typedef struct sys_page_counts {
    uint64_t reserved;  // pages in the range
    uint64_t committed; // committed pages, resident or not
    uint64_t resident;  // pages holding a frame (lazyfree ones included)
    uint64_t lazyfree;  // released in FREE mode, frame not yet reclaimed
} sys_page_counts_t;

// ---- address space -------------------------------------------------------

// Reserves bytes (a multiple of SYS_PAGE_SIZE) of address space aligned to align
// (a power of two >= SYS_PAGE_SIZE), named for reports. Costs no frames.
// Returns NULL when the address space is exhausted.
void *sys_reserve(size_t bytes, size_t align, const char *name);

// Commits [addr, addr+bytes) inside a reserved range: zero on first touch.
// Re-committing a lazyfree page keeps its frame (contents undefined, as sysUsed).
// Returns 0, or -1 when the range is not reserved.
int sys_commit(void *addr, size_t bytes);

// Releases [addr, addr+bytes): the pages go back to reserved (DONTNEED) or to
// lazyfree (FREE). Returns 0, or -1 when the range is not reserved.
int sys_release(void *addr, size_t bytes, sys_release_mode_t mode);

// Returns a whole range obtained from sys_reserve, frames and all.
void sys_unreserve(void *addr, size_t bytes);

// ---- the question Go cannot answer ---------------------------------------

// The state of the 4 KiB page holding addr.
sys_page_state_t sys_query(const void *addr);

// Adds the page counts of [addr, addr+bytes) to *out (which the caller zeroes).
void sys_count(const void *addr, size_t bytes, sys_page_counts_t *out);

// Fills states[i] with the state of page i of [addr, addr + npages*4096).
void sys_query_range(const void *addr, size_t npages, uint8_t *states);

// Page counts over every reserved range.
void sys_count_all(sys_page_counts_t *out);

// The default release mode, from the madv= option (dontneed unless madv=free).
sys_release_mode_t sys_default_release_mode(void);

// ---- goroutines and stacks (machine code: sys/ctxsw_x86_64.S, ctxsw_frame_x86_64.c)
// The machine half of a goroutine, built into both the kernel and the hosted
// library (the same x86-64 System V code runs in both).

// Saves the callee-saved registers on the current stack, stores the stack pointer
// in *save_sp and resumes the context saved at new_sp. Returns when switched back.
void ctxsw_switch(void **save_sp, void *new_sp);

// Resumes the context saved at new_sp, abandoning the current one. Never returns.
_Noreturn void ctxsw_jump(void *new_sp);

// Builds the first frame of a fresh stack whose usable top is top: resuming the
// returned stack pointer enters entry (which must never return) with the stack
// aligned as at a call and a zero frame pointer, which ends backtraces.
void *ctxsw_frame(void *top, void (*entry)(void));

// The caller's stack pointer at the call: every byte below it is dead.
uintptr_t sys_stack_pointer(void);

// The top of the calling thread's stack, above every frame of the program: the
// kernel's boot stack; hosted, main()'s own frame (sys/linux_main.c) on the thread
// that runs it, else the thread's whole stack as pthread knows it.
const void *sys_stack_top(void);

// ---- time, console, end of run -------------------------------------------

// Monotonic nanoseconds since boot (kernel) or since process start (hosted).
uint64_t sys_nanotime(void);

// A cheap cycle counter (rdtsc on both), for per-operation costs in benchmarks.
uint64_t sys_cycles(void);

// Writes len bytes to the console (serial and screen in the kernel, stdout hosted).
// Hosted, a failed write (a full disk, a closed pipe) is reported on stderr and makes
// sys_exit end the run as a failure.
void sys_write(const char *buf, size_t len);

// Returns the next input byte, or -1 when none is waiting. Never blocks.
int sys_getc(void);

// Calls fn when the timer ticks (interrupt context in the kernel; a signal or a
// poll hosted). fn must only set flags and be marked SYS_INTERRUPT_CONTEXT.
// *period_ns is the tick period.
void sys_set_tick_handler(void (*fn)(void), uint64_t *period_ns);

// Waits for an interrupt (hlt) or, hosted, sleeps until the next tick.
void sys_idle(void);

// Called by the fault handler for a fault inside a reserved-but-not-committed page;
// returns a message naming what the address belongs to (e.g. a goroutine's stack
// guard) or NULL. rt/ installs it; sys reports it in the fault diagnostic.
typedef const char *(*sys_fault_explainer_t)(uintptr_t addr);
void sys_set_fault_explainer(sys_fault_explainer_t fn);

// Ends the run: success selects exit status 33 under QEMU (quit=1), 0 hosted.
// A failure is 35 under QEMU, 1 hosted. Never returns.
_Noreturn void sys_exit(bool success);

// Prints "panic: <msg>" with a backtrace and ends the run as a failure.
_Noreturn void sys_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// Sets a function sys_panic calls after printing its report (message and
// backtrace) instead of ending the run; it receives the message and may longjmp
// out (the scenario runner ends the variant so). NULL restores ending the run.
// Returns the previous hook. A panic inside the hook ends the run.
typedef void (*sys_panic_hook_t)(const char *msg);
sys_panic_hook_t sys_set_panic_hook(sys_panic_hook_t fn);

// Bytes of physical memory the runtime may use (kernel: free frames at boot;
// hosted: the machine's physical memory). Scenarios compare their needs with it.
uint64_t sys_ram_bytes(void);

// printf to the console (formats with the libc subset in the kernel).
int sys_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// Writes the name of the function holding pc into buf (no offset): the kernel's
// symbol table, or hosted the dynamic symbols (dladdr). False when it is unknown.
bool sys_symbolize(uintptr_t pc, char *buf, size_t len);

// ---- the program -----------------------------------------------------------------
// Defined above sys by the program (scenarios/main.c), as a C program defines main;
// the kernel's kmain and the hosted main() call them once the platform is up.

typedef enum sys_run_result {
    SYS_RUN_NOTHING, // neither selftest= nor run= was given
    SYS_RUN_PASSED,
    SYS_RUN_FAILED,
} sys_run_result_t;

// Runs the self-tests selftest= names, then the scenarios run= names.
sys_run_result_t spanlab_main(void);

// Prints what a run can be asked to do (the scenarios, one line each).
void spanlab_list(void);

#endif
