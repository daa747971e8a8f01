//! RFLO, random-feedback local online learning (Murray 2019), adapted to this network.
//!
//! Murray's rank-2 trace filters the postsynaptic slope together with the presynaptic rate:
//! ```text
//! p_ij,t = (1−α) p_ij,t−1 + α f'(a_i,t) h_j,t−1,     ∇W_ij ≈ Σ_t L_i,t p_ij,t,   L_t = B δy_t
//! ```
//! with a fixed random B (same for W_in with x_t, for b with 1). [INFERRED adaptation: Murray's
//! network is leaky in the rates; applied to this network (leaky in a) the trace differs from
//! e-prop's only in where f' sits: e-prop multiplies the filtered rate by f'(a_t) at the time of
//! the learning signal; RFLO filters f'(a_s) h_{s−1} itself.]
//!
//! The O(N²)-per-step trace need not be stored: exchanging the sums (derived here),
//! Σ_t L_t ⊙ p_t = α Σ_s (f'(a_s) ⊙ L̃_s) h_{s−1}ᵀ with the backward-filtered signal
//! L̃_s = L_s + (1−α) L̃_{s+1}. The same numbers as the online trace (tested against
//! [`online_reference`]), at the cost of one matrix product.

use super::bptt::{presynaptic_grads, readout_grads};
use super::network::{dtanh, Leak, Trajectory, Weights};
use super::tasks::Batch;

/// Scratch: the per-step factor f'(a_s) ⊙ L̃_s.
#[derive(Debug, Clone)]
pub struct Rflo {
    pub psi: Vec<f64>,
}

impl Rflo {
    pub fn new(n: usize, t: usize, b: usize) -> Rflo {
        Rflo {
            psi: vec![0.0; n * (t + 1) * b],
        }
    }

    /// Writes the RFLO update direction into `g`, with random feedback `bfb` (N × 1).
    pub fn gradient(
        &mut self,
        _p: &Weights,
        leak: Leak,
        tr: &Trajectory,
        batch: &Batch,
        bfb: &[f64],
        g: &mut Weights,
    ) {
        let (n, b, tt) = (tr.n, tr.b, tr.t);
        let nb = n * b;
        let al = leak.alpha;
        // L̃ accumulates backwards in a running buffer stored in the block of step t.
        for t in (1..=tt).rev() {
            let (blk, next) = self.psi[t * nb..].split_at_mut(nb);
            for k in 0..b {
                let d = tr.dy[t * b + k];
                for i in 0..n {
                    blk[k * n + i] = bfb[i] * d;
                }
            }
            if t < tt {
                // next holds L̃_{t+1} (raw, before the f' factor was applied): see below.
                for j in 0..nb {
                    blk[j] += (1.0 - al) * next[j];
                }
            }
        }
        // Now psi holds L̃_t for every t; apply f'(a_t).
        for t in 1..=tt {
            let h = &tr.h[t * nb..(t + 1) * nb];
            let blk = &mut self.psi[t * nb..(t + 1) * nb];
            for j in 0..nb {
                blk[j] *= dtanh(h[j]);
            }
        }
        presynaptic_grads(&self.psi, al, tr, batch, g);
        readout_grads(tr, g);
    }
}

/// RFLO by its online definition (the O(N²) trace per trial and step); for tests only.
/// Returns ∇W (column-major N × N).
pub fn online_reference(leak: Leak, tr: &Trajectory, bfb: &[f64]) -> Vec<f64> {
    let (n, b, tt) = (tr.n, tr.b, tr.t);
    let nb = n * b;
    let al = leak.alpha;
    let mut gw = vec![0.0; n * n];
    for k in 0..b {
        let mut p = vec![0.0; n * n];
        for t in 1..=tt {
            let h = &tr.h[t * nb + k * n..t * nb + (k + 1) * n];
            let hp = &tr.h[(t - 1) * nb + k * n..(t - 1) * nb + (k + 1) * n];
            let d = tr.dy[t * b + k];
            for j in 0..n {
                for i in 0..n {
                    let pij = &mut p[i + n * j];
                    *pij = (1.0 - al) * *pij + al * dtanh(h[i]) * hp[j];
                    gw[i + n * j] += bfb[i] * d * *pij;
                }
            }
        }
    }
    gw
}
