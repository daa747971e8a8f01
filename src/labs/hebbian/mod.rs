//! Lab: Hebbian vs anti-Hebbian pairwise plasticity (Gong, Chen & Ching, arXiv 2312.14896).
//!
//! - The science: [`model`] (the joint neuron–synapse dynamics), [`pitchfork`] (the pair's
//!   critical strength), [`bifurcation`] (its branches), [`equilibria`] (multistart search and
//!   classification), [`basins`], [`landscape`].
//! - [`catalogue`]: parameters, presets, views. [`experiments`]: the lab's state and its
//!   stages of jobs. [`views`], [`network_views`], [`report`]: what the page shows.

pub mod basins;
pub mod bifurcation;
pub mod catalogue;
pub mod equilibria;
pub mod experiments;
pub mod kernels;
pub mod landscape;
pub mod model;
pub mod network_views;
pub mod onset;
pub mod pitchfork;
pub mod report;
pub mod results;
pub mod views;

pub use catalogue::{Settings, INFO, PRESETS, SPECS};
pub use experiments::{model_of, Hebbian};
