//! Lab: learning fixed points of recurrent networks — Euclidean gradient descent vs the
//! re-parameterised rules (Zhu & Rosenbaum, Neural Computation 2024, arXiv 2307.06732).
//!
//! Views: the 1-D case ([`oned`]), the exact 2-D slice ([`slice`]), the N-D teacher task with
//! its learning curves, update angles and spectra ([`rules`], [`linear`], [`tanh`]), and the
//! loss along a random line and on a random plane ([`surface`]).

pub mod linear;
pub mod oned;
pub mod rules;
pub mod slice;
pub mod surface;
pub mod tanh;
mod views;

use crate::lab::{Lab, LabInfo, OutOfTime, Preset, Progress, View};
use crate::params::{ParamSpec, Params, Value};
use crate::plot::Chart;
use linear::Rule;
use rules::{Mode, Task, TaskSpec, Trainer};

/// Largest N and m in tanh mode (each tanh iteration solves m Newton problems).
pub const TANH_MAX: usize = 50;

pub static SPECS: &[ParamSpec] = &[
    ParamSpec::choice("mode", "network", &["linear", "tanh"], 0).help(
        "Network of the N-D teacher task: linear r* = (I − W)⁻¹x (exact fixed points, the paper's \
         figures) or tanh r* = tanh(W r* + x) (fixed points by Newton's method; N and m are capped \
         at 50). The 1-D, 2-D, line and plane views always use the linear network.",
    ),
    ParamSpec::int("n", "neurons N", 2, 100, 20)
        .help("Number of recurrent neurons of the N-D task (the paper uses 200; 20–50 here)."),
    ParamSpec::int("m", "examples m", 1, 200, 10).help(
        "Number of input/target pairs. With m < N a zero-loss W exists (interpolation); the paper uses m = N/2.",
    ),
    ParamSpec::log_real("sx", "input scale σx", 0.01, 1.0, 0.1).help(
        "Inputs are σx·N(0,1). It sets the loss scale of every view, so one learning rate means the same step \
         everywhere (the note's 2-D η is η·σx²).",
    ),
    ParamSpec::real("teacher", "teacher scale", 0.0, 0.9, 0.5, 0.01)
        .help("Targets are the fixed points of a teacher Ŵ = scale·N(0,1)/√N (spectral radius ≈ scale)."),
    ParamSpec::real("noise", "target noise σr", 0.0, 0.1, 0.01, 0.001)
        .help("Standard deviation of the noise added to the teacher's fixed points."),
    ParamSpec::real("init", "initial scale", 0.0, 3.0, 0.75, 0.01).help(
        "The N-D runs start at W₀ = scale·N(0,1)/√N (spectral radius ≈ scale). Above about 1 the start \
         is an unstable fixed point (linear) or Newton may fail (tanh).",
    ),
    ParamSpec::log_real("eta1", "η₁ Euclidean GD", 1e-4, 200.0, 1.0).help(
        "Learning rate of rule 1, W ← W − η₁ ∇_W J: plain gradient descent, i.e. steepest descent under \
         the Euclidean (Frobenius) metric on W.",
    ),
    ParamSpec::log_real("eta2", "η₂ re-parameterised", 1e-3, 90.0, 3.0).help(
        "Learning rate of rule 2: a gradient step on A = (I − W)⁻¹, then W = I − A⁻¹. It is steepest \
         descent under the distance d(W, W′) = ‖(I − W)⁻¹ − (I − W′)⁻¹‖ (tanh mode: the authors' dW4).",
    ),
    ParamSpec::log_real("eta3", "η₃ linearised", 1e-3, 90.0, 3.0).help(
        "Learning rate of rule 3, ΔW = −η₃ (I−W)(I−W)ᵀ ∇_W J (I−W)ᵀ(I−W): gradient descent under the \
         Riemannian metric g(U, V) = tr[(AUA)ᵀ(AVA)], the pull-back of the Euclidean metric on A.",
    ),
    ParamSpec::int("iters", "iterations", 10, 5000, 1000)
        .help("Number of updates of every rule (N-D training, 1-D and 2-D iterates)."),
    ParamSpec::real("w0", "1-D start w₀", -4.0, 3.0, 0.9, 0.01).help(
        "Start of the three 1-D iterates (a click on the 1-D plot sets it). w₀ = 1 is the pole; w₀ > 1 \
         is an unstable fixed point.",
    ),
    ParamSpec::real("w1", "2-D start w1", -3.0, 3.0, 0.8, 0.01)
        .help("Start of the 2-D trajectories, first coordinate (a click on the 2-D slice sets it)."),
    ParamSpec::real("w2", "2-D start w2", -3.0, 3.0, 0.8, 0.01)
        .help("Start of the 2-D trajectories, second coordinate (a click on the 2-D slice sets it)."),
    ParamSpec::real("t1", "2-D target w1*", -3.0, 3.0, -1.5, 0.01)
        .help("Target of the 2-D slice: J = σx²‖A(w1, w2) − A(w1*, w2*)‖², first coordinate."),
    ParamSpec::real("t2", "2-D target w2*", -3.0, 3.0, 1.2, 0.01)
        .help("Target of the 2-D slice, second coordinate. A target on w1*·w2* = 1 has no fixed point."),
    ParamSpec::int("grid", "plane grid", 21, 201, 81).help(
        "Points per side of the random-plane heat map (each point costs one LU solve of the N-D network).",
    ),
];

pub static VIEWS: &[View] = &[
    View {
        id: "oned",
        title: "One neuron: J(w) and its pole",
        caption: "The loss of a single linear neuron against its weight w, on a log scale: a pole at w = 1 \
                  (no fixed point) and a flat plateau for w → −∞. The dots are the three rules' iterates \
                  from w₀ (click to move it): near the pole the Euclidean step is huge and throws GD onto \
                  the plateau, while the re-parameterised rules step in a = 1/(1 − w) and converge.",
        clickable: true,
    },
    View {
        id: "slice",
        title: "Two neurons: the loss on an exact 2-D slice",
        caption: "log₁₀ J over W = [[0, w1], [w2, 0]] with the singular hyperbola w1·w2 = 1 (dashed; the \
                  stable band lies between its branches). Click to start the three trajectories there: \
                  GD with a large η jumps across the hyperbola and stalls on the plateau, the \
                  re-parameterised rules walk almost straight to the target (×).",
        clickable: true,
    },
    View {
        id: "curves",
        title: "N-D teacher task: learning curves",
        caption: "Loss J(W) of the three rules against iteration on a log scale, all from the same W₀. \
                  Compare each rule at its own best η: the learning rates of the two families are on \
                  different scales.",
        clickable: false,
    },
    View {
        id: "angle",
        title: "Angle between each update and the Euclidean gradient",
        caption: "The angle between a rule's update ΔW and −∇_W J at the rule's own W (0° for GD). The \
                  re-parameterised updates point 70–85° away from the gradient yet still descend; rules \
                  2 and 3 nearly coincide.",
        clickable: false,
    },
    View {
        id: "spectrum",
        title: "Distance of W's spectrum from the singular set",
        caption: "min |1 − λ| over the eigenvalues λ of W (tanh: of G·W at the fixed points): where it \
                  reaches 0, I − W is singular, the fixed point is lost and the loss has a pole. Small \
                  values mean GD steps are about to blow up.",
        clickable: false,
    },
    View {
        id: "line",
        title: "Loss along random lines through a zero-loss W",
        caption: "J(W₀ + t·W_k) for three random directions W_k (linear network, log scale): near t = 0 \
                  the loss is ≈ 0; outside the stable segment (dashed: where trace 1 loses stability) it \
                  spikes at poles (dotted: the poles of trace 1), where W crosses det(I − W) = 0.",
        clickable: false,
    },
    View {
        id: "plane",
        title: "Loss on a random plane through a zero-loss W",
        caption: "log₁₀ J(W₀ + t₁W₁ + t₂W₂) for the linear network: a dark stable disc (dashed circle: \
                  circular-law estimate) inside a web of bright filaments, the singular set \
                  det(I − W) = 0 (white: where det(I − W) changes sign between cells).",
        clickable: false,
    },
];

pub static PRESETS: &[Preset] = &[
    Preset {
        id: "oned-pole",
        label: "1-D: start next to the pole",
        link: "w0=0.9&eta1=2&eta2=2&eta3=2&iters=1000",
        note: "Note §7.1, w₀ = 0.9, η = 2 for all rules: GD's first step throws it onto the plateau \
               (w ≈ −35 at seed 1; the note's −39) where it stays; rules 2 and 3 reach J* in about 100 steps. Data are redrawn \
               from the seed, so the numbers differ slightly from the note's.",
    },
    Preset {
        id: "oned-flat",
        label: "1-D: start on the flat side",
        link: "w0=-2&eta1=2&eta2=2&eta3=2&iters=1000",
        note: "Note §7.1, w₀ = −2: GD crawls along the flat side (still far from w* after 1000 steps); \
               rules 2 and 3 converge in tens of steps.",
    },
    Preset {
        id: "oned-beyond",
        label: "1-D: start beyond the pole",
        link: "w0=2&eta1=2&eta2=2&eta3=2&iters=1000",
        note: "Note §7.1, w₀ = 2 (an unstable fixed point): GD drifts to +∞; rule 2 passes through w = ∞ \
               (a crosses 0) and converges; rule 3 runs off to +∞ in finite time. Both are genuine.",
    },
    Preset {
        id: "slice-jump",
        label: "2-D: GD jumps the hyperbola",
        link: "w1=0.8&w2=0.8&t1=-1.5&t2=1.2&eta1=3&eta2=10&eta3=10&iters=300",
        note: "Note §7.2 with the note's η₁ = 0.03, η₂ = η₃ = 0.1 (this lab's loss carries the factor \
               σx² = 0.01, so η here is the note's η/σx²). GD's first step lands across the lower branch \
               and stalls on the plateau; rules 2 and 3 reach machine precision within 100 steps.",
    },
    Preset {
        id: "slice-curved",
        label: "2-D: small-η GD",
        link: "w1=0.8&w2=0.8&t1=-1.5&t2=1.2&eta1=1&eta2=10&eta3=10&iters=3000",
        note: "Note §7.2 with the note's η₁ = 0.01: GD takes a curved path that dips toward the origin and \
               converges slowly (J ≈ 1e-9 here, the note's 1.4e-7 times σx², after 3000 steps).",
    },
    Preset {
        id: "slice-harsh",
        label: "2-D: start next to the hyperbola",
        link: "w1=1.2&w2=0.75&t1=-1.5&t2=1.2&eta1=0.01&eta2=25&eta3=25&iters=3000",
        note: "Note §7.2's harsher start (w1·w2 = 0.9, |∇J| huge): GD with η₁ = 0.01 (the note's 1e-4) \
               does not jump but is still near J = 0.02 after 3000 steps, and any η₁ ≥ 0.03 (the note's \
               3e-4) jumps across the hyperbola; rules 2 and 3 with the note's η = 0.25 (25 here) finish \
               in ~30 steps. η₂ = η₃ = 25 is far too large for the N-D task, which fails visibly.",
    },
    Preset {
        id: "nd-paper",
        label: "N-D: the paper's task, scaled down",
        link: "mode=linear&n=20&m=10&sx=0.1&teacher=0.5&noise=0.01&init=0.75&eta1=1&eta2=3&eta3=3&iters=1000",
        note: "Note §7.3 (paper Fig. LinearNDdW123 at N = 20 instead of 200): GD at η = 1 ends between about \
               1e-2 and 1e-6 depending on the seed (no GD η does much better), rules 2 and 3 at η = 3 near \
               1e-11 to 1e-25, and rules 2 and 3 agree within a few per cent. Random draws differ from \
               NumPy's, so compare orders of magnitude.",
    },
    Preset {
        id: "nd-stall",
        label: "N-D: GD with too large η stalls",
        link: "mode=linear&n=50&m=25&eta1=3&eta2=3&eta3=3&iters=1000",
        note: "Note §7.3, N = 50: GD with η = 3 stalls far above rules 2 and 3, which converge to round-off.",
    },
    Preset {
        id: "nd-tanh",
        label: "N-D: tanh network",
        link: "mode=tanh&n=20&m=10&sx=0.3&eta1=0.3&eta2=1&eta3=1&iters=400",
        note: "Note §7.4 (the explorer's own nonlinear check): dW1 at its best η = 0.3 ends near 1e-4; the \
               re-parameterised dW4 (rule 2 slot) and dW3 (rule 3) at η = 1 end many orders lower.",
    },
    Preset {
        id: "landscape",
        label: "Loss landscape with poles",
        link: "mode=linear&n=50&m=25&teacher=0.5&grid=101&iters=200",
        note: "Note §5.1 (paper Fig. LinearNDLoss at N = 50 instead of 200): lines and a plane through a \
               zero-loss W₀ = (R̂ − X)R̂⁺ along directions of spectral radius 2.5.",
    },
];

pub static INFO: LabInfo = LabInfo {
    id: "fixed_points",
    title: "Learning fixed points: Euclidean vs re-parameterised rules",
    specs: SPECS,
    views: VIEWS,
    presets: PRESETS,
    build,
};

fn build(p: Params) -> Box<dyn Lab> {
    Box::new(FixedPointsLab::new(p))
}

/// The window of the 2-D slice.
pub const SLICE_WINDOW: (f64, f64) = (-3.0, 3.0);
/// Resolution of the 2-D heat map.
pub const SLICE_GRID: usize = 200;

/// The lab's state: all views' data, filled progressively by [`Lab::advance`].
pub struct FixedPointsLab {
    p: Params,
    etas: [f64; 3],
    iters: usize,
    /// 1-D statistics and the three rules' iterates.
    stats: oned::Stats,
    paths1: [oned::Path1; 3],
    /// 2-D slice (None: the target has no fixed point) and the three paths.
    slice: Option<slice::Slice>,
    paths2: [slice::SlicePath; 3],
    heat: Option<Vec<f64>>,
    /// How many 1-D/2-D iterates are shown (the animation).
    shown: usize,
    anim_total: usize,
    /// The N-D task (Err: why it could not be built) once built.
    task_spec: TaskSpec,
    task: Option<Result<Task, String>>,
    trainers: Vec<Trainer>,
    /// The trainer that gets the next unit of work.
    rr: usize,
    /// The N-D sizes were clamped (tanh mode).
    clamped: bool,
    /// Line and plane scans.
    surface: Option<Result<surface::Surface, String>>,
    line: Vec<Vec<f64>>,
    line_stab: Vec<(f64, f64)>,
    poles: Option<Vec<Vec<f64>>>,
    /// `log10 J` clipped to the colour range (drawn) and J itself (exported).
    plane: Vec<f64>,
    plane_j: Vec<f64>,
    plane_sign: Vec<f64>,
    plane_next: usize,
    grid: usize,
}

impl FixedPointsLab {
    /// Builds the lab: the cheap 1-D and 2-D iterates now, the rest in [`Lab::advance`].
    pub fn new(p: Params) -> Self {
        let etas = [p.real("eta1"), p.real("eta2"), p.real("eta3")];
        let iters = p.int("iters").max(1) as usize;
        let sx = p.real("sx");
        let mode = if p.choice("mode") == "tanh" {
            Mode::Tanh
        } else {
            Mode::Linear
        };
        let (mut n, mut m) = (p.int("n").max(1) as usize, p.int("m").max(1) as usize);
        let mut clamped = false;
        if mode == Mode::Tanh && (n > TANH_MAX || m > TANH_MAX) {
            n = n.min(TANH_MAX);
            m = m.min(TANH_MAX);
            clamped = true;
        }
        let task_spec = TaskSpec {
            mode,
            n,
            m,
            sx,
            teacher: p.real("teacher"),
            noise: p.real("noise"),
            init: p.real("init"),
            seed: p.seed,
        };
        let stats = oned::Stats::sample(p.seed, sx);
        let grid = p.int("grid").clamp(2, 1000) as usize;
        let mut lab = FixedPointsLab {
            etas,
            iters,
            stats,
            paths1: oned::run(&stats, p.real("w0"), etas, iters),
            slice: slice::Slice::new(p.real("t1"), p.real("t2"), sx),
            paths2: Default::default(),
            heat: None,
            shown: 1,
            anim_total: 1,
            task_spec,
            task: None,
            trainers: Vec::new(),
            rr: 0,
            clamped,
            surface: None,
            line: vec![Vec::new(); surface::TRACES],
            line_stab: Vec::new(),
            poles: None,
            plane: vec![f64::NAN; grid * grid],
            plane_j: vec![f64::NAN; grid * grid],
            plane_sign: vec![0.0; grid * grid],
            plane_next: 0,
            grid,
            p,
        };
        lab.run_slice();
        lab
    }

    /// Recomputes the 2-D paths from the start in the parameters and restarts the animation.
    fn run_slice(&mut self) {
        let start = (self.p.real("w1"), self.p.real("w2"));
        if let Some(s) = &self.slice {
            self.paths2 = std::array::from_fn(|k| s.run(k, start, self.etas[k], self.iters));
        }
        self.shown = 1;
        self.anim_total = self
            .paths1
            .iter()
            .map(|p| p.w.len())
            .chain(self.paths2.iter().map(|p| p.points.len()))
            .max()
            .unwrap_or(1);
    }

    fn training_done(&self) -> bool {
        match &self.task {
            None => false,
            Some(Err(_)) => true,
            Some(Ok(_)) => self.trainers.iter().all(Trainer::done),
        }
    }

    fn line_done(&self) -> bool {
        match &self.surface {
            Some(Ok(_)) => {
                self.line.iter().all(|l| l.len() >= surface::LINE_POINTS) && self.poles.is_some()
            }
            Some(Err(_)) => true,
            None => false,
        }
    }

    fn plane_done(&self) -> bool {
        matches!(&self.surface, Some(Err(_))) || self.plane_next >= self.grid * self.grid
    }

    /// One unit of pending work (each well under a few ms at the default sizes); false if none.
    fn work_unit(&mut self) -> bool {
        if self.heat.is_none() {
            let hm = match &self.slice {
                Some(s) => {
                    let (lo, hi) = views::slice_color_range(s);
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
            };
            self.heat = Some(hm);
            return true;
        }
        if self.task.is_none() {
            let t = Task::new(self.task_spec);
            if let Ok(task) = &t {
                self.trainers = Rule::ALL
                    .iter()
                    .map(|&r| Trainer::new(task, r, self.etas[r.index()], self.iters))
                    .collect();
            }
            self.task = Some(t);
            return true;
        }
        if !self.training_done() {
            // one unit of one rule, the rules in turn, so all three curves grow together
            if let Some(Ok(task)) = &self.task {
                let n = self.trainers.len();
                for off in 0..n {
                    let i = (self.rr + off) % n;
                    if !self.trainers[i].done() {
                        self.trainers[i].advance(task);
                        self.rr = i + 1;
                        break;
                    }
                }
            }
            return true;
        }
        if self.surface.is_none() {
            self.surface = Some(match &self.task {
                Some(Ok(task)) => surface::Surface::new(&task.x, &task.rhat, self.p.seed)
                    .ok_or_else(|| "the centre W₀ = (R̂ − X)R̂⁺ could not be computed".to_string()),
                Some(Err(e)) => Err(e.clone()),
                None => Err("no task".into()),
            });
            return true;
        }
        if !self.line_done() {
            if let Some(Ok(s)) = &self.surface {
                let i = self.line[0].len();
                if i < surface::LINE_POINTS {
                    let t = surface::Surface::line_t(i);
                    for (k, l) in self.line.iter_mut().enumerate() {
                        l.push(s.line_loss(k, t));
                    }
                    if i.is_multiple_of(surface::STABILITY_EVERY) {
                        self.line_stab.push((t, s.line_max_re(0, t)));
                    }
                } else {
                    self.poles = Some((0..surface::TRACES).map(|k| s.line_poles(k)).collect());
                }
            }
            return true;
        }
        if !self.plane_done() {
            if let Some(Ok(s)) = &self.surface {
                let g = self.grid;
                let k = self.plane_next;
                let (i, j) = (k % g, k / g);
                let t = |c: usize| -1.0 + 2.0 * (c as f64 + 0.5) / g as f64;
                let (jv, sign) = s.plane_point(t(i), t(j));
                let (lo, hi) = views::plane_color_range(s);
                let l = jv.log10();
                self.plane[k] = if l.is_nan() { hi } else { l.clamp(lo, hi) };
                self.plane_j[k] = jv;
                self.plane_sign[k] = sign;
                self.plane_next += 1;
            }
            return true;
        }
        false
    }

    fn progress(&self) -> Progress {
        let train = if self.trainers.is_empty() {
            if self.training_done() {
                1.0
            } else {
                0.0
            }
        } else {
            self.trainers
                .iter()
                .map(|t| {
                    if t.done() {
                        1.0
                    } else {
                        t.losses.len() as f64 / (self.iters + 1) as f64
                    }
                })
                .sum::<f64>()
                / self.trainers.len() as f64
        };
        let line = if self.line_done() {
            1.0
        } else {
            self.line[0].len() as f64 / surface::LINE_POINTS as f64
        };
        let plane = if self.plane_done() {
            1.0
        } else {
            self.plane_next as f64 / (self.grid * self.grid) as f64
        };
        let anim = self.shown as f64 / self.anim_total.max(1) as f64;
        if !self.training_done() {
            let it = self
                .trainers
                .iter()
                .map(Trainer::iteration)
                .min()
                .unwrap_or(0);
            return Progress::working(0.6 * train, format!("training {it}/{}", self.iters));
        }
        if !self.line_done() {
            return Progress::working(0.6 + 0.1 * line, "loss along random lines");
        }
        if !self.plane_done() {
            return Progress::working(
                0.7 + 0.3 * plane,
                format!(
                    "loss on a random plane {}/{}",
                    self.plane_next,
                    self.grid * self.grid
                ),
            );
        }
        if self.shown < self.anim_total {
            return Progress::working(anim, "animating the 1-D and 2-D iterates");
        }
        Progress::finished()
    }
}

impl Lab for FixedPointsLab {
    fn params(&self) -> &Params {
        &self.p
    }

    fn advance(&mut self, out_of_time: OutOfTime) -> Progress {
        loop {
            if !self.work_unit() || out_of_time() {
                break;
            }
        }
        // One animation frame per call: reveal the iterates geometrically (early steps matter most).
        if self.shown < self.anim_total {
            self.shown = (self.shown + 1 + self.shown / 12).min(self.anim_total);
        }
        self.progress()
    }

    fn animating(&self) -> bool {
        self.shown < self.anim_total
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
        if !(x.is_finite() && y.is_finite()) {
            return false;
        }
        match view {
            "slice" => {
                let (a, b) = SLICE_WINDOW;
                let ok1 = self.p.set_value("w1", Value::Real(round2(x.clamp(a, b))));
                let ok2 = self.p.set_value("w2", Value::Real(round2(y.clamp(a, b))));
                if ok1.is_err() || ok2.is_err() {
                    return false;
                }
                self.run_slice();
                true
            }
            "oned" => {
                if self
                    .p
                    .set_value("w0", Value::Real(round2(x.clamp(-4.0, 3.0))))
                    .is_err()
                {
                    return false;
                }
                self.paths1 = oned::run(&self.stats, self.p.real("w0"), self.etas, self.iters);
                self.run_slice();
                true
            }
            _ => false,
        }
    }

    fn notices(&self) -> Vec<String> {
        views::notices(self)
    }
}

/// Rounds a clicked coordinate to 0.01 (the control's step), so that the link stays short.
fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Benchmark kernels: one iteration of each rule at N = 50, m = 50, and the 200×200 2-D heat map.
pub fn kernels() -> Vec<crate::kernels::Kernel> {
    use crate::kernels::Kernel;
    fn rule_kernel(rule: Rule, eta: f64) -> Box<dyn FnMut() -> f64> {
        let spec = TaskSpec {
            mode: Mode::Linear,
            n: 50,
            m: 50,
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
            setup: || rule_kernel(Rule::Euclidean, 1.0),
        },
        Kernel {
            name: "fixed_points/rule2_reparam_n50",
            what: "one re-parameterised iteration (A step, W = I − A⁻¹) at N = 50, m = 50; budget 1 ms",
            setup: || rule_kernel(Rule::Reparam, 3.0),
        },
        Kernel {
            name: "fixed_points/rule3_linearized_n50",
            what: "one linearised re-parameterised iteration (inverse only for the loss) at N = 50, m = 50; budget 1 ms",
            setup: || rule_kernel(Rule::Linearized, 3.0),
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
