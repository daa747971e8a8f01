//! Lab: initial connectivity and biologically plausible learning in RNNs, with Lyapunov
//! exponents and gradient flossing (Zhang, Liu & Liu, arXiv 2410.11164; Engelken, NeurIPS 2023).
//!
//! The paper's body could not be read (see the research note): the model, tasks, the local
//! flossing rule and all default numbers follow the note's reconstruction and prototype, marked
//! [INFERRED] / [PROTOTYPE] where they appear. Work order in [`RnnLab::advance`]: λ_max and the
//! spectrum before training, the training run (live), λ_max and the spectrum after, then the
//! sweeps over g (one training run per g, rule and flossing setting).

// The numeric kernels index several slices in lockstep; range loops say that most plainly.
#![allow(clippy::needless_range_loop)]

pub mod adam;
pub mod bptt;
pub mod eprop;
pub mod flossing;
pub mod gemm;
pub mod lyapunov;
pub mod network;
pub mod rflo;
pub mod tasks;
pub mod train;

use crate::lab::{Lab, LabInfo, OutOfTime, Preset, Progress, View};
use crate::params::{ParamSpec, Params};
use crate::plot::{palette, Chart, Layer, Marker, Shape, Stroke};
use flossing::FlossGrad;
use lyapunov::{LambdaJob, Measurement, Spectrum, Where};
use serde_json::json;
use tasks::Task;
use train::{Config, FlossMode, Rule, Run};

pub static SPECS: &[ParamSpec] = &[
    ParamSpec::int("n", "neurons N", 16, 256, 64)
        .help("Number of recurrent units. Cost grows as N²; above 128 a training iteration takes tens of ms."),
    ParamSpec::real("alpha", "leak α = Δt/τ", 0.05, 1.0, 0.2, 0.01)
        .help("Fraction of the new input taken each step: a_t = (1−α)a_{t−1} + α(W h_{t−1} + W_in x_t + b)."),
    ParamSpec::real("g", "initial gain g", 0.3, 2.5, 1.2, 0.05)
        .help("Initial recurrent weights W ~ g·N(0, 1/N). Below 1 the untrained network is contracting; the paper's point is that small g hinders local learning rules."),
    ParamSpec::real("sigma", "noise σ", 0.0, 0.5, 0.1, 0.01)
        .help("Noise σ√α ξ added to a at every step (training, test and task-trial Lyapunov runs)."),
    ParamSpec::choice("task", "task", &["recall", "pattern"], 0)
        .help("recall: remember the sign of a 3-step cue and report it in the last 10 steps. pattern: after a start pulse, produce sin(2πt/100) + ½sin(4πt/100) + ¼sin(8πt/100)."),
    ParamSpec::int("t", "trial length T", 20, 200, 80)
        .unit("steps")
        .help("Steps per trial. Longer recall trials mean a longer delay to bridge."),
    ParamSpec::choice("rule", "learning rule", &["bptt", "eprop_sym", "eprop_rand", "rflo"], 1)
        .help("bptt: exact gradient. eprop_sym: e-prop with the readout weights as feedback. eprop_rand: e-prop with fixed random feedback. rflo: Murray's random-feedback local online rule."),
    ParamSpec::log_real("lr", "Adam learning rate", 1e-4, 3e-2, 3e-3)
        .help("Adam step size (gradient norm clipped at 1)."),
    ParamSpec::int("batch", "batch size", 1, 64, 16).help("Trials per training iteration."),
    ParamSpec::int("iters", "iterations", 0, 3000, 300)
        .help("Training iterations of the main run (flossing-only iterations come on top)."),
    ParamSpec::flag("floss", "gradient flossing", false)
        .help("Add the flossing loss β(λ_max − λ*)² to training, which pushes the largest Lyapunov exponent towards λ*."),
    ParamSpec::log_real("beta", "flossing strength β", 0.01, 10.0, 1.0)
        .help("Weight of the flossing loss."),
    ParamSpec::real("target", "target λ*", -0.2, 0.1, 0.0, 0.005)
        .unit("1/step")
        .help("Exponent the flossing loss pulls λ_max towards (0 = edge of stability)."),
    ParamSpec::choice("fmode", "flossing schedule", &["during", "before", "intermittent"], 0)
        .help("during: flossing gradient added on every training iteration (the note's prototype). before: flossing-only iterations before training (Engelken's pre-flossing). intermittent: pre-flossing plus two flossing-only phases during training."),
    ParamSpec::choice("fgrad", "flossing gradient", &["auto", "local", "exact"], 0)
        .help("local: the three-factor rule with the e-prop truncation (inferred). exact: backpropagation through the tangent dynamics and its normalisations (Engelken). auto: exact for BPTT, local for the local rules."),
    ParamSpec::int("fpre", "flossing-only iterations", 0, 1000, 100)
        .help("Length of the pre-flossing phase (before / intermittent); intermittent phases are half as long."),
    ParamSpec::flag("fbelow", "floss only below λ*", false)
        .help("Apply flossing only while λ_max < λ*, so networks that are already at or above the target are left alone."),
    ParamSpec::choice("lmode", "Lyapunov measured", &["task", "auto"], 0)
        .help("task: along 8 noisy test trials (first 10 steps dropped), as in the note's prototype. auto: the autonomous noise-free network from a random state, 200 transient + 500 steps."),
    ParamSpec::int("k", "exponents k", 1, 64, 8)
        .help("Number of Lyapunov exponents in the spectrum view (QR method; at most N)."),
    ParamSpec::choice("sweep", "sweeps over g", &["rule", "all", "off"], 0)
        .help("rule: the chosen rule with and without flossing at 6 gains (12 runs). all: every rule with and without flossing (48 runs, about four times longer). off: no sweep."),
    ParamSpec::int("siters", "sweep iterations", 0, 1000, 150)
        .help("Training iterations of each sweep run (0: only λ_max before training)."),
];

pub static VIEWS: &[View] = &[
    View {
        id: "loss",
        title: "Training loss",
        caption: "Loss on each training batch (thin) and on 64 fixed test trials every 10 iterations (thick), on a log scale. A recall network that outputs 0 scores 0.5; the pattern task's zero-output loss is about 0.33.",
        clickable: false,
    },
    View {
        id: "accuracy",
        title: "Test accuracy",
        caption: "Test accuracy every 10 iterations (recall: fraction of the 64 test trials reported with the right sign; pattern: fraction of variance explained, 1 − E/E₀).",
        clickable: false,
    },
    View {
        id: "lambda",
        title: "λ_max during training",
        caption: "λ_max per step of the network as it learns, measured every 10 iterations where 'Lyapunov measured' says. With flossing on, the thin line is the flossing pass's own estimate on each training batch, pulled towards λ* (dotted).",
        clickable: false,
    },
    View {
        id: "traces",
        title: "Output and target traces",
        caption: "Output y(t) of four test trials at the current state of training (solid) and their targets (dashed). For recall only the shaded last 10 steps are scored.",
        clickable: false,
    },
    View {
        id: "lyap_g",
        title: "λ_max before and after training, against g",
        caption: "A sweep over 6 gains (0.5–2, one seed, 'sweep iterations' = 150 by default each) with the chosen rule: λ_max per step of the untrained network, after training, and after training with flossing; dashed: the contracting-regime prediction ln(1 − α(1 − g)). Measured where 'Lyapunov measured' says; at N = 64 the autonomous network is rarely chaotic (see the note).",
        clickable: false,
    },
    View {
        id: "spectrum",
        title: "Lyapunov spectrum",
        caption: "The first k exponents of the main network (QR method, per step), before training (grey) and at the end of training (blue). Exponents above 0 expand perturbations; a memory or limit cycle shows exponents near 0.",
        clickable: false,
    },
    View {
        id: "perf_g",
        title: "Final performance against g",
        caption: "Test accuracy after each sweep run (6 gains, one seed, 150 iterations by default): the chosen rule (12 runs) or, with 'sweeps over g' = all, every rule (48 runs, about a minute). Solid without, dashed with flossing. One seed per point: change the seed before concluding.",
        clickable: false,
    },
];

pub static PRESETS: &[Preset] = &[
    Preset {
        id: "eprop_small_g",
        label: "e-prop fails from g = 0.5",
        link: "rule=eprop_sym&g=0.5&sweep=off",
        note: "Delayed sign recall with symmetric e-prop from a small initial gain stays near chance (note's prototype: 0 of 3 seeds solved at N = 64; this implementation, seeds 1–4: accuracy 0.41–0.56), and λ_max hardly moves from about −0.11 per step. Prototype result, not the paper's figure (its numbers could not be read).",
    },
    Preset {
        id: "eprop_g12",
        label: "e-prop solves from g = 1.2",
        link: "rule=eprop_sym&g=1.2&sweep=off",
        note: "The same task and rule from g = 1.2: solved (prototype: every seed; here seeds 1–4 all reach accuracy 1.00). Prototype result, not the paper's figure.",
    },
    Preset {
        id: "floss_rescue",
        label: "local flossing rescues g = 0.5",
        link: "rule=eprop_sym&g=0.5&floss=1&iters=500&sweep=off",
        note: "e-prop plus the local three-factor flossing rule (β = 1, λ* = 0) from g = 0.5: λ_max moves up from about −0.11 (here to between −0.09 and 0) and most seeds solve the task (prototype: 2 of 3; re-implementation: 7 of 10; here 4 of 4, seeds 1–4, 500 iterations). The local rule is the note's [INFERRED] version of the paper's 'biologically plausible' flossing.",
    },
    Preset {
        id: "exact_floss",
        label: "exact flossing with e-prop",
        link: "rule=eprop_sym&g=0.5&floss=1&fgrad=exact&iters=500&sweep=off",
        note: "Exact (through the tangent dynamics) flossing with e-prop from g = 0.5 holds λ_max near 0 too but, in the independent re-implementation, solved fewer seeds than the local rule (here 1 of 4 seeds reached 0.95, with λ_max ending between −0.013 and +0.011): λ → 0 alone does not explain the rescue.",
    },
    Preset {
        id: "bptt_small_g",
        label: "BPTT solves from g = 0.5",
        link: "rule=bptt&g=0.5&sweep=off",
        note: "BPTT solves this easy task at every gain; its trained networks end with λ_max < 0, a bistable memory (here seeds 1–4: all solved, λ_max −0.13 to −0.18). Prototype result.",
    },
    Preset {
        id: "pattern_eprop",
        label: "pattern generation, e-prop, g = 0.5",
        link: "task=pattern&t=100&sigma=0.02&rule=eprop_sym&g=0.5&iters=500&sweep=off",
        note: "Murray-style pattern generation with e-prop from g = 0.5 (prototype test MSE ≈ 0.038 against 0.0014 for BPTT; here 0.036–0.039 over seeds 1–4, with λ_max rising from −0.11 to about −0.03). Prototype result.",
    },
    Preset {
        id: "pattern_floss",
        label: "pattern generation with flossing",
        link: "task=pattern&t=100&sigma=0.02&rule=eprop_sym&g=0.5&floss=1&iters=500&sweep=off",
        note: "As before with local flossing (prototype test MSE 0.038 → 0.013 at g = 0.5; here 0.003–0.037 over seeds 1–4, λ_max ending near 0). At large g the note and its re-implementation disagree on whether flossing helps e-prop; it hurt the random-feedback rules at g ≥ 1.",
    },
    Preset {
        id: "sweep_all",
        label: "all rules against g",
        link: "iters=150&sweep=all&siters=150",
        note: "Every rule with and without flossing at 6 gains (48 short runs, one seed): the performance-vs-g and λ-vs-g pictures of the note's tables. Short runs: compare seeds before concluding.",
    },
    Preset {
        id: "chaos_n256",
        label: "autonomous λ_max at N = 256",
        link: "n=256&lmode=auto&iters=0&siters=0&sweep=rule&k=16",
        note: "λ_max of the untrained autonomous network against g at N = 256: positive (chaotic) only above g ≈ 1.5–1.9 at this size, per the re-implementation; at N = 64 it stays near or below 0 (limit cycles and fixed points).",
    },
];

pub static INFO: LabInfo = LabInfo {
    id: "rnn",
    title: "Initial connectivity, local learning rules and Lyapunov exponents in RNNs",
    specs: SPECS,
    views: VIEWS,
    presets: PRESETS,
    build,
};

fn build(p: Params) -> Box<dyn Lab> {
    Box::new(RnnLab::new(p))
}

/// The gains of the sweeps.
pub const SWEEP_G: [f64; 6] = [0.5, 0.8, 1.0, 1.2, 1.5, 2.0];

/// One sweep point: a (g, rule, flossing) training run and its results.
pub struct SweepItem {
    pub g: f64,
    pub rule: Rule,
    pub floss: bool,
    run: Option<Run>,
    phase: SweepPhase,
    pub lambda_before: f64,
    pub lambda_after: f64,
    pub accuracy: f64,
    pub loss: f64,
    pub done: bool,
}

impl SweepItem {
    /// Takes the results of the finished run and drops it.
    fn finish(&mut self) {
        if let Some(r) = self.run.take() {
            self.accuracy = r.test_acc;
            self.loss = r.test_loss;
        }
        self.done = true;
    }
}

/// Where one sweep run stands.
enum SweepPhase {
    /// Not started.
    Start,
    /// λ_max of the untrained network.
    Before(Box<LambdaJob>),
    /// Training.
    Train,
    /// λ_max after training.
    After(Box<LambdaJob>),
}

/// Where the lab's pending work stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Before,
    LambdaBefore,
    Linear,
    SpectrumBefore,
    Train,
    After,
    SpectrumAfter,
    Sweep,
    Done,
}

/// The RNN lab's state.
pub struct RnnLab {
    params: Params,
    cfg: Config,
    pub run: Run,
    stage: Stage,
    pub lambda_before: f64,
    pub lambda_after: f64,
    pub lambda_linear: f64,
    spectrum: Option<Spectrum>,
    /// The trajectory the spectrum is measured on, while it is built.
    measurement: Option<Measurement>,
    /// λ_max of the main network, while it is measured.
    lambda_job: Option<LambdaJob>,
    pub spectrum_before: Vec<f64>,
    pub spectrum_after: Vec<f64>,
    pub sweep: Vec<SweepItem>,
    sweep_pos: usize,
    siters: usize,
}

/// The training configuration a parameter set describes.
pub fn config_of(p: &Params) -> Config {
    let rule = Rule::from_name(p.choice("rule"));
    let fgrad = match p.choice("fgrad") {
        "local" => FlossGrad::Local,
        "exact" => FlossGrad::Exact,
        _ => {
            if rule == Rule::Bptt {
                FlossGrad::Exact
            } else {
                FlossGrad::Local
            }
        }
    };
    let fmode = match p.choice("fmode") {
        "before" => FlossMode::Before,
        "intermittent" => FlossMode::Intermittent,
        _ => FlossMode::During,
    };
    Config {
        n: p.int("n").clamp(16, 256) as usize,
        g: p.real("g"),
        alpha: p.real("alpha"),
        sigma: p.real("sigma"),
        task: Task::from_name(p.choice("task")),
        t: p.int("t").clamp(20, 200) as usize,
        batch: p.int("batch").clamp(1, 64) as usize,
        rule,
        lr: p.real("lr"),
        iters: p.int("iters").clamp(0, 3000) as usize,
        floss: p.flag("floss"),
        beta: p.real("beta"),
        target: p.real("target"),
        fmode,
        fgrad,
        fpre: p.int("fpre").clamp(0, 1000) as usize,
        fbelow: p.flag("fbelow"),
        clip: 1.0,
        eval_every: 10,
        test_trials: 64,
        place: if p.choice("lmode") == "auto" {
            Where::Auto
        } else {
            Where::Task
        },
        track_lambda: true,
        seed: p.seed,
    }
}

fn finite(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    points
        .into_iter()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect()
}

fn num(v: f64) -> serde_json::Value {
    if v.is_finite() {
        json!(v)
    } else {
        serde_json::Value::Null
    }
}

fn fmt(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.4}")
    } else {
        "—".into()
    }
}

fn rule_color(r: Rule) -> crate::plot::Rgb {
    match r {
        Rule::Bptt => palette::BLACK,
        Rule::EpropSym => palette::BLUE,
        Rule::EpropRand => palette::VERMILION,
        Rule::Rflo => palette::GREEN,
    }
}

impl RnnLab {
    pub fn new(params: Params) -> RnnLab {
        let cfg = config_of(&params);
        let mut sweep = Vec::new();
        let which = params.choice("sweep");
        if which != "off" {
            let mut configs = vec![(cfg.rule, false), (cfg.rule, true)];
            if which == "all" {
                for r in Rule::ALL {
                    if r != cfg.rule {
                        configs.push((r, false));
                        configs.push((r, true));
                    }
                }
            }
            for (rule, floss) in configs {
                for g in SWEEP_G {
                    sweep.push(SweepItem {
                        g,
                        rule,
                        floss,
                        run: None,
                        phase: SweepPhase::Start,
                        lambda_before: f64::NAN,
                        lambda_after: f64::NAN,
                        accuracy: f64::NAN,
                        loss: f64::NAN,
                        done: false,
                    });
                }
            }
        }
        RnnLab {
            run: Run::new(cfg.clone()),
            siters: params.int("siters").clamp(0, 1000) as usize,
            params,
            cfg,
            stage: Stage::Before,
            lambda_before: f64::NAN,
            lambda_after: f64::NAN,
            lambda_linear: f64::NAN,
            spectrum: None,
            measurement: None,
            lambda_job: None,
            spectrum_before: Vec::new(),
            spectrum_after: Vec::new(),
            sweep,
            sweep_pos: 0,
        }
    }

    fn k(&self) -> usize {
        (self.params.int("k").max(1) as usize).min(self.cfg.n)
    }

    /// One unit of building the spectrum's measurement trajectory; the spectrum once it is built.
    fn spectrum_unit(&mut self) -> Option<Spectrum> {
        let c = &self.cfg;
        let p = &self.run.p;
        let m = self.measurement.get_or_insert_with(|| {
            let rng = crate::dynamics::rng::seeded(c.seed, 4);
            Measurement::new(p, c.leak(), c.task, c.t, c.place, rng)
        });
        if !m.advance(p) {
            return None;
        }
        let (tr, t0, _) = self.measurement.take()?.finish();
        Some(Spectrum::new(tr, t0, self.k(), self.cfg.seed))
    }

    /// One unit of measuring λ_max of the main network; λ_max once it is measured.
    fn lambda_unit(&mut self) -> Option<f64> {
        let run = &self.run;
        let l = self
            .lambda_job
            .get_or_insert_with(|| run.lambda_job())
            .advance(&run.p);
        if l.is_some() {
            self.lambda_job = None;
        }
        l
    }

    /// The configuration of one sweep run.
    fn sweep_config(&self, it: &SweepItem) -> Config {
        let mut c = self.cfg.clone();
        c.g = it.g;
        c.rule = it.rule;
        c.floss = it.floss;
        c.iters = self.siters;
        if self.params.choice("fgrad") == "auto" {
            c.fgrad = if it.rule == Rule::Bptt {
                FlossGrad::Exact
            } else {
                FlossGrad::Local
            };
        }
        c
    }

    /// One unit of sweep work; false when the sweep is finished.
    fn sweep_unit(&mut self) -> bool {
        let Some(pos) = (self.sweep_pos..self.sweep.len()).find(|&i| !self.sweep[i].done) else {
            return false;
        };
        self.sweep_pos = pos;
        let start = matches!(self.sweep[pos].phase, SweepPhase::Start)
            .then(|| self.sweep_config(&self.sweep[pos]));
        let it = &mut self.sweep[pos];
        if let Some(c) = start {
            let r = Run::new(c);
            it.phase = SweepPhase::Before(Box::new(r.lambda_job()));
            it.run = Some(r);
            return true;
        }
        let Some(r) = it.run.as_mut() else {
            return true;
        };
        match std::mem::replace(&mut it.phase, SweepPhase::Train) {
            SweepPhase::Start => {}
            SweepPhase::Before(mut job) => match job.advance(&r.p) {
                Some(l) => it.lambda_before = l,
                None => it.phase = SweepPhase::Before(job),
            },
            SweepPhase::Train => {
                if !r.unit() {
                    if r.diverged {
                        it.lambda_after = f64::NAN;
                        it.finish();
                    } else {
                        it.phase = SweepPhase::After(Box::new(r.lambda_job()));
                    }
                }
            }
            SweepPhase::After(mut job) => match job.advance(&r.p) {
                Some(l) => {
                    it.lambda_after = l;
                    it.finish();
                }
                None => it.phase = SweepPhase::After(job),
            },
        }
        true
    }

    /// Units of work in total and done so far (for the progress bar).
    fn work(&self) -> (f64, f64) {
        let main = self.run.total() as f64 + 4.0;
        let per = self.siters as f64 + 1.0;
        let total = main + per * self.sweep.len() as f64;
        let mut done = self.run.pos as f64;
        done += match self.stage {
            Stage::Before
            | Stage::LambdaBefore
            | Stage::Linear
            | Stage::SpectrumBefore
            | Stage::Train => 0.0,
            Stage::After | Stage::SpectrumAfter => 2.0,
            Stage::Sweep | Stage::Done => 4.0,
        };
        for it in &self.sweep {
            if it.done {
                done += per;
            } else if let Some(r) = &it.run {
                done += 1.0 + r.pos as f64;
            }
        }
        (total, done)
    }

    fn chart_loss(&self) -> Chart {
        let h = &self.run.history;
        let train = finite(
            h.iter()
                .enumerate()
                .map(|(i, p)| (i as f64 + 1.0, p.train_loss.max(1e-8)))
                .collect(),
        );
        let mut test = vec![(0.0, self.run_first_test_loss())];
        test.extend(
            h.iter()
                .enumerate()
                .filter(|(_, p)| p.test_loss.is_finite())
                .map(|(i, p)| (i as f64 + 1.0, p.test_loss.max(1e-8))),
        );
        let test = finite(test);
        let xmax = (self.run.total().max(1)) as f64;
        let mut c = Chart::new("Training loss", "iteration (incl. flossing-only)", "loss E")
            .log_y()
            .x_range(0.0, xmax)
            .layer(Layer::Line {
                points: train,
                color: palette::SKY,
                width: 1.0,
                stroke: Stroke::Solid,
                label: Some("training batch".into()),
            })
            .layer(Chart::line(test, palette::BLUE, "test trials"))
            .fit_y();
        let (lo, hi) = c.y_range;
        c.y_range = (lo.max(1e-6), hi.max(lo.max(1e-6) * 10.0));
        if self.run.diverged {
            c.message =
                Some("training diverged (NaN or huge loss): lower the learning rate".into());
        } else if h.is_empty() && self.run.total() > 0 {
            c.message = Some("training…".into());
        }
        c
    }

    fn run_first_test_loss(&self) -> f64 {
        self.run.initial.0
    }

    fn chart_accuracy(&self) -> Chart {
        let h = &self.run.history;
        let mut acc = vec![(0.0, self.run.initial.1)];
        acc.extend(
            h.iter()
                .enumerate()
                .filter(|(_, p)| p.test_acc.is_finite())
                .map(|(i, p)| (i as f64 + 1.0, p.test_acc)),
        );
        let xmax = (self.run.total().max(1)) as f64;
        let mut c = Chart::new(
            "Test accuracy",
            "iteration (incl. flossing-only)",
            "accuracy",
        )
        .x_range(0.0, xmax)
        .y_range(0.0, 1.3)
        .layer(Layer::HLine {
            y: 0.95,
            color: palette::GREY,
            stroke: Stroke::Dotted,
            label: String::new(),
        })
        .layer(Layer::Text {
            x: 0.01 * xmax,
            y: 0.91,
            text: "solved (0.95)".into(),
            color: palette::GREY,
        });
        if self.cfg.task == Task::Recall {
            c.push(Layer::HLine {
                y: 0.5,
                color: palette::LIGHT,
                stroke: Stroke::Dashed,
                label: String::new(),
            });
            c.push(Layer::Text {
                x: 0.01 * xmax,
                y: 0.46,
                text: "chance".into(),
                color: palette::GREY,
            });
        }
        c.push(Chart::line(finite(acc), palette::BLUE, "test accuracy"));
        if self.run.diverged {
            c.message = Some("training diverged: lower the learning rate".into());
        }
        c
    }

    fn chart_lambda(&self) -> Chart {
        let h = &self.run.history;
        let xmax = (self.run.total().max(1)) as f64;
        let mut c = Chart::new(
            "λ_max during training",
            "iteration (incl. flossing-only)",
            "λ_max (per step)",
        )
        .x_range(0.0, xmax);
        c.push(Layer::HLine {
            y: 0.0,
            color: palette::LIGHT,
            stroke: Stroke::Solid,
            label: String::new(),
        });
        if self.cfg.floss {
            c.push(Layer::HLine {
                y: self.cfg.target,
                color: palette::VERMILION,
                stroke: Stroke::Dotted,
                label: "λ*".into(),
            });
            let fl = finite(
                h.iter()
                    .enumerate()
                    .map(|(i, p)| (i as f64 + 1.0, p.lambda))
                    .collect(),
            );
            c.push(Layer::Line {
                points: fl,
                color: palette::ORANGE,
                width: 1.0,
                stroke: Stroke::Solid,
                label: Some("flossing estimate (training batch)".into()),
            });
        }
        let mut pts = vec![(0.0, self.lambda_before)];
        pts.extend(
            h.iter()
                .enumerate()
                .map(|(i, p)| (i as f64 + 1.0, p.lambda_eval)),
        );
        let where_ = if self.cfg.place == Where::Auto {
            "autonomous network"
        } else {
            "test trials"
        };
        c.push(Chart::line(
            finite(pts),
            palette::BLUE,
            &format!("λ_max ({where_})"),
        ));
        let mut c = c.fit_y();
        let (lo, hi) = c.y_range;
        let (lo, hi) = (lo.min(-0.05), hi.max(0.02));
        c.y_range = (lo, hi + 0.3 * (hi - lo));
        if self.run.diverged {
            c.message = Some("training diverged".into());
        } else if !self.lambda_before.is_finite() {
            c.message = Some("computing λ_max…".into());
        }
        c
    }

    fn chart_traces(&self) -> Chart {
        let tr = &self.run.test_tr;
        let batch = self.run.test_batch();
        let (b, t) = (tr.b, tr.t);
        let mut c = Chart::new("Output and target (test trials)", "time step t", "y(t)")
            .x_range(0.0, t as f64);
        if batch.task == Task::Recall {
            let from = batch.mask.iter().position(|m| *m > 0.0).unwrap_or(t) as f64;
            c.push(Layer::VLine {
                x: from - 0.5,
                color: palette::GREY,
                stroke: Stroke::Dotted,
                label: "scored from here".into(),
            });
        }
        let show = b.min(4);
        for k in 0..show {
            let col = palette::SERIES[k % palette::SERIES.len()];
            let y: Vec<(f64, f64)> = (0..=t).map(|s| (s as f64, tr.y[s * b + k])).collect();
            let target: Vec<(f64, f64)> = (1..=t)
                .filter(|&s| batch.mask[s] > 0.0)
                .map(|s| (s as f64, batch.y[s * b + k]))
                .collect();
            c.push(Layer::Line {
                points: finite(target),
                color: col,
                width: 1.5,
                stroke: Stroke::Dashed,
                label: if k == 0 { Some("target".into()) } else { None },
            });
            c.push(Layer::Line {
                points: finite(y),
                color: col,
                width: 2.0,
                stroke: Stroke::Solid,
                label: if k == 0 { Some("output".into()) } else { None },
            });
        }
        let mut c = c.fit_y();
        let (lo, hi) = c.y_range;
        let (lo, hi) = (lo.clamp(-5.0, -1.2), hi.clamp(1.2, 5.0));
        // head room for the legend
        c.y_range = (lo, hi + 0.3 * (hi - lo));
        if self.run.diverged {
            c.message = Some("training diverged".into());
        }
        c
    }

    fn chart_lyap_g(&self) -> Chart {
        let alpha = self.cfg.alpha;
        let mut c = Chart::new(
            format!("λ_max against g ({})", self.cfg.rule.label()),
            "initial gain g",
            "λ_max (per step)",
        )
        .x_range(0.3, 2.2);
        c.push(Layer::HLine {
            y: 0.0,
            color: palette::LIGHT,
            stroke: Stroke::Solid,
            label: String::new(),
        });
        let theory: Vec<(f64, f64)> = (0..=35)
            .map(|i| 0.3 + 0.02 * i as f64)
            .map(|g| (g, lyapunov::mean_field(g, alpha)))
            .collect();
        c.push(Layer::Line {
            points: theory,
            color: palette::BLACK,
            width: 1.0,
            stroke: Stroke::Dashed,
            label: Some("ln(1 − α(1 − g))".into()),
        });
        let rule = self.cfg.rule;
        let pick = |floss: bool, f: &dyn Fn(&SweepItem) -> f64| -> Vec<(f64, f64)> {
            finite(
                self.sweep
                    .iter()
                    .filter(|s| s.rule == rule && s.floss == floss)
                    .map(|s| (s.g, f(s)))
                    .collect(),
            )
        };
        let before = pick(false, &|s| s.lambda_before);
        let trained = self.siters > 0;
        let after = pick(false, &|s| {
            if s.done && trained {
                s.lambda_after
            } else {
                f64::NAN
            }
        });
        let after_f = pick(true, &|s| {
            if s.done && trained {
                s.lambda_after
            } else {
                f64::NAN
            }
        });
        for (pts, col, label) in [
            (before, palette::GREY, "before training"),
            (after, palette::BLUE, "after training"),
            (after_f, palette::VERMILION, "after training with flossing"),
        ] {
            c.push(Layer::Markers(
                pts.iter()
                    .map(|&(x, y)| Marker {
                        x,
                        y,
                        color: col,
                        shape: Shape::Filled,
                        size: 4.0,
                        label: None,
                    })
                    .collect(),
            ));
            c.push(Chart::line(pts, col, label));
        }
        let mut c = c.fit_y();
        let (lo, hi) = c.y_range;
        let (lo, hi) = (lo.min(-0.05), hi.max(0.02));
        c.y_range = (lo, hi + 0.45 * (hi - lo));
        if self.sweep.is_empty() {
            c.message = Some("sweep off (set 'sweeps over g')".into());
        } else if self.sweep.iter().all(|s| !s.lambda_before.is_finite()) {
            c.message = Some("computing the sweep…".into());
        }
        c
    }

    fn chart_spectrum(&self) -> Chart {
        let idx = |v: &[f64]| -> Vec<(f64, f64)> {
            finite(
                v.iter()
                    .enumerate()
                    .map(|(i, &l)| (i as f64 + 1.0, l))
                    .collect(),
            )
        };
        let k = self.k();
        let mut c = Chart::new("Lyapunov spectrum", "index i", "λ_i (per step)")
            .x_range(0.5, k as f64 + 0.5);
        c.push(Layer::HLine {
            y: 0.0,
            color: palette::LIGHT,
            stroke: Stroke::Solid,
            label: String::new(),
        });
        let before = idx(&self.spectrum_before);
        let after = idx(&self.spectrum_after);
        for (pts, col, shape, label) in [
            (before, palette::GREY, Shape::Hollow, "before training"),
            (after, palette::BLUE, Shape::Filled, "after training"),
        ] {
            c.push(Layer::Line {
                points: pts.clone(),
                color: col,
                width: 1.0,
                stroke: Stroke::Solid,
                label: Some(label.into()),
            });
            c.push(Layer::Markers(
                pts.iter()
                    .map(|&(x, y)| Marker {
                        x,
                        y,
                        color: col,
                        shape,
                        size: 4.0,
                        label: None,
                    })
                    .collect(),
            ));
        }
        let mut c = c.fit_y();
        let (lo, hi) = c.y_range;
        c.y_range = (lo.min(-0.05), hi.max(0.02));
        if self.spectrum_before.is_empty() {
            c.message = Some("computing the spectrum…".into());
        }
        c
    }

    fn chart_perf_g(&self) -> Chart {
        let mut c = Chart::new(
            "Final accuracy against g (solid: without, dashed: with flossing)",
            "initial gain g",
            "test accuracy",
        )
        .x_range(0.3, 2.2)
        .y_range(0.0, 1.35);
        c.push(Layer::HLine {
            y: 0.95,
            color: palette::GREY,
            stroke: Stroke::Dotted,
            label: String::new(),
        });
        c.push(Layer::Text {
            x: 0.32,
            y: 0.91,
            text: "solved (0.95)".into(),
            color: palette::GREY,
        });
        for r in Rule::ALL {
            for floss in [false, true] {
                let pts = finite(
                    self.sweep
                        .iter()
                        .filter(|s| s.rule == r && s.floss == floss && s.done)
                        .map(|s| (s.g, s.accuracy))
                        .collect(),
                );
                if pts.is_empty() {
                    continue;
                }
                let col = rule_color(r);
                c.push(Layer::Markers(
                    pts.iter()
                        .map(|&(x, y)| Marker {
                            x,
                            y,
                            color: col,
                            shape: if floss { Shape::Hollow } else { Shape::Filled },
                            size: 4.0,
                            label: None,
                        })
                        .collect(),
                ));
                c.push(Layer::Line {
                    points: pts,
                    color: col,
                    width: 2.0,
                    stroke: if floss { Stroke::Dashed } else { Stroke::Solid },
                    label: if floss {
                        None
                    } else {
                        Some(r.label().to_string())
                    },
                });
            }
        }
        if self.sweep.is_empty() {
            c.message = Some("sweep off (set 'sweeps over g')".into());
        } else if !self.sweep.iter().any(|s| s.done) {
            c.message = Some("computing the sweep…".into());
        }
        c
    }

    fn sweep_json(&self) -> serde_json::Value {
        serde_json::Value::Array(
            self.sweep
                .iter()
                .filter(|s| s.done)
                .map(|s| {
                    json!({
                        "g": s.g, "rule": s.rule.name(), "floss": s.floss,
                        "lambda_before": num(s.lambda_before), "lambda_after": num(s.lambda_after),
                        "accuracy": num(s.accuracy), "loss": num(s.loss),
                    })
                })
                .collect(),
        )
    }
}

/// Notes on what is inferred, shown with the lab.
pub const INFERRED_NOTICE: &str = "The paper's body could not be read: model, tasks, the local flossing rule and every number here follow the research note's reconstruction and numpy prototype, not the paper's figures.";

impl Lab for RnnLab {
    fn params(&self) -> &Params {
        &self.params
    }

    fn advance(&mut self, out_of_time: OutOfTime) -> Progress {
        loop {
            match self.stage {
                Stage::Before => {
                    if !self.run.initial_unit() {
                        self.stage = Stage::LambdaBefore;
                    }
                }
                Stage::LambdaBefore => {
                    if let Some(l) = self.lambda_unit() {
                        self.lambda_before = l;
                        self.stage = Stage::Linear;
                    }
                }
                Stage::Linear => {
                    self.lambda_linear = lyapunov::linear_prediction(&self.run.p, self.cfg.alpha);
                    self.spectrum = None;
                    self.stage = Stage::SpectrumBefore;
                }
                Stage::SpectrumBefore | Stage::SpectrumAfter if self.spectrum.is_none() => {
                    // the measurement trajectory, a chunk of steps per unit
                    self.spectrum = self.spectrum_unit();
                }
                Stage::SpectrumBefore | Stage::SpectrumAfter => {
                    let alpha = self.cfg.alpha;
                    let done = match self.spectrum.as_mut() {
                        Some(s) => {
                            let steps = s.steps_per_unit();
                            s.advance(&self.run.p, alpha, steps)
                        }
                        None => true,
                    };
                    if done {
                        let e = self
                            .spectrum
                            .take()
                            .map(|s| s.exponents())
                            .unwrap_or_default();
                        if self.stage == Stage::SpectrumBefore {
                            self.spectrum_before = e;
                            self.stage = Stage::Train;
                        } else {
                            self.spectrum_after = e;
                            self.stage = Stage::Sweep;
                        }
                    }
                }
                Stage::Train => {
                    if !self.run.unit() {
                        self.stage = Stage::After;
                    }
                }
                Stage::After => {
                    if self.run.diverged {
                        self.lambda_after = f64::NAN;
                        self.stage = Stage::Sweep;
                    } else if let Some(l) = self.lambda_unit() {
                        self.lambda_after = l;
                        self.spectrum = None;
                        self.stage = Stage::SpectrumAfter;
                    }
                }
                Stage::Sweep => {
                    if !self.sweep_unit() {
                        self.stage = Stage::Done;
                    }
                }
                Stage::Done => return Progress::finished(),
            }
            if out_of_time() {
                break;
            }
        }
        let (total, done) = self.work();
        let label = match self.stage {
            Stage::Before | Stage::LambdaBefore | Stage::Linear | Stage::SpectrumBefore => {
                "Lyapunov exponents before training".to_string()
            }
            Stage::Train => format!("training {}/{}", self.run.pos, self.run.total()),
            Stage::After | Stage::SpectrumAfter => "Lyapunov exponents after training".to_string(),
            Stage::Sweep => format!(
                "sweep over g: run {}/{}",
                (self.sweep_pos + 1).min(self.sweep.len()),
                self.sweep.len()
            ),
            Stage::Done => String::new(),
        };
        if self.stage == Stage::Done {
            return Progress::finished();
        }
        Progress::working(done / total.max(1.0), label)
    }

    fn animating(&self) -> bool {
        matches!(self.stage, Stage::Train)
    }

    fn chart(&self, view: &str) -> Option<Chart> {
        Some(match view {
            "loss" => self.chart_loss(),
            "accuracy" => self.chart_accuracy(),
            "lambda" => self.chart_lambda(),
            "traces" => self.chart_traces(),
            "lyap_g" => self.chart_lyap_g(),
            "spectrum" => self.chart_spectrum(),
            "perf_g" => self.chart_perf_g(),
            _ => return None,
        })
    }

    fn csv(&self, view: &str) -> Option<String> {
        let mut s = String::new();
        let f = |v: f64| {
            if v.is_finite() {
                format!("{v}")
            } else {
                String::new()
            }
        };
        match view {
            "loss" | "accuracy" | "lambda" => {
                s.push_str(
                    "unit,iteration,train_loss,test_loss,test_accuracy,lambda_max,lambda_floss\n",
                );
                s.push_str(&format!(
                    "0,0,,{},{},{},\n",
                    f(self.run.initial.0),
                    f(self.run.initial.1),
                    f(self.lambda_before)
                ));
                for (i, p) in self.run.history.iter().enumerate() {
                    s.push_str(&format!(
                        "{},{},{},{},{},{},{}\n",
                        i + 1,
                        p.iter,
                        f(p.train_loss),
                        f(p.test_loss),
                        f(p.test_acc),
                        f(p.lambda_eval),
                        f(p.lambda)
                    ));
                }
            }
            "traces" => {
                let tr = &self.run.test_tr;
                let batch = self.run.test_batch();
                let b = tr.b;
                s.push_str("trial,t,input,target,scored,output\n");
                for k in 0..b.min(4) {
                    for t in 0..=tr.t {
                        let c = t * b + k;
                        s.push_str(&format!(
                            "{k},{t},{},{},{},{}\n",
                            batch.x[c],
                            batch.y[c],
                            batch.mask[t],
                            f(tr.y[c])
                        ));
                    }
                }
            }
            "lyap_g" | "perf_g" => {
                s.push_str(
                    "g,rule,floss,lambda_before,lambda_after,accuracy,test_loss,mean_field\n",
                );
                for it in &self.sweep {
                    s.push_str(&format!(
                        "{},{},{},{},{},{},{},{}\n",
                        it.g,
                        it.rule.name(),
                        u8::from(it.floss),
                        f(it.lambda_before),
                        f(it.lambda_after),
                        f(it.accuracy),
                        f(it.loss),
                        f(lyapunov::mean_field(it.g, self.cfg.alpha))
                    ));
                }
            }
            "spectrum" => {
                s.push_str("i,lambda_before,lambda_after\n");
                let k = self.spectrum_before.len().max(self.spectrum_after.len());
                for i in 0..k {
                    s.push_str(&format!(
                        "{},{},{}\n",
                        i + 1,
                        f(self.spectrum_before.get(i).copied().unwrap_or(f64::NAN)),
                        f(self.spectrum_after.get(i).copied().unwrap_or(f64::NAN))
                    ));
                }
            }
            _ => return None,
        }
        Some(s)
    }

    fn report(&self) -> serde_json::Value {
        let c = &self.cfg;
        json!({
            "lab": "rnn",
            "link": self.params.to_link(),
            "rule": c.rule.name(),
            "task": self.params.choice("task"),
            "g": c.g,
            "n": c.n,
            "lyapunov_where": if c.place == Where::Auto { "autonomous" } else { "task trials" },
            "lyapunov_before": num(self.lambda_before),
            "lyapunov_after": num(self.lambda_after),
            "lyapunov_linear_prediction": num(self.lambda_linear),
            "lyapunov_mean_field": num(if c.g < 1.0 { lyapunov::mean_field(c.g, c.alpha) } else { f64::NAN }),
            "spectrum_before": self.spectrum_before.iter().map(|v| num(*v)).collect::<Vec<_>>(),
            "spectrum_after": self.spectrum_after.iter().map(|v| num(*v)).collect::<Vec<_>>(),
            "iterations": self.run.iter,
            "final_loss": num(self.run.test_loss),
            "accuracy": num(self.run.test_acc),
            "initial_loss": num(self.run.initial.0),
            "initial_accuracy": num(self.run.initial.1),
            "weight_change": num(self.run.weight_change()),
            "diverged": self.run.diverged,
            "flossing": {
                "on": c.floss,
                "beta": c.beta,
                "target": c.target,
                "schedule": self.params.choice("fmode"),
                "gradient": if c.fgrad == FlossGrad::Exact { "exact" } else { "local" },
                "exponents_flossed": 1,
            },
            "sweep_gains": SWEEP_G.to_vec(),
            "sweep_iterations": self.siters,
            "sweep": self.sweep_json(),
            "inferred": INFERRED_NOTICE,
        })
    }

    fn readouts(&self) -> Vec<(String, String, String)> {
        vec![
            (
                "iteration".into(),
                format!("{}/{}", self.run.iter, self.cfg.iters),
                "Task training iterations done.".into(),
            ),
            (
                "test loss".into(),
                fmt(self.run.test_loss),
                "Loss on the 64 fixed test trials.".into(),
            ),
            (
                "test accuracy".into(),
                fmt(self.run.test_acc),
                "Recall: fraction right; pattern: variance explained.".into(),
            ),
            (
                "λ_max before".into(),
                fmt(self.lambda_before),
                "Largest Lyapunov exponent of the untrained network, per step.".into(),
            ),
            (
                "λ_max after".into(),
                fmt(self.lambda_after),
                "Largest Lyapunov exponent after training, per step.".into(),
            ),
            (
                "λ_max now".into(),
                fmt(self
                    .run
                    .history
                    .iter()
                    .rev()
                    .find(|p| p.lambda_eval.is_finite())
                    .map_or(self.lambda_before, |p| p.lambda_eval)),
                "Largest Lyapunov exponent at the latest evaluation, per step.".into(),
            ),
            (
                "‖ΔW‖/√N".into(),
                fmt(self.run.weight_change()),
                "How far training moved the recurrent weights.".into(),
            ),
        ]
    }

    fn notices(&self) -> Vec<String> {
        let mut v = vec![INFERRED_NOTICE.to_string()];
        if self.run.diverged {
            v.push(
                "The training run diverged (NaN or a loss above 10⁶); lower the learning rate."
                    .into(),
            );
        }
        if self.cfg.floss && self.cfg.rule != Rule::Bptt {
            v.push("The local flossing rule is the note's reconstruction [INFERRED] of the paper's 'biologically plausible' flossing.".into());
        }
        if self.cfg.place == Where::Auto && self.cfg.n <= 128 {
            v.push("At N ≤ 128 the autonomous network settles on a fixed point or a limit cycle for most seeds even at g > 1 (λ_max ≤ 0); chaos appears from N ≈ 256.".into());
        }
        if self.cfg.n > 128 {
            v.push("N > 128: each training iteration takes tens of milliseconds.".into());
        }
        v
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
                let p = network::Weights::init(64, 1.5, &mut wr);
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
