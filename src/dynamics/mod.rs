//! Model-independent numerics shared by the labs.

pub mod chacha;
pub mod fm;
pub mod gemm;
pub mod linalg;
pub mod lu;
pub mod lyapunov;
pub mod newton;
pub mod ode;
pub mod rng;
pub mod symmetric;
