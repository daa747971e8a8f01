//! Gradient flossing (Engelken 2023) on λ_max (k = 1), exact and local.
//! [INFERRED] How many exponents the paper flossed is unknown; Engelken's XOR example flossed 75
//! with backpropagation through QR. Here only λ_max is flossed (the note's local rule is for k = 1).
//!
//! Flossing loss L_f = β (λ − λ*)², gradient 2β(λ − λ*) ∇λ, where λ = ⟨ln ‖v_t‖⟩ is the
//! one-vector estimate of [`super::lyapunov::Tangent`] along the training batch (steps after a
//! transient, all trials). With k = 1 the QR of Engelken's method is the normalisation
//! q_t = v_t / ‖v_t‖, so "backpropagating through the QR steps" is the reverse-mode pass below.
//!
//! **Exact** ∇λ (through q and through the trajectory a, for W, W_in and b); derived here:
//! ```text
//! v̄_t = c_t v_t/n_t² + (q̄_t − q_t (q_t·q̄_t)) / n_t        c_t = 1/(B·T') after the transient
//! ū_t = α Wᵀ v̄_t;   W̄ += α v̄_t u_tᵀ
//! q̄_{t−1} = (1−α) v̄_t + f'(a_{t−1}) ⊙ ū_t
//! ā_{t−1} = f''(a_{t−1}) ⊙ q_{t−1} ⊙ ū_t + (1−α) ā_t + f'(a_{t−1}) ⊙ α Wᵀ ā_t
//! W̄ += α ā_t h_{t−1}ᵀ,  W̄_in += α ā_t x_tᵀ,  b̄ += α ā_t
//! ```
//! with f' = 1 − h², f'' = −2h(1 − h²) (checked against finite differences in the tests).
//!
//! **Local** ∇λ (note §4c, [PROTOTYPE] rule of the note, [INFERRED] for the paper): q_{t−1} and
//! a_{t−1} held constant (the e-prop truncation), so only W enters, through v_t:
//! ```text
//! ∂λ/∂W_ij ≈ Σ_t c_t α (v_t,i / n_t²) f'(a_{t−1,j}) q_{t−1,j} = Σ_t c_t α (v_t/n_t²) u_tᵀ
//! ```
//! a three-factor rule: a postsynaptic tangent term, a presynaptic slope × tangent term, and
//! the global scalar (λ − λ*) broadcast like a neuromodulator.

use super::lyapunov::{LogSum, Tangent};
use super::network::{dtanh, Leak, Trajectory, Weights};
use super::tasks::Batch;
use crate::dynamics::gemm::{gemm, Op};
use crate::dynamics::rng::Rng;

/// Which flossing gradient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlossGrad {
    Local,
    Exact,
}

/// Scratch for flossing on one (N, T, B).
#[derive(Debug, Clone)]
pub struct Floss {
    pub tan: Tangent,
    vbar: Vec<f64>,
    abar: Vec<f64>,
    qbar: Vec<f64>,
    ubar: Vec<f64>,
    wta: Vec<f64>,
}

impl Floss {
    pub fn new(n: usize, t: usize, b: usize) -> Floss {
        let cols = (t + 1) * b;
        Floss {
            tan: Tangent::new(n, t, b),
            vbar: vec![0.0; n * cols],
            abar: vec![0.0; n * cols],
            qbar: vec![0.0; n * b],
            ubar: vec![0.0; n * b],
            wta: vec![0.0; n * b],
        }
    }

    /// λ along `tr` and its gradient ∇λ into `g` (only g.w for the local rule; the readout
    /// part is always zero). Returns λ.
    #[allow(clippy::too_many_arguments)]
    pub fn lambda_grad(
        &mut self,
        p: &Weights,
        leak: Leak,
        tr: &Trajectory,
        batch: &Batch,
        transient: usize,
        kind: FlossGrad,
        rng: &mut Rng,
        g: &mut Weights,
    ) -> f64 {
        let mut pass = self.start(tr, transient, kind, rng);
        while !self.unit(&mut pass, p, leak, tr, batch, g) {}
        pass.lambda
    }

    /// Starts [`Floss::lambda_grad`] a unit of work at a time (draws q_0 from `rng`).
    pub fn start(
        &mut self,
        tr: &Trajectory,
        transient: usize,
        kind: FlossGrad,
        rng: &mut Rng,
    ) -> FlossPass {
        let acc = self.tan.start(tr, rng);
        FlossPass {
            stage: FlossStage::Tangent,
            kind,
            transient,
            acc,
            next: 1,
            c: 0.0,
            lambda: f64::NAN,
        }
    }

    /// One unit of work of the pass (tangent steps, backward steps, or the final products);
    /// true when `g` holds ∇λ and `pass.lambda` λ. `p`, `tr` and `batch` must not change
    /// during a pass.
    #[allow(clippy::too_many_arguments)]
    pub fn unit(
        &mut self,
        pass: &mut FlossPass,
        p: &Weights,
        leak: Leak,
        tr: &Trajectory,
        batch: &Batch,
        g: &mut Weights,
    ) -> bool {
        let (n, b, tt) = (tr.n, tr.b, tr.t);
        let nb = n * b;
        let al = leak.alpha;
        let chunk = super::network::steps_per_unit(n, b);
        let transient = pass.transient;
        match pass.stage {
            FlossStage::Tangent => {
                let to = (pass.next + chunk).min(tt + 1);
                self.tan
                    .propagate_steps(p, al, tr, transient, pass.next, to, &mut pass.acc);
                pass.next = to;
                if to <= tt {
                    return false;
                }
                let lam = pass.acc.mean();
                pass.lambda = lam;
                g.clear();
                let steps = tt.saturating_sub(transient);
                if steps == 0 || !lam.is_finite() {
                    pass.stage = FlossStage::Done;
                    return true;
                }
                pass.c = 1.0 / (b * steps) as f64;
                match pass.kind {
                    FlossGrad::Local => {
                        self.local(pass.c, transient, al, tr, g);
                        pass.stage = FlossStage::Done;
                        return true;
                    }
                    FlossGrad::Exact => {
                        self.qbar.iter_mut().for_each(|v| *v = 0.0);
                        self.abar[tt * nb..(tt + 1) * nb]
                            .iter_mut()
                            .for_each(|v| *v = 0.0);
                        pass.next = tt;
                        pass.stage = FlossStage::Backward;
                    }
                }
                false
            }
            FlossStage::Backward => {
                // steps t = next, next − 1, …, down to lo (≥ 1)
                let lo = pass.next.saturating_sub(chunk - 1).max(1);
                self.backward(pass.c, transient, p, al, tr, lo, pass.next);
                if lo > 1 {
                    pass.next = lo - 1;
                } else {
                    pass.stage = FlossStage::Finish;
                }
                false
            }
            FlossStage::Finish => {
                let cols = tt * b;
                // W̄ = α Σ v̄_t u_tᵀ + α Σ ā_t h_{t−1}ᵀ
                gemm(
                    &mut g.w,
                    n,
                    n,
                    al,
                    Op::n(&self.vbar[nb..(tt + 1) * nb], n, cols),
                    Op::t(&self.tan.u[nb..(tt + 1) * nb], n, cols),
                    0.0,
                );
                gemm(
                    &mut g.w,
                    n,
                    n,
                    al,
                    Op::n(&self.abar[nb..(tt + 1) * nb], n, cols),
                    Op::t(&tr.h[..cols * n], n, cols),
                    1.0,
                );
                for col in b..(tt + 1) * b {
                    let x = batch.x[col];
                    let d = &self.abar[col * n..(col + 1) * n];
                    for i in 0..n {
                        g.w_in[i] += al * d[i] * x;
                        g.b[i] += al * d[i];
                    }
                }
                pass.stage = FlossStage::Done;
                true
            }
            FlossStage::Done => true,
        }
    }

    /// The local rule's ∇λ (after the tangent pass).
    fn local(&mut self, c: f64, transient: usize, al: f64, tr: &Trajectory, g: &mut Weights) {
        let (n, b, tt) = (tr.n, tr.b, tr.t);
        let nb = n * b;
        let cols = tt * b;
        for t in 1..=tt {
            let ct = if t > transient { c } else { 0.0 };
            for k in 0..b {
                let nt = self.tan.norms[t * b + k];
                let s = ct / (nt * nt);
                let off = t * nb + k * n;
                for i in 0..n {
                    self.vbar[off + i] = s * self.tan.v[off + i];
                }
            }
        }
        gemm(
            &mut g.w,
            n,
            n,
            al,
            Op::n(&self.vbar[nb..(tt + 1) * nb], n, cols),
            Op::t(&self.tan.u[nb..(tt + 1) * nb], n, cols),
            0.0,
        );
    }

    /// Steps t = hi, hi − 1, …, lo of the exact reverse-mode pass.
    #[allow(clippy::too_many_arguments)]
    fn backward(
        &mut self,
        c: f64,
        transient: usize,
        p: &Weights,
        al: f64,
        tr: &Trajectory,
        lo: usize,
        hi: usize,
    ) {
        let (n, b) = (tr.n, tr.b);
        let nb = n * b;
        for t in (lo..=hi).rev() {
            let ct = if t > transient { c } else { 0.0 };
            // v̄_t
            for k in 0..b {
                let nt = self.tan.norms[t * b + k];
                let off = t * nb + k * n;
                let q = &self.tan.q[off..off + n];
                let qb = &self.qbar[k * n..(k + 1) * n];
                let dot: f64 = q.iter().zip(qb).map(|(a, b)| a * b).sum();
                for i in 0..n {
                    self.vbar[off + i] =
                        ct * self.tan.v[off + i] / (nt * nt) + (qb[i] - q[i] * dot) / nt;
                }
            }
            let vb = &self.vbar[t * nb..(t + 1) * nb];
            gemm(
                &mut self.ubar,
                n,
                b,
                al,
                Op::t(&p.w, n, n),
                Op::n(vb, n, b),
                0.0,
            );
            let (ab_prev, ab_cur) = self.abar[(t - 1) * nb..(t + 1) * nb].split_at_mut(nb);
            gemm(
                &mut self.wta,
                n,
                b,
                al,
                Op::t(&p.w, n, n),
                Op::n(ab_cur, n, b),
                0.0,
            );
            let hp = &tr.h[(t - 1) * nb..t * nb];
            let qp = &self.tan.q[(t - 1) * nb..t * nb];
            for j in 0..nb {
                let h = hp[j];
                let f1 = dtanh(h);
                let f2 = -2.0 * h * f1;
                self.qbar[j] = (1.0 - al) * vb[j] + f1 * self.ubar[j];
                ab_prev[j] = f2 * qp[j] * self.ubar[j] + (1.0 - al) * ab_cur[j] + f1 * self.wta[j];
            }
        }
    }
}

/// Where a flossing pass ([`Floss::start`], [`Floss::unit`]) stands.
#[derive(Debug, Clone)]
pub struct FlossPass {
    stage: FlossStage,
    kind: FlossGrad,
    transient: usize,
    acc: LogSum,
    /// Next step of the tangent pass (forward) or of the reverse pass (backward).
    next: usize,
    /// The weight 1/(B·T') of each step after the transient.
    c: f64,
    /// λ of the pass (NaN until the tangent pass is complete).
    pub lambda: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FlossStage {
    Tangent,
    Backward,
    Finish,
    Done,
}
