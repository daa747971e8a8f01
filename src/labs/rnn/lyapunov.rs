//! Lyapunov exponents of the trained or untrained network along its trajectories.
//!
//! The Jacobian of one step is D_t = ∂a_t/∂a_{t−1} = (1−α) I + α W diag(f'(a_{t−1})) (note §4a).
//! λ_max: a single tangent vector, v_t = D_t q_{t−1}, q_t = v_t/‖v_t‖, λ = ⟨ln ‖v_t‖⟩ over the
//! steps after a transient (per step; divide by α for units of 1/τ). The first k exponents: the
//! QR (Benettin) method, Q_t R_t = D_t Q_{t−1}, λ_i = ⟨ln |R_t,ii|⟩.
//!
//! Two places to measure (correction 1 of the note: say which): along noisy task trials
//! ("task", the note's prototype) or along the autonomous, noise-free network from a random
//! state after a long transient ("auto").

use super::network::{dtanh, Leak, Trajectory, Weights};
use super::tasks::{Batch, Task};
use crate::dynamics::fm;
use crate::dynamics::gemm::{gemm, gemv_pair, Op};
use crate::dynamics::rng::{normal, seeded, Rng};
use nalgebra::{DMatrix, DVector};

pub use super::spectrum::Spectrum;

crate::choice_enum! {
    /// Where exponents are measured (the `lmode` parameter).
    pub enum Where {
        /// Along `TASK_TRIALS` noisy test trials of the task (first `TASK_TRANSIENT` steps dropped).
        Task = "task",
        /// Along the autonomous noise-free network from a_0 ~ N(0,1): `AUTO_TRANSIENT` + `AUTO_STEPS`.
        Auto = "auto",
    }
}

pub const TASK_TRIALS: usize = 8;
pub const TASK_TRANSIENT: usize = 10;
pub const AUTO_TRANSIENT: usize = 200;
pub const AUTO_STEPS: usize = 500;
/// Block length of the batch-means standard error of the autonomous λ_max (10 blocks).
pub const SE_BLOCK: usize = 50;

/// Standard error of the mean of `v`: s/√n with the sample standard deviation s (NaN for
/// fewer than two values).
pub fn standard_error(v: &[f64]) -> f64 {
    let n = v.len();
    if n < 2 {
        return f64::NAN;
    }
    let m = v.iter().sum::<f64>() / n as f64;
    let ss: f64 = v.iter().map(|x| (x - m) * (x - m)).sum();
    (ss / (n - 1) as f64 / n as f64).sqrt()
}

/// Mean-field linear prediction for g < 1 around the quiescent state: ln(1 − α(1 − g)).
pub fn mean_field(g: f64, alpha: f64) -> f64 {
    fm::ln((1.0 - alpha * (1.0 - g)).max(1e-300))
}

/// Finite-N linear prediction at a = 0: ln max |eig((1−α) I + α W)|.
pub fn linear_prediction(p: &Weights, alpha: f64) -> f64 {
    let n = p.n;
    let m = DMatrix::from_fn(n, n, |i, j| {
        alpha * p.w[i + n * j] + if i == j { 1.0 - alpha } else { 0.0 }
    });
    let ev = crate::dynamics::linalg::eigenvalues(&m);
    let r = ev
        .iter()
        .map(|c| fm::hypot(c.re, c.im))
        .fold(0.0f64, f64::max);
    if r > 0.0 {
        fm::ln(r)
    } else {
        f64::NAN
    }
}

/// Random unit vectors, one per column of an `n × b` block.
pub fn random_unit_columns(q: &mut [f64], n: usize, rng: &mut Rng) {
    for col in q.chunks_mut(n) {
        col.iter_mut().for_each(|v| *v = normal(rng));
        let s = col.iter().map(|v| v * v).sum::<f64>().sqrt().max(1e-300);
        col.iter_mut().for_each(|v| *v /= s);
    }
}

/// Tangent vectors along a stored trajectory (one per trial), kept for flossing:
/// u_t = f'(a_{t−1}) ⊙ q_{t−1}, v_t = (1−α) q_{t−1} + α W u_t, n_t = ‖v_t‖, q_t = v_t / n_t.
#[derive(Debug, Clone)]
pub struct Tangent {
    pub q: Vec<f64>,
    pub v: Vec<f64>,
    pub u: Vec<f64>,
    pub norms: Vec<f64>,
}

impl Tangent {
    pub fn new(n: usize, t: usize, b: usize) -> Tangent {
        let cols = (t + 1) * b;
        Tangent {
            q: vec![0.0; n * cols],
            v: vec![0.0; n * cols],
            u: vec![0.0; n * cols],
            norms: vec![1.0; cols],
        }
    }

    /// Propagates random unit vectors along `tr`; returns λ_max = mean of ln n_t over trials and
    /// the steps t > `transient`.
    pub fn propagate(
        &mut self,
        p: &Weights,
        alpha: f64,
        tr: &Trajectory,
        transient: usize,
        rng: &mut Rng,
    ) -> f64 {
        let mut acc = self.start(tr, rng);
        self.propagate_steps(p, alpha, tr, transient, 1, tr.t + 1, &mut acc);
        acc.mean()
    }

    /// The first part of [`Tangent::propagate`]: random unit vectors q_0 (drawn from `rng`).
    pub fn start(&mut self, tr: &Trajectory, rng: &mut Rng) -> LogSum {
        let nb = tr.n * tr.b;
        random_unit_columns(&mut self.q[..nb], tr.n, rng);
        LogSum::default()
    }

    /// Steps `from..to` (within 1..=T) of [`Tangent::propagate`], adding ln n_t into `acc`:
    /// consecutive ranges give the same numbers as one call.
    #[allow(clippy::too_many_arguments)]
    pub fn propagate_steps(
        &mut self,
        p: &Weights,
        alpha: f64,
        tr: &Trajectory,
        transient: usize,
        from: usize,
        to: usize,
        acc: &mut LogSum,
    ) {
        let (n, b, tt) = (tr.n, tr.b, tr.t);
        let nb = n * b;
        for t in from.max(1)..to.min(tt + 1) {
            let hp = &tr.h[(t - 1) * nb..t * nb];
            let (qp, qn) = self.q[(t - 1) * nb..(t + 1) * nb].split_at_mut(nb);
            let u = &mut self.u[t * nb..(t + 1) * nb];
            for j in 0..nb {
                u[j] = dtanh(hp[j]) * qp[j];
            }
            let v = &mut self.v[t * nb..(t + 1) * nb];
            v.copy_from_slice(qp);
            gemm(
                v,
                n,
                b,
                alpha,
                Op::n(&p.w, n, n),
                Op::n(u, n, b),
                1.0 - alpha,
            );
            for k in 0..b {
                let vc = &v[k * n..(k + 1) * n];
                let s = vc.iter().map(|x| x * x).sum::<f64>().sqrt().max(1e-300);
                self.norms[t * b + k] = s;
                let qc = &mut qn[k * n..(k + 1) * n];
                for i in 0..n {
                    qc[i] = vc[i] / s;
                }
                if t > transient {
                    acc.sum += fm::ln(s);
                    acc.count += 1;
                }
            }
        }
    }
}

impl Tangent {
    /// Standard error of λ_max across the `b` trials of a propagation along `tr`: the spread
    /// of the per-trial means of ln n_t over the steps t > `transient`, over √b.
    pub fn standard_error(&self, tr: &Trajectory, transient: usize) -> f64 {
        let (b, tt) = (tr.b, tr.t);
        let steps = (transient + 1..=tt).count().max(1);
        let means: Vec<f64> = (0..b)
            .map(|k| {
                (transient + 1..=tt)
                    .map(|t| fm::ln(self.norms[t * b + k]))
                    .sum::<f64>()
                    / steps as f64
            })
            .collect();
        standard_error(&means)
    }
}

/// A running sum of ln ‖v_t‖ and how many terms it has.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LogSum {
    pub sum: f64,
    pub count: usize,
}

impl LogSum {
    /// The mean (NaN without terms).
    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.sum / self.count as f64
        }
    }
}

/// The trajectories exponents are measured on, for `Where::Task` or `Where::Auto`.
pub fn measurement_trajectory(
    p: &Weights,
    leak: Leak,
    task: Task,
    t: usize,
    place: Where,
    rng: &mut Rng,
) -> (Trajectory, usize) {
    let mut m = Measurement::new(p, leak, task, t, place, rng.clone());
    while !m.advance(p) {}
    let (tr, t0, r) = m.finish();
    *rng = r;
    (tr, t0)
}

/// [`measurement_trajectory`] built a few steps per call of [`Measurement::advance`] (the same
/// numbers: the random numbers are drawn in the same order).
#[derive(Debug, Clone)]
pub struct Measurement {
    tr: Trajectory,
    batch: Batch,
    leak: Leak,
    place: Where,
    transient: usize,
    /// Initial state (autonomous), set once the buffers exist.
    a0: Vec<f64>,
    next: usize,
    rng: Rng,
}

impl Measurement {
    /// Draws the trials (task) or the initial state (autonomous) from `rng`.
    pub fn new(
        p: &Weights,
        leak: Leak,
        task: Task,
        t: usize,
        place: Where,
        mut rng: Rng,
    ) -> Measurement {
        let n = p.n;
        match place {
            Where::Task => {
                let mut batch = Batch::new(task, t, TASK_TRIALS);
                batch.draw(&mut rng);
                Measurement {
                    tr: Trajectory::lazy(n, t, TASK_TRIALS),
                    batch,
                    leak,
                    place,
                    transient: TASK_TRANSIENT.min(t / 2),
                    a0: Vec::new(),
                    next: 1,
                    rng,
                }
            }
            Where::Auto => {
                let steps = AUTO_TRANSIENT + AUTO_STEPS;
                let a0: Vec<f64> = (0..n).map(|_| normal(&mut rng)).collect();
                Measurement {
                    tr: Trajectory::lazy(n, steps, 1),
                    batch: Batch::new(Task::Recall, steps, 1),
                    leak: Leak {
                        alpha: leak.alpha,
                        sigma: 0.0,
                    },
                    place,
                    transient: AUTO_TRANSIENT,
                    a0,
                    next: 1,
                    rng,
                }
            }
        }
    }

    /// One unit of work (a piece of the buffers, or a chunk of steps); true when complete.
    pub fn advance(&mut self, p: &Weights) -> bool {
        if self.next > self.tr.t {
            return true;
        }
        let mut budget = super::network::ALLOC_PIECE;
        if !self.tr.grow(&mut budget) {
            return false;
        }
        if self.next == 1 && self.place == Where::Auto {
            self.tr.set_initial(&self.a0);
        }
        let to = (self.next + super::network::steps_per_unit(p.n, self.tr.b)).min(self.tr.t + 1);
        if self.place == Where::Task {
            self.tr.draw_noise_steps(self.next, to, &mut self.rng);
        }
        self.tr.run_steps(p, self.leak, &self.batch, self.next, to);
        self.next = to;
        if self.next > self.tr.t {
            self.tr.outputs(p);
            return true;
        }
        false
    }

    /// The trajectory, the transient to skip and the random stream (to go on drawing from).
    pub fn finish(self) -> (Trajectory, usize, Rng) {
        (self.tr, self.transient, self.rng)
    }
}

/// λ_max of network `p` measured at `place` (seeded by `seed`, stream 4).
pub fn lambda_max(p: &Weights, leak: Leak, task: Task, t: usize, place: Where, seed: u64) -> f64 {
    let mut job = LambdaJob::new(p, leak, task, t, place, seed);
    loop {
        if let Some(l) = job.advance(p) {
            return l;
        }
    }
}

/// [`lambda_max`] a unit of work per call of [`LambdaJob::advance`], with its state carried
/// between calls (the same number; the weights must not change in between).
#[derive(Debug, Clone)]
pub struct LambdaJob {
    state: Job,
}

#[derive(Debug, Clone)]
enum Job {
    Auto {
        a: Box<Autonomous>,
        leak: Leak,
        t: usize,
        rng: Rng,
    },
    Trajectory(Box<Measurement>),
    Tangent {
        tr: Trajectory,
        alpha: f64,
        transient: usize,
        tan: Tangent,
        acc: LogSum,
        t: usize,
    },
    /// λ_max and its standard error.
    Done(f64, f64),
}

impl LambdaJob {
    pub fn new(p: &Weights, leak: Leak, task: Task, t: usize, place: Where, seed: u64) -> Self {
        let mut rng = seeded(seed, 4);
        let state = match place {
            Where::Auto => {
                let mut a = Box::new(Autonomous::new(p.n));
                a.start(p, &mut rng);
                Job::Auto {
                    a,
                    leak: Leak {
                        alpha: leak.alpha,
                        sigma: 0.0,
                    },
                    t: 0,
                    rng,
                }
            }
            Where::Task => {
                Job::Trajectory(Box::new(Measurement::new(p, leak, task, t, place, rng)))
            }
        };
        LambdaJob { state }
    }

    /// The standard error of λ_max once the job is complete (across the task trials, or by
    /// batch means along the autonomous run).
    pub fn standard_error(&self) -> Option<f64> {
        match self.state {
            Job::Done(_, se) => Some(se),
            _ => None,
        }
    }

    /// One unit of work; λ_max once it is complete.
    pub fn advance(&mut self, p: &Weights) -> Option<f64> {
        let n = p.n;
        match &mut self.state {
            Job::Done(l, _) => return Some(*l),
            Job::Auto { a, leak, t, rng } => {
                let end = AUTO_TRANSIENT + AUTO_STEPS;
                let to = (*t + super::network::steps_per_unit(n, 1)).min(end);
                a.run_steps(p, *leak, *t, to, AUTO_TRANSIENT, rng);
                *t = to;
                if to >= end {
                    self.state = Job::Done(a.mean(AUTO_STEPS), a.standard_error(AUTO_STEPS));
                }
            }
            Job::Trajectory(m) => {
                if m.advance(p) {
                    let Job::Trajectory(m) =
                        std::mem::replace(&mut self.state, Job::Done(0.0, 0.0))
                    else {
                        unreachable!()
                    };
                    let alpha = m.leak.alpha;
                    let (tr, transient, mut rng) = m.finish();
                    let mut tan = Tangent::new(n, tr.t, tr.b);
                    let acc = tan.start(&tr, &mut rng);
                    self.state = Job::Tangent {
                        tr,
                        alpha,
                        transient,
                        tan,
                        acc,
                        t: 1,
                    };
                }
            }
            Job::Tangent {
                tr,
                alpha,
                transient,
                tan,
                acc,
                t,
                ..
            } => {
                let to = (*t + super::network::steps_per_unit(n, tr.b)).min(tr.t + 1);
                tan.propagate_steps(p, *alpha, tr, *transient, *t, to, acc);
                *t = to;
                if to > tr.t {
                    let se = tan.standard_error(tr, *transient);
                    self.state = Job::Done(acc.mean(), se);
                }
            }
        }
        None
    }
}

/// λ_max of the autonomous network with one tangent vector, forward and tangent in one loop
/// with preallocated vectors (the benchmark kernel): from a_0 ~ N(0,1), q_0 a random unit vector,
/// a_t = (1−α)a_{t−1} + α(W h_{t−1} + b) + σ√α ξ_t; v_t = (1−α) q_{t−1} + α W (f'(a_{t−1}) ⊙ q_{t−1}).
#[derive(Debug, Clone)]
pub struct Autonomous {
    a: DVector<f64>,
    h: DVector<f64>,
    q: DVector<f64>,
    u: DVector<f64>,
    wh: DVector<f64>,
    v: DVector<f64>,
    sum: f64,
    /// Sums of ln ‖v_t‖ over consecutive blocks of [`SE_BLOCK`] steps after the transient.
    blocks: Vec<f64>,
}

impl Autonomous {
    pub fn new(n: usize) -> Autonomous {
        let z = DVector::zeros(n);
        Autonomous {
            a: z.clone(),
            h: z.clone(),
            q: z.clone(),
            u: z.clone(),
            wh: z.clone(),
            v: z,
            sum: 0.0,
            blocks: Vec::new(),
        }
    }

    /// Runs `transient + steps` steps; returns the mean of ln ‖v_t‖ over the last `steps`.
    pub fn lambda_max(
        &mut self,
        p: &Weights,
        leak: Leak,
        steps: usize,
        transient: usize,
        rng: &mut Rng,
    ) -> f64 {
        self.start(p, rng);
        self.run_steps(p, leak, 0, transient + steps, transient, rng);
        self.mean(steps)
    }

    /// The first part of [`Autonomous::lambda_max`]: a_0 ~ N(0,1) and a random unit q_0.
    pub fn start(&mut self, p: &Weights, rng: &mut Rng) {
        let n = p.n;
        for i in 0..n {
            self.a[i] = normal(rng);
            self.h[i] = fm::tanh(self.a[i]);
        }
        random_unit_columns(self.q.as_mut_slice(), n, rng);
        self.sum = 0.0;
        self.blocks.clear();
    }

    /// Steps `from..to` of [`Autonomous::lambda_max`] (step indices from 0; ln ‖v_t‖ summed
    /// from `transient` on): consecutive ranges give the same numbers as one call.
    pub fn run_steps(
        &mut self,
        p: &Weights,
        leak: Leak,
        from: usize,
        to: usize,
        transient: usize,
        rng: &mut Rng,
    ) {
        let n = p.n;
        let al = leak.alpha;
        let ns = leak.sigma * al.sqrt();
        for t in from..to {
            for i in 0..n {
                self.u[i] = dtanh(self.h[i]) * self.q[i];
            }
            gemv_pair(
                &p.w,
                (self.h.as_slice(), self.wh.as_mut_slice()),
                al,
                (self.u.as_slice(), self.v.as_mut_slice()),
            );
            let mut s2 = 0.0;
            for i in 0..n {
                let vi = self.v[i] + (1.0 - al) * self.q[i];
                self.v[i] = vi;
                s2 += vi * vi;
            }
            // without noise the term is + 0.0 (as it always was), in loops that vectorise
            if ns > 0.0 {
                for i in 0..n {
                    let noise = ns * normal(rng);
                    self.a[i] = (1.0 - al) * self.a[i] + al * (self.wh[i] + p.b[i]) + noise;
                }
            } else {
                for i in 0..n {
                    self.a[i] = (1.0 - al) * self.a[i] + al * (self.wh[i] + p.b[i]) + 0.0;
                }
            }
            fm::lanes::tanh_into(self.a.as_slice(), self.h.as_mut_slice());
            let s = s2.sqrt().max(1e-300);
            for i in 0..n {
                self.q[i] = self.v[i] / s;
            }
            if t >= transient {
                let l = fm::ln(s);
                self.sum += l;
                let k = (t - transient) / SE_BLOCK;
                if self.blocks.len() <= k {
                    self.blocks.resize(k + 1, 0.0);
                }
                self.blocks[k] += l;
            }
        }
    }

    /// The mean of ln ‖v_t‖ summed so far over `steps` steps.
    pub fn mean(&self, steps: usize) -> f64 {
        self.sum / steps.max(1) as f64
    }

    /// Standard error of [`Autonomous::mean`] by batch means: the spread of the means of the
    /// complete blocks of [`SE_BLOCK`] steps, over √(blocks). Conservative on a periodic
    /// attractor, where block means vary more than the run's mean does (tested).
    pub fn standard_error(&self, steps: usize) -> f64 {
        let full = (steps / SE_BLOCK).min(self.blocks.len());
        let means: Vec<f64> = self.blocks[..full]
            .iter()
            .map(|b| b / SE_BLOCK as f64)
            .collect();
        standard_error(&means)
    }
}

/// The Jacobian D_t = (1−α) I + α W diag(1 − h_{t−1}²) written into `d`.
pub fn jacobian_into(d: &mut DMatrix<f64>, p: &Weights, alpha: f64, h_prev: &[f64]) {
    let n = p.n;
    for j in 0..n {
        let f = alpha * dtanh(h_prev[j]);
        for i in 0..n {
            d[(i, j)] = p.w[i + n * j] * f;
        }
        d[(j, j)] += 1.0 - alpha;
    }
}
