# The lab kit (docs/labs/README.md): `make grade LAB=N` builds and runs lab N's tests,
# prints points per test and a total and writes $(BUILD)/grade/labN.json; `make grade`
# grades every lab. The items and points: tools/labs/grading.py.
.PHONY: grade
grade:
	$(Q)tools/grade $(if $(LAB),--lab $(LAB)) --build $(BUILD)
