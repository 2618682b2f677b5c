# Scheduler benchmarks (standalone, build/bench/): goroutine switch, unbuffered
# channel ping-pong, timer heap insert+delete; bench/run_sched.sh runs them beside
# their Go 1.19 twins (bench/sched_go/, GOMAXPROCS=1) and prints the ratios.
SCHED_BENCHES := sched_switch sched_pingpong sched_timers
BENCH_PROGS += $(SCHED_BENCHES)

$(patsubst %,$(BUILD)/bench/%,$(SCHED_BENCHES)): $(BUILD)/bench/%: bench/%.c $(BUILD)/libspanlab.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS_REL) $< $(BUILD)/libspanlab.a $(HLDLIBS) -o $@
