//! The fixed-point lab's state and its long work, as stages of independent jobs:
//! - `slice`: the 2-D slice's log-loss heat map (one job);
//! - `train`: the three rules on the N-D teacher task (one streaming job per rule, side by side);
//! - `surface`: the centre W₀ of the loss scans and the plateau (one job);
//! - `line`: the loss along three random lines, their poles, and the stability of line 1, in
//!   blocks of points sized so that a job is ~10 ms at any N;
//! - `plane`: the loss on a random plane, in blocks of cells.
//!
//! The N-D jobs build the task and the scan's centre once per lab (lazily, shared by the jobs
//! of one lab); the 1-D and 2-D iterates are cheap and built with the lab, then animated.

use super::catalogue::{Settings, VIEWS};
use super::jobs::RuleRun;
pub use super::jobs::{Context, Layout, LineJob, STAB_POINTS};
use super::linear::{self, Rule};
use super::oned;
use super::rules::{Mode, Task, TaskSpec, TrainView};
use super::slice::{self, SlicePath};
use super::surface::{self, Surface};
use crate::dynamics::fm;
use crate::lab::work::{once, Stepper, Work};
use crate::lab::{Lab, Readout, Stage, ViewDef};
use crate::params::Params;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, OnceLock};

crate::choice_enum! {
    /// The lab's stages, in priority order.
    pub enum StageId {
        Slice = "slice",
        Train = "train",
        Surface = "surface",
        Line = "line",
        Plane = "plane",
    }
}

/// Largest N and m in tanh mode (each tanh iteration solves m Newton problems).
pub const TANH_MAX: usize = 50;
/// The window of the 2-D slice.
pub const SLICE_WINDOW: (f64, f64) = (-3.0, 3.0);
/// Resolution of the 2-D heat map.
pub const SLICE_GRID: usize = 200;

/// The scan's centre loss and plateau (what the views need of the surface).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SurfaceInfo {
    /// `(1/m)‖R̂‖²_F`: the plateau J approaches far away.
    pub plateau: f64,
    /// `J(W₀)`.
    pub j0: f64,
}

/// The output of one job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Out {
    /// log10 J of the slice, clipped to its colour range, row-major from the bottom.
    Heat(Vec<f64>),
    /// One rule's run, or why the task could not be built.
    Train(Result<TrainView, String>),
    Surface(Result<SurfaceInfo, String>),
    /// J at a block of points of one line.
    Losses(Vec<f64>),
    /// The poles of one line in [−1, 1].
    Poles(Vec<f64>),
    /// (t, max Re λ) at a block of line 1's stability points.
    Stab(Vec<(f64, f64)>),
    /// (J, sign det(I − W)) at a block of plane cells.
    Cells(Vec<(f64, f64)>),
}

/// The lab's state: all views' data, filled as the jobs' outputs come in.
pub struct FixedPointsLab {
    p: Params,
    pub s: Settings,
    pub etas: [f64; 3],
    pub task_spec: TaskSpec,
    /// The N-D sizes were clamped (tanh mode).
    pub clamped: bool,
    /// 1-D statistics and the three rules' iterates.
    pub stats: oned::Stats,
    pub paths1: [oned::Path1; 3],
    /// 2-D slice (None: the target has no fixed point) and the three paths.
    pub slice: Option<slice::Slice>,
    pub paths2: [SlicePath; 3],
    pub heat: Option<Vec<f64>>,
    /// How many 1-D/2-D iterates the animation shows, and how many there are.
    pub shown: usize,
    pub anim_total: usize,
    ctx: Arc<Context>,
    pub layout: Layout,
    pub train: [Option<TrainView>; 3],
    pub task_error: Option<String>,
    pub surface: Option<Result<SurfaceInfo, String>>,
    /// J along each line (NaN until computed), line 1's (t, max Re λ), each line's poles.
    pub line: Vec<Vec<f64>>,
    pub line_stab: Vec<(f64, f64)>,
    pub poles: Vec<Option<Vec<f64>>>,
    /// J and sign det(I − W) per plane cell (NaN until computed).
    pub plane_j: Vec<f64>,
    pub plane_sign: Vec<f64>,
    pub cells_done: usize,
}

/// Iterates shown after `t` animation ticks: 1, then `k + 1 + k/12` per tick (geometric, so
/// the early steps, which matter most, are seen one by one).
pub fn shown_at(t: usize, total: usize) -> usize {
    let mut k = 1usize;
    for _ in 0..t {
        if k >= total {
            break;
        }
        k = (k + 1 + k / 12).min(total);
    }
    k.min(total.max(1))
}

impl FixedPointsLab {
    /// True when the loss surface's centre was computed.
    pub fn surface_ok(&self) -> bool {
        matches!(self.surface, Some(Ok(_)))
    }

    /// The trainers' views that have arrived, in rule order.
    pub fn trainers(&self) -> impl Iterator<Item = &TrainView> {
        self.train.iter().flatten()
    }

    /// The 1-D and 2-D iterates from the settings' starts.
    fn paths(
        s: &Settings,
        stats: &oned::Stats,
        sl: Option<&slice::Slice>,
        etas: [f64; 3],
    ) -> ([oned::Path1; 3], [SlicePath; 3]) {
        let p1 = oned::run(stats, s.w0, etas, s.iters);
        let p2 = match sl {
            Some(sl) => std::array::from_fn(|k| sl.run(k, (s.w1, s.w2), etas[k], s.iters)),
            None => Default::default(),
        };
        (p1, p2)
    }
}

impl Lab for FixedPointsLab {
    type Out = Out;
    const VIEWS: &'static [ViewDef<Self>] = VIEWS;

    /// Builds the lab: the cheap 1-D and 2-D iterates now, the rest as jobs.
    fn new(p: Params) -> Self {
        let s = Settings::from_params(&p);
        let etas = [s.eta1, s.eta2, s.eta3];
        let (mut n, mut m) = (s.n, s.m);
        let mut clamped = false;
        if s.mode == Mode::Tanh && (n > TANH_MAX || m > TANH_MAX) {
            n = n.min(TANH_MAX);
            m = m.min(TANH_MAX);
            clamped = true;
        }
        let task_spec = TaskSpec {
            mode: s.mode,
            n,
            m,
            sx: s.sx,
            teacher: s.teacher,
            noise: s.noise,
            init: s.init,
            seed: s.seed,
        };
        let stats = oned::Stats::sample(s.seed, s.sx);
        let sl = slice::Slice::new(s.t1, s.t2, s.sx);
        let (paths1, paths2) = Self::paths(&s, &stats, sl.as_ref(), etas);
        let anim_total = paths1
            .iter()
            .map(|p| p.w.len())
            .chain(paths2.iter().map(|p| p.points.len()))
            .max()
            .unwrap_or(1);
        let layout = Layout::new(n, m, s.grid);
        let cells = layout.cells;
        FixedPointsLab {
            etas,
            stats,
            paths1,
            slice: sl,
            paths2,
            heat: None,
            shown: 1,
            anim_total,
            ctx: Arc::new(Context {
                spec: task_spec,
                task: OnceLock::new(),
                surface: OnceLock::new(),
            }),
            layout,
            train: [None, None, None],
            task_error: None,
            surface: None,
            line: vec![vec![f64::NAN; surface::LINE_POINTS]; surface::TRACES],
            line_stab: (0..STAB_POINTS)
                .map(|k| (Surface::line_t(k * surface::STABILITY_EVERY), f64::NAN))
                .collect(),
            poles: vec![None; surface::TRACES],
            plane_j: vec![f64::NAN; cells],
            plane_sign: vec![0.0; cells],
            cells_done: 0,
            task_spec,
            clamped,
            s,
            p,
        }
    }

    fn params(&self) -> &Params {
        &self.p
    }

    fn stages(&self) -> Vec<Stage> {
        const TASK: &[&str] = &["mode", "n", "m", "sx", "teacher", "noise", "init"];
        vec![
            Stage::new(StageId::Slice.name(), "2-D slice", "maps", 1).deps(&["t1", "t2", "sx"]),
            Stage::new(StageId::Train.name(), "training", "rules", 3)
                .deps(&[
                    "mode", "n", "m", "sx", "teacher", "noise", "init", "eta1", "eta2", "eta3",
                    "iters",
                ])
                .streaming()
                .side_by_side(),
            Stage::new(StageId::Surface.name(), "loss surface", "centres", 1).deps(TASK),
            Stage::new(
                StageId::Line.name(),
                "loss along random lines",
                "blocks",
                self.layout.line_jobs(),
            )
            .deps(TASK),
            Stage::new(
                StageId::Plane.name(),
                "loss on a random plane",
                "blocks",
                self.layout.plane_jobs(),
            )
            .deps(&["mode", "n", "m", "sx", "teacher", "noise", "init", "grid"])
            .interleaved(),
        ]
    }

    fn job(&self, stage: usize, index: usize) -> Option<Box<dyn Work<Out>>> {
        let ctx = self.ctx.clone();
        match *StageId::ALL.get(stage)? {
            StageId::Slice => {
                let sl = self.slice;
                (index == 0).then(|| {
                    once(move || {
                        Out::Heat(match &sl {
                            Some(s) => {
                                let (lo, hi) = slice_color_range(s);
                                slice::heatmap(
                                    s,
                                    SLICE_GRID,
                                    SLICE_GRID,
                                    SLICE_WINDOW,
                                    SLICE_WINDOW,
                                    lo,
                                    hi,
                                )
                            }
                            None => Vec::new(),
                        })
                    })
                })
            }
            StageId::Train => {
                let rule = *Rule::ALL.get(index)?;
                let run = RuleRun {
                    ctx,
                    rule,
                    eta: self.etas[index],
                    iters: self.s.iters,
                    trainer: None,
                    error: None,
                };
                Some(Box::new(Stepper::new(
                    run,
                    RuleRun::unit,
                    RuleRun::out,
                    RuleRun::fraction,
                )))
            }
            StageId::Surface => (index == 0).then(|| {
                once(move || {
                    Out::Surface(match ctx.surface() {
                        Ok(s) => Ok(SurfaceInfo {
                            plateau: s.plateau,
                            j0: s.j0,
                        }),
                        Err(e) => Err(e.clone()),
                    })
                })
            }),
            StageId::Line => {
                let job = self.layout.line_job(index)?;
                Some(once(move || {
                    let Ok(s) = ctx.surface() else {
                        return match job {
                            LineJob::Losses { .. } => Out::Losses(Vec::new()),
                            LineJob::Poles(_) => Out::Poles(Vec::new()),
                            LineJob::Stab { .. } => Out::Stab(Vec::new()),
                        };
                    };
                    match job {
                        LineJob::Losses { trace, from, to } => Out::Losses(
                            (from..to)
                                .map(|i| s.line_loss(trace, Surface::line_t(i)))
                                .collect(),
                        ),
                        LineJob::Poles(trace) => Out::Poles(s.line_poles(trace)),
                        LineJob::Stab { from, to } => Out::Stab(
                            (from..to)
                                .map(|k| {
                                    let t = Surface::line_t(k * surface::STABILITY_EVERY);
                                    (t, s.line_max_re(0, t))
                                })
                                .collect(),
                        ),
                    }
                }))
            }
            StageId::Plane => {
                (index < self.layout.plane_jobs()).then_some(())?;
                let cells = self.layout.plane_cells(index);
                let g = self.s.grid;
                Some(once(move || {
                    let Ok(s) = ctx.surface() else {
                        return Out::Cells(Vec::new());
                    };
                    let t = |c: usize| -1.0 + 2.0 * (c as f64 + 0.5) / g as f64;
                    Out::Cells(cells.map(|k| s.plane_point(t(k % g), t(k / g))).collect())
                }))
            }
        }
    }

    fn absorb(&mut self, stage: usize, index: usize, out: Out, _finished: bool) {
        let Some(&id) = StageId::ALL.get(stage) else {
            return;
        };
        match (id, out) {
            (StageId::Slice, Out::Heat(h)) => self.heat = Some(h),
            (StageId::Train, Out::Train(t)) => match t {
                Ok(v) => {
                    if let Some(slot) = self.train.get_mut(index) {
                        *slot = Some(v);
                    }
                }
                Err(e) => self.task_error = Some(e),
            },
            (StageId::Surface, Out::Surface(s)) => self.surface = Some(s),
            (StageId::Line, out) => match (self.layout.line_job(index), out) {
                (Some(LineJob::Losses { trace, from, .. }), Out::Losses(v)) => {
                    for (k, j) in v.into_iter().enumerate() {
                        if let Some(slot) =
                            self.line.get_mut(trace).and_then(|l| l.get_mut(from + k))
                        {
                            *slot = j;
                        }
                    }
                }
                (Some(LineJob::Poles(trace)), Out::Poles(p)) => {
                    if let Some(slot) = self.poles.get_mut(trace) {
                        *slot = Some(p);
                    }
                }
                (Some(LineJob::Stab { from, .. }), Out::Stab(v)) => {
                    for (k, st) in v.into_iter().enumerate() {
                        if let Some(slot) = self.line_stab.get_mut(from + k) {
                            *slot = st;
                        }
                    }
                }
                _ => {}
            },
            (StageId::Plane, Out::Cells(c)) => {
                let range = self.layout.plane_cells(index);
                for (k, (j, sign)) in range.zip(c) {
                    if self.plane_j[k].is_nan() && !j.is_nan() {
                        self.cells_done += 1;
                    }
                    self.plane_j[k] = j;
                    self.plane_sign[k] = sign;
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

    fn ticks(&self) -> usize {
        let mut t = 0;
        while shown_at(t, self.anim_total) < self.anim_total {
            t += 1;
        }
        t
    }

    fn set_tick(&mut self, t: usize) {
        self.shown = shown_at(t, self.anim_total);
    }

    /// The iteration the readouts and paths show at tick `t` (the first point is the start).
    fn tick_label(&self, t: usize) -> String {
        format!(
            "iteration {}",
            shown_at(t, self.anim_total).saturating_sub(1)
        )
    }
}

/// Colour range of the 2-D heat map: `log10 J` over `[log10 σx² − 3, log10 σx² + 2.5]` (the
/// note's [−3, 2.5] for its loss without the σx² factor).
pub fn slice_color_range(s: &slice::Slice) -> (f64, f64) {
    let c = fm::log10(s.s2.max(1e-300));
    (c - 3.0, c + 2.5)
}

/// Colour range of the plane: `log10 J` from 4 decades below to 3.5 above the plateau.
pub fn plane_color_range(plateau: f64) -> (f64, f64) {
    let c = fm::log10(plateau.max(1e-300));
    (c - 4.0, c + 3.5)
}

/// Benchmark kernels: one iteration of each rule at N = m = 50, N = m = 100 and the paper's
/// N = 200, m = 100, and the 200×200 2-D heat map.
pub fn kernels() -> Vec<crate::kernels::Kernel> {
    use crate::kernels::Kernel;
    fn rule_kernel(rule: Rule, eta: f64, n: usize, m: usize) -> Box<dyn FnMut() -> f64> {
        let spec = TaskSpec {
            mode: Mode::Linear,
            n,
            m,
            sx: 0.1,
            teacher: 0.5,
            noise: 0.01,
            init: 0.75,
            seed: 1,
        };
        let Ok(task) = Task::new(spec) else {
            return Box::new(|| f64::NAN);
        };
        let mut st = linear::LinearStepper::new(rule, eta, &task.x);
        let mut w = task.w_init.clone();
        Box::new(move || match st.step(&mut w, &task.x, &task.rhat) {
            linear::StepResult::Ok(j) => j,
            linear::StepResult::Singular => {
                w.copy_from(&task.w_init);
                0.0
            }
        })
    }
    vec![
        Kernel {
            name: "fixed_points/rule1_euclidean_n50",
            what: "one Euclidean GD iteration (inverse, fixed points, gradient) at N = 50, m = 50; budget 1 ms",
            setup: || rule_kernel(Rule::Euclidean, 1.0, 50, 50),
        },
        Kernel {
            name: "fixed_points/rule2_reparam_n50",
            what: "one re-parameterised iteration (A step, W = I − A⁻¹) at N = 50, m = 50; budget 1 ms",
            setup: || rule_kernel(Rule::Reparam, 3.0, 50, 50),
        },
        Kernel {
            name: "fixed_points/rule3_linearized_n50",
            what: "one linearised re-parameterised iteration (inverse only for the loss) at N = 50, m = 50; budget 1 ms",
            setup: || rule_kernel(Rule::Linearized, 3.0, 50, 50),
        },
        Kernel {
            name: "fixed_points/rule1_euclidean_n100",
            what: "rule 1 at N = 100, m = 100",
            setup: || rule_kernel(Rule::Euclidean, 1.0, 100, 100),
        },
        Kernel {
            name: "fixed_points/rule2_reparam_n100",
            what: "rule 2 at N = 100, m = 100",
            setup: || rule_kernel(Rule::Reparam, 3.0, 100, 100),
        },
        Kernel {
            name: "fixed_points/rule3_linearized_n100",
            what: "rule 3 at N = 100, m = 100",
            setup: || rule_kernel(Rule::Linearized, 3.0, 100, 100),
        },
        Kernel {
            name: "fixed_points/rule1_euclidean_n200",
            what: "rule 1 at the paper's N = 200, m = 100",
            setup: || rule_kernel(Rule::Euclidean, 1.0, 200, 100),
        },
        Kernel {
            name: "fixed_points/rule2_reparam_n200",
            what: "rule 2 at the paper's N = 200, m = 100",
            setup: || rule_kernel(Rule::Reparam, 3.0, 200, 100),
        },
        Kernel {
            name: "fixed_points/rule3_linearized_n200",
            what: "rule 3 at the paper's N = 200, m = 100",
            setup: || rule_kernel(Rule::Linearized, 3.0, 200, 100),
        },
        Kernel {
            name: "fixed_points/slice_heatmap_200",
            what: "the 200×200 log-loss heat map of the 2-D slice; budget 20 ms",
            setup: || {
                let s = slice::Slice::new(-1.5, 1.2, 0.1);
                Box::new(move || match &s {
                    Some(s) => slice::heatmap(s, 200, 200, (-3.0, 3.0), (-3.0, 3.0), -5.0, 0.5)
                        .iter()
                        .sum(),
                    None => f64::NAN,
                })
            },
        },
    ]
}
