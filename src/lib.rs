//! Learning Dynamics Explorer: four published models of learning in neural networks, as a
//! pure simulation core used by the web page (through wasm), the `lde` command line and the tests.

// Numerical kernels index several arrays in step (a[i][j], x[i], dx[i]); index loops say that
// more plainly than zipped iterators.
#![allow(clippy::needless_range_loop)]

/// Model-independent numerics: ODE steppers, Newton, eigenvalues, Lyapunov exponents, seeded rng.
pub mod dynamics;
/// Named benchmark kernels shared by the native and the wasm benchmarks.
pub mod kernels;
/// The lab contract: typed settings, views and stages of jobs declared once.
pub mod lab;
/// The labs, one module per paper, and the registry that names them.
pub mod labs;
/// Parameter specs and the link codec (`lab=…&key=value&seed=…`).
pub mod params;
/// Charts as data and their rendering on any plotters backend.
pub mod plot;
/// Running jobs from their text, and many at once on native threads.
pub mod runner;
/// The session: one lab built from a link, its work and its outputs (shared by CLI and wasm).
pub mod session;
/// Sweeps of cells (links): plans, results and, natively, runs on threads, shards and SLURM.
pub mod sweep;

/// The wasm-bindgen layer (browser only): converts, schedules, draws.
#[cfg(target_arch = "wasm32")]
pub mod web;
