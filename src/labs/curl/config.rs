//! The training configuration: the curl lab's settings made consistent (sizes, data mode,
//! horizon within a work cap), and the problem and initial weights each seed draws.

use super::catalogue::Settings;
use super::network::{self, stream, Act, Data, Net, Problem};
use super::run::Run;
use crate::dynamics::rng;

/// Work cap per run in multiply-adds (keeps a hostile horizon from running for minutes).
pub const WORK_CAP: f64 = 5e8;
/// Largest M for which the projected (non-symmetric) stability matrix is diagonalised on the fly.
pub const PROJ_MAX_M: usize = 60;
/// Largest cost of one epoch in multiply-adds (≈ 1.5 ms natively); P is reduced beyond it.
pub const EPOCH_MAX: f64 = 1.5e6;
/// Cost target of one unit of work, in multiply-adds (≈ 0.3 ms natively).
pub const UNIT_COST: f64 = 3e5;

crate::choice_enum! {
    /// How the error is measured (the `data` parameter).
    pub enum DataMode {
        /// The exact population loss of the linear network (inputs x ~ N(0, ½I)).
        Population = "population",
        /// P training points, full-batch updates.
        FullBatch = "full",
        /// P points in minibatches reshuffled every epoch.
        MiniBatch = "minibatch",
    }
}

crate::choice_enum! {
    /// How the teacher is drawn (the `teacher` parameter).
    pub enum TeacherKind {
        /// W1* ~ N(0, 1/M) rescaled to ‖W1*‖² = N and ‖w2*‖ = 1 (the linear demos).
        Normalized = "normalized",
        /// W1* ~ U(±1/√M), w2* ~ U(±1/√N) (the saddle-escape runs).
        Uniform = "uniform",
    }
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
    /// Reads the settings; returns the config and the notices about what was adjusted.
    pub fn from_settings(s: &Settings) -> (Config, Vec<String>) {
        let mut notes = Vec::new();
        let (m, n, act) = (s.m, s.n, s.act);
        let (mut nh, mut nr) = (s.nh, s.nr);
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
        let eta = s.eta;
        let mut data = s.data;
        if data == DataMode::Population && act != Act::Linear {
            notes.push(
                "The population loss is exact only for the linear network: training on P points with full batch instead."
                    .into(),
            );
            data = DataMode::FullBatch;
        }
        let mut pts = s.p;
        // one epoch is one unit of work (it cannot be split): keep it near EPOCH_MAX multiply-adds
        let per_point = 2.0 * (n * (m + 1)) as f64;
        let p_max = ((EPOCH_MAX / per_point).floor() as usize).max(10);
        if data != DataMode::Population && pts > p_max {
            notes.push(format!(
                "P = {pts} training points would make one epoch too long for a frame at M = {m}, N = {n}: using P = {p_max}."
            ));
            pts = p_max;
        }
        let mut batch = s.batch;
        if data == DataMode::FullBatch {
            batch = pts;
        } else if data == DataMode::MiniBatch && batch >= pts {
            notes.push(format!("Batch {batch} ≥ P = {pts}: this is full batch."));
            batch = pts;
        }
        let proj = s.proj;
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
        let horizon = s.horizon;
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
            r: s.r,
            teacher_uniform: s.teacher == TeacherKind::Uniform,
            teacher_start: s.teacher_start,
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
