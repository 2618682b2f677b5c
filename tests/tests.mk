# Every test, registered here by kind. `make test` runs them all, `make test T=NAME`
# one by name (T=a,b several) and `make test K=KIND` one kind, always through
# tools/run-tests.sh with the suite's settings (ASan+UBSan, the same options);
# `make test-list` prints the names. A file under a kind's folder that is not
# registered here fails `make test`.
#
#   unit       tests/unit/NAME.c -> build/tests/NAME, a cmocka program under ASan+UBSan
#              (compiled to build/host-asan/tests/unit/NAME.o, then linked),
#              linked with the libraries of the layer it tests and those below only
#   selftest   tests/selftest/*.c: the in-image self-tests (SELFTEST, run by selftest=),
#              linked into the kernel and spanlab-host; image and unit tests run them
#   image      tests/image/NAME.sh: boots the image in QEMU and judges what it prints
#   scenario   tests/scenario/NAME.sh: scenario runs (host and QEMU) judged by
#              tools/check-results.py
#   gocompare  tests/gocompare/NAME.sh: spanlab against Go 1.19 running the same
#              programs (the unit tests of golib/ run the *_go119_cases.go here too)
#   tools      tests/tools/NAME.sh: the tools, the build and the layering check
#   fuzz       tests/fuzz/ (tests/fuzz.mk): libFuzzer targets; `make test` runs fuzz_smoke

# ---- unit tests, by what they link --------------------------------------------------

# sys, mm and rt: the runtime core alone (libspanlab-core), never golib.
UNIT_CORE := options_test sys_linux_test sizeclass_test pagealloc_test heap_alloc_test \
             heap_sweep_test heap_scavenge_test heap_stack_test heap_stats_test \
             heap_page_counts_test residency_test pacer_test gc_trace_test gc_mark_test \
             gc_random_test gc_inc_test gc_debug_test prof_test memtrace_test sched_goroutine_test \
             chan_test chan_select_test timer_test sync_test pool_test sched_gc_test \
             sched_fatal_test sched_selftest_test chan_stress_test core_alone_test \
             alloc_fold_test machine_test
# golib: the models of Go's library, over the core.
UNIT_GOLIB := slice_test str_test iface_test map_test buffer_test fmt_test defer_test \
              json_test context_test pprof_test
# scenarios: the runner's checks, over golib and the core.
UNIT_SCENARIOS := scenario_checks_test
# The pure kernel/ and boot/ files (no hardware access), over the core (sys_panic).
UNIT_PURE := frames_test vm_range_test fbcon_test acpi_test lapic_mode_test cpuinfo_test \
             gop_pick_test elf_check_test
# bench/vm_bench.c, the page layer's cost benchmark.
UNIT_BENCH := vm_bench_test
# libc/, beside glibc (below).
UNIT_LIBC := libc_format_test libc_string_test

UNIT_LIBS_CORE      := $(CORE_ASAN_LIB)
UNIT_LIBS_GOLIB     := $(GOLIB_ASAN_LIB) $(CORE_ASAN_LIB)
UNIT_LIBS_SCENARIOS := $(SCENARIOS_ASAN_LIB) $(GOLIB_ASAN_LIB) $(CORE_ASAN_LIB)
UNIT_LIBS_PURE      := $(PURE_ASAN_LIB) $(CORE_ASAN_LIB)
UNIT_LIBS_BENCH     := $(BUILD)/host-asan/bench/vm_bench.o $(CORE_ASAN_LIB)
$(foreach k,CORE GOLIB SCENARIOS PURE BENCH,\
    $(foreach t,$(UNIT_$(k)),$(eval TEST_LIBS_$(t) := $(UNIT_LIBS_$(k)))))
$(foreach t,$(UNIT_CORE) $(UNIT_GOLIB) $(UNIT_SCENARIOS) $(UNIT_PURE) $(UNIT_BENCH),\
    $(eval TEST_DEPS_$(t) = $$(TEST_LIBS_$(t))))

# Unit tests that run an in-image self-test on the host link its object.
SELFTEST_OBJ = $(BUILD)/host-asan/tests/selftest/$(1).o
TEST_LIBS_heap_stats_test   := $(call SELFTEST_OBJ,heap) $(TEST_LIBS_heap_stats_test)
TEST_LIBS_gc_debug_test     := $(call SELFTEST_OBJ,gc) $(TEST_LIBS_gc_debug_test)
TEST_LIBS_sched_selftest_test := $(call SELFTEST_OBJ,sched) $(TEST_LIBS_sched_selftest_test)
# core_alone_test links every object of the core: any reference out of it fails the link.
TEST_LIBS_core_alone_test   := -Wl,--whole-archive $(CORE_ASAN_LIB) -Wl,--no-whole-archive
TEST_DEPS_core_alone_test   := $(CORE_ASAN_LIB)

UNIT_GENERIC := $(UNIT_CORE) $(UNIT_GOLIB) $(UNIT_SCENARIOS) $(UNIT_PURE) $(UNIT_BENCH)
.SECONDEXPANSION:
$(patsubst %,$(BUILD)/tests/%,$(UNIT_GENERIC)): $(BUILD)/tests/%: $(BUILD)/host-asan/tests/unit/%.o \
    $$(TEST_DEPS_$$*)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS_ASAN) $< $(TEST_LIBS_$*) -lcmocka $(HLDLIBS) -o $@

# The libc's own sources, every symbol renamed to spl_* (libc/test_names.h), so they
# link beside glibc and the tests compare the two.
LIBC_TEST_CFLAGS = $(HCFLAGS_ASAN) -ffreestanding -nostdinc -isystem libc/include \
                    -isystem $(GCC_INCLUDE) -include libc/test_names.h
LIBC_TEST_OBJS := $(patsubst %.c,$(BUILD)/libc-test/%.o,$(LIBC_TEST_SRCS))
$(LIBC_TEST_OBJS): $(BUILD)/libc-test/%.o: %.c libc/test_names.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LIBC_TEST_CFLAGS) -c $< -o $@
$(patsubst %,$(BUILD)/tests/%,$(UNIT_LIBC)): $(BUILD)/tests/%: $(BUILD)/host-asan/tests/unit/%.o \
    $(LIBC_TEST_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS_ASAN) $^ -lcmocka $(HLDLIBS) -o $@

# ---- self-tests ------------------------------------------------------------------------

# Portable ones, in the kernel and spanlab-host; the kernel's page layer's own.
SELFTEST_SRCS += tests/selftest/heap.c tests/selftest/gc.c tests/selftest/sched.c \
                 tests/selftest/golib.c
KERNEL_SRCS   += tests/selftest/vm.c tests/selftest/heappages.c

# ---- scripts ---------------------------------------------------------------------------

TESTS_image := boot_bad_kernel boot_timeout image_gpt usb_boot menu_countdown menu_poweroff \
               menu_scenario menu_typing kernel_badopt kernel_banner kernel_double_fault \
               kernel_nmi kernel_prompt kernel_stack_overflow keys_poweroff screen_banner \
               selftest_all selftest_fault selftest_oom selftest_oomhook selftest_sched \
               selftest_sched_deadlock selftest_sched_overflow selftest_vm gc_selftest \
               golib_selftest pc_matrix_quick pc_timer_descheduled run_keys_reboot \
               run_keys_ctrlc
TESTS_scenario := scenarios_host scenarios_all scenarios_debug_modes scenarios_host_failures \
                  scenarios_small_ram scenarios_all_skipped labseed_host scenarios_gcmodes_qemu \
                  scenarios_same_every_run
TESTS_gocompare := variants_vs_go
TESTS_tools := check_layers core_alone run_tests_counts make_deps_first mutants_selfcheck live_deps \
               report_browser run_gc_checks labs_markers labs_grade_host labs_grade_kernel \
               labs_batch_grade labs_drift result_compare_checks

# ---- make test, test-core, test-list ----------------------------------------------------

TEST_KINDS := unit image scenario gocompare tools
UNIT_TESTS := $(UNIT_GENERIC) $(UNIT_LIBC) fuzz_smoke
TEST_SCRIPTS := $(foreach k,image scenario gocompare tools,\
                  $(patsubst %,tests/$(k)/%.sh,$(TESTS_$(k))))
TEST_NAMES := $(UNIT_TESTS) $(basename $(notdir $(TEST_SCRIPTS)))
TESTS_COMMA := ,
T ?=
K ?=
TEST_PICKED := $(if $(T),$(subst $(TESTS_COMMA), ,$(T)),$(if $(K),,$(TEST_NAMES)))
TEST_PICKED += $(foreach k,$(subst $(TESTS_COMMA), ,$(K)),$(if $(filter unit,$(k)),$(UNIT_TESTS),\
                 $(basename $(notdir $(filter tests/$(k)/%,$(TEST_SCRIPTS))))))
TEST_UNITS := $(patsubst %,$(BUILD)/tests/%,$(filter $(TEST_PICKED),$(UNIT_TESTS)))
TEST_RUN_SCRIPTS := $(foreach s,$(TEST_SCRIPTS),$(if $(filter $(basename $(notdir $(s))),$(TEST_PICKED)),$(s)))
ifneq ($(filter test,$(MAKECMDGOALS)),)
ifneq ($(filter-out $(TEST_NAMES),$(TEST_PICKED)),)
$(error make test T=$(T): no test named $(filter-out $(TEST_NAMES),$(TEST_PICKED)) (make test-list names them))
endif
ifneq ($(filter-out $(TEST_KINDS),$(subst $(TESTS_COMMA), ,$(K))),)
$(error make test K=$(K): the kinds are $(TEST_KINDS))
endif
endif
# Test files no list above names: nobody would run them.
TEST_UNREGISTERED = $(filter-out $(patsubst %,tests/unit/%.c,$(UNIT_TESTS)) $(TEST_SCRIPTS),\
                      $(wildcard tests/unit/*.c $(foreach k,image scenario gocompare tools,tests/$(k)/*.sh)))

.PHONY: test test-core test-list
# Scripts use the image and spanlab-host: `all` first when any runs.
test: $(TEST_UNITS) $(if $(TEST_RUN_SCRIPTS),all)
	$(if $(TEST_UNREGISTERED),$(error not registered in tests/tests.mk: $(TEST_UNREGISTERED)))
	$(Q)tools/run-tests.sh $(TEST_UNITS) -- $(TEST_RUN_SCRIPTS)

# The runtime core's tests, built from the core's sources alone (golib/ and scenarios/
# are not even compiled: tests/tools/core_alone.sh checks that).
test-core: $(patsubst %,$(BUILD)/tests/%,$(UNIT_CORE))
	$(Q)tools/run-tests.sh $^ --

test-list:
	@echo "unit:      $(UNIT_TESTS)"
	@$(foreach k,image scenario gocompare tools,echo "$(k): $(TESTS_$(k))";)

# docs/fidelity.md, the table of every variant's keys against Go 1.19, regenerated
# from one run (the gocompare test variants_vs_go fails when it is out of date).
.PHONY: fidelity-doc
fidelity-doc: $(BUILD)/spanlab-host
	$(Q)tools/fidelity-doc.sh
