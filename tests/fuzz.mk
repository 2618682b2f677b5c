# Fuzzing (libFuzzer via clang, ASan+UBSan): tests/fuzz/NAME_fuzz.c -> build/fuzz/NAME_fuzz,
# every target linked against one instrumented copy of the hosted libraries,
# build/fuzz/libspanlab-fuzz.a (the core, golib and the loader's ELF checker, rebuilt with
# -fsanitize=fuzzer-no-link,address,undefined). tests/fuzz/run.sh runs one target:
# seeds from tests/fuzz/corpus/NAME/, findings to build/fuzz/findings/.
#   make fuzz [FUZZ_TIME=seconds] [FUZZ_TARGETS='elf json']   each target, one after another
#   make test: build/tests/fuzz_smoke runs each for FUZZ_SMOKE_TIME seconds, fails on a finding
# The library is listed from every folder's sources: the Makefile reads this file after
# every folder's fragment.
FUZZ_TARGETS    ?= elf options json gc
FUZZ_TIME       ?= 600
FUZZ_SMOKE_TIME ?= 5
FUZZ_CC         := clang
# ASan's fake stacks are off: the collector's conservative stack scan must see real frames.
FUZZ_CFLAGS     := -std=gnu11 -g -O1 -I. -I$(BUILD)/gen -DSPANLAB_HOSTED=1 -pthread -MMD -MP \
                   -fno-omit-frame-pointer -fsanitize=address,undefined \
                   -fsanitize-address-use-after-return=never -fno-sanitize-recover=undefined
FUZZ_LIB        := $(BUILD)/fuzz/libspanlab-fuzz.a
FUZZ_LIB_SRCS    = $(CORE_SRCS) $(CORE_HOST_SRCS) $(GOLIB_SRCS) $(GOLIB_HOST_SRCS) \
                   $(filter boot/%,$(PURE_SRCS))
FUZZ_LIB_OBJS    = $(patsubst %,$(BUILD)/fuzz/%.o,$(basename $(FUZZ_LIB_SRCS)))
FUZZ_BINS       := $(patsubst %,$(BUILD)/fuzz/%_fuzz,$(FUZZ_TARGETS))

$(BUILD)/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@
$(BUILD)/fuzz/%.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

.SECONDEXPANSION:
$(FUZZ_LIB): $$(FUZZ_LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/fuzz/%_fuzz: tests/fuzz/%_fuzz.c $(FUZZ_LIB)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_LIB) -lm -o $@

# make test's bounded run of every target: one cmocka test per target (tests/tests.mk
# registers it as the unit test fuzz_smoke).
$(BUILD)/tests/fuzz_smoke: tests/fuzz/smoke_test.c tests/fuzz/run.sh $(FUZZ_BINS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS) -DFUZZ_SMOKE_TIME=$(FUZZ_SMOKE_TIME) \
	    -DFUZZ_TARGETS='"$(FUZZ_TARGETS)"' $< -lcmocka -o $@

.PHONY: fuzz
fuzz: $(FUZZ_BINS)
	$(Q)status=0; for t in $(FUZZ_TARGETS); do \
	    tests/fuzz/run.sh $$t $(FUZZ_TIME) || status=1; done; exit $$status
