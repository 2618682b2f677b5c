# make fuzz-gc: (included after every module fragment, so all sources are listed)
# the collector's libFuzzer target (clang), the whole hosted library
# rebuilt with -fsanitize=fuzzer-no-link,address,undefined into $(BUILD)/fuzz/.
# ASan's fake stacks are off: the conservative stack scan must see real frames.
GC_FUZZ_CC     := clang
GC_FUZZ_CFLAGS := -std=gnu11 -g -O1 -I. -I$(BUILD)/gen -DSPANLAB_HOSTED=1 -pthread -MMD -MP \
                  -fno-omit-frame-pointer -fsanitize=address,undefined \
                  -fsanitize-address-use-after-return=never -fno-sanitize-recover=undefined
GC_FUZZ_OBJS   := $(patsubst %,$(BUILD)/fuzz/%.o,$(basename $(PORTABLE_SRCS) $(HOST_SRCS)))
FUZZ_TIME      ?= 60

$(BUILD)/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(GC_FUZZ_CC) $(GC_FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@
$(BUILD)/fuzz/%.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(GC_FUZZ_CC) $(GC_FUZZ_CFLAGS) -c $< -o $@
$(BUILD)/fuzz/mm/sizeclass.o: $(SIZECLASSES_GEN)

$(BUILD)/fuzz/gc_fuzz: tests/fuzz/gc_fuzz.c tests/host/gc_graph_model.h $(GC_FUZZ_OBJS)
	$(Q)$(GC_FUZZ_CC) $(GC_FUZZ_CFLAGS) -fsanitize=fuzzer $< $(GC_FUZZ_OBJS) -lm -o $@

.PHONY: fuzz-gc
fuzz-gc: $(BUILD)/fuzz/gc_fuzz
	@mkdir -p $(BUILD)/fuzz/gc_corpus
	ASAN_OPTIONS=detect_leaks=0:detect_stack_use_after_return=0 \
	    $(BUILD)/fuzz/gc_fuzz -max_total_time=$(FUZZ_TIME) -max_len=4096 $(BUILD)/fuzz/gc_corpus
