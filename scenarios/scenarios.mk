# The scenarios, their runner and report; and the hosted program that runs them
# as a Linux process (build/spanlab-host run=N ...).
PORTABLE_SRCS += $(filter-out scenarios/host_main.c,$(wildcard scenarios/*.c))

$(BUILD)/spanlab-host: scenarios/host_main.c $(BUILD)/libspanlab.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HCFLAGS_REL) -Wl,--whole-archive $(BUILD)/libspanlab.a -Wl,--no-whole-archive $< $(HLDLIBS) -o $@

all: $(BUILD)/spanlab-host
