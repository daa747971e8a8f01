//! One training run: a network, a rule, Adam, optional flossing, and its history, advanced one
//! iteration at a time (the unit of work between two clock checks).
//!
//! Seeds (streams of `dynamics::rng::seeded`): 0 initial weights, 1 training data and noise,
//! 2 test trials, 3 flossing tangent vectors, 4 Lyapunov measurements, 5 random feedback.

use super::adam::{clip, Adam};
use super::bptt::Backprop;
use super::eprop::{Eprop, Feedback};
use super::flossing::{Floss, FlossGrad};
use super::lyapunov::{self, Where};
use super::network::{Leak, Trajectory, Weights};
use super::rflo::Rflo;
use super::tasks::{Batch, Task};
use crate::dynamics::rng::{normal, seeded, Rng};

/// The learning rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Bptt,
    EpropSym,
    EpropRand,
    Rflo,
}

impl Rule {
    pub const NAMES: [&'static str; 4] = ["bptt", "eprop_sym", "eprop_rand", "rflo"];
    pub const ALL: [Rule; 4] = [Rule::Bptt, Rule::EpropSym, Rule::EpropRand, Rule::Rflo];
    pub fn from_name(s: &str) -> Rule {
        match s {
            "bptt" => Rule::Bptt,
            "eprop_rand" => Rule::EpropRand,
            "rflo" => Rule::Rflo,
            _ => Rule::EpropSym,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Rule::Bptt => "bptt",
            Rule::EpropSym => "eprop_sym",
            Rule::EpropRand => "eprop_rand",
            Rule::Rflo => "rflo",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Rule::Bptt => "BPTT",
            Rule::EpropSym => "e-prop (symmetric)",
            Rule::EpropRand => "e-prop (random)",
            Rule::Rflo => "RFLO",
        }
    }
}

/// When flossing acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlossMode {
    /// Flossing gradient added to the task gradient on every iteration (the note's prototype).
    During,
    /// `fpre` flossing-only iterations before training (Engelken's pre-flossing).
    Before,
    /// Pre-flossing plus two flossing-only phases of `fpre/2` iterations after 1/3 and 2/3 of
    /// training (Engelken's inter-flossing, N_i = 2).
    Intermittent,
}

/// Everything a run depends on.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub n: usize,
    pub g: f64,
    pub alpha: f64,
    pub sigma: f64,
    pub task: Task,
    pub t: usize,
    pub batch: usize,
    pub rule: Rule,
    pub lr: f64,
    pub iters: usize,
    pub floss: bool,
    pub beta: f64,
    pub target: f64,
    pub fmode: FlossMode,
    pub fgrad: FlossGrad,
    pub fpre: usize,
    /// Floss only while λ < λ* (avoids pushing stable large-g networks up).
    pub fbelow: bool,
    pub clip: f64,
    pub eval_every: usize,
    pub test_trials: usize,
    pub place: Where,
    /// Measure λ_max at every evaluation (the lab's main run; sweeps and tests skip it).
    pub track_lambda: bool,
    pub seed: u64,
}

impl Config {
    /// The note's prototype defaults (§5b) at a given gain, rule and seed.
    pub fn prototype(g: f64, rule: Rule, seed: u64) -> Config {
        Config {
            n: 64,
            g,
            alpha: 0.2,
            sigma: 0.1,
            task: Task::Recall,
            t: 80,
            batch: 16,
            rule,
            lr: 3e-3,
            iters: 300,
            floss: false,
            beta: 1.0,
            target: 0.0,
            fmode: FlossMode::During,
            fgrad: FlossGrad::Local,
            fpre: 100,
            fbelow: false,
            clip: 1.0,
            eval_every: 10,
            test_trials: 64,
            place: Where::Task,
            track_lambda: false,
            seed,
        }
    }
    pub fn leak(&self) -> Leak {
        Leak {
            alpha: self.alpha,
            sigma: self.sigma,
        }
    }
    /// The iteration schedule: for each unit, true = flossing only, false = task training.
    pub fn schedule(&self) -> Vec<bool> {
        let mut s = Vec::with_capacity(self.iters + 2 * self.fpre);
        let pre = self.floss && matches!(self.fmode, FlossMode::Before | FlossMode::Intermittent);
        let inter = self.floss && self.fmode == FlossMode::Intermittent;
        if pre {
            s.extend(std::iter::repeat_n(true, self.fpre));
        }
        for i in 0..self.iters {
            if inter && (i == self.iters / 3 || i == 2 * self.iters / 3) && i > 0 {
                s.extend(std::iter::repeat_n(true, self.fpre / 2));
            }
            s.push(false);
        }
        s
    }
}

/// One point of the training history.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Task iterations done (flossing-only iterations do not count).
    pub iter: usize,
    pub train_loss: f64,
    /// λ estimate of the flossing pass (NaN when not flossing on this iteration).
    pub lambda: f64,
    /// Test loss and accuracy (NaN between evaluations).
    pub test_loss: f64,
    pub test_acc: f64,
    /// λ_max of the current network at the measurement place (NaN between evaluations or
    /// when not tracked).
    pub lambda_eval: f64,
}

/// A training run in progress.
pub struct Run {
    pub cfg: Config,
    pub p: Weights,
    pub p0: Weights,
    schedule: Vec<bool>,
    pub pos: usize,
    pub iter: usize,
    adam: Adam,
    bfb: Vec<f64>,
    batch: Batch,
    tr: Trajectory,
    test_batch: Batch,
    pub test_tr: Trajectory,
    bp: Backprop,
    ep: Eprop,
    rf: Rflo,
    fl: Floss,
    grad: Weights,
    fgrad: Weights,
    rng: Rng,
    frng: Rng,
    pub history: Vec<Point>,
    pub test_loss: f64,
    pub test_acc: f64,
    /// Test loss and accuracy of the untrained network.
    pub initial: (f64, f64),
    pub diverged: bool,
}

impl Run {
    /// Builds the network and buffers (cheap: a few allocations of N·(T+1)·B numbers).
    pub fn new(cfg: Config) -> Run {
        let n = cfg.n;
        let mut wr = seeded(cfg.seed, 0);
        let p = Weights::init(n, cfg.g, &mut wr);
        let mut fr = seeded(cfg.seed, 5);
        let sb = 1.0 / (n as f64).sqrt();
        let bfb: Vec<f64> = (0..n).map(|_| sb * normal(&mut fr)).collect();
        // The test trials and their noise are drawn in the first evaluation (stream 2).
        let test_batch = Batch::new(cfg.task, cfg.t, cfg.test_trials);
        let test_tr = Trajectory::new(n, cfg.t, cfg.test_trials);
        let (t, b) = (cfg.t, cfg.batch);
        Run {
            schedule: cfg.schedule(),
            pos: 0,
            iter: 0,
            adam: Adam::new(n, cfg.lr),
            bfb,
            batch: Batch::new(cfg.task, t, b),
            tr: Trajectory::new(n, t, b),
            test_batch,
            test_tr,
            bp: Backprop::new(n, t, b),
            ep: Eprop::new(n, t, b),
            rf: Rflo::new(n, t, b),
            fl: Floss::new(n, t, b),
            grad: Weights::zeros(n),
            fgrad: Weights::zeros(n),
            rng: seeded(cfg.seed, 1),
            frng: seeded(cfg.seed, 3),
            history: Vec::new(),
            test_loss: f64::NAN,
            test_acc: f64::NAN,
            initial: (f64::NAN, f64::NAN),
            diverged: false,
            p0: p.clone(),
            p,
            cfg,
        }
    }

    /// Evaluates the untrained network once (kept out of [`Run::new`] so construction stays cheap).
    pub fn evaluate_initial(&mut self) {
        if self.initial.0.is_nan() && self.pos == 0 {
            let mut trng = seeded(self.cfg.seed, 2);
            self.test_batch.draw(&mut trng);
            self.test_tr.draw_noise(&mut trng);
            self.evaluate();
            self.initial = (self.test_loss, self.test_acc);
        }
    }

    /// Units of work in the schedule.
    pub fn total(&self) -> usize {
        self.schedule.len()
    }

    pub fn done(&self) -> bool {
        self.pos >= self.schedule.len() || self.diverged
    }

    /// Runs the (lazy) initial evaluation if nothing is scheduled (0 iterations).
    pub fn settle(&mut self) {
        if self.schedule.is_empty() {
            self.evaluate_initial();
        }
    }

    /// Test loss and accuracy on the fixed test trials (same trials and noise every time).
    pub fn evaluate(&mut self) {
        self.test_tr.run(&self.p, self.cfg.leak(), &self.test_batch);
        let l = self.test_tr.loss(&self.test_batch);
        self.test_loss = l;
        self.test_acc = self.test_tr.accuracy(&self.test_batch, l);
    }

    /// The test batch (targets, cue signs) behind `test_tr`.
    pub fn test_batch(&self) -> &Batch {
        &self.test_batch
    }

    /// The task gradient of the configured rule on the current batch into `self.grad`.
    fn task_gradient(&mut self) {
        let leak = self.cfg.leak();
        match self.cfg.rule {
            Rule::Bptt => {
                self.bp
                    .gradient(&self.p, leak, &self.tr, &self.batch, false, &mut self.grad)
            }
            Rule::EpropSym => self.ep.gradient(
                &self.p,
                leak,
                &self.tr,
                &self.batch,
                Feedback::Symmetric,
                &mut self.grad,
            ),
            Rule::EpropRand => self.ep.gradient(
                &self.p,
                leak,
                &self.tr,
                &self.batch,
                Feedback::Random(&self.bfb),
                &mut self.grad,
            ),
            Rule::Rflo => self.rf.gradient(
                &self.p,
                leak,
                &self.tr,
                &self.batch,
                &self.bfb,
                &mut self.grad,
            ),
        }
    }

    /// Adds 2β(λ − λ*) ∇λ to `self.grad` (unless `fbelow` and λ ≥ λ*); returns λ.
    fn add_flossing(&mut self, only: bool) -> f64 {
        let transient = lyapunov::TASK_TRANSIENT.min(self.cfg.t / 2);
        let lam = self.fl.lambda_grad(
            &self.p,
            self.cfg.leak(),
            &self.tr,
            &self.batch,
            transient,
            self.cfg.fgrad,
            &mut self.frng,
            &mut self.fgrad,
        );
        if only {
            self.grad.clear();
        }
        if lam.is_finite() && !(self.cfg.fbelow && lam >= self.cfg.target) {
            self.grad
                .axpy(2.0 * self.cfg.beta * (lam - self.cfg.target), &self.fgrad);
        }
        lam
    }

    /// One unit of work: a training iteration (or a flossing-only iteration). Returns false
    /// when nothing is left.
    pub fn step(&mut self) -> bool {
        if self.done() {
            return false;
        }
        self.evaluate_initial();
        let floss_only = self.schedule[self.pos];
        self.pos += 1;
        self.batch.draw(&mut self.rng);
        self.tr.draw_noise(&mut self.rng);
        self.tr.run(&self.p, self.cfg.leak(), &self.batch);
        let loss = self.tr.loss(&self.batch);
        let mut lam = f64::NAN;
        if floss_only {
            lam = self.add_flossing(true);
        } else {
            self.task_gradient();
            if self.cfg.floss && self.cfg.fmode == FlossMode::During {
                lam = self.add_flossing(false);
            }
            self.iter += 1;
        }
        clip(&mut self.grad, self.cfg.clip);
        if self.grad.is_finite() {
            self.adam.step(&mut self.p, &self.grad);
        }
        let evaluated =
            (!floss_only && self.iter.is_multiple_of(self.cfg.eval_every.max(1))) || self.done();
        if evaluated {
            self.evaluate();
        }
        if !loss.is_finite() || loss > 1e6 || !self.p.is_finite() {
            self.diverged = true;
        }
        self.history.push(Point {
            iter: self.iter,
            train_loss: loss,
            lambda: lam,
            test_loss: if evaluated { self.test_loss } else { f64::NAN },
            test_acc: if evaluated { self.test_acc } else { f64::NAN },
            lambda_eval: if evaluated && self.cfg.track_lambda && !self.diverged {
                self.lambda_now()
            } else {
                f64::NAN
            },
        });
        !self.done()
    }

    /// Runs to the end (tests and sweeps outside a time budget).
    pub fn finish(&mut self) {
        while self.step() {}
    }

    /// λ_max of the current network at the configured place.
    pub fn lambda_now(&self) -> f64 {
        let c = &self.cfg;
        lyapunov::lambda_max(&self.p, c.leak(), c.task, c.t, c.place, c.seed)
    }

    /// ‖W − W₀‖_F / √N, how far training moved the recurrent weights.
    pub fn weight_change(&self) -> f64 {
        let d: f64 = self
            .p
            .w
            .iter()
            .zip(&self.p0.w)
            .map(|(a, b)| (a - b) * (a - b))
            .sum();
        d.sqrt() / (self.cfg.n as f64).sqrt()
    }
}
