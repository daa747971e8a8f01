//! The RNN lab's jobs as state machines advanced a short unit at a time: the measurement of
//! a network (λ_max, then the spectrum), the untrained network's measurement, the main run
//! (training, then the trained network's measurement), and one sweep point.

use super::experiments::{BeforeView, MainView, Out, Snapshot, SweepResult, Traces, TRACE_TRIALS};
use super::lyapunov::{LambdaJob, Measurement, Spectrum};
use super::network::Weights;
use super::train::{Config, Run};

/// λ_max of a network, then its first k exponents: one unit of work at a time.
pub struct Measure {
    lambda: Option<LambdaJob>,
    measurement: Option<Measurement>,
    spectrum: Option<Spectrum>,
    cfg: Config,
    k: usize,
    pub lambda_max: f64,
    /// Standard error of `lambda_max` (across trials, or by batch means).
    pub lambda_se: f64,
    pub exponents: Vec<f64>,
    pub done: bool,
}

impl Measure {
    pub fn new(p: &Weights, cfg: &Config, k: usize) -> Measure {
        Measure {
            lambda: Some(LambdaJob::new(
                p,
                cfg.leak(),
                cfg.task,
                cfg.t,
                cfg.place,
                cfg.seed,
            )),
            measurement: None,
            spectrum: None,
            cfg: cfg.clone(),
            k,
            lambda_max: f64::NAN,
            lambda_se: f64::NAN,
            exponents: Vec::new(),
            done: false,
        }
    }

    /// One unit; false when done.
    pub fn unit(&mut self, p: &Weights) -> bool {
        if let Some(job) = self.lambda.as_mut() {
            if let Some(l) = job.advance(p) {
                self.lambda_max = l;
                self.lambda_se = job.standard_error().unwrap_or(f64::NAN);
                self.lambda = None;
            }
            return true;
        }
        if self.spectrum.is_none() {
            let c = &self.cfg;
            let m = self.measurement.get_or_insert_with(|| {
                let rng = crate::dynamics::rng::seeded(c.seed, 4);
                Measurement::new(p, c.leak(), c.task, c.t, c.place, rng)
            });
            if m.advance(p) {
                if let Some(m) = self.measurement.take() {
                    let (tr, t0, _) = m.finish();
                    self.spectrum = Some(Spectrum::new(tr, t0, self.k, self.cfg.seed));
                }
            }
            return true;
        }
        let done = match self.spectrum.as_mut() {
            Some(s) => {
                let steps = s.steps_per_unit();
                s.advance(p, self.cfg.alpha, steps)
            }
            None => true,
        };
        if done {
            self.exponents = self
                .spectrum
                .take()
                .map(|s| s.exponents())
                .unwrap_or_default();
            self.done = true;
        }
        !self.done
    }
}

/// The `before` job: the untrained network's λ_max, linear prediction and spectrum.
pub struct BeforeJob {
    pub p: Weights,
    pub linear: f64,
    pub measure: Measure,
}

impl BeforeJob {
    pub fn unit(&mut self) -> bool {
        self.measure.unit(&self.p)
    }
    pub fn out(&self) -> Out {
        Out::Before(BeforeView {
            lambda: self.measure.lambda_max,
            lambda_se: self.measure.lambda_se,
            linear: self.linear,
            spectrum: self.measure.exponents.clone(),
        })
    }
    pub fn fraction(&self) -> f64 {
        if self.measure.lambda.is_none() {
            0.5
        } else {
            0.0
        }
    }
}

/// The `train` job: training, then the measurement of the trained network.
pub struct MainJob {
    pub run: Run,
    pub k: usize,
    pub after: Option<Measure>,
    pub done: bool,
    /// The test outputs after each evaluation, and the history length last looked at.
    pub snaps: Vec<Snapshot>,
    pub seen: usize,
}

impl MainJob {
    pub fn unit(&mut self) -> bool {
        if self.done {
            return false;
        }
        if let Some(m) = self.after.as_mut() {
            if !m.unit(&self.run.p) {
                self.done = true;
            }
            return !self.done;
        }
        let more = self.run.unit();
        self.capture();
        if !more {
            if self.run.diverged {
                self.done = true;
            } else {
                self.after = Some(Measure::new(&self.run.p, &self.run.cfg, self.k));
            }
        }
        !self.done
    }

    /// After the initial evaluation and after each evaluation of the test trials: a snapshot.
    fn capture(&mut self) {
        let r = &self.run;
        let evaluated = if self.snaps.is_empty() {
            r.initial_done()
        } else {
            r.history.len() > self.seen && r.history.last().is_some_and(|p| p.test_loss.is_finite())
        };
        self.seen = r.history.len();
        if !evaluated {
            return;
        }
        let (test_loss, test_acc) = match r.history.last() {
            Some(p) if !self.snaps.is_empty() => (p.test_loss, p.test_acc),
            _ => r.initial,
        };
        let out = self.traces().out;
        self.snaps.push(Snapshot {
            hist: r.history.len(),
            iter: r.history.last().map_or(0, |p| p.iter),
            test_loss,
            test_acc,
            out,
        });
    }

    pub fn traces(&self) -> Traces {
        let tr = &self.run.test_tr;
        let batch = self.run.test_batch();
        let (b, t) = (tr.b, tr.t);
        let k = b.min(TRACE_TRIALS);
        let mut v = Traces {
            t,
            trials: k,
            mask: batch.mask.clone(),
            ..Traces::default()
        };
        for s in 0..=t {
            for j in 0..k {
                let c = s * b + j;
                v.x.push(batch.x.get(c).copied().unwrap_or(f64::NAN));
                v.target.push(batch.y.get(c).copied().unwrap_or(f64::NAN));
                v.out.push(tr.y.get(c).copied().unwrap_or(f64::NAN));
            }
        }
        v
    }

    pub fn out(&self) -> Out {
        let r = &self.run;
        let after = self.after.as_ref();
        Out::Main(Box::new(MainView {
            history: r.history.clone(),
            iter: r.iter,
            pos: r.pos,
            total: r.total(),
            test_loss: r.test_loss,
            test_acc: r.test_acc,
            initial: r.initial,
            diverged: r.diverged,
            weight_change: r.weight_change(),
            traces: self.traces(),
            lambda_after: after.map_or(f64::NAN, |m| m.lambda_max),
            lambda_after_se: after.map_or(f64::NAN, |m| m.lambda_se),
            spectrum_after: after.map_or(Vec::new(), |m| m.exponents.clone()),
            done: self.done,
            snapshots: if self.done {
                self.snaps.clone()
            } else {
                Vec::new()
            },
        }))
    }

    pub fn fraction(&self) -> f64 {
        let f = self.run.pos as f64 / self.run.total().max(1) as f64;
        if self.after.is_some() {
            0.99
        } else {
            0.95 * f
        }
    }
}

/// Where one sweep run stands.
pub enum Phase {
    Start,
    /// λ_max of the untrained network.
    Before(Box<LambdaJob>),
    Train,
    /// λ_max after training.
    After(Box<LambdaJob>),
    Done,
}

/// The `sweep` job of one (g, rule, flossing) point.
pub struct SweepJob {
    pub cfg: Config,
    pub run: Option<Run>,
    pub phase: Phase,
    pub res: SweepResult,
}

impl SweepJob {
    pub fn unit(&mut self) -> bool {
        if matches!(self.phase, Phase::Start) {
            let r = Run::new(self.cfg.clone());
            self.phase = Phase::Before(Box::new(r.lambda_job()));
            self.run = Some(r);
            return true;
        }
        let Some(r) = self.run.as_mut() else {
            return false;
        };
        match std::mem::replace(&mut self.phase, Phase::Train) {
            Phase::Start | Phase::Done => {
                self.phase = Phase::Done;
                return false;
            }
            Phase::Before(mut job) => match job.advance(&r.p) {
                Some(l) => {
                    self.res.lambda_before = l;
                    self.res.lambda_before_se = job.standard_error().unwrap_or(f64::NAN);
                }
                None => self.phase = Phase::Before(job),
            },
            Phase::Train => {
                if !r.unit() {
                    if r.diverged {
                        self.res.lambda_after = f64::NAN;
                        self.finish();
                    } else {
                        self.phase = Phase::After(Box::new(r.lambda_job()));
                    }
                }
            }
            Phase::After(mut job) => match job.advance(&r.p) {
                Some(l) => {
                    self.res.lambda_after = l;
                    self.res.lambda_after_se = job.standard_error().unwrap_or(f64::NAN);
                    self.finish();
                }
                None => self.phase = Phase::After(job),
            },
        }
        !matches!(self.phase, Phase::Done)
    }

    pub fn finish(&mut self) {
        if let Some(r) = self.run.take() {
            self.res.accuracy = r.test_acc;
            self.res.loss = r.test_loss;
        }
        self.res.done = true;
        self.phase = Phase::Done;
    }

    pub fn fraction(&self) -> f64 {
        self.run
            .as_ref()
            .map_or(0.0, |r| (1.0 + r.pos as f64) / (2.0 + r.total() as f64))
    }
}
