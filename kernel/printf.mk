# sys_printf receives doubles (%f in the scenario reports): a variadic function
# built -mgeneral-regs-only cannot, so this one kernel/ file may use SSE. It never
# runs in interrupt context.
KERNEL_SRCS += kernel/sys_printf.c
$(BUILD)/kernel/kernel/sys_printf.o: KCFLAGS_NOSIMD :=
