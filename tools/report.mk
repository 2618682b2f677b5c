# The HTML report (tools/report.py): `make report` runs every scenario on the host
# with trace=1 and writes build/report/index.html and one page per scenario; the
# browser test (tests/tools/report_browser.sh) opens such a report in headless
# Chromium. README.md shows how to make the same report from a QEMU or PC serial log.
.PHONY: report
report: $(BUILD)/spanlab-host
	@mkdir -p $(BUILD)/report
	@echo "report: $(BUILD)/spanlab-host run=all trace=1 > $(BUILD)/report/run.log"
	$(Q)$(BUILD)/spanlab-host run=all trace=1 >$(BUILD)/report/run.log; \
	    echo "report: the run says: $$(tail -n 1 $(BUILD)/report/run.log)"
	$(Q)tools/report.py $(BUILD)/report/run.log -o $(BUILD)/report
