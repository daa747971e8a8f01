# Learning Dynamics Explorer — the commands a newcomer needs:
#   make serve   build the wasm and serve the explorer on http://127.0.0.1:8000
#   make test    every test: native cargo test, wasm-bindgen-test in headless Chromium, end-to-end in Chromium
#   make bench   kernels natively and as wasm under Node (wasm/native ratio), then in-browser timings
#   make dist    a self-contained folder (page + optimised wasm) for any static host
# Each target installs what is missing first (see scripts/setup.sh).

WASM_BINDGEN_VERSION := 0.2.130
PORT ?= 8000
WASM := target/wasm32-unknown-unknown/release/lde.wasm

.PHONY: serve test lint test-native test-wasm test-e2e bench dist wasm setup setup-browser clean

setup:
	@WASM_BINDGEN_VERSION=$(WASM_BINDGEN_VERSION) bash scripts/setup.sh

setup-browser: setup
	@bash scripts/setup.sh browser

wasm: setup
	cargo build --release --lib --target wasm32-unknown-unknown
	wasm-bindgen --target web --out-dir www/pkg --out-name lde $(WASM)

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

test-wasm:
	CHROMEDRIVER=$$(command -v chromedriver) \
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	cargo test --target wasm32-unknown-unknown --test web

test-e2e: wasm
	node --test --test-concurrency=1 tests/browser/

bench: wasm setup-browser
	cargo build --release --lib --target wasm32-unknown-unknown --features bench
	wasm-bindgen --target nodejs --out-dir target/bench-pkg --out-name lde $(WASM)
	echo '{"type": "commonjs"}' > target/bench-pkg/package.json
	cargo bench --bench kernels > target/bench-native.jsonl
	node scripts/bench.mjs target/bench-native.jsonl target/bench-pkg/lde.js
	node scripts/bench-browser.mjs

dist: wasm
	rm -rf dist && mkdir -p dist/pkg
	cp www/index.html www/app.js www/pool.js www/worker.js www/style.css www/favicon.svg dist/
	cp www/pkg/lde.js dist/pkg/
	npx --no-install wasm-opt -O3 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals www/pkg/lde_bg.wasm -o dist/pkg/lde_bg.wasm
	@ls -l dist dist/pkg
	@echo "dist/ is ready: copy it to any static host (it needs no server logic)."

clean:
	rm -rf www/pkg dist target/bench-pkg
