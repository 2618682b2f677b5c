# make mutants [M=NAME[,NAME...]]: the mutation suite (tools/mutants/README.md). Each
# tools/mutants/NAME.mut is applied in turn to one scratch copy of the tracked tree
# (build/mutants/tree), built incrementally, and the tests it names must notice it;
# any mutant that survives or cannot be applied fails the goal. Not part of `make
# test` (it takes minutes); the runner's own check is: it must report an
# identity mutant as SURVIVED (tests/tools/mutants_selfcheck.sh, no QEMU).
MUTANTS_COMMA := ,
.PHONY: mutants
mutants:
	$(Q)tools/mutants/run.py $(subst $(MUTANTS_COMMA), ,$(M))
