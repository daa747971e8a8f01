//! Backpropagation through time (exact gradient of E), and the same pass with the recurrent
//! dependence truncated (the gradient symmetric e-prop follows).
//!
//! ```text
//! δy_t = m_t (y_t − y*_t) / M
//! ∂E/∂h_t = W_outᵀ δy_t + α Wᵀ δa_{t+1}          (second term dropped when truncated)
//! δa_t = f'(a_t) ⊙ ∂E/∂h_t + (1−α) δa_{t+1}
//! ∇W = α Σ_t δa_t h_{t−1}ᵀ,  ∇W_in = α Σ_t δa_t x_tᵀ,  ∇b = α Σ_t δa_t,
//! ∇W_out = Σ_t δy_t h_tᵀ,  ∇b_out = Σ_t δy_t
//! ```

use super::network::{dtanh, Leak, Trajectory, Weights};
use super::tasks::Batch;
use crate::dynamics::gemm::{gemm, Op};

/// Scratch for the backward pass: δa for every step (N × (T+1)B).
#[derive(Debug, Clone)]
pub struct Backprop {
    pub da: Vec<f64>,
}

impl Backprop {
    pub fn new(n: usize, t: usize, b: usize) -> Backprop {
        Backprop {
            da: vec![0.0; n * (t + 1) * b],
        }
    }

    /// Writes ∇E into `g` (the readout exact, the rest by BPTT; `truncated` drops α Wᵀ δa_{t+1}).
    /// Needs [`Trajectory::run`] and [`Trajectory::loss`] to have filled `tr`.
    pub fn gradient(
        &mut self,
        p: &Weights,
        leak: Leak,
        tr: &Trajectory,
        batch: &Batch,
        truncated: bool,
        g: &mut Weights,
    ) {
        let (n, b, tt) = (tr.n, tr.b, tr.t);
        let nb = n * b;
        let al = leak.alpha;
        for t in (1..=tt).rev() {
            let (blk, next) = self.da[t * nb..].split_at_mut(nb);
            for k in 0..b {
                let d = tr.dy[t * b + k];
                for i in 0..n {
                    blk[k * n + i] = p.w_out[i] * d;
                }
            }
            if t < tt && !truncated {
                gemm(
                    blk,
                    n,
                    b,
                    al,
                    Op::t(&p.w, n, n),
                    Op::n(&next[..nb], n, b),
                    1.0,
                );
            }
            let h = &tr.h[t * nb..(t + 1) * nb];
            if t < tt {
                for j in 0..nb {
                    blk[j] = dtanh(h[j]) * blk[j] + (1.0 - al) * next[j];
                }
            } else {
                for j in 0..nb {
                    blk[j] *= dtanh(h[j]);
                }
            }
        }
        presynaptic_grads(&self.da, al, tr, batch, g);
        readout_grads(tr, g);
    }
}

/// From per-step postsynaptic factors δa_t (blocks 1..T of `da`):
/// ∇W = c Σ_t δa_t h_{t−1}ᵀ, ∇W_in = c Σ_t δa_t x_tᵀ, ∇b = c Σ_t δa_t.
pub fn presynaptic_grads(da: &[f64], c: f64, tr: &Trajectory, batch: &Batch, g: &mut Weights) {
    let (n, b, tt) = (tr.n, tr.b, tr.t);
    let nb = n * b;
    let cols = tt * b;
    gemm(
        &mut g.w,
        n,
        n,
        c,
        Op::n(&da[nb..(tt + 1) * nb], n, cols),
        Op::t(&tr.h[..cols * n], n, cols),
        0.0,
    );
    g.w_in.iter_mut().for_each(|v| *v = 0.0);
    g.b.iter_mut().for_each(|v| *v = 0.0);
    for col in b..(tt + 1) * b {
        let x = batch.x[col];
        let d = &da[col * n..(col + 1) * n];
        for i in 0..n {
            g.w_in[i] += c * d[i] * x;
            g.b[i] += c * d[i];
        }
    }
}

/// The readout's exact gradient (a local delta rule): ∇W_out = Σ_t δy_t h_tᵀ, ∇b_out = Σ_t δy_t.
pub fn readout_grads(tr: &Trajectory, g: &mut Weights) {
    let n = tr.n;
    g.w_out.iter_mut().for_each(|v| *v = 0.0);
    let mut s = 0.0;
    for (c, &d) in tr.dy.iter().enumerate() {
        if d != 0.0 {
            let h = &tr.h[c * n..(c + 1) * n];
            for i in 0..n {
                g.w_out[i] += d * h[i];
            }
            s += d;
        }
    }
    g.b_out[0] = s;
}
