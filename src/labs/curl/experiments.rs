//! The curl lab's state and its long work, as stages of independent jobs:
//! - `train`: curl descent with its diagnostics (job 0) and gradient descent (job 1) from the
//!   same start, streamed as they run;
//! - `toy`: one trajectory pair of the 2-D toy per start in the link, then animated;
//! - `curves`: the asymptotic boundaries α_h*(c), α_r*(c);
//! - `phase`: the finite-size map, one (column, sample) threshold per job;
//! - `ensemble`: the speed-up ensemble, one run (seed, rule) per job.

use super::catalogue::{Settings, TRAINING, VIEWS};
use super::config::Config;
use super::ensemble::{self, Chase, Pair, SEEDS};
use super::phase::{self, Phase};
use super::stability;
use super::toy::{self, ToyPaths};
use super::training::{CdTraining, CdView, GdTraining, GdView};
use crate::lab::work::{once, Stepper, Work};
use crate::lab::{Lab, Readout, Stage, ViewDef};
use crate::params::Params;
use serde::{Deserialize, Serialize};

crate::choice_enum! {
    /// The lab's stages, in priority order.
    pub enum StageId {
        Train = "train",
        Toy = "toy",
        Curves = "curves",
        Phase = "phase",
        Ensemble = "ensemble",
    }
}

/// The output of one job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Out {
    Cd(Box<CdView>),
    Gd(Box<GdView>),
    Toy(ToyPaths),
    Curves(Vec<(f64, f64, f64)>),
    /// A phase-map threshold (None: the column is not sampled).
    Threshold(Option<usize>),
    /// Epochs to the ensemble's threshold (None: not reached within the cap).
    Hit(Option<usize>),
}

/// The curl-descent lab.
pub struct CurlLab {
    p: Params,
    pub s: Settings,
    pub cfg: Config,
    notes: Vec<String>,
    pub cd: Option<CdView>,
    pub gd: Option<GdView>,
    pub phase: Phase,
    /// Per seed: epochs to threshold of (GD, CD), each once its job is done.
    pub ens: Vec<[Option<Option<usize>>; 2]>,
    pub ens_max_epochs: usize,
    pub toys: Vec<Option<ToyPaths>>,
    /// Toy points revealed so far (the animation).
    pub toy_shown: usize,
    pub crit_h: f64,
    pub crit_r: f64,
}

impl CurlLab {
    /// c, α_h, α_r of the current setting.
    pub fn fractions(&self) -> (f64, f64, f64) {
        (
            self.cfg.c(),
            self.cfg.nh as f64 / self.cfg.m as f64,
            self.cfg.nr as f64 / self.cfg.n as f64,
        )
    }

    /// The seeds whose two runs are both done, with their (GD, CD) epochs, in seed order.
    pub fn ensemble_results(&self) -> Vec<(usize, Pair)> {
        self.ens
            .iter()
            .enumerate()
            .filter_map(|(i, r)| match r {
                [Some(g), Some(c)] => Some((i, (*g, *c))),
                _ => None,
            })
            .collect()
    }

    /// (GD, CD) pairs of the finished seeds.
    pub fn ensemble_pairs(&self) -> Vec<Pair> {
        self.ensemble_results().into_iter().map(|r| r.1).collect()
    }

    /// Training time so far: the further of the two runs.
    pub fn time(&self) -> f64 {
        self.epoch() as f64 * self.cfg.eta
    }

    pub fn epoch(&self) -> usize {
        let a = self.cd.as_ref().map_or(0, |v| v.epoch);
        let b = self.gd.as_ref().map_or(0, |v| v.epoch);
        a.max(b)
    }

    fn phase_layer(cfg: &Config) -> phase::Layer {
        if cfg.nr > 0 && cfg.nh == 0 {
            phase::Layer::Readout
        } else {
            phase::Layer::Hidden
        }
    }
}

impl Lab for CurlLab {
    type Out = Out;
    const VIEWS: &'static [ViewDef<Self>] = VIEWS;

    fn new(p: Params) -> Self {
        let s = Settings::from_params(&p);
        let (cfg, notes) = Config::from_settings(&s);
        let c = cfg.c();
        CurlLab {
            crit_h: stability::critical_alpha_h(c),
            crit_r: stability::critical_alpha_r(c),
            phase: Phase::new(cfg.n, Self::phase_layer(&cfg)),
            ens: vec![[None, None]; SEEDS],
            ens_max_epochs: ensemble::max_epochs(&cfg),
            toys: vec![None; s.toy.len()],
            toy_shown: 1,
            cd: None,
            gd: None,
            p,
            s,
            cfg,
            notes,
        }
    }

    fn params(&self) -> &Params {
        &self.p
    }

    fn stages(&self) -> Vec<Stage> {
        vec![
            Stage::new(StageId::Train.name(), "training", "runs", 2)
                .deps(TRAINING)
                .streaming()
                .side_by_side(),
            Stage::new(
                StageId::Toy.name(),
                "2-D toy",
                "trajectories",
                self.s.toy.len(),
            )
            .deps(&["toy"]),
            Stage::new(
                StageId::Curves.name(),
                "asymptotic boundaries",
                "blocks",
                phase::CURVE_JOBS,
            )
            .deps(&[]),
            Stage::new(
                StageId::Phase.name(),
                "phase diagram",
                "samples",
                phase::COLS * phase::SAMPLES,
            )
            .deps(&["n", "nh", "nr"])
            .interleaved(),
            Stage::new(StageId::Ensemble.name(), "ensemble", "runs", 2 * SEEDS).deps(TRAINING),
        ]
    }

    fn job(&self, stage: usize, index: usize) -> Option<Box<dyn Work<Out>>> {
        let seed = self.s.seed;
        match *StageId::ALL.get(stage)? {
            StageId::Train => match index {
                0 => Some(Box::new(Stepper::new(
                    CdTraining::new(&self.cfg, seed),
                    CdTraining::unit,
                    |t| Out::Cd(Box::new(t.view.clone())),
                    CdTraining::fraction,
                ))),
                1 => Some(Box::new(Stepper::new(
                    GdTraining::new(&self.cfg, seed),
                    GdTraining::unit,
                    |t| Out::Gd(Box::new(t.view.clone())),
                    GdTraining::fraction,
                ))),
                _ => None,
            },
            StageId::Toy => {
                let &(w1, w2) = self.s.toy.get(index)?;
                Some(once(move || Out::Toy(toy::run(w1, w2))))
            }
            StageId::Curves => (index < phase::CURVE_JOBS)
                .then(|| once(move || Out::Curves(phase::curves_part(index)))),
            StageId::Phase => {
                (index < phase::COLS * phase::SAMPLES).then_some(())?;
                let (n, layer) = (self.cfg.n, self.phase.layer);
                let (col, sample) = (index / phase::SAMPLES, index % phase::SAMPLES);
                Some(once(move || {
                    Out::Threshold(phase::threshold(n, layer, seed, col, sample))
                }))
            }
            StageId::Ensemble => {
                (index < 2 * SEEDS).then_some(())?;
                let run_seed = seed.wrapping_add((index / 2) as u64);
                Some(Box::new(Stepper::new(
                    Chase::new(&self.cfg, run_seed, index % 2 == 1),
                    Chase::unit,
                    |c| Out::Hit(c.hit),
                    Chase::fraction,
                )))
            }
        }
    }

    fn absorb(&mut self, stage: usize, index: usize, out: Out, finished: bool) {
        let Some(&id) = StageId::ALL.get(stage) else {
            return;
        };
        match (id, out) {
            (StageId::Train, Out::Cd(v)) => self.cd = Some(*v),
            (StageId::Train, Out::Gd(v)) => self.gd = Some(*v),
            (StageId::Toy, Out::Toy(t)) => {
                if let Some(slot) = self.toys.get_mut(index) {
                    *slot = Some(t);
                }
            }
            (StageId::Curves, Out::Curves(c)) => self.phase.set_curve_part(index, c),
            (StageId::Phase, Out::Threshold(th)) => {
                let (col, s) = (index / phase::SAMPLES, index % phase::SAMPLES);
                if let Some(slot) = self
                    .phase
                    .thresholds
                    .get_mut(col)
                    .and_then(|c| c.get_mut(s))
                {
                    *slot = th;
                }
            }
            (StageId::Ensemble, Out::Hit(h)) if finished => {
                if let Some(r) = self.ens.get_mut(index / 2) {
                    r[index % 2] = Some(h);
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
        let mut v = self.notes.clone();
        let runs = [
            ("Curl descent", self.cd.as_ref().and_then(|r| r.diverged_at)),
            (
                "Gradient descent",
                self.gd.as_ref().and_then(|r| r.diverged_at),
            ),
        ];
        for (name, d) in runs {
            if let Some(t) = d {
                v.push(format!(
                    "{name} diverged at t ≈ {} (the weights or the error overflowed); the run was stopped there.",
                    crate::lab::face::num(t)
                ));
            }
        }
        if self.cfg.proj && self.cfg.m > super::config::PROJ_MAX_M {
            v.push(format!(
                "M > {}: the projected stability matrix X_p is not diagonalised (cost); the plain X is shown.",
                super::config::PROJ_MAX_M
            ));
        }
        if self.cfg.act != super::network::Act::Linear {
            v.push("The stability matrix X is the linear theory; with tanh or relu it is a guide, not the exact Jacobian.".into());
        }
        v
    }

    fn ticks(&self) -> usize {
        self.toys
            .iter()
            .flatten()
            .map(|t| t.cd.len().max(t.gd.len()).div_ceil(toy::POINTS_PER_TICK))
            .max()
            .unwrap_or(0)
    }

    fn results_view(
        &self,
        view: &str,
        file: &crate::sweep::view::Sweep,
    ) -> Option<Result<(crate::plot::Chart, crate::lab::Table), String>> {
        (view == "phase").then(|| super::results::phase_from_results(self, file))
    }

    fn set_tick(&mut self, t: usize) {
        self.toy_shown = 1 + toy::POINTS_PER_TICK * t;
    }

    fn tick_label(&self, t: usize) -> String {
        let len = self
            .toys
            .iter()
            .flatten()
            .map(|t| t.cd.len().max(t.gd.len()))
            .max()
            .unwrap_or(1);
        let shown = (1 + toy::POINTS_PER_TICK * t).min(len);
        format!("toy t = {}", crate::lab::face::num(toy::time_of(shown)))
    }
}

/// Benchmark kernels of the lab.
pub fn kernels() -> Vec<crate::kernels::Kernel> {
    use crate::kernels::Kernel;
    fn config(preset: Option<&str>) -> Config {
        let info = &super::INFO;
        let p = preset
            .and_then(|id| info.preset_params(id, 1))
            .unwrap_or_else(|| info.defaults());
        Config::from_settings(&Settings::from_params(&p)).0
    }
    vec![
        Kernel {
            name: "curl_linear_step",
            what: "one linear population-loss curl-descent step with norm projection, M = 20, N = 100 (budget 5 µs in wasm; numpy 18 µs)",
            setup: || {
                let (prob, _gd, mut cd) = config(None).runs(1);
                Box::new(move || cd.epoch(&prob))
            },
        },
        Kernel {
            name: "curl_tanh_epoch_regime_d",
            what: "one full-batch tanh curl-descent epoch of regime D (M = 30, N = 3, P = 300; numpy 39 µs)",
            setup: || {
                let (prob, _gd, mut cd) = config(Some("D")).runs(1);
                Box::new(move || cd.epoch(&prob))
            },
        },
        Kernel {
            name: "curl_stability_x_m20",
            what: "λ_min of X = W1ᵀD2W1 + ‖w2‖²D1 at M = 20, N = 100 (build + symmetric eigenvalues)",
            setup: || {
                let (_prob, _gd, cd) = config(None).runs(1);
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
                let cfg = config(Some("D"));
                Box::new(move || {
                    let mut pairs = Vec::new();
                    for s in 0..SEEDS as u64 {
                        let g = Chase::new(&cfg, 1 + s, false).finish();
                        let c = Chase::new(&cfg, 1 + s, true).finish();
                        pairs.push((g, c));
                    }
                    ensemble::medians(&pairs).1
                })
            },
        },
    ]
}
