//! The N-D teacher task (note §2.2, scaled down as in §7.3) and the training of one rule on it,
//! in the linear or the tanh network, with the diagnostics of the paper's figures: the loss,
//! the angle between the update and the Euclidean gradient, and the spectrum's distance from
//! the singular set.

use super::linear::{self, LinearStepper, Rule, StepResult};
use super::tanh::{self, TanhRule};
use crate::dynamics::fm;
use crate::dynamics::rng;
use nalgebra::DMatrix;

crate::choice_enum! {
    /// Which network the N-D task uses (the `mode` parameter).
    pub enum Mode {
        Linear = "linear",
        Tanh = "tanh",
    }
}

/// The task's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TaskSpec {
    pub mode: Mode,
    pub n: usize,
    pub m: usize,
    /// Input scale σx: `X = σx·N(0,1)`.
    pub sx: f64,
    /// Teacher scale: `Ŵ = teacher·N(0,1)/√N`.
    pub teacher: f64,
    /// Target noise σr: `R̂ = r*(Ŵ) + σr·N(0,1)`.
    pub noise: f64,
    /// Initial scale: `W₀ = init·N(0,1)/√N`.
    pub init: f64,
    pub seed: u64,
}

/// The teacher task: inputs X (N×m), targets R̂ (N×m), the teacher Ŵ and the start W₀.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub spec: TaskSpec,
    pub x: DMatrix<f64>,
    pub rhat: DMatrix<f64>,
    pub w_teacher: DMatrix<f64>,
    pub w_init: DMatrix<f64>,
}

/// An N×N matrix with entries `scale·N(0,1)/√N` from stream `stream` of `seed`.
pub fn random_matrix(n: usize, scale: f64, seed: u64, stream: u64) -> DMatrix<f64> {
    let mut g = rng::seeded(seed, stream);
    let s = scale / (n.max(1) as f64).sqrt();
    DMatrix::from_fn(n, n, |_, _| s * rng::normal(&mut g))
}

impl Task {
    /// Draws the task (streams: 0 teacher, 1 inputs, 2 noise, 3 initial W). Err with a
    /// message when the teacher has no (converged) fixed point for some input.
    pub fn new(spec: TaskSpec) -> Result<Task, String> {
        let (n, m) = (spec.n, spec.m);
        let w_teacher = random_matrix(n, spec.teacher, spec.seed, 0);
        let mut gx = rng::seeded(spec.seed, 1);
        let x = DMatrix::from_fn(n, m, |_, _| spec.sx * rng::normal(&mut gx));
        let clean = match spec.mode {
            Mode::Linear => linear::fixed_points(&w_teacher, &x)
                .ok_or("the teacher's I − Ŵ is singular: its fixed point does not exist")?,
            Mode::Tanh => tanh::fixed_points(&w_teacher, &x, &DMatrix::zeros(n, m))
                .map_err(|_| "Newton found no fixed point of the teacher network".to_string())?,
        };
        let mut gn = rng::seeded(spec.seed, 2);
        let mut rhat = clean.map(|v| v + spec.noise * rng::normal(&mut gn));
        if spec.mode == Mode::Tanh {
            // tanh targets must lie in (−1, 1) for a fixed point to reach them.
            rhat.apply(|v| *v = v.clamp(-0.999, 0.999));
        }
        let w_init = random_matrix(n, spec.init, spec.seed, 3);
        Ok(Task {
            spec,
            x,
            rhat,
            w_teacher,
            w_init,
        })
    }
}

/// Why a rule's training stopped early.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Stop {
    /// `I − W` singular or the iterate overflowed (linear): no fixed point.
    Singular(usize),
    /// Newton did not converge (tanh).
    NoConvergence(usize),
    /// A gradient or update was not finite.
    Diverged(usize),
}

/// A diagnostic recorded at a checkpoint iteration.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Check {
    pub iter: usize,
    /// Angle (degrees) between the rule's update ΔW and −∇_W J.
    pub angle: f64,
    /// `min |1 − λ|` of W (linear) or of `G_i W` over samples (tanh).
    pub sing_dist: f64,
    /// `max Re λ` of the same matrices (stable iff < 1).
    pub max_re: f64,
}

/// How many samples the tanh spectrum diagnostic looks at (each costs an eigen-decomposition).
pub const TANH_SPECTRUM_SAMPLES: usize = 8;

/// A spectrum diagnostic still to compute (its own units of work: an eigen-decomposition of
/// an N×N matrix is costlier than a training step at N = 100).
struct PendingSpectrum {
    /// Index into `checks`.
    check: usize,
    w: DMatrix<f64>,
    /// tanh: the fixed points at `w` (one `G_i W` per sample) and the next sample to do.
    r: Option<DMatrix<f64>>,
    next: usize,
}

/// Spectrum checks per run: 200 up to N = 100, fewer above, since each is an N×N
/// eigen-decomposition (O(N³), some 30 training steps' worth at N = 200): 200·(100/N)³, at
/// least 24.
fn spectrum_checks(n: usize) -> usize {
    if n <= 100 {
        200
    } else {
        ((200.0 * crate::dynamics::fm::powi(100.0 / n as f64, 3)) as usize).max(24)
    }
}

/// One rule's training run, advanced in small units of work.
pub struct Trainer {
    pub rule: Rule,
    pub w: DMatrix<f64>,
    /// `J(W_k)` for k = 0, 1, … (the last entry is the current W's loss).
    pub losses: Vec<f64>,
    pub checks: Vec<Check>,
    pub stop: Option<Stop>,
    pub iters: usize,
    stride: usize,
    /// The first `early` iterations are all checked.
    early: usize,
    lin: LinearStepper,
    eta: f64,
    pending: Option<PendingSpectrum>,
    /// tanh: current fixed points (warm start of the next Newton solve), the ones being
    /// solved, the phase (0: solving fixed points, 1: accumulating the update), the next
    /// sample, the accumulated update and gradient, and samples per unit of work.
    r: DMatrix<f64>,
    r_new: DMatrix<f64>,
    phase: u8,
    next: usize,
    acc: DMatrix<f64>,
    acc_grad: DMatrix<f64>,
    chunk: usize,
}

impl Trainer {
    /// A run of `rule` with rate `eta` for `iters` updates from the task's W₀.
    pub fn new(task: &Task, rule: Rule, eta: f64, iters: usize) -> Trainer {
        let (n, m) = (task.spec.n, task.spec.m);
        Trainer {
            rule,
            w: task.w_init.clone(),
            losses: Vec::with_capacity(iters + 1),
            checks: Vec::new(),
            stop: None,
            iters,
            stride: (iters / spectrum_checks(n)).max(1),
            early: (spectrum_checks(n) / 10).min(20),
            lin: LinearStepper::new(rule, eta, &task.x),
            eta,
            pending: None,
            r: DMatrix::zeros(n, m),
            r_new: DMatrix::zeros(n, m),
            phase: 0,
            next: 0,
            acc: DMatrix::zeros(n, n),
            acc_grad: DMatrix::zeros(n, n),
            chunk: (2_000_000 / (n * n * n).max(1)).max(1),
        }
    }

    /// True when the run is over (all iterations done, or stopped) and its diagnostics computed.
    pub fn done(&self) -> bool {
        self.pending.is_none() && (self.stop.is_some() || self.losses.len() > self.iters)
    }

    /// The current iteration (number of losses recorded minus one).
    pub fn iteration(&self) -> usize {
        self.losses.len().saturating_sub(1)
    }

    fn is_check(&self, k: usize) -> bool {
        k < self.early || k.is_multiple_of(self.stride) || k == self.iters
    }

    /// One unit of work: a pending spectrum, or (linear) the evaluation of `J(W_k)` and the
    /// update, or (tanh) a chunk of samples' fixed points or updates.
    pub fn advance(&mut self, task: &Task) {
        if self.pending.is_some() {
            self.advance_spectrum();
            return;
        }
        if self.done() {
            return;
        }
        match task.spec.mode {
            Mode::Linear => {
                let k = self.losses.len();
                self.advance_linear(task, k, k == self.iters)
            }
            Mode::Tanh => self.advance_tanh(task),
        }
    }

    fn advance_spectrum(&mut self) {
        let Some(p) = &mut self.pending else { return };
        let (d, mx, finished) = match &p.r {
            None => {
                let (d, mx) = spectrum_linear(&p.w);
                (d, mx, true)
            }
            Some(r) => {
                let i = p.next;
                let (d, mx) = if i < r.ncols() {
                    let col = r.columns(i, 1).into_owned();
                    tanh::spectrum(&p.w, &col, 1)
                } else {
                    (f64::INFINITY, f64::NEG_INFINITY)
                };
                p.next += 1;
                (d, mx, p.next >= r.ncols().min(TANH_SPECTRUM_SAMPLES))
            }
        };
        if let Some(c) = self.checks.get_mut(p.check) {
            c.sing_dist = if c.sing_dist.is_nan() {
                d
            } else {
                c.sing_dist.min(d)
            };
            c.max_re = if c.max_re.is_nan() {
                mx
            } else {
                c.max_re.max(mx)
            };
        }
        if finished {
            self.pending = None;
        }
    }

    /// Records a checkpoint at iteration k (its spectrum follows in later units).
    fn push_check(&mut self, k: usize, angle: f64, r: Option<DMatrix<f64>>) {
        self.checks.push(Check {
            iter: k,
            angle,
            sing_dist: f64::NAN,
            max_re: f64::NAN,
        });
        self.pending = Some(PendingSpectrum {
            check: self.checks.len() - 1,
            w: self.w.clone(),
            r,
            next: 0,
        });
    }

    fn advance_linear(&mut self, task: &Task, k: usize, last: bool) {
        let check = self.is_check(k);
        if last {
            match linear::loss(&self.w, &task.x, &task.rhat) {
                Some(j) => {
                    self.losses.push(j);
                    if check {
                        self.push_check(k, f64::NAN, None);
                    }
                }
                None => self.stop = Some(Stop::Singular(k)),
            }
            return;
        }
        let grad = if check {
            self.lin.gradient(&self.w, &task.x, &task.rhat)
        } else {
            None
        };
        let before = self.w.clone();
        match self.lin.step(&mut self.w, &task.x, &task.rhat) {
            StepResult::Ok(j) => {
                if !j.is_finite() {
                    // the fixed point overflowed: W is (numerically) on the singular set
                    self.w = before;
                    self.stop = Some(Stop::Diverged(k));
                    return;
                }
                self.losses.push(j);
                if !self.w.iter().all(|v| v.is_finite()) {
                    self.w = before;
                    self.stop = Some(Stop::Diverged(k));
                    return;
                }
                if check {
                    let angle = grad.map_or(f64::NAN, |g| angle_deg(&self.lin.last_update, &g));
                    // the spectrum belongs to W_k, the W the loss was evaluated at
                    let after = std::mem::replace(&mut self.w, before);
                    self.push_check(k, angle, None);
                    self.w = after;
                }
            }
            StepResult::Singular => self.stop = Some(Stop::Singular(k)),
        }
    }

    fn advance_tanh(&mut self, task: &Task) {
        let m = task.x.ncols();
        let end = (self.next + self.chunk).min(m);
        if self.phase == 0 {
            let k = self.losses.len();
            for i in self.next..end {
                let xc: Vec<f64> = task.x.column(i).iter().copied().collect();
                let rc: Vec<f64> = self.r.column(i).iter().copied().collect();
                match tanh::fixed_point(&self.w, &xc, &rc) {
                    Ok(r) => self.r_new.set_column(i, &r),
                    Err(_) => {
                        self.stop = Some(Stop::NoConvergence(k));
                        return;
                    }
                }
            }
            self.next = end;
            if end < m {
                return;
            }
            self.r.copy_from(&self.r_new);
            let j = tanh::loss_of(&self.r, &task.rhat);
            if !j.is_finite() {
                self.stop = Some(Stop::Diverged(k));
                return;
            }
            self.losses.push(j);
            let check = self.is_check(k);
            if check {
                self.push_check(k, f64::NAN, Some(self.r.clone()));
            }
            if k == self.iters {
                return;
            }
            self.phase = 1;
            self.next = 0;
            self.acc.fill(0.0);
            self.acc_grad.fill(0.0);
            return;
        }
        // phase 1: accumulate the per-sample directions of the batch update
        let k = self.losses.len().saturating_sub(1);
        let check = self.is_check(k) && self.rule != Rule::Euclidean;
        let which = match self.rule {
            Rule::Euclidean => TanhRule::Grad,
            Rule::Reparam => TanhRule::Dw4,
            Rule::Linearized => TanhRule::Dw3,
        };
        let scale = 2.0 / m.max(1) as f64;
        for i in self.next..end {
            let rc = self.r.column(i).into_owned();
            let delta = (&rc - task.rhat.column(i)) * scale;
            let d = match which {
                TanhRule::Grad => tanh::sample_grad(&self.w, &rc, &delta),
                TanhRule::Dw3 => Some(tanh::sample_dw3(&self.w, &rc, &delta)),
                TanhRule::Dw4 => Some(tanh::sample_dw4(&self.w, &rc, &delta)),
            };
            let g = if check {
                tanh::sample_grad(&self.w, &rc, &delta)
            } else {
                Some(DMatrix::zeros(0, 0))
            };
            match (d, g) {
                (Some(d), Some(g)) => {
                    self.acc += d;
                    if check {
                        self.acc_grad += g;
                    }
                }
                _ => {
                    self.stop = Some(Stop::Diverged(k));
                    return;
                }
            }
        }
        self.next = end;
        if end < m {
            return;
        }
        let dw = &self.acc * (-self.eta);
        if !dw.iter().all(|v| v.is_finite()) {
            self.stop = Some(Stop::Diverged(k));
            return;
        }
        if self.is_check(k) {
            let angle = if self.rule == Rule::Euclidean {
                0.0
            } else {
                angle_deg(&dw, &self.acc_grad)
            };
            if let Some(c) = self.checks.iter_mut().rev().find(|c| c.iter == k) {
                c.angle = angle;
            }
        }
        self.w += dw;
        self.phase = 0;
        self.next = 0;
    }

    /// What the run shows so far.
    pub fn view(&self) -> TrainView {
        TrainView {
            rule: self.rule,
            losses: self.losses.clone(),
            checks: self.checks.clone(),
            stop: self.stop.clone(),
            iters: self.iters,
            done: self.done(),
        }
    }
}

/// What one rule's run shows: its losses, checkpoints and why it stopped, if it did.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrainView {
    pub rule: Rule,
    /// `J(W_k)` for k = 0, 1, … (the last entry is the current W's loss).
    pub losses: Vec<f64>,
    pub checks: Vec<Check>,
    pub stop: Option<Stop>,
    pub iters: usize,
    pub done: bool,
}

impl TrainView {
    /// The current iteration (number of losses recorded minus one).
    pub fn iteration(&self) -> usize {
        self.losses.len().saturating_sub(1)
    }

    /// The smallest recorded `min |1 − λ|`.
    pub fn min_singular_distance(&self) -> f64 {
        self.checks
            .iter()
            .map(|c| c.sing_dist)
            .filter(|v| v.is_finite())
            .fold(f64::INFINITY, f64::min)
    }

    /// The last recorded `max Re λ`.
    pub fn last_max_re(&self) -> f64 {
        self.checks
            .iter()
            .rev()
            .map(|c| c.max_re)
            .find(|v| v.is_finite())
            .unwrap_or(f64::NAN)
    }
}

/// The angle in degrees between `u` and the descent direction `−g`: `acos(⟨u, −g⟩/‖u‖‖g‖)`.
pub fn angle_deg(u: &DMatrix<f64>, g: &DMatrix<f64>) -> f64 {
    let nu = u.norm();
    let ng = g.norm();
    if nu == 0.0 || ng == 0.0 || !(nu.is_finite() && ng.is_finite()) {
        return f64::NAN;
    }
    fm::acos((-u.dot(g) / (nu * ng)).clamp(-1.0, 1.0)).to_degrees()
}

/// `(min |1 − λ(W)|, max Re λ(W))` from one eigen-decomposition (NaN, NaN when unavailable).
pub fn spectrum_linear(w: &DMatrix<f64>) -> (f64, f64) {
    match linear::eigen(w) {
        Some(ev) => (
            ev.iter()
                .map(|l| (fm::powi(1.0 - l.re, 2) + l.im * l.im).sqrt())
                .fold(f64::INFINITY, f64::min),
            ev.iter().map(|l| l.re).fold(f64::NEG_INFINITY, f64::max),
        ),
        None => (f64::NAN, f64::NAN),
    }
}
