// Which wasm build this browser runs, compiled once for the page and every worker.
// Two builds of one crate ship side by side: with fixed-width SIMD128 (never relaxed SIMD,
// whose results may differ between machines) and scalar, for browsers without SIMD. Both give
// the same bits (make test checks it); the link key wasm=scalar forces the scalar one.

// The smallest module that uses a v128 instruction (i8x16.splat, the probe the
// wasm-feature-detect package uses): it validates exactly where SIMD128 is supported.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

const forced = new URLSearchParams(location.search).get('wasm');
/** 'simd' or 'scalar': the build this page runs. */
export const build = forced === 'scalar' || !WebAssembly.validate(SIMD_PROBE) ? 'scalar' : 'simd';

let compiled = null;
/** The compiled module of the chosen build (one fetch and one compile per page). */
export function wasmModule() {
  const file = build === 'simd' ? './pkg/lde_bg.wasm' : './pkg/lde_bg_scalar.wasm';
  compiled ??= WebAssembly.compileStreaming(fetch(new URL(file, import.meta.url)));
  return compiled;
}
