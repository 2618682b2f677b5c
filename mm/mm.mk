# The heap (mm/): arenas, page allocator, spans, size classes, mcentral/mcache,
# malloc, sweeping, stacks, scavenger, MemStats, metadata, and the residency report.
# The size-class tables are generated at build time by tools/mksizeclasses.c into
# $(BUILD)/gen/sizeclasses_gen.h.
CORE_SRCS += mm/meta.c mm/arena.c mm/pagealloc.c mm/span.c mm/sizeclass.c mm/mcentral.c \
             mm/mcache.c mm/malloc.c mm/sweep.c mm/mstats.c mm/heapdump.c mm/stack.c \
             mm/scavenge.c mm/residency.c

SIZECLASSES_GEN := $(BUILD)/gen/sizeclasses_gen.h

$(BUILD)/tools/mksizeclasses: tools/mksizeclasses.c
	@mkdir -p $(dir $@)
	$(Q)gcc -std=gnu11 -O2 -Wall -Wextra $< -o $@

$(SIZECLASSES_GEN): $(BUILD)/tools/mksizeclasses
	@mkdir -p $(dir $@)
	$(Q)$< $@.tmp && mv $@.tmp $@

SIZECLASS_OBJS := $(foreach b,kernel host-asan host-rel fuzz,$(BUILD)/$(b)/mm/sizeclass.o)
$(SIZECLASS_OBJS): $(SIZECLASSES_GEN)
$(BUILD)/kernel/mm/sizeclass.o: KCFLAGS += -I$(BUILD)/gen
$(BUILD)/host-asan/mm/sizeclass.o: HCFLAGS_ASAN += -I$(BUILD)/gen
$(BUILD)/host-rel/mm/sizeclass.o: HCFLAGS_REL += -I$(BUILD)/gen
