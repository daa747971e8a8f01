//! The first k Lyapunov exponents by the QR (Benettin) method along a stored trajectory:
//! Q_t R_t = D_t Q_{t−1}, λ_i = ⟨ln |R_t,ii|⟩, with D_t the step Jacobian of [`jacobian_into`].

use super::lyapunov::jacobian_into;
use super::network::{Trajectory, Weights};
use crate::dynamics::fm;
use crate::dynamics::rng::{normal, seeded, Rng};
use nalgebra::DMatrix;

/// The first k exponents by the QR method, computed progressively along each trial of a stored
/// trajectory (Q restarts from random orthonormal columns on each trial; steps ≤ transient skipped).
#[derive(Debug, Clone)]
pub struct Spectrum {
    pub k: usize,
    tr: Trajectory,
    transient: usize,
    trial: usize,
    t: usize,
    q: DMatrix<f64>,
    y: DMatrix<f64>,
    d: DMatrix<f64>,
    sums: Vec<f64>,
    count: usize,
    rng: Rng,
}

impl Spectrum {
    /// Prepares the first `k` exponents of `p` along `tr` (k is clamped to 1..=N).
    pub fn new(tr: Trajectory, transient: usize, k: usize, seed: u64) -> Spectrum {
        let n = tr.n;
        let k = k.clamp(1, n);
        Spectrum {
            k,
            transient,
            trial: 0,
            t: 0,
            q: DMatrix::zeros(n, k),
            y: DMatrix::zeros(n, k),
            d: DMatrix::zeros(n, n),
            sums: vec![0.0; k],
            count: 0,
            rng: seeded(seed, 6),
            tr,
        }
    }

    pub fn done(&self) -> bool {
        self.trial >= self.tr.b
    }

    /// Fraction of the steps done.
    pub fn fraction(&self) -> f64 {
        let total = (self.tr.b * self.tr.t).max(1) as f64;
        ((self.trial * self.tr.t + self.t) as f64 / total).min(1.0)
    }

    /// Jacobians per unit of work (about 0.5 ms natively: a product N × N × k and a QR of N × k).
    pub fn steps_per_unit(&self) -> usize {
        let n = self.tr.n;
        (10 * 64 * 64 * 16 / (n * n * (self.k + 8)).max(1)).clamp(1, 50)
    }

    /// Advances by up to `steps` Jacobians; returns true when all trials are done.
    pub fn advance(&mut self, p: &Weights, alpha: f64, steps: usize) -> bool {
        let (n, b) = (self.tr.n, self.tr.b);
        let nb = n * b;
        for _ in 0..steps {
            if self.done() {
                return true;
            }
            if self.t == 0 {
                let m = DMatrix::from_fn(n, self.k, |_, _| normal(&mut self.rng));
                self.q = m.qr().q();
            }
            self.t += 1;
            let t = self.t;
            let k = self.trial;
            let hp = &self.tr.h[(t - 1) * nb + k * n..(t - 1) * nb + (k + 1) * n];
            jacobian_into(&mut self.d, p, alpha, hp);
            crate::dynamics::gemm::gemm_into(&mut self.y, 1.0, &self.d, false, &self.q, false, 0.0);
            let qr = self.y.clone().qr();
            let r = qr.r();
            self.q = qr.q();
            if t > self.transient {
                for i in 0..self.k {
                    self.sums[i] += fm::ln(r[(i, i)].abs().max(1e-300));
                }
                self.count += 1;
            }
            if self.t >= self.tr.t {
                self.t = 0;
                self.trial += 1;
            }
        }
        self.done()
    }

    /// The exponents so far (per step), in descending order.
    pub fn exponents(&self) -> Vec<f64> {
        let c = self.count.max(1) as f64;
        let mut e: Vec<f64> = self.sums.iter().map(|s| s / c).collect();
        e.sort_by(|a, b| b.partial_cmp(a).unwrap_or(std::cmp::Ordering::Equal));
        e
    }

    /// ⟨ln |det D_t|⟩ over the same steps the exponents average (LU of every Jacobian; for the
    /// sum rule Σ_i λ_i = ⟨ln |det D_t|⟩ when k = N).
    pub fn mean_log_det(&self, p: &Weights, alpha: f64) -> f64 {
        let (n, b) = (self.tr.n, self.tr.b);
        let nb = n * b;
        let mut d = DMatrix::zeros(n, n);
        let mut s = 0.0;
        let mut c = 0usize;
        for k in 0..b {
            for t in (self.transient + 1)..=self.tr.t {
                let hp = &self.tr.h[(t - 1) * nb + k * n..(t - 1) * nb + (k + 1) * n];
                jacobian_into(&mut d, p, alpha, hp);
                s += fm::ln(d.clone().lu().determinant().abs().max(1e-300));
                c += 1;
            }
        }
        s / c.max(1) as f64
    }
}
