//! One training run: a network, a rule, Adam, optional flossing, and its history, advanced a
//! short unit of work at a time ([`Run::unit`]: a chunk of a forward pass, a gradient, a chunk
//! of the flossing pass, of an evaluation or of a λ_max measurement) or an iteration at a time
//! ([`Run::step`]); both give the same numbers.
//!
//! Seeds (streams of `dynamics::rng::seeded`): 0 initial weights, 1 training data and noise,
//! 2 test trials, 3 flossing tangent vectors, 4 Lyapunov measurements, 5 random feedback.

use super::adam::{clip, Adam};
use super::bptt::Backprop;
use super::eprop::{Eprop, Feedback};
use super::flossing::{Floss, FlossPass};
use super::lyapunov::{self, LambdaJob};
use super::network::{steps_per_unit, Trajectory, Weights, ALLOC_PIECE};
use super::rflo::Rflo;
use super::tasks::Batch;
use crate::dynamics::rng::{normal, seeded, Rng};

pub use super::config::{Config, FlossMode, Rule};

/// One point of the training history.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
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
    /// The rules' scratch, allocated (a unit of work each) when first needed.
    bp: Option<Backprop>,
    ep: Option<Eprop>,
    rf: Option<Rflo>,
    fl: Option<Floss>,
    grad: Weights,
    fgrad: Weights,
    rng: Rng,
    frng: Rng,
    pub history: Vec<Point>,
    pub test_loss: f64,
    pub test_acc: f64,
    /// Test loss and accuracy of the untrained network.
    pub initial: (f64, f64),
    initial_done: bool,
    pub diverged: bool,
    /// The unit of work in progress within an iteration.
    work: Work,
}

/// Where a run stands between two units of work.
#[derive(Debug)]
enum Work {
    /// Between iterations.
    Idle,
    /// The initial evaluation: test trials drawn; their noise and forward pass in chunks.
    Initial { next: usize, rng: Box<Rng> },
    /// The training batch drawn; its noise and forward pass up to step `next`.
    Forward { floss_only: bool, next: usize },
    /// The task gradient (or, flossing only, the start of the flossing pass).
    Gradient { floss_only: bool, loss: f64 },
    /// The flossing pass.
    Floss {
        floss_only: bool,
        loss: f64,
        pass: Box<FlossPass>,
    },
    /// The test evaluation after an iteration, up to step `next`.
    Evaluate { point: Point, next: usize },
    /// λ_max at an evaluation.
    Lambda { point: Point, job: Box<LambdaJob> },
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
        let test_tr = Trajectory::lazy(n, cfg.t, cfg.test_trials);
        let (t, b) = (cfg.t, cfg.batch);
        Run {
            schedule: cfg.schedule(),
            pos: 0,
            iter: 0,
            adam: Adam::new(n, cfg.lr),
            bfb,
            batch: Batch::new(cfg.task, t, b),
            tr: Trajectory::lazy(n, t, b),
            test_batch,
            test_tr,
            bp: None,
            ep: None,
            rf: None,
            fl: None,
            grad: Weights::zeros(n),
            fgrad: Weights::zeros(n),
            rng: seeded(cfg.seed, 1),
            frng: seeded(cfg.seed, 3),
            history: Vec::new(),
            test_loss: f64::NAN,
            test_acc: f64::NAN,
            initial: (f64::NAN, f64::NAN),
            initial_done: false,
            diverged: false,
            work: Work::Idle,
            p0: p.clone(),
            p,
            cfg,
        }
    }

    /// The untrained network has been evaluated.
    pub fn initial_done(&self) -> bool {
        self.initial_done
    }

    /// Evaluates the untrained network once (kept out of [`Run::new`] so construction stays cheap).
    pub fn evaluate_initial(&mut self) {
        while self.initial_unit() {}
    }

    /// One unit of the initial evaluation; false once it is done.
    pub fn initial_unit(&mut self) -> bool {
        if self.initial_done || self.pos > 0 {
            return false;
        }
        if !matches!(self.work, Work::Initial { .. }) {
            let mut rng = seeded(self.cfg.seed, 2);
            self.test_batch.draw(&mut rng);
            self.work = Work::Initial {
                next: 1,
                rng: Box::new(rng),
            };
        }
        let Work::Initial { next, rng } = &mut self.work else {
            unreachable!()
        };
        let mut budget = ALLOC_PIECE;
        if !self.test_tr.grow(&mut budget) {
            return true;
        }
        let to = (*next + steps_per_unit(self.cfg.n, self.test_tr.b)).min(self.cfg.t + 1);
        self.test_tr.draw_noise_steps(*next, to, rng);
        self.test_tr
            .run_steps(&self.p, self.cfg.leak(), &self.test_batch, *next, to);
        *next = to;
        if to <= self.cfg.t {
            return true;
        }
        self.work = Work::Idle;
        self.finish_evaluation();
        self.initial = (self.test_loss, self.test_acc);
        self.initial_done = true;
        false
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
        let mut next = 1;
        while !self.evaluation_unit(&mut next) {}
    }

    /// Steps `next..` (a unit's worth) of the test evaluation; true when it is complete.
    fn evaluation_unit(&mut self, next: &mut usize) -> bool {
        let mut budget = ALLOC_PIECE;
        if !self.test_tr.grow(&mut budget) {
            return false;
        }
        let to = (*next + steps_per_unit(self.cfg.n, self.test_tr.b)).min(self.cfg.t + 1);
        self.test_tr
            .run_steps(&self.p, self.cfg.leak(), &self.test_batch, *next, to);
        *next = to;
        if to <= self.cfg.t {
            return false;
        }
        self.finish_evaluation();
        true
    }

    /// Outputs, loss and accuracy once the test trajectory has run.
    fn finish_evaluation(&mut self) {
        self.test_tr.outputs(&self.p);
        let l = self.test_tr.loss(&self.test_batch);
        self.test_loss = l;
        self.test_acc = self.test_tr.accuracy(&self.test_batch, l);
    }

    /// The test batch (targets, cue signs) behind `test_tr`.
    pub fn test_batch(&self) -> &Batch {
        &self.test_batch
    }

    /// Allocates one missing scratch buffer the run needs (a unit of work); false if none was
    /// missing.
    fn allocate(&mut self) -> bool {
        let (n, t, b) = (self.cfg.n, self.cfg.t, self.cfg.batch);
        let mut budget = ALLOC_PIECE;
        if !self.tr.grow(&mut budget) {
            return true;
        }
        if self.cfg.floss && self.fl.is_none() {
            self.fl = Some(Floss::new(n, t, b));
            return true;
        }
        match self.cfg.rule {
            Rule::Bptt if self.bp.is_none() => self.bp = Some(Backprop::new(n, t, b)),
            Rule::EpropSym | Rule::EpropRand if self.ep.is_none() => {
                self.ep = Some(Eprop::new(n, t, b))
            }
            Rule::Rflo if self.rf.is_none() => self.rf = Some(Rflo::new(n, t, b)),
            _ => return false,
        }
        true
    }

    /// The task gradient of the configured rule on the current batch into `self.grad`.
    fn task_gradient(&mut self) {
        let leak = self.cfg.leak();
        let (n, t, b) = (self.cfg.n, self.cfg.t, self.cfg.batch);
        match self.cfg.rule {
            Rule::Bptt => self
                .bp
                .get_or_insert_with(|| Backprop::new(n, t, b))
                .gradient(&self.p, leak, &self.tr, &self.batch, false, &mut self.grad),
            Rule::EpropSym => self.ep.get_or_insert_with(|| Eprop::new(n, t, b)).gradient(
                &self.p,
                leak,
                &self.tr,
                &self.batch,
                Feedback::Symmetric,
                &mut self.grad,
            ),
            Rule::EpropRand => self.ep.get_or_insert_with(|| Eprop::new(n, t, b)).gradient(
                &self.p,
                leak,
                &self.tr,
                &self.batch,
                Feedback::Random(&self.bfb),
                &mut self.grad,
            ),
            Rule::Rflo => self.rf.get_or_insert_with(|| Rflo::new(n, t, b)).gradient(
                &self.p,
                leak,
                &self.tr,
                &self.batch,
                &self.bfb,
                &mut self.grad,
            ),
        }
    }

    /// Starts the flossing pass on the current batch.
    fn start_flossing(&mut self) -> Box<FlossPass> {
        let (n, t, b) = (self.cfg.n, self.cfg.t, self.cfg.batch);
        let transient = lyapunov::TASK_TRANSIENT.min(self.cfg.t / 2);
        let fl = self.fl.get_or_insert_with(|| Floss::new(n, t, b));
        Box::new(fl.start(&self.tr, transient, self.cfg.fgrad, &mut self.frng))
    }

    /// One unit of the flossing pass; when it is complete, adds 2β(λ − λ*) ∇λ to `self.grad`
    /// (after clearing it if `only`; unless `fbelow` and λ ≥ λ*) and returns Some(λ).
    fn flossing_unit(&mut self, pass: &mut FlossPass, only: bool) -> Option<f64> {
        let (n, t, b) = (self.cfg.n, self.cfg.t, self.cfg.batch);
        let fl = self.fl.get_or_insert_with(|| Floss::new(n, t, b));
        if !fl.unit(
            pass,
            &self.p,
            self.cfg.leak(),
            &self.tr,
            &self.batch,
            &mut self.fgrad,
        ) {
            return None;
        }
        let lam = pass.lambda;
        if only {
            self.grad.clear();
        }
        if lam.is_finite() && !(self.cfg.fbelow && lam >= self.cfg.target) {
            self.grad
                .axpy(2.0 * self.cfg.beta * (lam - self.cfg.target), &self.fgrad);
        }
        Some(lam)
    }

    /// The end of an iteration's gradient work: clip, Adam step, divergence check, and the
    /// evaluation that may follow.
    fn apply(&mut self, floss_only: bool, loss: f64, lam: f64) {
        clip(&mut self.grad, self.cfg.clip);
        if self.grad.is_finite() {
            self.adam.step(&mut self.p, &self.grad);
        }
        let evaluated =
            (!floss_only && self.iter.is_multiple_of(self.cfg.eval_every.max(1))) || self.done();
        if !loss.is_finite() || loss > 1e6 || !self.p.is_finite() {
            self.diverged = true;
        }
        let point = Point {
            iter: self.iter,
            train_loss: loss,
            lambda: lam,
            test_loss: f64::NAN,
            test_acc: f64::NAN,
            lambda_eval: f64::NAN,
        };
        if evaluated {
            self.work = Work::Evaluate { point, next: 1 };
        } else {
            self.history.push(point);
            self.work = Work::Idle;
        }
    }

    /// One unit of work of the iteration in progress, or the start of the next one.
    fn iteration_unit(&mut self) {
        match std::mem::replace(&mut self.work, Work::Idle) {
            w @ Work::Initial { .. } => {
                self.work = w;
                self.initial_unit();
            }
            Work::Idle => {
                if self.pos == 0 && !self.initial_done {
                    self.initial_unit();
                    return;
                }
                if self.allocate() {
                    return;
                }
                let floss_only = self.schedule[self.pos];
                self.pos += 1;
                self.batch.draw(&mut self.rng);
                self.work = Work::Forward {
                    floss_only,
                    next: 1,
                };
                self.iteration_unit();
            }
            Work::Forward { floss_only, next } => {
                let to = (next + steps_per_unit(self.cfg.n, self.cfg.batch)).min(self.cfg.t + 1);
                self.tr.draw_noise_steps(next, to, &mut self.rng);
                self.tr
                    .run_steps(&self.p, self.cfg.leak(), &self.batch, next, to);
                if to <= self.cfg.t {
                    self.work = Work::Forward {
                        floss_only,
                        next: to,
                    };
                    return;
                }
                self.tr.outputs(&self.p);
                let loss = self.tr.loss(&self.batch);
                self.work = Work::Gradient { floss_only, loss };
            }
            Work::Gradient { floss_only, loss } => {
                if !floss_only {
                    self.task_gradient();
                    self.iter += 1;
                    if !(self.cfg.floss && self.cfg.fmode == FlossMode::During) {
                        self.apply(false, loss, f64::NAN);
                        return;
                    }
                }
                let pass = self.start_flossing();
                self.work = Work::Floss {
                    floss_only,
                    loss,
                    pass,
                };
            }
            Work::Floss {
                floss_only,
                loss,
                mut pass,
            } => match self.flossing_unit(&mut pass, floss_only) {
                Some(lam) => self.apply(floss_only, loss, lam),
                None => {
                    self.work = Work::Floss {
                        floss_only,
                        loss,
                        pass,
                    }
                }
            },
            Work::Evaluate {
                mut point,
                mut next,
            } => {
                if !self.evaluation_unit(&mut next) {
                    self.work = Work::Evaluate { point, next };
                    return;
                }
                point.test_loss = self.test_loss;
                point.test_acc = self.test_acc;
                if self.cfg.track_lambda && !self.diverged {
                    self.work = Work::Lambda {
                        point,
                        job: Box::new(self.lambda_job()),
                    };
                } else {
                    self.history.push(point);
                }
            }
            Work::Lambda { mut point, mut job } => match job.advance(&self.p) {
                Some(l) => {
                    point.lambda_eval = l;
                    self.history.push(point);
                }
                None => self.work = Work::Lambda { point, job },
            },
        }
    }

    /// True while an iteration is part-way done.
    fn in_iteration(&self) -> bool {
        !matches!(self.work, Work::Idle | Work::Initial { .. })
    }

    /// One unit of work (well under a few ms at the default sizes): a piece of the initial
    /// evaluation, of an iteration's forward pass, its gradient, its flossing pass, or the
    /// evaluation and λ_max measurement after it. Includes [`Run::settle`]. Returns false when
    /// nothing is left (then nothing was done).
    pub fn unit(&mut self) -> bool {
        if self.in_iteration() || !self.done() {
            self.iteration_unit();
            return true;
        }
        self.initial_unit()
    }

    /// A whole training iteration (or flossing-only iteration), as many units as it takes.
    /// Returns false when nothing is left.
    pub fn step(&mut self) -> bool {
        if !self.in_iteration() && self.done() {
            return false;
        }
        let target = if self.in_iteration() {
            self.pos
        } else {
            self.pos + 1
        };
        loop {
            self.iteration_unit();
            if matches!(self.work, Work::Idle) && self.pos >= target {
                break;
            }
        }
        !self.done()
    }

    /// Runs to the end (tests and sweeps outside a time budget).
    pub fn finish(&mut self) {
        while self.step() {}
    }

    /// λ_max of the current network at the configured place, a unit of work at a time.
    pub fn lambda_job(&self) -> LambdaJob {
        let c = &self.cfg;
        LambdaJob::new(&self.p, c.leak(), c.task, c.t, c.place, c.seed)
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
