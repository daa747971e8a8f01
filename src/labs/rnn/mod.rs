//! Lab: initial connectivity and biologically plausible learning in RNNs, with Lyapunov
//! exponents and gradient flossing (Zhang, Liu & Liu, arXiv 2410.11164; Engelken, NeurIPS 2023).
//!
//! The paper's body could not be read (see the research note): the model, tasks, the local
//! flossing rule and all default numbers follow the note's reconstruction and prototype, marked
//! [INFERRED] / [PROTOTYPE] where they appear.
//!
//! - The science: [`network`] (the leaky rate network), [`tasks`], [`bptt`], [`eprop`],
//!   [`rflo`] (the rules' gradients), [`adam`], [`flossing`], [`lyapunov`] and [`spectrum`],
//!   [`config`] and [`train`] (one training run).
//! - [`catalogue`]: parameters, presets, views; [`experiments`]: the lab's state and stages;
//!   [`views`], [`sweep_views`], [`report`]: what the page shows.

// The numeric kernels index several slices in lockstep; range loops say that most plainly.
#![allow(clippy::needless_range_loop)]

pub mod adam;
pub mod bptt;
pub mod catalogue;
pub mod config;
pub mod eprop;
pub mod experiments;
pub mod flossing;
pub mod jobs;
pub mod lyapunov;
pub mod network;
pub mod report;
pub mod rflo;
pub mod spectrum;
pub mod sweep_results;
pub mod sweep_views;
pub mod tasks;
pub mod train;
pub mod views;

pub use catalogue::{Settings, INFO, PRESETS, SPECS};
pub use experiments::{config_of, RnnLab, SWEEP_G};
pub use report::INFERRED_NOTICE;
