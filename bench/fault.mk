# The page layer's fault/release cost benchmark (issue 3): build/bench/fault_cost
# on the host; bench/run_fault.sh runs it beside the kernel's selftest=faultbench.
BENCH_PROGS += fault_cost

$(BUILD)/bench/fault_cost: bench/fault_cost.c $(BUILD)/libspanlab.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS_REL) $< $(BUILD)/libspanlab.a $(HLDLIBS) -o $@
