//! The linear network of Zhu & Rosenbaum: fixed point `r* = (I − W)⁻¹ X = A X`, loss
//! `J = (1/m)‖A X − R̂‖²_F`, and the three learning rules on W.
//!
//! The rules (note §4): with `∇_A J = (2/m)(A X − R̂) Xᵀ`,
//! * Rule 1, Euclidean gradient descent: `W ← W − η ∇_W J`, `∇_W J = Aᵀ ∇_A J Aᵀ`;
//! * Rule 2, re-parameterised: `A ← A − η ∇_A J`, then `W ← I − A⁻¹`;
//! * Rule 3, linearised re-parameterised: `W ← W − η (I − W) ∇_A J (I − W)`
//!   `= W − η (I−W)(I−W)ᵀ ∇_W J (I−W)ᵀ(I−W)`.
//!
//! [`LinearStepper`] runs one rule with preallocated buffers (only the LU factorisation
//! allocates, once per iteration); the free functions are the plain formulas the tests use.

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
    (a * x - rhat) * x.transpose() * (2.0 / m)
}

/// The Euclidean gradient through the fixed point (implicit differentiation):
/// `∇_W J = (2/m) Aᵀ (A X − R̂)(A X)ᵀ = Aᵀ ∇_A J Aᵀ`.
pub fn grad_w(w: &DMatrix<f64>, x: &DMatrix<f64>, rhat: &DMatrix<f64>) -> Option<DMatrix<f64>> {
    let a = effective(w)?;
    let m = x.ncols().max(1) as f64;
    let r = &a * x;
    Some(a.transpose() * (&r - rhat) * r.transpose() * (2.0 / m))
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
    (x - &iw * rhat) * x.transpose() * &iw * (-eta * 2.0 / m)
}

/// The metric form of Rule 3 applied to any gradient `g`:
/// `−η (I−W)(I−W)ᵀ g (I−W)ᵀ(I−W)`, the Riemannian gradient step for the metric
/// `g_W(U, V) = tr[(A U A)ᵀ (A V A)]` (the pull-back of the Frobenius metric on A).
pub fn metric_precondition(w: &DMatrix<f64>, g: &DMatrix<f64>, eta: f64) -> DMatrix<f64> {
    let n = w.nrows();
    let iw = DMatrix::<f64>::identity(n, n) - w;
    let left = &iw * iw.transpose();
    let right = iw.transpose() * &iw;
    left * g * right * (-eta)
}

/// The pulled-back metric `g_W(U, V) = tr[(A U A)ᵀ (A V A)]` under which Rule 3 is gradient
/// descent and whose finite form `‖A(W) − A(W')‖_F` Rule 2 minimises (steepest descent).
pub fn metric(w: &DMatrix<f64>, u: &DMatrix<f64>, v: &DMatrix<f64>) -> Option<f64> {
    let a = effective(w)?;
    let au = &a * u * &a;
    let av = &a * v * &a;
    Some(au.dot(&av))
}

/// Which of the three rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// One rule's training with preallocated buffers: each [`LinearStepper::step`] evaluates
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

    /// `a ← (I − W)⁻¹`; false if singular or overflowing.
    fn invert(&mut self) -> bool {
        let ok = nalgebra::linalg::try_invert_to(self.iw.clone(), &mut self.a);
        ok && self.a.iter().all(|v| v.is_finite())
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
                // The loss still needs the fixed point R = (I − W)⁻¹ X (an LU solve).
                let lu = self.iw.clone().lu();
                self.r.copy_from(x);
                if !lu.solve_mut(&mut self.r) || !self.r.iter().all(|v| v.is_finite()) {
                    return StepResult::Singular;
                }
                self.e.copy_from(&self.r);
                self.e -= rhat;
                let j = self.e.norm_squared() / m;
                // (I − W)(R − R̂) = X − (I − W) R̂: the clamped residual.
                self.r.gemm(1.0, &self.iw, &self.e, 0.0);
                // g = (2/m) (I−W)(R − R̂) Xᵀ ; ΔW = −η g (I − W)
                self.g.gemm(2.0 / m, &self.r, &self.xt, 0.0);
                self.last_update.gemm(-self.eta, &self.g, &self.iw, 0.0);
                *w += &self.last_update;
                StepResult::Ok(j)
            }
            Rule::Euclidean => {
                if !self.invert() {
                    return StepResult::Singular;
                }
                self.r.gemm(1.0, &self.a, x, 0.0);
                self.e.copy_from(&self.r);
                self.e -= rhat;
                let j = self.e.norm_squared() / m;
                // ∇_W J = (2/m) Aᵀ E Rᵀ
                self.r.transpose_to(&mut self.rt);
                self.r.gemm_tr(1.0, &self.a, &self.e, 0.0); // r ← Aᵀ E (r no longer needed)
                self.last_update
                    .gemm(-self.eta * 2.0 / m, &self.r, &self.rt, 0.0);
                *w += &self.last_update;
                StepResult::Ok(j)
            }
            Rule::Reparam => {
                if !self.invert() {
                    return StepResult::Singular;
                }
                self.r.gemm(1.0, &self.a, x, 0.0);
                self.e.copy_from(&self.r);
                self.e -= rhat;
                let j = self.e.norm_squared() / m;
                // A ← A − η (2/m) E Xᵀ ; W⁺ = I − A⁻¹
                self.a.gemm(-self.eta * 2.0 / m, &self.e, &self.xt, 1.0);
                let ok = nalgebra::linalg::try_invert_to(self.a.clone(), &mut self.t);
                if !ok || !self.t.iter().all(|v| v.is_finite()) {
                    return StepResult::Singular;
                }
                // ΔW = (I − A⁺⁻¹) − W = (I − W) − A⁺⁻¹
                self.last_update.copy_from(&self.iw);
                self.last_update -= &self.t;
                *w += &self.last_update;
                StepResult::Ok(j)
            }
        }
    }

    /// `∇_W J` at `w` (for the angle diagnostic; allocates scratch-free but costs one inverse).
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
        self.r.gemm(1.0, &self.a, x, 0.0);
        self.e.copy_from(&self.r);
        self.e -= rhat;
        self.r.transpose_to(&mut self.rt);
        self.r.gemm_tr(1.0, &self.a, &self.e, 0.0);
        self.g.gemm(2.0 / m, &self.r, &self.rt, 0.0);
        Some(self.g.clone())
    }
}

/// `min |1 − λ(W)|` over the eigenvalues of W: the distance of the spectrum from the singular
/// set `det(I − W) = 0` (where the fixed point, the loss and its gradient blow up).
pub fn singular_distance(w: &DMatrix<f64>) -> f64 {
    crate::dynamics::linalg::eigenvalues(w)
        .iter()
        .map(|l| ((1.0 - l.re).powi(2) + l.im * l.im).sqrt())
        .fold(f64::INFINITY, f64::min)
}

/// The largest real part of the eigenvalues of W (the fixed point is stable iff it is < 1).
pub fn max_real_eig(w: &DMatrix<f64>) -> f64 {
    crate::dynamics::linalg::max_real_eigenvalue(w)
}
