//! Lab: initial connectivity and biologically plausible learning in RNNs, with Lyapunov
//! exponents and gradient flossing (Zhang, Liu & Liu, arXiv 2410.11164; Engelken, NeurIPS 2023).

pub mod adam;
pub mod bptt;
pub mod eprop;
pub mod flossing;
pub mod gemm;
pub mod lyapunov;
pub mod network;
pub mod rflo;
pub mod tasks;
pub mod train;
