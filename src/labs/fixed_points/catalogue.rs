//! The fixed-point lab's catalogue: its parameters, presets and views, each declared once.

use super::experiments::FixedPointsLab;
use super::rules::Mode;
use super::{nd_views as nd, surface_views as sv, views as v};
use crate::lab::{build, view_list, LabInfo, Launch, Preset, ViewDef};
use crate::params::ParamSpec;
use crate::{choice, settings};

settings! {
    /// The fixed-point lab's parameters (keys are the field names).
    pub struct Settings in SPECS {
        mode: Mode = choice!("network", Mode::Linear).help(
            "Network of the N-D teacher task: linear r* = (I − W)⁻¹x (exact fixed points, the paper's \
             figures) or tanh r* = tanh(W r* + x) (fixed points by Newton's method; N and m are capped \
             at 50). The 1-D, 2-D, line and plane views always use the linear network.",
        ),
        n: usize = ParamSpec::int("neurons N", 2, 200, 20)
            .help("Number of recurrent neurons of the N-D task (the paper uses 200, preset nd-paper-200; 20 by default, so the first picture is instant)."),
        m: usize = ParamSpec::int("examples m", 1, 200, 10).help(
            "Number of input/target pairs. With m < N a zero-loss W exists (interpolation); the paper uses m = N/2.",
        ),
        sx: f64 = ParamSpec::log_real("input scale σx", 0.01, 1.0, 0.1).help(
            "Inputs are σx·N(0,1). It sets the loss scale of every view, so one learning rate means the same step \
             everywhere (the note's 2-D η is η·σx²).",
        ),
        teacher: f64 = ParamSpec::real("teacher scale", 0.0, 0.9, 0.5, 0.01)
            .help("Targets are the fixed points of a teacher Ŵ = scale·N(0,1)/√N (spectral radius ≈ scale)."),
        noise: f64 = ParamSpec::real("target noise σr", 0.0, 0.1, 0.01, 0.001)
            .help("Standard deviation of the noise added to the teacher's fixed points."),
        init: f64 = ParamSpec::real("initial scale", 0.0, 3.0, 0.75, 0.01).help(
            "The N-D runs start at W₀ = scale·N(0,1)/√N (spectral radius ≈ scale). Above about 1 the start \
             is an unstable fixed point (linear) or Newton may fail (tanh).",
        ),
        eta1: f64 = ParamSpec::log_real("η₁ Euclidean GD", 1e-4, 200.0, 1.0).help(
            "Learning rate of rule 1, W ← W − η₁ ∇_W J: plain gradient descent, i.e. steepest descent under \
             the Euclidean (Frobenius) metric on W.",
        ),
        eta2: f64 = ParamSpec::log_real("η₂ re-parameterised", 1e-3, 90.0, 3.0).help(
            "Learning rate of rule 2: a gradient step on A = (I − W)⁻¹, then W = I − A⁻¹. It is steepest \
             descent under the distance d(W, W′) = ‖(I − W)⁻¹ − (I − W′)⁻¹‖ (tanh mode: the authors' dW4).",
        ),
        eta3: f64 = ParamSpec::log_real("η₃ linearised", 1e-3, 90.0, 3.0).help(
            "Learning rate of rule 3, ΔW = −η₃ (I−W)(I−W)ᵀ ∇_W J (I−W)ᵀ(I−W): gradient descent under the \
             Riemannian metric g(U, V) = tr[(AUA)ᵀ(AVA)], the pull-back of the Euclidean metric on A.",
        ),
        iters: usize = ParamSpec::int("iterations", 10, 5000, 1000)
            .help("Number of updates of every rule (N-D training, 1-D and 2-D iterates)."),
        w0: f64 = ParamSpec::real("1-D start w₀", -4.0, 3.0, 0.9, 0.01).help(
            "Start of the three 1-D iterates (a click on the 1-D plot sets it). w₀ = 1 is the pole; w₀ > 1 \
             is an unstable fixed point.",
        ),
        w1: f64 = ParamSpec::real("2-D start w1", -3.0, 3.0, 0.8, 0.01)
            .help("Start of the 2-D trajectories, first coordinate (a click on the 2-D slice sets it)."),
        w2: f64 = ParamSpec::real("2-D start w2", -3.0, 3.0, 0.8, 0.01)
            .help("Start of the 2-D trajectories, second coordinate (a click on the 2-D slice sets it)."),
        t1: f64 = ParamSpec::real("2-D target w1*", -3.0, 3.0, -1.5, 0.01)
            .help("Target of the 2-D slice: J = σx²‖A(w1, w2) − A(w1*, w2*)‖², first coordinate."),
        t2: f64 = ParamSpec::real("2-D target w2*", -3.0, 3.0, 1.2, 0.01)
            .help("Target of the 2-D slice, second coordinate. A target on w1*·w2* = 1 has no fixed point."),
        grid: usize = ParamSpec::int("plane grid", 21, 201, 81).help(
            "Points per side of the random-plane heat map (each point costs one LU solve of the N-D network).",
        ),

    }
}

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
        id: "nd-paper-200",
        label: "N-D: the paper's task at its own size (N = 200, m = 100)",
        link: "mode=linear&n=200&m=100&sx=0.1&teacher=0.5&noise=0.01&init=0.75&eta1=1&eta2=3&eta3=3&iters=500",
        note: "Paper Fig. LinearNDdW123 at N = 200, m = 100: rules 2 and 3 pass 1e-3 and then 1e-6 within a few \
               hundred iterations while Euclidean GD stalls orders of magnitude above. One iteration is a few ms \
               here, so the three rules train side by side in three workers.",
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

/// Every view, in page order.
pub const VIEWS: &[ViewDef<FixedPointsLab>] = &[
    ViewDef::new(
        "oned",
        "One neuron: J(w) and its pole",
        "The loss of a single linear neuron against its weight w, on a log scale: a pole at w = 1 \
                  (no fixed point) and a flat plateau for w → −∞. The dots are the three rules' iterates \
                  from w₀ (click to move it): near the pole the Euclidean step is huge and throws GD onto \
                  the plateau, while the re-parameterised rules step in a = 1/(1 − w) and converge.",
        v::oned_chart,
        v::oned_table,
    )
    .animated()
    .click(
        v::oned_click,
        Launch {
            labels: ("w₀", ""),
            start: (0.9, 0.0),
            prompt: "Start at",
            button: "Launch",
        },
    )
    .point(v::oned_point),
    ViewDef::new(
        "slice",
        "Two neurons: the loss on an exact 2-D slice",
        "log₁₀ J over W = [[0, w1], [w2, 0]] with the singular hyperbola w1·w2 = 1 (dashed; the \
                  stable band lies between its branches). Click to start the three trajectories there: \
                  GD with a large η jumps across the hyperbola and stalls on the plateau, the \
                  re-parameterised rules walk almost straight to the target (×).",
        v::slice_chart,
        v::slice_table,
    )
    .shows(&["slice"])
    .animated()
    .click(
        v::slice_click,
        Launch {
            labels: ("w1", "w2"),
            start: (0.8, 0.8),
            prompt: "Start at",
            button: "Launch",
        },
    )
    .point(v::slice_point),
    ViewDef::new(
        "curves",
        "N-D teacher task: learning curves",
        "Loss J(W) of the three rules against iteration on a log scale, all from the same W₀. \
                  Compare each rule at its own best η: the learning rates of the two families are on \
                  different scales.",
        nd::curves_chart,
        nd::curves_table,
    )
    .shows(&["train"]),
    ViewDef::new(
        "angle",
        "Angle between each update and the Euclidean gradient",
        "The angle between a rule's update ΔW and −∇_W J at the rule's own W (0° for GD). The \
                  re-parameterised updates point 70–85° away from the gradient yet still descend; rules \
                  2 and 3 nearly coincide.",
        nd::angle_chart,
        nd::angle_table,
    )
    .shows(&["train"]),
    ViewDef::new(
        "spectrum",
        "Distance of W's spectrum from the singular set",
        "min |1 − λ| over the eigenvalues λ of W (tanh: of G·W at the fixed points): where it \
                  reaches 0, I − W is singular, the fixed point is lost and the loss has a pole. Small \
                  values mean GD steps are about to blow up.",
        nd::spectrum_chart,
        nd::spectrum_table,
    )
    .shows(&["train"]),
    ViewDef::new(
        "line",
        "Loss along random lines through a zero-loss W",
        "J(W₀ + t·W_k) for three random directions W_k (linear network, log scale): near t = 0 \
                  the loss is ≈ 0; outside the stable segment (dashed: where trace 1 loses stability) it \
                  spikes at poles (dotted: the poles of trace 1), where W crosses det(I − W) = 0.",
        sv::line_chart,
        sv::line_table,
    )
    .shows(&["surface", "line"]),
    ViewDef::new(
        "plane",
        "Loss on a random plane through a zero-loss W",
        "log₁₀ J(W₀ + t₁W₁ + t₂W₂) for the linear network: a dark stable disc (dashed circle: \
                  circular-law estimate) inside a web of bright filaments, the singular set \
                  det(I − W) = 0 (white: where det(I − W) changes sign between cells).",
        sv::plane_chart,
        sv::plane_table,
    )
    .shows(&["surface", "plane"]),
];

pub static INFO: LabInfo = LabInfo {
    id: "fixed_points",
    title: "Learning fixed points: Euclidean vs re-parameterised rules",
    short: "Fixed points",
    hero: "curves",
    key: &["mode", "n", "iters"],
    cite: "Zhu & Rosenbaum, Learning fixed points of recurrent neural networks by reparameterizing the network model, Neural Computation 2024, arXiv:2307.06732",
    specs: SPECS,
    presets: PRESETS,
    views: view_list::<FixedPointsLab>,
    build: build::<FixedPointsLab>,
    kernels: super::experiments::kernels,
};
