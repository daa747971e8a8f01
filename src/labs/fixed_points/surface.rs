//! The loss surface of the linear network around a zero-loss W (note §5.1): along random lines
//! `W₀ + t W_k` and on a random plane `W₀ + t₁ W₁ + t₂ W₂`, with its poles (the singular set
//! `det(I − W) = 0`).
//!
//! Centre `W₀ = (R̂ − X) R̂⁺`: then `(I − W₀) R̂ = X` whenever `R̂⁺ R̂ = I` (m ≤ N, R̂ of full
//! column rank), so `A X = R̂` and `J(W₀) = 0`. For m > N it is the least-squares choice and
//! J(W₀) > 0. Directions have entries `N(0, 2.5²/N)` (spectral radius ≈ 2.5, as in the note).

use super::rules::random_matrix;
use nalgebra::DMatrix;

/// Scale of the random directions (spectral radius ≈ 2.5 as in the authors' figure).
pub const DIRECTION_SCALE: f64 = 2.5;
/// Number of random lines.
pub const TRACES: usize = 3;
/// Points per line on t ∈ [−1, 1].
pub const LINE_POINTS: usize = 401;
/// Every how many line points trace 0's stability (max Re λ) is computed.
pub const STABILITY_EVERY: usize = 4;

/// The centre and the directions of the scans.
pub struct Surface {
    pub w0: DMatrix<f64>,
    pub dirs: Vec<DMatrix<f64>>,
    /// `(1/m)‖R̂‖²_F`: the plateau J approaches far away (A → 0).
    pub plateau: f64,
    pub j0: f64,
    x: DMatrix<f64>,
    rhat: DMatrix<f64>,
}

/// `J` and the sign of `det(I − W)` at one W, by one LU; J = ∞ where `I − W` is singular.
pub fn loss_and_sign(w: &DMatrix<f64>, x: &DMatrix<f64>, rhat: &DMatrix<f64>) -> (f64, f64) {
    let n = w.nrows();
    let lu = (DMatrix::<f64>::identity(n, n) - w).lu();
    let det = lu.determinant();
    let sign = if det > 0.0 {
        1.0
    } else if det < 0.0 {
        -1.0
    } else {
        0.0
    };
    match lu.solve(x) {
        Some(r) => {
            let j = (r - rhat).norm_squared() / x.ncols().max(1) as f64;
            (if j.is_finite() { j } else { f64::INFINITY }, sign)
        }
        None => (f64::INFINITY, sign),
    }
}

/// `R⁺` by the normal equations (Cholesky of the smaller Gram matrix: `(RᵀR)⁻¹Rᵀ` for m ≤ N,
/// `Rᵀ(RRᵀ)⁻¹` otherwise), falling back to the SVD when the Gram matrix is not positive
/// definite. Much cheaper than the SVD at N = 100, m = 200, and exact enough here: the Gram
/// matrix of random targets is well conditioned.
fn pseudo_inverse(r: &DMatrix<f64>) -> Option<DMatrix<f64>> {
    let (n, m) = r.shape();
    let rt = r.transpose();
    let fast = if m <= n {
        (&rt * r).cholesky().map(|c| c.solve(&rt))
    } else {
        (r * &rt).cholesky().map(|c| c.solve(r).transpose())
    };
    match fast {
        Some(p) if p.iter().all(|v| v.is_finite()) => Some(p),
        _ => r.clone().pseudo_inverse(1e-12).ok(),
    }
}

impl Surface {
    /// Centre and `TRACES + 1` random directions (stream 4 of `seed`; the plane uses
    /// directions 0 and 1, the lines use 0, 2, 3, …).
    pub fn new(x: &DMatrix<f64>, rhat: &DMatrix<f64>, seed: u64) -> Option<Surface> {
        let n = x.nrows();
        let pinv = pseudo_inverse(rhat)?;
        let w0 = (rhat - x) * pinv;
        if !w0.iter().all(|v| v.is_finite()) {
            return None;
        }
        let dirs = (0..=TRACES as u64)
            .map(|k| random_matrix(n, DIRECTION_SCALE, seed, 4 + k))
            .collect();
        let plateau = rhat.norm_squared() / x.ncols().max(1) as f64;
        let (j0, _) = loss_and_sign(&w0, x, rhat);
        Some(Surface {
            w0,
            dirs,
            plateau,
            j0,
            x: x.clone(),
            rhat: rhat.clone(),
        })
    }

    /// The direction of line `trace` (trace 0 is the plane's first axis).
    fn line_dir(&self, trace: usize) -> &DMatrix<f64> {
        let k = if trace == 0 { 0 } else { trace + 1 };
        &self.dirs[k.min(self.dirs.len() - 1)]
    }

    /// The point t of line `trace`: `t ∈ [−1, 1]`.
    pub fn line_t(i: usize) -> f64 {
        -1.0 + 2.0 * i as f64 / (LINE_POINTS - 1) as f64
    }

    /// `J(W₀ + t W_k)` (∞ at a pole).
    pub fn line_loss(&self, trace: usize, t: f64) -> f64 {
        let w = &self.w0 + self.line_dir(trace) * t;
        loss_and_sign(&w, &self.x, &self.rhat).0
    }

    /// `max Re λ(W₀ + t W_k)`.
    pub fn line_max_re(&self, trace: usize, t: f64) -> f64 {
        let w = &self.w0 + self.line_dir(trace) * t;
        super::linear::max_real_eig(&w)
    }

    /// The poles of line `trace` in `[−1, 1]`: the real eigenvalues t of `W_k⁻¹ (I − W₀)`,
    /// since `det(I − W₀ − t W_k) = det(W_k) det(W_k⁻¹(I − W₀) − t I)`.
    pub fn line_poles(&self, trace: usize) -> Vec<f64> {
        let n = self.w0.nrows();
        let Some(inv) = self.line_dir(trace).clone().try_inverse() else {
            return Vec::new();
        };
        let m = inv * (DMatrix::<f64>::identity(n, n) - &self.w0);
        let mut p: Vec<f64> = super::linear::eigen(&m)
            .unwrap_or_default()
            .into_iter()
            .filter(|l| l.im.abs() <= 1e-9 * (1.0 + l.re.abs()) && l.re.abs() <= 1.0)
            .map(|l| l.re)
            .collect();
        p.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        p
    }

    /// `(J, sign det(I − W))` at plane point `(t1, t2)`.
    pub fn plane_point(&self, t1: f64, t2: f64) -> (f64, f64) {
        let w = &self.w0 + &self.dirs[0] * t1 + &self.dirs[1] * t2;
        loss_and_sign(&w, &self.x, &self.rhat)
    }
}
