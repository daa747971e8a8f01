//! Lab: learning fixed points of recurrent networks — Euclidean gradient descent vs the
//! re-parameterised rules (Zhu & Rosenbaum, Neural Computation 2024, arXiv 2307.06732).
//!
//! - The science: [`linear`] (the three rules on the linear network), [`tanh`] (the tanh
//!   network's fixed points and rules), [`rules`] (the N-D teacher task and one rule's
//!   training), [`oned`], [`slice`] (the exact 1-D and 2-D cases), [`surface`] (the loss along
//!   random lines and planes), [`dense`] (the matrix kernels), [`solve`] (LU solves).
//! - [`catalogue`]: parameters, presets, views; [`experiments`]: the lab's state and stages;
//!   [`views`], [`nd_views`], [`surface_views`], [`report`]: what the page shows.

pub mod catalogue;
pub mod dense;
pub mod experiments;
pub mod jobs;
pub mod linear;
pub mod nd_views;
pub mod oned;
pub mod report;
pub mod rules;
pub mod slice;
pub mod solve;
pub mod surface;
pub mod surface_views;
pub mod tanh;
pub mod views;

pub use catalogue::{Settings, INFO, PRESETS, SPECS};
pub use experiments::{FixedPointsLab, SLICE_GRID, SLICE_WINDOW, TANH_MAX};
