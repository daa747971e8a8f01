//! The tanh rate network: fixed points `r* = tanh(W r* + x)` found by Newton's method, the
//! Euclidean gradient by implicit differentiation, and the authors' nonlinear rules
//! (note §4.5, from `MNISTExample/Define_Update_Rules.py`).
//!
//! With `G = diag(1 − r*²)` and `δ = ∂L/∂r* = (2/m)(r* − r̂)` per sample:
//! * dW1 (Euclidean): `∇_W L = G (I − G W)⁻ᵀ δ r*ᵀ` (= `(G⁻¹ − W)⁻ᵀ δ r*ᵀ`, written without G⁻¹
//!   so that saturated units, G → 0, stay finite);
//! * dW3 (rule 3, linearised re-parameterised): `ΔW = −η (I − W G) G δ r*ᵀ (I − G W)ᵀ(I − G W)`
//!   `= −η M ∇_W L N` with `M = (I − WG)(I − WG)ᵀ`, `N = (I − GW)ᵀ(I − GW)`;
//! * dW4 (used for rule 2 in tanh mode): `ΔW = −η (I − W G) δ r*ᵀ (I − W G)ᵀ(I − W G)`.
//!
//! Derived here (the note gives no exact nonlinear rule 2, and none exists in the authors'
//! code): there is no single effective matrix A in the nonlinear case, because each sample has
//! its own `B_i = (I − W G_i)⁻¹`, so the step "on A, then map back" has no exact analogue. The
//! lab uses the authors' later rule dW4 in the rule-2 slot in tanh mode; like dW3 it reduces to
//! the linear rule 3 (hence to rule 2 to first order in η) when G = I, and it is a descent
//! direction because `M' = (G⁻¹−W) G (G⁻¹−W)ᵀ` and `N' = (I−WG)ᵀ(I−WG)` are positive
//! semi-definite. All three are batch means of per-sample preconditioned gradients.

use crate::dynamics::fm;
use nalgebra::{DMatrix, DVector};

/// Newton's tolerance on `max |r − tanh(W r + x)|`.
pub const NEWTON_TOL: f64 = 1e-11;
const NEWTON_MAX: usize = 60;

/// Why a fixed point could not be used.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FixedPointError {
    /// Newton did not reach the tolerance (no fixed point near, or a singular Jacobian).
    NoConvergence,
}

/// Solves `F(r) = r − tanh(W r + x) = 0` by Newton's method, `(I − G W) Δr = −F(r)`, with
/// backtracking on `‖F‖`; starts from `r0`, then from 0, then from where the rate dynamics
/// `dr/dt = −r + tanh(W r + x)` lead from 0 after [`RELAX_STEPS`] Euler steps of 0.2.
///
/// A fixed point always exists for tanh (Brouwer: the map sends the cube [−1, 1]ᴺ into
/// itself), so a failure means Newton could not reach one: the dynamics oscillate or are
/// chaotic (strong W), or the fixed points sit on a fold (singular `I − G W`).
pub fn fixed_point(
    w: &DMatrix<f64>,
    x: &[f64],
    r0: &[f64],
) -> Result<DVector<f64>, FixedPointError> {
    if let Some(r) = newton(w, x, r0) {
        return Ok(r);
    }
    let zero = vec![0.0; x.len()];
    if let Some(r) = newton(w, x, &zero) {
        return Ok(r);
    }
    let mut r = DVector::zeros(x.len());
    for _ in 0..RELAX_STEPS {
        let v = w * &r;
        for i in 0..r.len() {
            r[i] += 0.2 * (fm::tanh(v[i] + x[i]) - r[i]);
        }
    }
    let start: Vec<f64> = r.iter().copied().collect();
    newton(w, x, &start).ok_or(FixedPointError::NoConvergence)
}

/// Euler steps of the relaxation fallback (100 time constants).
pub const RELAX_STEPS: usize = 500;

fn residual(w: &DMatrix<f64>, x: &[f64], r: &DVector<f64>, f: &mut DVector<f64>) -> f64 {
    let v = w * r;
    let mut mx = 0.0f64;
    for i in 0..r.len() {
        f[i] = r[i] - fm::tanh(v[i] + x[i]);
        mx = if f[i].is_finite() {
            mx.max(f[i].abs())
        } else {
            f64::INFINITY
        };
    }
    mx
}

fn newton(w: &DMatrix<f64>, x: &[f64], r0: &[f64]) -> Option<DVector<f64>> {
    let n = x.len();
    if r0.len() != n || w.nrows() != n {
        return None;
    }
    let mut r = DVector::from_column_slice(r0);
    let mut f = DVector::zeros(n);
    let mut res = residual(w, x, &r, &mut f);
    let mut trial = DVector::zeros(n);
    let mut ft = DVector::zeros(n);
    for _ in 0..NEWTON_MAX {
        if res < NEWTON_TOL {
            return Some(r);
        }
        if !res.is_finite() {
            return None;
        }
        let v = w * &r;
        let mut jac = -w.clone();
        for i in 0..n {
            let t = fm::tanh(v[i] + x[i]);
            let g = 1.0 - t * t;
            for j in 0..n {
                jac[(i, j)] *= g;
            }
            jac[(i, i)] += 1.0;
        }
        let dr = jac.lu().solve(&f)?;
        let mut step = 1.0;
        let mut accepted = false;
        for _ in 0..30 {
            trial.copy_from(&r);
            trial.axpy(-step, &dr, 1.0);
            let rt = residual(w, x, &trial, &mut ft);
            if rt < res || rt < NEWTON_TOL {
                r.copy_from(&trial);
                f.copy_from(&ft);
                res = rt;
                accepted = true;
                break;
            }
            step *= 0.5;
        }
        if !accepted {
            return None;
        }
    }
    (res < NEWTON_TOL).then_some(r)
}

/// The fixed points of every column of `x`, warm-started from the columns of `r0`.
pub fn fixed_points(
    w: &DMatrix<f64>,
    x: &DMatrix<f64>,
    r0: &DMatrix<f64>,
) -> Result<DMatrix<f64>, FixedPointError> {
    let mut out = DMatrix::zeros(x.nrows(), x.ncols());
    for i in 0..x.ncols() {
        let xc: Vec<f64> = x.column(i).iter().copied().collect();
        let rc: Vec<f64> = r0.column(i).iter().copied().collect();
        let r = fixed_point(w, &xc, &rc)?;
        out.set_column(i, &r);
    }
    Ok(out)
}

/// `J = (1/m) Σ_i ‖r*_i − r̂_i‖²` for the fixed points `r` (N×m).
pub fn loss_of(r: &DMatrix<f64>, rhat: &DMatrix<f64>) -> f64 {
    (r - rhat).norm_squared() / r.ncols().max(1) as f64
}

/// The gains `g = 1 − r*²` (= tanh′ at the fixed point).
fn gains(r: &DVector<f64>) -> DVector<f64> {
    r.map(|v| 1.0 - v * v)
}

/// `I − G W` for gains `g`.
fn i_minus_gw(w: &DMatrix<f64>, g: &DVector<f64>) -> DMatrix<f64> {
    let n = w.nrows();
    let mut k = -w.clone();
    for i in 0..n {
        for j in 0..n {
            k[(i, j)] *= g[i];
        }
        k[(i, i)] += 1.0;
    }
    k
}

/// One sample's Euclidean gradient `∇_W L_i = G (I − G W)⁻ᵀ δ r*ᵀ`, with `δ` = ∂L/∂r*.
pub fn sample_grad(
    w: &DMatrix<f64>,
    r: &DVector<f64>,
    delta: &DVector<f64>,
) -> Option<DMatrix<f64>> {
    let g = gains(r);
    let kt = i_minus_gw(w, &g).transpose();
    let z = kt.lu().solve(delta)?;
    let gz = z.component_mul(&g);
    let out = gz * r.transpose();
    out.iter().all(|v| v.is_finite()).then_some(out)
}

/// Rule 3 for one sample: `(I − W G) G δ r*ᵀ (I − G W)ᵀ(I − G W)` (multiply by −η).
pub fn sample_dw3(w: &DMatrix<f64>, r: &DVector<f64>, delta: &DVector<f64>) -> DMatrix<f64> {
    let g = gains(r);
    let gd = delta.component_mul(&g);
    // u = (I − W G) G δ
    let u = &gd - w * gd.component_mul(&g);
    u * q_row(w, r, &g).transpose()
}

/// Rule 2's slot in tanh mode (dW4) for one sample: `(I − W G) δ r*ᵀ (I − W G)ᵀ(I − W G)`.
pub fn sample_dw4(w: &DMatrix<f64>, r: &DVector<f64>, delta: &DVector<f64>) -> DMatrix<f64> {
    let g = gains(r);
    let u = delta - w * delta.component_mul(&g);
    // s = (I − W G) r ; q = (I − W G)ᵀ s = s − G (Wᵀ s)
    let s = r - w * r.component_mul(&g);
    let q = &s - (w.transpose() * &s).component_mul(&g);
    u * q.transpose()
}

/// `q = (I − G W)ᵀ (I − G W) r` (the right factor of dW3).
fn q_row(w: &DMatrix<f64>, r: &DVector<f64>, g: &DVector<f64>) -> DVector<f64> {
    let s = r - (w * r).component_mul(g);
    &s - w.transpose() * s.component_mul(g)
}

/// Which tanh-mode update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TanhRule {
    /// Euclidean gradient (dW1).
    Grad,
    /// dW4 (rule 2's slot in tanh mode).
    Dw4,
    /// dW3 (rule 3).
    Dw3,
}

/// The batch update `ΔW = −η Σ_i (per-sample direction)` and the loss, at fixed points `r`.
/// Returns None when a gradient solve fails.
pub fn batch_update(
    rule: TanhRule,
    w: &DMatrix<f64>,
    r: &DMatrix<f64>,
    rhat: &DMatrix<f64>,
    eta: f64,
) -> Option<DMatrix<f64>> {
    let (n, m) = r.shape();
    let scale = 2.0 / m.max(1) as f64;
    let mut dw = DMatrix::zeros(n, n);
    for i in 0..m {
        let rc: DVector<f64> = r.column(i).into_owned();
        let delta: DVector<f64> = (&rc - rhat.column(i)) * scale;
        let d = match rule {
            TanhRule::Grad => sample_grad(w, &rc, &delta)?,
            TanhRule::Dw3 => sample_dw3(w, &rc, &delta),
            TanhRule::Dw4 => sample_dw4(w, &rc, &delta),
        };
        dw += d;
    }
    dw *= -eta;
    dw.iter().all(|v| v.is_finite()).then_some(dw)
}

/// Full Euclidean gradient `∇_W J` of the tanh loss at W (Newton from 0); for the tests.
pub fn grad_w(w: &DMatrix<f64>, x: &DMatrix<f64>, rhat: &DMatrix<f64>) -> Option<DMatrix<f64>> {
    let r = fixed_points(w, x, &DMatrix::zeros(x.nrows(), x.ncols())).ok()?;
    batch_update(TanhRule::Grad, w, &r, rhat, -1.0)
}

/// The tanh loss at W (Newton from 0); for the tests.
pub fn loss(w: &DMatrix<f64>, x: &DMatrix<f64>, rhat: &DMatrix<f64>) -> Option<f64> {
    let r = fixed_points(w, x, &DMatrix::zeros(x.nrows(), x.ncols())).ok()?;
    Some(loss_of(&r, rhat))
}

/// Stability and singular distance of the fixed points in the columns of `r` (at most
/// `max_samples` of them, to bound the cost): returns (`min_i min |1 − λ(G_i W)|`,
/// `max_i max Re λ(G_i W)`). The fixed point i is lost where `det(I − G_i W) = 0` and is
/// stable iff `max Re λ(G_i W) < 1` (the rate Jacobian is `−I + G_i W`).
pub fn spectrum(w: &DMatrix<f64>, r: &DMatrix<f64>, max_samples: usize) -> (f64, f64) {
    let mut dist = f64::INFINITY;
    let mut maxre = f64::NEG_INFINITY;
    for i in 0..r.ncols().min(max_samples) {
        let rc: DVector<f64> = r.column(i).into_owned();
        let g = gains(&rc);
        let mut gw = w.clone();
        for a in 0..w.nrows() {
            for b in 0..w.ncols() {
                gw[(a, b)] *= g[a];
            }
        }
        for l in super::linear::eigen(&gw).unwrap_or_default() {
            dist = dist.min((fm::powi(1.0 - l.re, 2) + l.im * l.im).sqrt());
            maxre = maxre.max(l.re);
        }
    }
    (dist, maxre)
}
