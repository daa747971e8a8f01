//! One experiment: curl descent and gradient descent trained side by side from the same initial
//! weights on the same data, with the stability, q and Lyapunov diagnostics recorded as they go.

use super::chaos::{Lyapunov, QWindow};
use super::network::{self, stream, Act, Data, Net, Problem, Run, SIGMA2};
use super::stability;
use crate::dynamics::rng;
use crate::params::Params;

/// Work cap per run in multiply-adds (keeps a hostile horizon from running for minutes).
pub const WORK_CAP: f64 = 5e8;
/// Largest M for which the projected (non-symmetric) stability matrix is diagonalised on the fly.
pub const PROJ_MAX_M: usize = 60;
/// Largest cost of one epoch in multiply-adds (≈ 1.5 ms natively); P is reduced beyond it.
pub const EPOCH_MAX: f64 = 1.5e6;
/// Cost target of one unit of work, in multiply-adds (≈ 0.3 ms natively).
pub const UNIT_COST: f64 = 3e5;

/// How the error is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataMode {
    Population,
    FullBatch,
    MiniBatch,
}

/// The lab's parameters, validated and made consistent.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub m: usize,
    pub n: usize,
    pub act: Act,
    pub nh: usize,
    pub nr: usize,
    pub eta: f64,
    pub data: DataMode,
    pub p: usize,
    pub batch: usize,
    pub r: f64,
    pub teacher_uniform: bool,
    pub teacher_start: bool,
    pub proj: bool,
    pub horizon: f64,
    /// Epochs to run (horizon/η, capped by [`WORK_CAP`]).
    pub epochs: usize,
}

impl Config {
    /// Reads the parameters; returns the config and the notices about what was adjusted.
    pub fn from_params(p: &Params) -> (Config, Vec<String>) {
        let mut notes = Vec::new();
        let m = p.int("m").max(1) as usize;
        let n = p.int("n").max(1) as usize;
        let act = Act::from_name(p.choice("act"));
        let mut nh = p.int("nh").max(0) as usize;
        let mut nr = p.int("nr").max(0) as usize;
        if nh > m {
            notes.push(format!(
                "n_h = {nh} exceeds M = {m}: all {m} inputs are flipped."
            ));
            nh = m;
        }
        if nr > n {
            notes.push(format!(
                "n_r = {nr} exceeds N = {n}: all {n} hidden units are flipped."
            ));
            nr = n;
        }
        let eta = p.real("eta");
        let mut data = match p.choice("data") {
            "full" => DataMode::FullBatch,
            "minibatch" => DataMode::MiniBatch,
            _ => DataMode::Population,
        };
        if data == DataMode::Population && act != Act::Linear {
            notes.push(
                "The population loss is exact only for the linear network: training on P points with full batch instead."
                    .into(),
            );
            data = DataMode::FullBatch;
        }
        let mut pts = p.int("p").max(1) as usize;
        // one epoch is one unit of work (it cannot be split): keep it near EPOCH_MAX multiply-adds
        let per_point = 2.0 * (n * (m + 1)) as f64;
        let p_max = ((EPOCH_MAX / per_point).floor() as usize).max(10);
        if data != DataMode::Population && pts > p_max {
            notes.push(format!(
                "P = {pts} training points would make one epoch too long for a frame at M = {m}, N = {n}: using P = {p_max}."
            ));
            pts = p_max;
        }
        let mut batch = p.int("batch").max(1) as usize;
        if data == DataMode::FullBatch {
            batch = pts;
        } else if data == DataMode::MiniBatch && batch >= pts {
            notes.push(format!("Batch {batch} ≥ P = {pts}: this is full batch."));
            batch = pts;
        }
        let proj = p.flag("proj");
        if !proj {
            notes.push(
                "Norm projection is off: curl-descent runs can grow without bound or diverge (the paper's main runs rescale each layer to its initial norm after every update)."
                    .into(),
            );
        }
        if proj && m == 1 && n == 1 {
            notes.push(
                "With one weight per layer the norm projection freezes both weights: turn it off to see the 2-D toy learn."
                    .into(),
            );
        }
        let horizon = p.real("horizon");
        let mut cfg = Config {
            m,
            n,
            act,
            nh,
            nr,
            eta,
            data,
            p: pts,
            batch,
            r: p.real("r"),
            teacher_uniform: p.choice("teacher") == "uniform",
            teacher_start: p.flag("teacher_start"),
            proj,
            horizon,
            epochs: 0,
        };
        let wanted = (horizon / eta).ceil().max(1.0);
        let cap = (WORK_CAP / cfg.epoch_cost()).floor().max(1.0);
        let epochs = wanted.min(cap).min(2e6);
        if epochs < wanted {
            notes.push(format!(
                "The horizon was shortened to t = {:.4} ({} epochs) to keep the run affordable.",
                epochs * eta,
                epochs
            ));
        }
        cfg.epochs = epochs as usize;
        (cfg, notes)
    }

    /// Cost of one epoch of one run in multiply-adds.
    pub fn epoch_cost(&self) -> f64 {
        let nm = (self.n * (self.m + 1)) as f64;
        match self.data {
            DataMode::Population => 4.0 * nm,
            _ => 2.0 * nm * self.p as f64 + 2.0 * nm,
        }
    }

    /// c = M/N.
    pub fn c(&self) -> f64 {
        self.m as f64 / self.n as f64
    }

    /// Builds the problem (teacher, data) and the student's initial weights for `seed`.
    pub fn build(&self, seed: u64) -> (Problem, Net) {
        let (m, n) = (self.m, self.n);
        let mut rt = rng::seeded(seed, stream::TEACHER);
        let teacher = if self.teacher_uniform {
            Net::uniform(m, n, 1.0, &mut rt)
        } else {
            Net::normalized_teacher(m, n, &mut rt)
        };
        let student = if self.teacher_start {
            // exactly at the teacher plus 1e-10 on w2 (the authors' fig3b start)
            let mut s = teacher.clone();
            let mut rp = rng::seeded(seed, stream::TEACHER_START);
            for w in s.w2.iter_mut() {
                *w += 1e-10 * rng::normal(&mut rp);
            }
            s
        } else {
            Net::uniform(m, n, self.r, &mut rng::seeded(seed, stream::STUDENT))
        };
        let data = match self.data {
            DataMode::Population => {
                let mut w = vec![0.0; m];
                teacher.product(&mut w);
                Data::Population { wstar: w }
            }
            _ => {
                let (x_train, y_train, x_test, y_test) = Problem::samples(
                    &teacher,
                    self.act,
                    self.p,
                    &mut rng::seeded(seed, stream::TRAIN),
                    &mut rng::seeded(seed, stream::TEST),
                );
                Data::Samples {
                    x_train,
                    y_train,
                    x_test,
                    y_test,
                    batch: self.batch,
                }
            }
        };
        let prob = Problem {
            m,
            n,
            act: self.act,
            eta: self.eta,
            teacher,
            data,
        };
        (prob, student)
    }

    /// The GD and CD runs of `seed` from the same initial weights (same minibatch order).
    pub fn runs(&self, seed: u64) -> (Problem, Run, Run) {
        let (prob, student) = self.build(seed);
        let pts = prob.points();
        let (d_in, d_hid) = network::flips(self.m, self.n, self.nh, self.nr);
        let cd = Run::new(student.clone(), d_in, d_hid, self.proj, seed, pts);
        let (g_in, g_hid) = network::flips(self.m, self.n, 0, 0);
        let gd = Run::new(student, g_in, g_hid, self.proj, seed, pts);
        (prob, gd, cd)
    }
}

/// Errors at one time: t, then train and test error of curl descent and of gradient descent.
#[derive(Debug, Clone, Copy)]
pub struct ErrRec {
    pub t: f64,
    pub train_cd: f64,
    pub test_cd: f64,
    pub train_gd: f64,
    pub test_gd: f64,
}

/// Stability of the curl-descent weights at one time (eigenvalues per unit time t).
#[derive(Debug, Clone, Copy)]
pub struct StabRec {
    pub t: f64,
    /// λ_min(X).
    pub lam_min_x: f64,
    /// −σx² λ_min(X): the largest nontrivial Jacobian eigenvalue of the unprojected flow.
    pub jac: f64,
    /// −σx² min Re eig(X_p): the same for the norm-projected flow (NaN if off or skipped).
    pub jac_proj: f64,
    /// min Re eig(X_p).
    pub lam_min_xp: f64,
    /// ‖(I − D)∇L‖ / ‖∇L‖.
    pub curl: f64,
}

/// The side-by-side training with its diagnostics.
pub struct Training {
    pub cfg: Config,
    pub prob: Problem,
    pub gd: Run,
    pub cd: Run,
    pub lyap: Lyapunov,
    pub q: QWindow,
    pub errs: Vec<ErrRec>,
    pub stab: Vec<StabRec>,
    rec_every: usize,
    stab_every: usize,
    epochs_per_unit: usize,
    /// Spectrum of X (ascending) and of X_p (real, imaginary parts) at the last stability record.
    pub spectrum: Vec<f64>,
    pub spectrum_proj: Vec<(f64, f64)>,
    pub diverged_at: [Option<f64>; 2],
}

impl Training {
    pub fn new(cfg: &Config, seed: u64) -> Training {
        let (prob, gd, cd) = cfg.runs(seed);
        // Lyapunov shadow: the CD run displaced by d0 along a random direction
        let mut shadow = cd.clone();
        let mut rl = rng::seeded(seed, stream::LYAPUNOV);
        let theta_norm = network::norm(&cd.net.w1).hypot(network::norm(&cd.net.w2));
        let d0 = 1e-8 * theta_norm.max(1.0);
        let mut dir: Vec<f64> = (0..cd.net.w1.len() + cd.net.w2.len())
            .map(|_| rng::normal(&mut rl))
            .collect();
        network::rescale(&mut dir, d0);
        let nw1 = shadow.net.w1.len();
        for (w, d) in shadow.net.w1.iter_mut().zip(&dir[..nw1]) {
            *w += d;
        }
        for (w, d) in shadow.net.w2.iter_mut().zip(&dir[nw1..]) {
            *w += d;
        }
        shadow.invalidate_cache();
        let epochs = cfg.epochs.max(1);
        let lyap = Lyapunov::new(shadow, d0, 10, epochs / 5);
        let m3 = (cfg.m as f64).powi(3);
        let eig_cost = 10.0 * m3
            + if cfg.proj && cfg.m <= PROJ_MAX_M {
                25.0 * m3
            } else {
                0.0
            }
            + cfg.epoch_cost();
        let k = (3e7 / eig_cost).clamp(2.0, 100.0) as usize;
        let epochs_per_unit = ((UNIT_COST / (3.0 * cfg.epoch_cost())).floor() as usize).max(1);
        let mut t = Training {
            cfg: cfg.clone(),
            prob,
            gd,
            cd,
            lyap,
            q: QWindow::new(epochs / 8),
            errs: Vec::new(),
            stab: Vec::new(),
            rec_every: (epochs / 400).max(1),
            stab_every: (epochs / k).max(1),
            epochs_per_unit,
            spectrum: Vec::new(),
            spectrum_proj: Vec::new(),
            diverged_at: [None, None],
        };
        t.record();
        t
    }

    pub fn epoch(&self) -> usize {
        self.cd.epoch.max(self.gd.epoch)
    }

    pub fn time(&self) -> f64 {
        self.epoch() as f64 * self.cfg.eta
    }

    pub fn done(&self) -> bool {
        let cd_done = self.cd.diverged || self.cd.epoch >= self.cfg.epochs;
        let gd_done = self.gd.diverged || self.gd.epoch >= self.cfg.epochs;
        cd_done && gd_done
    }

    pub fn fraction(&self) -> f64 {
        self.epoch() as f64 / self.cfg.epochs.max(1) as f64
    }

    /// Trains a slice of epochs (≈ [`UNIT_COST`] multiply-adds). Returns false when done.
    pub fn unit(&mut self) -> bool {
        if self.done() {
            return false;
        }
        if self.stab.is_empty() {
            // the first eigen-decomposition is done here, not in the (cheap) constructor
            self.record_stability();
            return true;
        }
        for _ in 0..self.epochs_per_unit {
            if self.done() {
                break;
            }
            if !self.cd.diverged && self.cd.epoch < self.cfg.epochs {
                self.cd.epoch(&self.prob);
                self.lyap.after_epoch(&self.prob, &self.cd);
                self.q.push(
                    self.cd.epoch as f64 * self.cfg.eta,
                    &self.cd.net.w1,
                    &self.cd.net.w2,
                );
                if self.cd.diverged && self.diverged_at[0].is_none() {
                    self.diverged_at[0] = Some(self.cd.epoch as f64 * self.cfg.eta);
                }
            }
            if !self.gd.diverged && self.gd.epoch < self.cfg.epochs {
                self.gd.epoch(&self.prob);
                if self.gd.diverged && self.diverged_at[1].is_none() {
                    self.diverged_at[1] = Some(self.gd.epoch as f64 * self.cfg.eta);
                }
            }
            let e = self.epoch();
            if e.is_multiple_of(self.rec_every) || self.done() {
                self.record();
            }
            if e.is_multiple_of(self.stab_every) || self.done() {
                self.record_stability();
            }
        }
        true
    }

    fn record(&mut self) {
        let err = |r: &mut Run, prob: &Problem| {
            if r.diverged {
                (f64::NAN, f64::NAN)
            } else {
                (r.train_error(prob), r.test_error(prob))
            }
        };
        let (train_cd, test_cd) = err(&mut self.cd, &self.prob);
        let (train_gd, test_gd) = err(&mut self.gd, &self.prob);
        let t = self.time();
        if self.errs.last().is_some_and(|r| r.t == t) {
            return;
        }
        self.errs.push(ErrRec {
            t,
            train_cd,
            test_cd,
            train_gd,
            test_gd,
        });
    }

    fn record_stability(&mut self) {
        if self.cd.diverged {
            return;
        }
        let t = self.time();
        if self.stab.last().is_some_and(|r| r.t == t) {
            return;
        }
        let net = &self.cd.net;
        let x = stability::x_matrix(net, &self.cd.d_in, &self.cd.d_hid);
        let spec = crate::dynamics::linalg::symmetric_eigenvalues(&x);
        let lam = spec.first().copied().unwrap_or(f64::NAN);
        let (jac_proj, lam_p) = if self.cfg.proj && self.cfg.m <= PROJ_MAX_M {
            let xp = stability::x_projected(net, &self.cd.d_in, &self.cd.d_hid);
            let ev = stability::eig_ascending(&xp);
            self.spectrum_proj = ev.iter().map(|c| (c.re, c.im)).collect();
            let lp = ev.first().map_or(f64::NAN, |c| c.re);
            (-SIGMA2 * lp, lp)
        } else {
            self.spectrum_proj.clear();
            (f64::NAN, f64::NAN)
        };
        self.spectrum = spec;
        let curl = self.cd.curl_fraction(&self.prob);
        self.stab.push(StabRec {
            t,
            lam_min_x: lam,
            jac: -SIGMA2 * lam,
            jac_proj,
            lam_min_xp: lam_p,
            curl,
        });
    }

    /// The largest nontrivial Jacobian eigenvalue of the flow actually run (projected if on).
    pub fn jacobian_max(&self) -> f64 {
        self.stab.last().map_or(f64::NAN, |s| {
            if self.cfg.proj && s.jac_proj.is_finite() {
                s.jac_proj
            } else {
                s.jac
            }
        })
    }

    /// Final test errors (CD, GD): the last finite record.
    pub fn final_errors(&self) -> (f64, f64) {
        let last = |f: fn(&ErrRec) -> f64| {
            self.errs
                .iter()
                .rev()
                .map(f)
                .find(|v| v.is_finite())
                .unwrap_or(f64::NAN)
        };
        (last(|r| r.test_cd), last(|r| r.test_gd))
    }
}
