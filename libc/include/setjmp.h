// setjmp/longjmp for the kernel (x86-64 System V): saves the callee-saved
// registers, the stack pointer and the return address. The scenario runner uses it
// to end a variant that panicked, deadlocked or ran out of memory.
#ifndef _SETJMP_H
#define _SETJMP_H

typedef unsigned long jmp_buf[8];

int setjmp(jmp_buf env) __attribute__((returns_twice));
_Noreturn void longjmp(jmp_buf env, int val);

#endif
