//! Parameter sweeps beyond one machine: a sweep is a list of cells, a cell is a link, and a
//! cell's result is that link's report (`lde sweep plan | run | slurm | parallel | merge`).

#[cfg(not(target_arch = "wasm32"))]
pub mod native;
pub mod plan;
pub mod results;
pub mod view;
