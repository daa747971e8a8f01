//! e-prop (Bellec et al. 2020), rate-unit version (note §3), with symmetric or random feedback.
//!
//! Eligibility vectors are low-pass-filtered presynaptic quantities, computed forward in time
//! (online: each uses only the past):
//! ```text
//! ε_t = (1−α) ε_{t−1} + α h_{t−1}      (for W;   ε_0 = 0)
//! ε^x_t = (1−α) ε^x_{t−1} + α x_t       (for W_in)
//! ε^b_t = (1−α) ε^b_{t−1} + α           (for b)
//! ```
//! the learning signal is L_t = B δy_t with B = W_outᵀ (symmetric) or a fixed random B, and
//! ```text
//! ∇W ≈ Σ_t (f'(a_t) ⊙ L_t) ε_tᵀ,  ∇W_in ≈ Σ_t (f'(a_t) ⊙ L_t) ε^x_tᵀ,  ∇b ≈ Σ_t (f'(a_t) ⊙ L_t) ε^b_t
//! ```
//! (readout: the exact delta rule). Derivation: treating h_{t−1} in W h_{t−1} as a constant
//! (the "detach" of the authors' code lineage), ∂a_t/∂W_ij obeys the recursion of ε above, so
//! with symmetric feedback this equals BPTT with α Wᵀ δa_{t+1} dropped (tested).

use super::bptt::readout_grads;
use super::network::{dtanh, Leak, Trajectory, Weights};
use super::tasks::Batch;
use crate::dynamics::gemm::{gemm, Op};

/// Which feedback carries the output error to the hidden units.
#[derive(Debug, Clone, Copy)]
pub enum Feedback<'a> {
    /// B = W_outᵀ.
    Symmetric,
    /// A fixed random B (N × n_out).
    Random(&'a [f64]),
}

/// Scratch for e-prop: the per-step postsynaptic factor ψ_t = f'(a_t) ⊙ L_t and the traces ε_t.
#[derive(Debug, Clone)]
pub struct Eprop {
    pub psi: Vec<f64>,
    pub eps: Vec<f64>,
    /// The input trace ε^x of each trial.
    ex: Vec<f64>,
}

impl Eprop {
    pub fn new(n: usize, t: usize, b: usize) -> Eprop {
        Eprop {
            psi: vec![0.0; n * (t + 1) * b],
            eps: vec![0.0; n * (t + 1) * b],
            ex: vec![0.0; b],
        }
    }

    /// Writes the e-prop update direction into `g` (after run and loss on `tr`).
    pub fn gradient(
        &mut self,
        p: &Weights,
        leak: Leak,
        tr: &Trajectory,
        batch: &Batch,
        fb: Feedback,
        g: &mut Weights,
    ) {
        let (n, b, tt) = (tr.n, tr.b, tr.t);
        let nb = n * b;
        let al = leak.alpha;
        let bvec: &[f64] = match fb {
            Feedback::Symmetric => &p.w_out,
            Feedback::Random(r) => r,
        };
        self.eps[..nb].iter_mut().for_each(|v| *v = 0.0);
        for t in 1..=tt {
            let (prev, cur) = self.eps[(t - 1) * nb..(t + 1) * nb].split_at_mut(nb);
            let hp = &tr.h[(t - 1) * nb..t * nb];
            for j in 0..nb {
                cur[j] = (1.0 - al) * prev[j] + al * hp[j];
            }
            let h = &tr.h[t * nb..(t + 1) * nb];
            let psi = &mut self.psi[t * nb..(t + 1) * nb];
            for k in 0..b {
                let d = tr.dy[t * b + k];
                for i in 0..n {
                    psi[k * n + i] = dtanh(h[k * n + i]) * bvec[i] * d;
                }
            }
        }
        let cols = tt * b;
        gemm(
            &mut g.w,
            n,
            n,
            1.0,
            Op::n(&self.psi[nb..(tt + 1) * nb], n, cols),
            Op::t(&self.eps[nb..(tt + 1) * nb], n, cols),
            0.0,
        );
        g.w_in.iter_mut().for_each(|v| *v = 0.0);
        g.b.iter_mut().for_each(|v| *v = 0.0);
        self.ex.iter_mut().for_each(|v| *v = 0.0);
        let mut eb = 0.0;
        for t in 1..=tt {
            eb = (1.0 - al) * eb + al;
            for (k, e) in self.ex.iter_mut().enumerate() {
                *e = (1.0 - al) * *e + al * batch.x[t * b + k];
                let psi = &self.psi[t * nb + k * n..t * nb + (k + 1) * n];
                for i in 0..n {
                    g.w_in[i] += psi[i] * *e;
                    g.b[i] += psi[i] * eb;
                }
            }
        }
        readout_grads(tr, g);
    }
}
