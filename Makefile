# The short commands. CMake does the building (build/ for the normal build,
# build-asan/ for the sanitizer build, build-fuzz/ for libFuzzer targets,
# build-clang/ for the clang -Werror build).
# `make run` and `make test` install what is missing first (Debian packages).

BUILD      ?= build
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECS  ?= 20
PREFIX     ?= /usr/local
CMAKE_ARGS ?=

.PHONY: all deps configure run test asan tsan fuzz clang bench install clean format tidy

all: configure
	cmake --build $(BUILD) -j $(JOBS)

deps:
	@bash scripts/install-deps.sh

configure:
	@test -f $(BUILD)/CMakeCache.txt || cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_ARGS)

run: deps all
	@bash scripts/run.sh $(BUILD)

test: deps all
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

asan: deps
	@test -f build-asan/CMakeCache.txt || cmake -S . -B build-asan -DFR_SANITIZE=ON -DFR_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -j $(JOBS)

# ThreadSanitizer over the tests that run the multi-threaded server (and the
# unit tests of what it shares between threads).
TSAN_TESTS ?= cli\.(server|hardening|manifest|openapi|admit|sync|purge)|unit\.test_(booth|store|screen)$$
tsan: deps
	@test -f build-tsan/CMakeCache.txt || cmake -S . -B build-tsan -DFR_TSAN=ON -DFR_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build build-tsan -j $(JOBS)
	cd build-tsan && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$(CURDIR)/scripts/tsan.supp" \
		ctest --output-on-failure -j $(JOBS) -R '$(TSAN_TESTS)'

# clang-tidy with the checks in .clang-tidy, over the library and the program.
tidy: configure
	@bash scripts/tidy.sh $(BUILD) $(TIDY_CHECKS)

# Everything (library, programs, tests, benchmarks) built with clang and
# -Werror: clang warns where gcc does not (-Wstring-concatenation, ...).
clang: deps
	@test -f build-clang/CMakeCache.txt || CC=clang cmake -S . -B build-clang -DCMAKE_BUILD_TYPE=Debug
	cmake --build build-clang -j $(JOBS)

fuzz: deps
	@test -f build-fuzz/CMakeCache.txt || CC=clang cmake -S . -B build-fuzz -DFR_FUZZ=ON -DFR_TESTS=OFF -DFR_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug
	cmake --build build-fuzz -j $(JOBS)
	@bash scripts/fuzz.sh build-fuzz $(FUZZ_SECS)

bench: deps all
	@bash scripts/bench.sh $(BUILD)

install: all
	cmake --install $(BUILD)

format:
	clang-format -i $$(git ls-files "*.c" "*.h")

clean:
	rm -rf $(BUILD) build-asan build-tsan build-fuzz build-clang
