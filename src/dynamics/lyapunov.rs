//! Lyapunov exponents by the QR (Benettin) method.
//!
//! For a map x_{t+1} = F(x_t) with Jacobians J_t, the first k exponents are
//! λ_i = (1/T) Σ_t ln |R_t,ii| where Q_{t+1} R_t = J_t Q_t (QR of the propagated tangent basis).

use super::fm;
use nalgebra::DMatrix;

/// Accumulates the first k Lyapunov exponents of a sequence of Jacobians.
#[derive(Debug, Clone)]
pub struct QrLyapunov {
    q: DMatrix<f64>,
    sums: Vec<f64>,
    steps: usize,
}

impl QrLyapunov {
    /// Starts with the first `k` columns of the identity in dimension `n` as the tangent basis.
    pub fn new(n: usize, k: usize) -> Self {
        let k = k.min(n).max(1);
        QrLyapunov {
            q: DMatrix::identity(n, k),
            sums: vec![0.0; k],
            steps: 0,
        }
    }

    /// Propagates the basis by one Jacobian and re-orthonormalises: Q R = J Q.
    pub fn push(&mut self, jac: &DMatrix<f64>) {
        let y = super::gemm::mul(jac, &self.q);
        let qr = y.qr();
        let r = qr.r();
        let mut q = qr.q();
        for i in 0..self.sums.len() {
            let d = r[(i, i)];
            self.sums[i] += fm::ln(d.abs());
            if d < 0.0 {
                // keep Q's orientation continuous (sign of R's diagonal positive)
                for row in 0..q.nrows() {
                    q[(row, i)] = -q[(row, i)];
                }
            }
        }
        self.q = q;
        self.steps += 1;
    }

    /// The exponents per step so far (per unit time if each Jacobian spans `dt`: divide by dt).
    pub fn exponents(&self) -> Vec<f64> {
        let t = self.steps.max(1) as f64;
        self.sums.iter().map(|s| s / t).collect()
    }

    pub fn steps(&self) -> usize {
        self.steps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_linear_map_gives_log_eigenvalues() {
        // A triangular map with eigenvalues 2 and 0.5: exponents ln 2 and ln 0.5.
        let j = DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 0.0, 0.5]);
        let mut l = QrLyapunov::new(2, 2);
        for _ in 0..2000 {
            l.push(&j);
        }
        let e = l.exponents();
        assert!((e[0] - fm::ln(2f64)).abs() < 1e-3, "{e:?}");
        assert!((e[1] - fm::ln(0.5f64)).abs() < 1e-3, "{e:?}");
    }
}
