//! The linear network of Zhu & Rosenbaum: fixed point `r* = (I − W)⁻¹ X = A X`, loss
//! `J = (1/m)‖A X − R̂‖²_F`, and the three learning rules on W.
//!
//! The rules (note §4): with `∇_A J = (2/m)(A X − R̂) Xᵀ`,
//! * Rule 1, Euclidean gradient descent: `W ← W − η ∇_W J`, `∇_W J = Aᵀ ∇_A J Aᵀ`;
//! * Rule 2, re-parameterised: `A ← A − η ∇_A J`, then `W ← I − A⁻¹`;
//! * Rule 3, linearised re-parameterised: `W ← W − η (I − W) ∇_A J (I − W)`
//!   `= W − η (I−W)(I−W)ᵀ ∇_W J (I−W)ᵀ(I−W)`.
//!
//! [`LinearStepper`] runs one rule with preallocated buffers (Gauss–Jordan inverse, an LU solve
//! for Rule 3's loss, and gemm; allocates nothing per iteration); the free functions are the plain formulas the tests use.

use super::dense::{gemm, invert_in_place};
use super::solve::solve_in_place;
use crate::dynamics::fm;
use crate::dynamics::gemm::{mul, mul_nt, mul_tn};
use nalgebra::DMatrix;

/// The loss `J(W) = (1/m)‖(I − W)⁻¹ X − R̂‖²_F`, or None when `I − W` is singular.
pub fn loss(w: &DMatrix<f64>, x: &DMatrix<f64>, rhat: &DMatrix<f64>) -> Option<f64> {
    let r = fixed_points(w, x)?;
    let m = x.ncols().max(1) as f64;
    let j = (r - rhat).norm_squared() / m;
    j.is_finite().then_some(j)
}

/// The fixed points `R* = (I − W)⁻¹ X` (one column per input), or None if `I − W` is singular.
pub fn fixed_points(w: &DMatrix<f64>, x: &DMatrix<f64>) -> Option<DMatrix<f64>> {
    let n = w.nrows();
    let iw = DMatrix::<f64>::identity(n, n) - w;
    let r = iw.lu().solve(x)?;
    r.iter().all(|v| v.is_finite()).then_some(r)
}

/// `A = (I − W)⁻¹`, or None when `I − W` is singular or the inverse overflows.
pub fn effective(w: &DMatrix<f64>) -> Option<DMatrix<f64>> {
    let n = w.nrows();
    let a = (DMatrix::<f64>::identity(n, n) - w).try_inverse()?;
    a.iter().all(|v| v.is_finite()).then_some(a)
}

/// The A-space gradient `∇_A J = (2/m)(A X − R̂) Xᵀ`.
pub fn grad_a(a: &DMatrix<f64>, x: &DMatrix<f64>, rhat: &DMatrix<f64>) -> DMatrix<f64> {
    let m = x.ncols().max(1) as f64;
    mul_nt(&(mul(a, x) - rhat), x) * (2.0 / m)
}

/// The Euclidean gradient through the fixed point (implicit differentiation):
/// `∇_W J = (2/m) Aᵀ (A X − R̂)(A X)ᵀ = Aᵀ ∇_A J Aᵀ`.
pub fn grad_w(w: &DMatrix<f64>, x: &DMatrix<f64>, rhat: &DMatrix<f64>) -> Option<DMatrix<f64>> {
    let a = effective(w)?;
    let m = x.ncols().max(1) as f64;
    let r = &a * x;
    Some(mul_nt(&mul_tn(&a, &(&r - rhat)), &r) * (2.0 / m))
}

/// Rule 1's update `ΔW = −η ∇_W J`.
pub fn update_euclidean(
    w: &DMatrix<f64>,
    x: &DMatrix<f64>,
    rhat: &DMatrix<f64>,
    eta: f64,
) -> Option<DMatrix<f64>> {
    grad_w(w, x, rhat).map(|g| g * (-eta))
}

/// Rule 2's update `ΔW = W⁺ − W` with `W⁺ = I − (A − η ∇_A J)⁻¹` (a gradient step on A mapped back).
pub fn update_reparam(
    w: &DMatrix<f64>,
    x: &DMatrix<f64>,
    rhat: &DMatrix<f64>,
    eta: f64,
) -> Option<DMatrix<f64>> {
    let n = w.nrows();
    let a = effective(w)?;
    let ga = grad_a(&a, x, rhat);
    let a_new = &a - ga * eta;
    let w_new = DMatrix::<f64>::identity(n, n) - a_new.try_inverse()?;
    w_new.iter().all(|v| v.is_finite()).then(|| w_new - w)
}

/// Rule 3's update in the authors' inverse-free form:
/// `ΔW = −η (2/m)(X − (I − W) R̂) Xᵀ (I − W)` (needs neither a fixed point nor an inverse).
pub fn update_linearized(
    w: &DMatrix<f64>,
    x: &DMatrix<f64>,
    rhat: &DMatrix<f64>,
    eta: f64,
) -> DMatrix<f64> {
    let n = w.nrows();
    let m = x.ncols().max(1) as f64;
    let iw = DMatrix::<f64>::identity(n, n) - w;
    mul(&mul_nt(&(x - mul(&iw, rhat)), x), &iw) * (-eta * 2.0 / m)
}

/// The metric form of Rule 3 applied to any gradient `g`:
/// `−η (I−W)(I−W)ᵀ g (I−W)ᵀ(I−W)`, the Riemannian gradient step for the metric
/// `g_W(U, V) = tr[(A U A)ᵀ (A V A)]` (the pull-back of the Frobenius metric on A).
pub fn metric_precondition(w: &DMatrix<f64>, g: &DMatrix<f64>, eta: f64) -> DMatrix<f64> {
    let n = w.nrows();
    let iw = DMatrix::<f64>::identity(n, n) - w;
    let left = mul_nt(&iw, &iw);
    let right = mul_tn(&iw, &iw);
    left * g * right * (-eta)
}

/// The pulled-back metric `g_W(U, V) = tr[(A U A)ᵀ (A V A)]` under which Rule 3 is gradient
/// descent and whose finite form `‖A(W) − A(W')‖_F` Rule 2 minimises (steepest descent).
pub fn metric(w: &DMatrix<f64>, u: &DMatrix<f64>, v: &DMatrix<f64>) -> Option<f64> {
    let a = effective(w)?;
    let au = mul(&mul(&a, u), &a);
    let av = mul(&mul(&a, v), &a);
    Some(au.dot(&av))
}

/// The size from which Rule 3 evaluates its loss by an LU solve instead of the inverse
/// (at N = 50 and 100 the solve measured 2–7 % slower, at N = 200 about 12 % faster).
const LU_FROM: usize = 128;

/// Which of the three rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Rule {
    Euclidean,
    Reparam,
    Linearized,
}

impl Rule {
    pub const ALL: [Rule; 3] = [Rule::Euclidean, Rule::Reparam, Rule::Linearized];
    /// The report key.
    pub fn key(self) -> &'static str {
        match self {
            Rule::Euclidean => "euclidean",
            Rule::Reparam => "reparam",
            Rule::Linearized => "linearized",
        }
    }
    pub fn index(self) -> usize {
        match self {
            Rule::Euclidean => 0,
            Rule::Reparam => 1,
            Rule::Linearized => 2,
        }
    }
}

/// What one evaluation + update of a rule found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StepResult {
    /// `J(W)` before the update; W was updated.
    Ok(f64),
    /// `I − W` is singular (or the iterate overflowed): no fixed point, W left as it was.
    Singular,
}

/// One rule's training with preallocated buffers (no allocation per iteration): each [`LinearStepper::step`] evaluates
/// `J(W)` and applies the rule's update in place.
pub struct LinearStepper {
    pub rule: Rule,
    pub eta: f64,
    n: usize,
    m: usize,
    /// `I − W`, then reused as scratch.
    iw: DMatrix<f64>,
    /// `A = (I − W)⁻¹` (N×N).
    a: DMatrix<f64>,
    /// Fixed points `R = A X`, then the error `E = R − R̂` (N×m).
    r: DMatrix<f64>,
    e: DMatrix<f64>,
    /// `Xᵀ` (m×N), fixed.
    xt: DMatrix<f64>,
    /// N×N scratch.
    g: DMatrix<f64>,
    t: DMatrix<f64>,
    /// m×N scratch (`Rᵀ`).
    rt: DMatrix<f64>,
    /// The last update ΔW (N×N), for the angle readout.
    pub last_update: DMatrix<f64>,
    /// Gauss–Jordan scratch.
    col: Vec<f64>,
    piv: Vec<usize>,
    /// Rule 2 keeps `A⁺` of its last step and the `W⁺ = I − A⁺⁻¹` it returned: when the next
    /// step starts from that same W, `(I − W⁺)⁻¹ = A⁺` exactly (up to the round-off of the
    /// round trip, which this avoids), so one of the two inversions per step is saved.
    a_next: DMatrix<f64>,
    w_next: DMatrix<f64>,
    have_next: bool,
    /// Rule 3: `X Xᵀ` (fixed), and `R̂ Xᵀ` for the targets `q_rhat` (valid if `q_valid`).
    sxx: DMatrix<f64>,
    q: DMatrix<f64>,
    q_rhat: DMatrix<f64>,
    q_valid: bool,
}

impl LinearStepper {
    /// A stepper for `rule` with learning rate `eta` on inputs with `n` neurons and `m` samples.
    pub fn new(rule: Rule, eta: f64, x: &DMatrix<f64>) -> Self {
        let (n, m) = x.shape();
        LinearStepper {
            rule,
            eta,
            n,
            m,
            iw: DMatrix::zeros(n, n),
            a: DMatrix::zeros(n, n),
            r: DMatrix::zeros(n, m),
            e: DMatrix::zeros(n, m),
            xt: x.transpose(),
            g: DMatrix::zeros(n, n),
            t: DMatrix::zeros(n, n),
            rt: DMatrix::zeros(m, n),
            last_update: DMatrix::zeros(n, n),
            // paired Gauss–Jordan steps on every target (the same bits natively and in wasm)
            col: vec![0.0; 2 * n],
            piv: vec![0; n],
            a_next: DMatrix::zeros(n, n),
            w_next: DMatrix::zeros(n, n),
            have_next: false,
            sxx: mul_nt(x, x),
            q: DMatrix::zeros(n, n),
            q_rhat: DMatrix::zeros(n, m),
            q_valid: false,
        }
    }

    /// Fills `iw = I − W`.
    fn set_iw(&mut self, w: &DMatrix<f64>) {
        self.iw.copy_from(w);
        self.iw.neg_mut();
        for i in 0..self.n {
            self.iw[(i, i)] += 1.0;
        }
    }

    /// `a ← (I − W)⁻¹` (allocation-free); false if singular or overflowing.
    fn invert(&mut self) -> bool {
        self.a.copy_from(&self.iw);
        invert_in_place(&mut self.a, &mut self.col, &mut self.piv)
    }

    /// Evaluates `J(W)` and applies the rule's update to `w` in place.
    pub fn step(
        &mut self,
        w: &mut DMatrix<f64>,
        x: &DMatrix<f64>,
        rhat: &DMatrix<f64>,
    ) -> StepResult {
        let m = self.m.max(1) as f64;
        self.set_iw(w);
        match self.rule {
            Rule::Linearized => {
                // The loss still needs the fixed point R = (I − W)⁻¹ X (the update does not).
                // From N = LU_FROM on, one LU solve (2N³/3 + 2N²m flops) beats the 2N³
                // Gauss–Jordan inverse and the product; below, the inverse's paired
                // elimination and the tiled product run faster per flop (measured, native
                // and wasm). The shape alone decides, so every build takes the same path.
                if self.n >= LU_FROM {
                    self.a.copy_from(&self.iw);
                    self.r.copy_from(x);
                    if !solve_in_place(&mut self.a, &mut self.r) {
                        return StepResult::Singular;
                    }
                } else {
                    if !self.invert() {
                        return StepResult::Singular;
                    }
                    gemm(&mut self.r, 1.0, &self.a, x, 0.0);
                }
                self.e.copy_from(&self.r);
                self.e -= rhat;
                let j = self.e.norm_squared() / m;
                if 3 * self.m < 2 * self.n {
                    // few samples: ΔW = −η (2/m) D (Xᵀ (I − W)) with D = X − (I − W) R̂,
                    // 6N²m flops instead of 4N³ (the shape alone picks the order, so every
                    // build takes the same one)
                    self.e.copy_from(x);
                    gemm(&mut self.e, -1.0, &self.iw, rhat, 1.0);
                    gemm(&mut self.rt, 1.0, &self.xt, &self.iw, 0.0);
                    gemm(
                        &mut self.last_update,
                        -self.eta * 2.0 / m,
                        &self.e,
                        &self.rt,
                        0.0,
                    );
                    *w += &self.last_update;
                    return StepResult::Ok(j);
                }
                // g = (2/m) (X − (I − W) R̂) Xᵀ = (2/m) (X Xᵀ − (I − W) R̂ Xᵀ), with X Xᵀ
                // and R̂ Xᵀ fixed: one product instead of two; ΔW = −η g (I − W)
                if !self.q_valid || self.q_rhat != *rhat {
                    self.q_rhat.copy_from(rhat);
                    gemm(&mut self.q, 1.0, rhat, &self.xt, 0.0);
                    self.q_valid = true;
                }
                self.g.copy_from(&self.sxx);
                gemm(&mut self.g, -1.0, &self.iw, &self.q, 1.0);
                gemm(
                    &mut self.last_update,
                    -self.eta * 2.0 / m,
                    &self.g,
                    &self.iw,
                    0.0,
                );
                *w += &self.last_update;
                StepResult::Ok(j)
            }
            Rule::Euclidean => {
                if !self.invert() {
                    return StepResult::Singular;
                }
                gemm(&mut self.r, 1.0, &self.a, x, 0.0);
                self.e.copy_from(&self.r);
                self.e -= rhat;
                let j = self.e.norm_squared() / m;
                // ∇_W J = (2/m) Aᵀ E Rᵀ
                self.r.transpose_to(&mut self.rt);
                // r ← Aᵀ E (r is no longer needed); an explicit transpose and gemm run several
                // times faster than nalgebra's gemm_tr at N = 50
                self.a.transpose_to(&mut self.t);
                gemm(&mut self.r, 1.0, &self.t, &self.e, 0.0);
                gemm(
                    &mut self.last_update,
                    -self.eta * 2.0 / m,
                    &self.r,
                    &self.rt,
                    0.0,
                );
                *w += &self.last_update;
                StepResult::Ok(j)
            }
            Rule::Reparam => {
                if self.have_next && *w == self.w_next {
                    self.a.copy_from(&self.a_next);
                } else if !self.invert() {
                    return StepResult::Singular;
                }
                self.have_next = false;
                gemm(&mut self.r, 1.0, &self.a, x, 0.0);
                self.e.copy_from(&self.r);
                self.e -= rhat;
                let j = self.e.norm_squared() / m;
                // A ← A − η (2/m) E Xᵀ ; W⁺ = I − A⁻¹
                gemm(&mut self.a, -self.eta * 2.0 / m, &self.e, &self.xt, 1.0);
                self.t.copy_from(&self.a);
                if !invert_in_place(&mut self.t, &mut self.col, &mut self.piv) {
                    return StepResult::Singular;
                }
                // ΔW = (I − A⁺⁻¹) − W = (I − W) − A⁺⁻¹
                self.last_update.copy_from(&self.iw);
                self.last_update -= &self.t;
                *w += &self.last_update;
                self.a_next.copy_from(&self.a);
                self.w_next.copy_from(w);
                self.have_next = true;
                StepResult::Ok(j)
            }
        }
    }

    /// `∇_W J` at `w` (for the angle diagnostic; costs one inverse and returns a new matrix).
    pub fn gradient(
        &mut self,
        w: &DMatrix<f64>,
        x: &DMatrix<f64>,
        rhat: &DMatrix<f64>,
    ) -> Option<DMatrix<f64>> {
        self.set_iw(w);
        if !self.invert() {
            return None;
        }
        let m = self.m.max(1) as f64;
        gemm(&mut self.r, 1.0, &self.a, x, 0.0);
        self.e.copy_from(&self.r);
        self.e -= rhat;
        self.r.transpose_to(&mut self.rt);
        self.a.transpose_to(&mut self.t);
        gemm(&mut self.r, 1.0, &self.t, &self.e, 0.0);
        gemm(&mut self.g, 2.0 / m, &self.r, &self.rt, 0.0);
        Some(self.g.clone())
    }
}

/// The eigenvalues of a real square matrix, or None when they cannot be trusted (non-finite
/// entries, or no convergence): the shared balanced Hessenberg + Francis QR routine, which
/// also handles the huge-entry W that rule 2 can produce (nalgebra's uncapped Schur spun
/// forever on it).
pub fn eigen(m: &DMatrix<f64>) -> Option<Vec<nalgebra::Complex<f64>>> {
    crate::dynamics::linalg::try_eigenvalues(m).filter(|_| m.nrows() > 0)
}

/// `min |1 − λ(W)|` over the eigenvalues of W: the distance of the spectrum from the singular
/// set `det(I − W) = 0` (where the fixed point, the loss and its gradient blow up); NaN when
/// the eigenvalues are not available.
pub fn singular_distance(w: &DMatrix<f64>) -> f64 {
    eigen(w).map_or(f64::NAN, |ev| {
        ev.iter()
            .map(|l| (fm::powi(1.0 - l.re, 2) + l.im * l.im).sqrt())
            .fold(f64::INFINITY, f64::min)
    })
}

/// The largest real part of the eigenvalues of W (the fixed point is stable iff it is < 1).
pub fn max_real_eig(w: &DMatrix<f64>) -> f64 {
    eigen(w).map_or(f64::NAN, |ev| {
        ev.iter().map(|l| l.re).fold(f64::NEG_INFINITY, f64::max)
    })
}
