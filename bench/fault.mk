# The page layer's fault/release cost benchmark: bench/vm_bench.c, through sys.h only,
# measured on the host by build/bench/fault_cost and by selftest=faultbench (a
# self-test by name only) in the kernel and in spanlab-host; bench/run_fault.sh runs
# them side by side.
BENCH_PROGS   += fault_cost
SELFTEST_SRCS += bench/vm_bench.c

$(BUILD)/bench/fault_cost: bench/fault_cost.c $(BUILD)/host-rel/bench/vm_bench.o $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS_REL) $^ $(HLDLIBS) -o $@
