//! The RNN lab's state and its long work, as stages of independent jobs:
//! - `before`: λ_max, the linear prediction and the Lyapunov spectrum of the untrained network;
//! - `train`: the main training run, streamed as it learns, then λ_max and the spectrum of the
//!   trained network;
//! - `sweep`: one (g, rule, flossing) run per job: λ_max before, training, λ_max after;
//! - `seeds`: the main configuration at replicate seed k per job (the same run as a sweep
//!   point: λ_max before, training, λ_max after).
//!
//! Seeds (streams of `dynamics::rng::seeded`) are those of [`super::train`]; every job draws
//! from the link's seed by stream, so no job depends on another having run.

use super::catalogue::{FlossChoice, Settings, SweepKind, VIEWS};
use super::flossing::FlossGrad;
use super::jobs::{BeforeJob, MainJob, Measure, Phase, SweepJob};
use super::lyapunov::{self, Where};
use super::network::{self, Weights};
use super::train::{Config, Point, Rule, Run};
use crate::lab::work::{Stepper, Work};
use crate::lab::{Lab, Readout, Stage, ViewDef};
use crate::params::Params;
use serde::{Deserialize, Serialize};

crate::choice_enum! {
    /// The lab's stages, in priority order.
    pub enum StageId {
        Before = "before",
        Train = "train",
        Sweep = "sweep",
        Seeds = "seeds",
    }
}

/// The gains of the sweeps.
pub const SWEEP_G: [f64; 6] = [0.5, 0.8, 1.0, 1.2, 1.5, 2.0];
/// Test trials shown in the traces view.
pub const TRACE_TRIALS: usize = 4;

/// The training configuration a parameter set describes.
pub fn config_of(s: &Settings) -> Config {
    let fgrad = match s.fgrad {
        FlossChoice::Local => FlossGrad::Local,
        FlossChoice::Exact => FlossGrad::Exact,
        FlossChoice::Auto => auto_fgrad(s.rule),
    };
    Config {
        n: s.n,
        g: s.g,
        alpha: s.alpha,
        sigma: s.sigma,
        task: s.task,
        t: s.t,
        batch: s.batch,
        rule: s.rule,
        lr: s.lr,
        iters: s.iters,
        floss: s.floss,
        beta: s.beta,
        target: s.target,
        fmode: s.fmode,
        fgrad,
        fpre: s.fpre,
        fbelow: s.fbelow,
        clip: 1.0,
        eval_every: 10,
        test_trials: s.tests,
        place: s.lmode,
        track_lambda: true,
        seed: s.seed,
    }
}

/// The flossing gradient "auto" picks: exact for BPTT, local for the local rules.
fn auto_fgrad(rule: Rule) -> FlossGrad {
    if rule == Rule::Bptt {
        FlossGrad::Exact
    } else {
        FlossGrad::Local
    }
}

/// What the untrained network's measurement gives.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BeforeView {
    pub lambda: f64,
    /// Standard error of `lambda`.
    pub lambda_se: f64,
    pub linear: f64,
    pub spectrum: Vec<f64>,
}

/// A few test trials at the current state of training: inputs, targets, scored steps and
/// outputs, `[t·trials + k]` for trial k at step t.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Traces {
    pub t: usize,
    pub trials: usize,
    pub x: Vec<f64>,
    pub target: Vec<f64>,
    pub mask: Vec<f64>,
    pub out: Vec<f64>,
}

/// What the main run shows as it learns, and the trained network's exponents.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MainView {
    pub history: Vec<Point>,
    /// Task iterations done; units of the schedule done and in all.
    pub iter: usize,
    pub pos: usize,
    pub total: usize,
    pub test_loss: f64,
    pub test_acc: f64,
    pub initial: (f64, f64),
    pub diverged: bool,
    pub weight_change: f64,
    pub traces: Traces,
    pub lambda_after: f64,
    /// Standard error of `lambda_after`.
    pub lambda_after_se: f64,
    pub spectrum_after: Vec<f64>,
    /// Training (and the measurement after it) is over.
    pub done: bool,
    /// The test outputs after each evaluation, the untrained one first (filled once `done`,
    /// so the streamed snapshots stay small): the player's scrubber shows the run at each.
    pub snapshots: Vec<Snapshot>,
}

/// The run as it stood after one evaluation of the test trials.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Points of the history up to it, and the task iterations done.
    pub hist: usize,
    pub iter: usize,
    pub test_loss: f64,
    pub test_acc: f64,
    /// The shown trials' outputs, laid out as [`Traces::out`].
    pub out: Vec<f64>,
}

impl MainView {
    /// The view as it stood at `snap`: the history cut there, the traces' outputs then, and no
    /// measurement after training yet.
    pub fn at(&self, snap: &Snapshot) -> MainView {
        let hist = snap.hist.min(self.history.len());
        MainView {
            history: self.history[..hist].to_vec(),
            iter: snap.iter,
            pos: hist,
            total: self.total,
            test_loss: snap.test_loss,
            test_acc: snap.test_acc,
            initial: self.initial,
            diverged: false,
            weight_change: f64::NAN,
            traces: Traces {
                out: snap.out.clone(),
                ..self.traces.clone()
            },
            lambda_after: f64::NAN,
            lambda_after_se: f64::NAN,
            spectrum_after: Vec::new(),
            done: false,
            snapshots: Vec::new(),
        }
    }
}

/// One sweep point's results.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SweepResult {
    pub lambda_before: f64,
    pub lambda_after: f64,
    /// Standard errors of the two λ_max values.
    pub lambda_before_se: f64,
    pub lambda_after_se: f64,
    pub accuracy: f64,
    pub loss: f64,
    pub done: bool,
}

/// The output of one job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Out {
    Before(BeforeView),
    Main(Box<MainView>),
    Sweep(SweepResult),
}

/// One sweep point: a (g, rule, flossing) run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepItem {
    pub g: f64,
    pub rule: Rule,
    pub floss: bool,
    pub result: Option<SweepResult>,
}

impl SweepItem {
    pub fn done(&self) -> bool {
        self.result.is_some_and(|r| r.done)
    }
    pub fn get(&self, f: fn(&SweepResult) -> f64) -> f64 {
        self.result.as_ref().map_or(f64::NAN, f)
    }
}

/// The RNN lab's state.
pub struct RnnLab {
    p: Params,
    pub s: Settings,
    pub cfg: Config,
    pub before: Option<BeforeView>,
    pub main: Option<MainView>,
    pub sweep: Vec<SweepItem>,
    /// Results of the replicate seeds, once each run is done.
    pub reps: Vec<Option<SweepResult>>,
    /// The snapshot the player shows (None: the run as it stands).
    pub shown: Option<usize>,
}

impl RnnLab {
    /// Exponents in the spectrum view (at most N).
    pub fn k(&self) -> usize {
        self.s.k.max(1).min(self.cfg.n)
    }

    pub fn lambda_before(&self) -> f64 {
        self.before.as_ref().map_or(f64::NAN, |b| b.lambda)
    }

    pub fn lambda_after(&self) -> f64 {
        self.main.as_ref().map_or(f64::NAN, |m| m.lambda_after)
    }

    /// Standard errors of [`RnnLab::lambda_before`] and [`RnnLab::lambda_after`].
    pub fn lambda_se(&self) -> (f64, f64) {
        (
            self.before.as_ref().map_or(f64::NAN, |b| b.lambda_se),
            self.main.as_ref().map_or(f64::NAN, |m| m.lambda_after_se),
        )
    }

    /// The seed of replicate `k` (derived from the link's seed like `lde sweep plan seeds=K`).
    pub fn rep_seed(&self, k: usize) -> u64 {
        crate::sweep::plan::replicate_seed(self.cfg.seed, "rnn/reps", k as u64)
    }

    /// The configuration of replicate run `k`: the main run at [`RnnLab::rep_seed`].
    pub fn rep_config(&self, k: usize) -> Config {
        let mut c = self.cfg.clone();
        c.seed = self.rep_seed(k);
        c
    }

    /// The configuration of one sweep run.
    pub fn sweep_config(&self, it: &SweepItem) -> Config {
        let mut c = self.cfg.clone();
        c.g = it.g;
        c.rule = it.rule;
        c.floss = it.floss;
        c.iters = self.s.siters;
        if self.s.fgrad == FlossChoice::Auto {
            c.fgrad = auto_fgrad(it.rule);
        }
        c
    }

    fn sweep_items(s: &Settings) -> Vec<SweepItem> {
        let mut configs = vec![(s.rule, false), (s.rule, true)];
        match s.sweep {
            SweepKind::Off => return Vec::new(),
            SweepKind::All => {
                for &r in Rule::ALL {
                    if r != s.rule {
                        configs.push((r, false));
                        configs.push((r, true));
                    }
                }
            }
            SweepKind::Rule => {}
        }
        configs
            .into_iter()
            .flat_map(|(rule, floss)| {
                SWEEP_G.iter().map(move |&g| SweepItem {
                    g,
                    rule,
                    floss,
                    result: None,
                })
            })
            .collect()
    }
}

/// The parameters the main run reads.
const TRAIN: &[&str] = &[
    "n", "alpha", "g", "sigma", "task", "t", "rule", "lr", "batch", "iters", "tests", "floss",
    "beta", "target", "fmode", "fgrad", "fpre", "fbelow", "lmode", "k",
];
/// The parameters the replicate runs read (the main run's, less the spectrum's k).
const REPS: &[&str] = &[
    "n", "alpha", "g", "sigma", "task", "t", "rule", "lr", "batch", "iters", "tests", "floss",
    "beta", "target", "fmode", "fgrad", "fpre", "fbelow", "lmode", "reps",
];
/// The parameters the sweep reads (each run sets its own g, rule, flossing and length).
const SWEEP: &[&str] = &[
    "n", "alpha", "sigma", "task", "t", "rule", "lr", "batch", "tests", "beta", "target", "fmode",
    "fgrad", "fpre", "fbelow", "lmode", "sweep", "siters",
];

impl Lab for RnnLab {
    type Out = Out;
    const VIEWS: &'static [ViewDef<Self>] = VIEWS;

    fn new(p: Params) -> RnnLab {
        let s = Settings::from_params(&p);
        let cfg = config_of(&s);
        RnnLab {
            sweep: Self::sweep_items(&s),
            reps: vec![None; s.reps],
            before: None,
            main: None,
            shown: None,
            cfg,
            s,
            p,
        }
    }

    fn params(&self) -> &Params {
        &self.p
    }

    fn stages(&self) -> Vec<Stage> {
        vec![
            Stage::new(
                StageId::Before.name(),
                "Lyapunov exponents before training",
                "networks",
                1,
            )
            .deps(&["n", "alpha", "g", "sigma", "task", "t", "lmode", "k"]),
            Stage::new(StageId::Train.name(), "training", "runs", 1)
                .deps(TRAIN)
                .streaming(),
            Stage::new(
                StageId::Sweep.name(),
                "sweep over g",
                "runs",
                self.sweep.len(),
            )
            .deps(SWEEP)
            .streaming(),
            Stage::new(
                StageId::Seeds.name(),
                "replicate seeds",
                "seeds",
                self.reps.len(),
            )
            .deps(REPS)
            .streaming(),
        ]
    }

    fn job(&self, stage: usize, index: usize) -> Option<Box<dyn Work<Out>>> {
        match *StageId::ALL.get(stage)? {
            StageId::Before => (index == 0).then(|| {
                let mut wr = crate::dynamics::rng::seeded(self.cfg.seed, 0);
                let p = Weights::init(self.cfg.n, self.cfg.g, &mut wr);
                let job = BeforeJob {
                    linear: lyapunov::linear_prediction(&p, self.cfg.alpha),
                    measure: Measure::new(&p, &self.cfg, self.k()),
                    p,
                };
                Box::new(Stepper::new(
                    job,
                    BeforeJob::unit,
                    BeforeJob::out,
                    BeforeJob::fraction,
                )) as Box<dyn Work<Out>>
            }),
            StageId::Train => (index == 0).then(|| {
                let job = MainJob {
                    run: Run::new(self.cfg.clone()),
                    k: self.k(),
                    after: None,
                    done: false,
                    snaps: Vec::new(),
                    seen: 0,
                };
                Box::new(Stepper::new(
                    job,
                    MainJob::unit,
                    MainJob::out,
                    MainJob::fraction,
                )) as Box<dyn Work<Out>>
            }),
            StageId::Sweep | StageId::Seeds => {
                let cfg = if stage == StageId::Sweep as usize {
                    self.sweep_config(self.sweep.get(index)?)
                } else {
                    (index < self.reps.len()).then_some(())?;
                    self.rep_config(index)
                };
                let job = SweepJob {
                    cfg,
                    run: None,
                    phase: Phase::Start,
                    res: SweepResult {
                        lambda_before: f64::NAN,
                        lambda_before_se: f64::NAN,
                        lambda_after_se: f64::NAN,
                        lambda_after: f64::NAN,
                        accuracy: f64::NAN,
                        loss: f64::NAN,
                        done: false,
                    },
                };
                Some(Box::new(Stepper::new(
                    job,
                    SweepJob::unit,
                    |j| Out::Sweep(j.res),
                    SweepJob::fraction,
                )))
            }
        }
    }

    fn absorb(&mut self, stage: usize, index: usize, out: Out, _finished: bool) {
        match (StageId::ALL.get(stage), out) {
            (Some(StageId::Before), Out::Before(b)) => self.before = Some(b),
            (Some(StageId::Train), Out::Main(m)) => self.main = Some(*m),
            (Some(StageId::Sweep), Out::Sweep(r)) => {
                if let Some(it) = self.sweep.get_mut(index) {
                    it.result = Some(r);
                }
            }
            (Some(StageId::Seeds), Out::Sweep(r)) => {
                if let Some(slot) = self.reps.get_mut(index) {
                    *slot = Some(r);
                }
            }
            _ => {}
        }
    }

    fn report(&self) -> serde_json::Value {
        super::report::report(self)
    }

    fn readouts(&self) -> Vec<Readout> {
        super::report::readouts(self)
    }

    fn notices(&self) -> Vec<String> {
        super::report::notices(self)
    }

    /// One tick per evaluation of the test trials once training is done (the last: the end).
    fn ticks(&self) -> usize {
        self.main
            .as_ref()
            .filter(|m| m.done)
            .map_or(0, |m| m.snapshots.len().saturating_sub(1))
    }

    fn set_tick(&mut self, t: usize) {
        self.shown = (t < self.ticks()).then_some(t);
    }

    fn tick_label(&self, t: usize) -> String {
        let snaps = self.main.as_ref().map_or(&[][..], |m| &m.snapshots[..]);
        match snaps.get(t.min(snaps.len().saturating_sub(1))) {
            Some(s) => format!("iteration {}", s.iter),
            None => "the run as it stands".into(),
        }
    }

    fn job_cost(&self, stage: usize, index: usize) -> f64 {
        match StageId::ALL.get(stage) {
            Some(StageId::Train) => self.cfg.seconds(),
            Some(StageId::Sweep) => self
                .sweep
                .get(index)
                .map_or(0.0, |it| self.sweep_config(it).seconds()),
            Some(StageId::Seeds) => self.rep_config(index).seconds(),
            _ => 0.0,
        }
    }

    /// Training is watched live; the player replays it on request.
    fn autoplay(&self) -> bool {
        false
    }

    fn results_view(
        &self,
        view: &str,
        file: &crate::sweep::view::Sweep,
    ) -> Option<Result<(crate::plot::Chart, crate::lab::Table), String>> {
        matches!(view, "lyap_g" | "perf_g")
            .then(|| super::sweep_results::from_results(self, view, file))
    }
}

/// Benchmark kernels: one e-prop iteration (N = 64, T = 80, B = 16) and λ_max over 500 steps.
pub fn kernels() -> Vec<crate::kernels::Kernel> {
    vec![
        crate::kernels::Kernel {
            name: "rnn_eprop_iteration",
            what: "one e-prop training iteration, N=64, T=80, batch 16 (budget 15 ms in wasm)",
            setup: || {
                let mut c = Config::prototype(1.2, Rule::EpropSym, 1);
                c.iters = 100_000;
                c.eval_every = usize::MAX;
                let mut r = Run::new(c);
                Box::new(move || {
                    r.step();
                    r.history.last().map_or(0.0, |p| p.train_loss)
                })
            },
        },
        crate::kernels::Kernel {
            name: "rnn_lambda_max_500",
            what: "λ_max of the autonomous network over 500 steps, N=64, one tangent vector (budget 10 ms in wasm)",
            setup: || {
                let mut wr = crate::dynamics::rng::seeded(1, 0);
                let p = Weights::init(64, 1.5, &mut wr);
                let mut a = lyapunov::Autonomous::new(64);
                let mut rng = crate::dynamics::rng::seeded(1, 4);
                let leak = network::Leak {
                    alpha: 0.2,
                    sigma: 0.0,
                };
                Box::new(move || a.lambda_max(&p, leak, 500, 0, &mut rng))
            },
        },
    ]
}

/// λ_max is measured where `lmode` says.
pub fn place_label(w: Where) -> &'static str {
    match w {
        Where::Auto => "autonomous",
        Where::Task => "task trials",
    }
}
