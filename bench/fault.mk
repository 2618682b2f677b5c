# The page layer's fault/release cost benchmark: bench/vm_bench.c, through sys.h only,
# measured on the host by build/bench/fault_cost and by selftest=faultbench in the
# kernel and in spanlab-host; bench/run_fault.sh runs them side by side.
BENCH_PROGS   += fault_cost
PORTABLE_SRCS += bench/vm_bench.c
HOST_TESTS    += vm_bench_test

$(BUILD)/bench/fault_cost: bench/fault_cost.c $(BUILD)/libspanlab.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS_REL) $< $(BUILD)/libspanlab.a $(HLDLIBS) -o $@
