//! Lab: curl descent — non-gradient learning with rule-flipped neurons
//! (Ninou, Kadmon & Cayco-Gajic, "Curl Descent: Non-Gradient Learning Dynamics with Sign-Diverse
//! Plasticity", arXiv 2510.02765, NeurIPS 2025).
//!
//! A two-layer student learns a teacher of the same shape. Rule-flipped neurons flip the sign of
//! the updates of their outgoing synapses, `θ̇ = −η D_θ ∇L`: the fixed points are those of
//! gradient descent, but their stability is set by `X = W1ᵀ D2 W1 + ‖w2‖² D1`.

pub mod chaos;
pub mod ensemble;
pub mod network;
pub mod phase;
pub mod stability;
pub mod toy;
pub mod training;
mod views;

use crate::lab::{Lab, LabInfo, OutOfTime, Preset, Progress, View};
use crate::params::{ParamSpec, Params};
use crate::plot::Chart;
use ensemble::Ensemble;
use phase::Phase;
use toy::ToyTrajectory;
use training::{Config, Training};

pub static SPECS: &[ParamSpec] = &[
    ParamSpec::int("m", "inputs M", 1, 150, 20).help(
        "Number of input neurons M. With N it sets c = M/N, the architecture variable of the phase diagram (c < 1 expansive, c > 1 compressive).",
    ),
    ParamSpec::int("n", "hidden units N", 1, 400, 100)
        .help("Number of hidden units N; the teacher has the same shape. c = M/N."),
    ParamSpec::choice("act", "activation φ", &["linear", "tanh", "relu"], 0).help(
        "Nonlinearity of the hidden layer and of the output unit. The stability theory is for the linear network; tanh shows the saddle-escape speed-up.",
    ),
    ParamSpec::int("nh", "flipped inputs n_h", 0, 150, 10).help(
        "The first n_h input neurons flip the sign of the updates of all their outgoing synapses (D1). Fraction α_h = n_h/M: the solutions stay stable below α_h*(c), for any α_h when c < 1/4, and a single flip destabilises them when c > 2/3.",
    ),
    ParamSpec::int("nr", "flipped hidden units n_r", 0, 400, 0).help(
        "The first n_r hidden neurons flip the sign of the updates of their readout synapses (D2). Fraction α_r = n_r/N: stable below α_r*(c) ≈ (1 − √c)²/2 for small c = M/N.",
    ),
    ParamSpec::log_real("eta", "learning rate η", 0.001, 10.0, 0.1).help(
        "Learning rate per epoch. Time is t = η·epochs, so an epoch is one Euler step of length η of the flow.",
    ),
    ParamSpec::choice("data", "data", &["population", "full", "minibatch"], 0).help(
        "population: the exact population loss of the linear network (inputs x ~ N(0, ½I)); full: P training points, full-batch updates; minibatch: P points in minibatches reshuffled every epoch. Nonlinear networks always use training points.",
    ),
    ParamSpec::int("p", "training points P", 10, 2000, 300)
        .help("Number of training points (the test set has 200 points)."),
    ParamSpec::int("batch", "minibatch size", 1, 2000, 10)
        .help("Points per update in the minibatch mode (the per-step rate is η·batch/P)."),
    ParamSpec::log_real("r", "init scale r", 0.01, 100.0, 2.0).help(
        "Student initial weights W1 ~ U(±r/√M), w2 ~ U(±r/√N). With the norm projection on, r also fixes the layer norms for the whole run.",
    ),
    ParamSpec::choice("teacher", "teacher", &["normalized", "uniform"], 0).help(
        "normalized: W1* ~ N(0, 1/M) rescaled to ‖W1*‖² = N and ‖w2*‖ = 1 (the linear demos); uniform: W1* ~ U(±1/√M), w2* ~ U(±1/√N) (the saddle-escape runs).",
    ),
    ParamSpec::flag("teacher_start", "start at the teacher", false).help(
        "Start the student exactly at the teacher (plus 1e-10 noise on w2): a point of the solution manifold, to test its stability.",
    ),
    ParamSpec::flag("proj", "norm projection", true).help(
        "After every update rescale each layer back to its initial Frobenius norm, as in the paper's main runs. Off: curl runs can grow or diverge.",
    ),
    ParamSpec::log_real("horizon", "horizon t", 1.0, 5000.0, 300.0)
        .help("Training time t = η·epochs (also the cap of the speed-up ensemble)."),
];

pub static VIEWS: &[View] = &[
    View {
        id: "loss",
        title: "Loss trajectories",
        caption: "Curl descent (vermilion) and gradient descent (blue) trained from the same initial weights on the same data; solid lines are test error, dashed lines training error, on a log scale. With the population loss both are the exact error.",
        clickable: false,
    },
    View {
        id: "stability",
        title: "Stability",
        caption: "λ_min(X) of X = W1ᵀD2W1 + ‖w2‖²D1 at the curl-descent weights, and the largest nontrivial Jacobian eigenvalue −σx²λ_min(X) per unit time t = η·epoch, i.e. −ησx²λ_min(X) per epoch (solid: with the norm projection's rank-two correction X_p). A point of the solution manifold is stable when the Jacobian eigenvalue is below 0.",
        clickable: false,
    },
    View {
        id: "spectrum",
        title: "Spectrum of X now",
        caption: "The M eigenvalues of X at the current weights, sorted; hollow markers are the real parts of the projected matrix X_p used when the norm projection is on. Any eigenvalue below 0 is an unstable direction of the solution manifold.",
        clickable: false,
    },
    View {
        id: "phase",
        title: "Phase diagram",
        caption: "Stability of the solution manifold in (c = M/N, α): lines are the asymptotic boundaries α_h*(c) (inputs flipped) and α_r*(c) (hidden units flipped) from the random-matrix equations; grey cells show the share of sampled weight sets at the current N that are unstable, filled in as they are computed. Dots mark the current setting.",
        clickable: false,
    },
    View {
        id: "chaos",
        title: "Chaos diagnostics",
        caption: "The order parameter q = mean Var_t(θ) / Var_i(mean_t θ) over consecutive windows (≈1e-30 at a fixed point, O(1) when the weights wander chaotically) and the curl fraction ‖(I−D)∇L‖/‖∇L‖. The text gives the largest Lyapunov exponent of the weight dynamics (two-trajectory Benettin method).",
        clickable: false,
    },
    View {
        id: "toy",
        title: "2-D toy",
        caption: "ŷ = w2·w1·x with target 1: arrows are the flow with the readout weight flipped (circles around a centre); grey curves are gradient descent's hyperbolae through a saddle. The solution hyperbola is stable (green) where |w2| > |w1|. Click to start a pair of trajectories.",
        clickable: true,
    },
    View {
        id: "ensemble",
        title: "Speed-up ensemble",
        caption: "Epochs until the test error falls below 1e-3 for gradient descent and curl descent over 12 paired seeds (same teacher, data and initial weights per seed), with the medians as lines; crosses never reached it. Use the regime D preset for the note's setting.",
        clickable: false,
    },
];

pub static PRESETS: &[Preset] = &[
    Preset {
        id: "A",
        label: "A: stable, GD-like",
        link: "m=20&n=100&act=linear&nh=10&nr=0&data=population&eta=0.1&r=2&teacher_start=0&proj=1&horizon=300",
        note: "c = 0.2 < 1/4, so half the inputs flipped (α_h = 0.5) leaves every solution stable: curl descent converges like gradient descent. Caveat: with r = 1 curl descent does not converge from a random start; r = 2 (or start at the teacher) does.",
    },
    Preset {
        id: "B",
        label: "B: chaotic, learning destroyed",
        link: "m=20&n=40&act=linear&nh=10&nr=0&data=population&eta=0.1&r=1&teacher_start=0&proj=1&horizon=300",
        note: "c = 0.5 with α_h = 0.5 far above α_h* ≈ 0.05: the solution manifold is unstable, the weights wander irregularly and the error stays near that of a zero predictor. The Lyapunov exponent is only weakly positive.",
    },
    Preset {
        id: "C",
        label: "C: unstable but learns (readout flips)",
        link: "m=20&n=100&act=linear&nh=0&nr=40&data=population&eta=0.1&r=2&teacher_start=1&proj=1&horizon=500",
        note: "Start at the teacher with α_r = 0.4 > α_r* ≈ 0.18: the error climbs (to about 0.1) and then falls again on a different, stable part of the solution manifold. With the projection on, judge stability by the projected matrix X_p.",
    },
    Preset {
        id: "D",
        label: "D: faster than GD (saddle escape)",
        link: "m=30&n=3&act=tanh&nh=0&nr=1&data=full&p=300&eta=1&r=2&teacher=uniform&teacher_start=0&proj=1&horizon=1500",
        note: "tanh, c = 10, one flipped readout neuron, large initial weights: curl descent escapes the saddle plateaus sooner than gradient descent. The epoch counts depend on the draws; the direction of the effect is what the ensemble shows.",
    },
    Preset {
        id: "toy",
        label: "2-D toy",
        link: "m=1&n=1&act=linear&nh=0&nr=1&data=population&eta=0.1&r=2&teacher_start=0&proj=0&horizon=40",
        note: "One input, one hidden unit, the readout weight flipped: the network is the 2-D toy. The norm projection is off on purpose (it would freeze both weights), so the page warns about it.",
    },
];

pub static INFO: LabInfo = LabInfo {
    id: "curl",
    title: "Curl descent: rule-flipped neurons",
    specs: SPECS,
    views: VIEWS,
    presets: PRESETS,
    build,
};

fn build(p: Params) -> Box<dyn Lab> {
    Box::new(CurlLab::new(p))
}

/// The curl-descent lab.
pub struct CurlLab {
    p: Params,
    pub(crate) cfg: Config,
    notes: Vec<String>,
    /// Built in the first `advance` (drawing the data set can take ~100 ms at the largest sizes).
    pub(crate) train: Option<Training>,
    pub(crate) phase: Phase,
    pub(crate) ens: Ensemble,
    pub(crate) toy: Vec<ToyTrajectory>,
    pub(crate) crit_h: f64,
    pub(crate) crit_r: f64,
}

/// Most toy trajectories kept at once.
const MAX_TOY: usize = 8;

impl CurlLab {
    pub fn new(p: Params) -> Self {
        let (cfg, notes) = Config::from_params(&p);
        let seed = p.seed;
        let layer = if cfg.nr > 0 && cfg.nh == 0 {
            phase::Layer::Readout
        } else {
            phase::Layer::Hidden
        };
        let phase = Phase::new(cfg.n, layer, seed);
        let ens = Ensemble::new(&cfg, seed);
        let c = cfg.c();
        CurlLab {
            crit_h: stability::critical_alpha_h(c),
            crit_r: stability::critical_alpha_r(c),
            p,
            cfg,
            notes,
            train: None,
            phase,
            ens,
            toy: vec![ToyTrajectory::new(1.8, 0.35), ToyTrajectory::new(0.45, 0.9)],
        }
    }

    fn progress(&self) -> Progress {
        let Some(train) = self.train.as_ref() else {
            return Progress::working(0.0, "drawing the data");
        };
        if !train.done() {
            Progress::working(
                0.5 * train.fraction(),
                format!(
                    "training t = {:.1} / {:.1}",
                    train.time(),
                    self.cfg.epochs as f64 * self.cfg.eta
                ),
            )
        } else if !self.phase.done() {
            Progress::working(
                0.5 + 0.2 * self.phase.fraction_done(),
                "phase diagram".to_string(),
            )
        } else if !self.ens.done() {
            Progress::working(
                0.7 + 0.3 * self.ens.fraction(),
                format!(
                    "ensemble seed {}/{}",
                    (self.ens.results.len() + 1).min(ensemble::SEEDS),
                    ensemble::SEEDS
                ),
            )
        } else {
            Progress::finished()
        }
    }

    /// c, α_h, α_r of the current setting.
    pub fn fractions(&self) -> (f64, f64, f64) {
        (
            self.cfg.c(),
            self.cfg.nh as f64 / self.cfg.m as f64,
            self.cfg.nr as f64 / self.cfg.n as f64,
        )
    }
}

impl Lab for CurlLab {
    fn params(&self) -> &Params {
        &self.p
    }

    fn advance(&mut self, out_of_time: OutOfTime) -> Progress {
        for t in self.toy.iter_mut() {
            if t.running() {
                t.frame();
            }
        }
        loop {
            let worked = if let Some(train) = self.train.as_mut().filter(|t| !t.done()) {
                train.unit()
            } else if self.train.is_none() {
                self.train = Some(Training::new(&self.cfg, self.p.seed));
                true
            } else if !self.phase.done() {
                self.phase.unit()
            } else if !self.ens.done() {
                self.ens.unit()
            } else {
                false
            };
            if !worked {
                return Progress::finished();
            }
            if out_of_time() {
                return self.progress();
            }
        }
    }

    fn animating(&self) -> bool {
        self.toy.iter().any(|t| t.running())
    }

    fn chart(&self, view: &str) -> Option<Chart> {
        views::chart(self, view)
    }

    fn csv(&self, view: &str) -> Option<String> {
        views::csv(self, view)
    }

    fn report(&self) -> serde_json::Value {
        views::report(self)
    }

    fn readouts(&self) -> Vec<(String, String, String)> {
        views::readouts(self)
    }

    fn click(&mut self, view: &str, x: f64, y: f64) -> bool {
        if view != "toy" || !x.is_finite() || !y.is_finite() {
            return false;
        }
        if x.abs() > 2.0 * toy::BOX || y.abs() > 2.0 * toy::BOX {
            return false;
        }
        if self.toy.len() >= MAX_TOY {
            self.toy.remove(0);
        }
        self.toy.push(ToyTrajectory::new(x, y));
        true
    }

    fn notices(&self) -> Vec<String> {
        let mut v = self.notes.clone();
        let names = ["Curl descent", "Gradient descent"];
        let diverged = self.train.as_ref().map_or([None, None], |t| t.diverged_at);
        for (i, d) in diverged.iter().enumerate() {
            if let Some(t) = d {
                v.push(format!(
                    "{} diverged at t ≈ {t:.3} (the weights or the error overflowed); the run was stopped there.",
                    names[i]
                ));
            }
        }
        if self.cfg.proj && self.cfg.m > training::PROJ_MAX_M {
            v.push(format!(
                "M > {}: the projected stability matrix X_p is not diagonalised (cost); the plain X is shown.",
                training::PROJ_MAX_M
            ));
        }
        if self.cfg.act != network::Act::Linear {
            v.push("The stability matrix X is the linear theory; with tanh or relu it is a guide, not the exact Jacobian.".into());
        }
        v
    }
}

/// Benchmark kernels of the lab.
pub fn kernels() -> Vec<crate::kernels::Kernel> {
    use crate::kernels::Kernel;
    vec![
        Kernel {
            name: "curl_linear_step",
            what: "one linear population-loss curl-descent step with norm projection, M = 20, N = 100 (budget 5 µs in wasm; numpy 18 µs)",
            setup: || {
                let (cfg, _) = Config::from_params(&INFO.defaults());
                let (prob, _gd, mut cd) = cfg.runs(1);
                Box::new(move || cd.epoch(&prob))
            },
        },
        Kernel {
            name: "curl_tanh_epoch_regime_d",
            what: "one full-batch tanh curl-descent epoch of regime D (M = 30, N = 3, P = 300; numpy 39 µs)",
            setup: || {
                let p = INFO.preset_params("D", 1).unwrap_or_else(|| INFO.defaults());
                let (cfg, _) = Config::from_params(&p);
                let (prob, _gd, mut cd) = cfg.runs(1);
                Box::new(move || cd.epoch(&prob))
            },
        },
        Kernel {
            name: "curl_stability_x_m20",
            what: "λ_min of X = W1ᵀD2W1 + ‖w2‖²D1 at M = 20, N = 100 (build + symmetric eigenvalues)",
            setup: || {
                let (cfg, _) = Config::from_params(&INFO.defaults());
                let (_prob, _gd, cd) = cfg.runs(1);
                Box::new(move || {
                    stability::lambda_min(&stability::x_matrix(&cd.net, &cd.d_in, &cd.d_hid))
                })
            },
        },
        Kernel {
            name: "curl_critical_alpha_r",
            what: "asymptotic α_r*(c) at c = 0.1 from the random-matrix edge (bisection)",
            setup: || Box::new(|| stability::critical_alpha_r(0.1)),
        },
        Kernel {
            name: "curl_regime_d_ensemble",
            what: "regime D, GD and curl descent side by side over 12 seeds to test error 1e-3 (budget 1.5 s in Chromium)",
            setup: || {
                let p = INFO.preset_params("D", 1).unwrap_or_else(|| INFO.defaults());
                let (cfg, _) = Config::from_params(&p);
                Box::new(move || {
                    let mut e = Ensemble::new(&cfg, 1);
                    while e.unit() {}
                    e.medians().1
                })
            },
        },
    ]
}
