# Scheduler benchmarks (standalone, build/bench/): goroutine switch, unbuffered
# channel ping-pong, timer heap insert+delete, and their Go 1.19 twins
# (bench/sched_go/NAME.go -> build/bench/go_sched_NAME); bench/run_sched.sh runs
# them side by side (GOMAXPROCS=1) and prints the ratios.
SCHED_BENCHES := sched_switch sched_pingpong sched_timers
BENCH_PROGS += $(SCHED_BENCHES)
bench: $(patsubst sched_%,$(BUILD)/bench/go_sched_%,$(SCHED_BENCHES))

$(patsubst %,$(BUILD)/bench/%,$(SCHED_BENCHES)): $(BUILD)/bench/%: bench/%.c $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS_REL) $< $(CORE_LIB) $(HLDLIBS) -o $@
$(BUILD)/bench/go_sched_%: bench/sched_go/%.go
	@mkdir -p $(dir $@)
	$(Q)GOCACHE=$(abspath $(BUILD))/gocache GO111MODULE=off \
	    /usr/lib/go-1.19/bin/go build -o $(abspath $@) $<
