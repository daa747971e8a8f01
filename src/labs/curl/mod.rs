//! Lab: curl descent — non-gradient learning with rule-flipped neurons
//! (Ninou, Kadmon & Cayco-Gajic, "Curl Descent: Non-Gradient Learning Dynamics with Sign-Diverse
//! Plasticity", arXiv 2510.02765, NeurIPS 2025).
//!
//! A two-layer student learns a teacher of the same shape. Rule-flipped neurons flip the sign of
//! the updates of their outgoing synapses, `θ̇ = −η D_θ ∇L`: the fixed points are those of
//! gradient descent, but their stability is set by `X = W1ᵀ D2 W1 + ‖w2‖² D1`.
//!
//! - The science: [`network`] and [`run`] (the student–teacher network and its updates),
//!   [`stability`] (X, its projected form, the random-matrix boundaries), [`chaos`] (q and the
//!   Lyapunov exponent), [`phase`], [`toy`], [`ensemble`], [`training`].
//! - [`catalogue`]: parameters, presets, views; [`config`]: the settings made consistent;
//!   [`experiments`]: the lab's state and stages; [`views`], [`more_views`], [`report`].

pub mod catalogue;
pub mod chaos;
pub mod config;
pub mod ensemble;
pub mod experiments;
pub mod more_views;
pub mod network;
pub mod phase;
pub mod report;
pub mod results;
pub mod run;
pub mod stability;
pub mod toy;
pub mod training;
pub mod views;

pub use catalogue::{Settings, INFO, PRESETS, SPECS};
pub use experiments::CurlLab;
