# Learning Dynamics Explorer — the commands a newcomer needs:
#   make serve   build the wasm and serve the explorer on http://127.0.0.1:8000
#   make test    every test: native cargo test, wasm-bindgen-test in headless Chromium, end-to-end in Chromium
#   make bench   kernels natively, as wasm (SIMD and scalar) and as numpy in one run (ratios), then in-browser timings
#   make dist    a self-contained folder (page + optimised wasm) for any static host
# Each target installs what is missing first (see scripts/setup.sh).

WASM_BINDGEN_VERSION := 0.2.130
PORT ?= 8000
WASM := target/wasm32-unknown-unknown/release/lde.wasm
WASM_OPT_FEATURES := --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals
SCALAR := CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS='-C target-feature=-simd128'

.PHONY: serve test lint test-native test-wasm test-e2e bench bench-presets dist wasm setup setup-browser clean

setup:
	@WASM_BINDGEN_VERSION=$(WASM_BINDGEN_VERSION) bash scripts/setup.sh

setup-browser: setup
	@bash scripts/setup.sh browser

# Two builds of the same crate: SIMD128 (.cargo/config.toml) and scalar, for browsers without
# SIMD; they share one JS glue (checked) and www/wasm.js picks one at load.
wasm: setup
	cargo build --release --lib --target wasm32-unknown-unknown
	$(SCALAR) cargo build --release --lib --target wasm32-unknown-unknown --target-dir target/scalar
	wasm-bindgen --target web --out-dir www/pkg --out-name lde $(WASM)
	wasm-bindgen --target web --out-dir target/scalar/pkg --out-name lde target/scalar/$(WASM:target/%=%)
	cmp www/pkg/lde.js target/scalar/pkg/lde.js
	cp target/scalar/pkg/lde_bg.wasm www/pkg/lde_bg_scalar.wasm

serve: wasm
	@node scripts/serve.mjs www $(PORT)

test: setup-browser
	$(MAKE) lint
	$(MAKE) test-native
	$(MAKE) test-wasm
	$(MAKE) test-e2e

lint:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings

test-native:
	cargo test --all-targets

# WASM_BINDGEN_TEST_TIMEOUT: the runner's whole-suite watchdog (20 s by default); the debug-built
# suite draws every view and takes close to that on a slow 2-core VM, so it gets room, not a target
test-wasm:
	WASM_BINDGEN_TEST_TIMEOUT=180 CHROMEDRIVER=$$(command -v chromedriver) \
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	cargo test --target wasm32-unknown-unknown --test web

test-e2e: wasm
	node --test --test-concurrency=1 tests/browser/

NUMPY_KERNELS ?= ../shared/bench/numpy_kernels.py

# Kernel ratios from one run (native, wasm SIMD and scalar under Node, independent numpy), then
# the in-browser timings; the tables also go to target/bench-*.md.
bench: wasm setup-browser
	cargo build --release --lib --target wasm32-unknown-unknown --features bench
	$(SCALAR) cargo build --release --lib --target wasm32-unknown-unknown --features bench --target-dir target/scalar
	wasm-bindgen --target nodejs --out-dir target/bench-pkg --out-name lde $(WASM)
	wasm-bindgen --target nodejs --out-dir target/bench-pkg-scalar --out-name lde target/scalar/$(WASM:target/%=%)
	echo '{"type": "commonjs"}' > target/bench-pkg/package.json
	echo '{"type": "commonjs"}' > target/bench-pkg-scalar/package.json
	python3 -c 'import numpy' 2>/dev/null || python3 -m pip install --quiet numpy
	cargo bench --bench kernels > target/bench-native.jsonl
	python3 $(NUMPY_KERNELS) > target/bench-numpy.jsonl
	python3 scripts/numpy_sizes.py $(NUMPY_KERNELS) >> target/bench-numpy.jsonl
	node scripts/bench.mjs target/bench-native.jsonl target/bench-pkg/lde.js target/bench-pkg-scalar/lde.js target/bench-numpy.jsonl target/bench-kernels.md
	node scripts/bench-browser.mjs

# Every preset of every lab in Chromium at workers=2: time to idle and the longest main-thread
# task after first paint (about 8 minutes on 2 cores, so apart from `make bench`).
bench-presets: wasm setup-browser
	node scripts/bench-browser.mjs --presets

dist: wasm
	rm -rf dist && mkdir -p dist/pkg
	cp www/index.html www/*.js www/style.css www/favicon.svg dist/
	cp www/pkg/lde.js dist/pkg/
	npx --no-install wasm-opt -O3 $(WASM_OPT_FEATURES) --enable-simd www/pkg/lde_bg.wasm -o dist/pkg/lde_bg.wasm
	npx --no-install wasm-opt -O3 $(WASM_OPT_FEATURES) www/pkg/lde_bg_scalar.wasm -o dist/pkg/lde_bg_scalar.wasm
	@ls -l dist dist/pkg
	@echo "dist/ is ready: copy it to any static host (it needs no server logic)."

clean:
	rm -rf www/pkg dist target/bench-pkg
