# lmb - top-level Makefile: the set-up, build, run and test entry points of the project.
#
# CMake does the real build; this file only chains the steps a new user or CI needs:
#   make run           install missing Debian packages, configure, build, run the main job
#   make test          the same set-up, then ctest, the sanitizer build's ctest, the format check
#                      and a one-minute fuzzing run of every cycler-file reader
#   make build         set-up and build only (RelWithDebInfo, in build/)
#   make bench         build and run every benchmark of bench/ (they print their figures)
#   make format        apply clang-format to the C sources
#   make format-check  fail if a C source is not clang-formatted
#   make fuzz          build the libFuzzer targets of fuzz/ with clang (build-fuzz/), run each
#                      for FUZZ_TIME seconds
#   make fuzz-readers  only the cycler-file readers' targets, two at a time (part of make test)
#   make clean         remove build/, build-asan/, build-fuzz/ and out/
# CMake is configured only when a build directory has not been configured yet; after that
# `cmake --build` reruns it by itself whenever a CMakeLists.txt changes.

SHELL := /bin/bash
MAKEFLAGS += --no-print-directory
.DEFAULT_GOAL := build

BUILD_DIR  ?= build
ASAN_DIR   ?= build-asan
OUT        ?= out
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CTEST_JOBS ?= 2
CMAKE_ARGS ?=

LMB := $(BUILD_DIR)/lmb

# The main job of `make run`, kept in this one place: the reference study's campaign against the
# measured values, ending with the HTML report (the last line `make run` prints is its path).
MAIN_JOB = $(LMB) reproduce -o $(OUT)
MAIN_OUTPUT = $(OUT)/comparison.csv $(OUT)/comparison.json $(OUT)/report.html
MAIN_REPORT = $(OUT)/report.html

# The sanitizer build: optimised a little (-O1) so that the physics tests stay fast, with frame
# pointers for readable stacks; the sanitizer flags themselves come from LMB_SANITIZE=ON.
ASAN_CMAKE_ARGS = -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-O1 -g" -DLMB_SANITIZE=ON \
                  -DLMB_BUILD_BENCH=OFF
ASAN_ENV = ASAN_OPTIONS=detect_leaks=1 \
           LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan-suppressions.txt:print_suppressions=0 \
           UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# Fail when a test directory holds no test at all, so that a broken glob cannot pass silently.
CTEST = ctest --output-on-failure --no-tests=error -j$(CTEST_JOBS)

BENCHES := $(basename $(notdir $(wildcard bench/*.c)))

# Fuzzing (scripts/fuzz-run.sh): each fuzz/<name>.c runs FUZZ_TIME seconds; new inputs it finds
# are kept in $(FUZZ_DIR)/corpus/<name>, seeded from fuzz/corpus/<name>/ (if present) and from
# FUZZ_SEEDS_<name> (directories, or files whose first 64 KiB are taken). The readers of cycler
# files (fuzz_record_*) are seeded with the real files of the shared data by
# scripts/fuzz-readers.sh and run in `make test`, FUZZ_JOBS at a time.
FUZZ_DIR  ?= build-fuzz
FUZZ_TIME ?= 60
FUZZ_JOBS ?= 2
FUZZERS   := $(basename $(notdir $(wildcard fuzz/*.c)))
FUZZ_SEEDS_fuzz_cell_json = presets/li-li presets/li-cu presets/li-lfp presets/li-licoo2/reference.json
FUZZ_SEEDS_fuzz_protocol = protocols
FUZZ_SEEDS_fuzz_sweep = examples/sweep-coating.json
FUZZ_SEEDS_fuzz_table = presets/li-licoo2/licoo2_ocv.csv $(or $(LMB_SHARED_DIR),../shared)/cases/li-foil-licoo2/ocp_licoo2.csv
FUZZ_CMAKE_ARGS = -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLMB_FUZZ=ON \
                  -DLMB_BUILD_TESTS=OFF -DLMB_BUILD_BENCH=OFF -DLMB_BUILD_EXAMPLES=OFF

.PHONY: run test build bench fuzz fuzz-build fuzz-readers format format-check clean deps \
        test-unit test-asan

deps:
	@bash scripts/install-deps.sh

# A stamp written only after a successful configure: a configure that failed (say, a missing
# library) is retried by the next make instead of leaving a half-made build directory behind.
$(BUILD_DIR)/.lmb-configured: | deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_ARGS)
	@touch $@

$(ASAN_DIR)/.lmb-configured: | deps
	cmake -S . -B $(ASAN_DIR) $(ASAN_CMAKE_ARGS) $(CMAKE_ARGS)
	@touch $@

$(FUZZ_DIR)/.lmb-configured: | deps
	cmake -S . -B $(FUZZ_DIR) $(FUZZ_CMAKE_ARGS) $(CMAKE_ARGS)
	@touch $@

build: $(BUILD_DIR)/.lmb-configured
	cmake --build $(BUILD_DIR) -j$(JOBS)

run: build
	@mkdir -p $(OUT)
	$(MAIN_JOB)
	@echo
	@echo "lmb's output is in $(OUT)/:"
	@for f in $(MAIN_OUTPUT); do \
	    if [ -e "$$f" ]; then echo "    $$f"; else echo "    $$f (missing)"; exit 1; fi; \
	done
	@echo
	@echo "Report (open it in a browser, it needs no network): $(abspath $(MAIN_REPORT))"

test: test-unit test-asan format-check fuzz-readers

test-unit: build
	cd $(BUILD_DIR) && $(CTEST)

test-asan: $(ASAN_DIR)/.lmb-configured
	cmake --build $(ASAN_DIR) -j$(JOBS)
	cd $(ASAN_DIR) && $(ASAN_ENV) $(CTEST)

bench: build
	@if [ -z "$(BENCHES)" ]; then echo "no benchmarks in bench/"; fi
	@set -e; for b in $(BENCHES); do \
	    echo "== $$b"; \
	    ./$(BUILD_DIR)/$$b; \
	done

fuzz-build: $(FUZZ_DIR)/.lmb-configured
	cmake --build $(FUZZ_DIR) -j$(JOBS)

fuzz: fuzz-build
	@set -e; $(foreach f,$(filter-out fuzz_record_%,$(FUZZERS)), \
	    bash scripts/fuzz-run.sh $(FUZZ_DIR) $(f) $(FUZZ_TIME) $(wildcard fuzz/corpus/$(f)) \
	        $(FUZZ_SEEDS_$(f));)
	@$(MAKE) fuzz-readers

# The cycler-file readers, FUZZ_JOBS at a time (part of make test); the shared data is the one
# the build found.
fuzz-readers: fuzz-build | $(BUILD_DIR)/.lmb-configured
	bash scripts/fuzz-readers.sh $(FUZZ_DIR) $(FUZZ_TIME) $(FUZZ_JOBS) $(BUILD_DIR)

format: | deps
	bash scripts/check-format.sh --fix

format-check: | deps
	bash scripts/check-format.sh

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(FUZZ_DIR) $(OUT)
