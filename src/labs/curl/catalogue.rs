//! The curl-descent lab's catalogue: its parameters, presets and views, each declared once.

use super::config::{DataMode, TeacherKind};
use super::experiments::CurlLab;
use super::network::Act;
use super::toy;
use super::views as v;
use crate::lab::{build, view_list, LabInfo, Launch, Preset, ViewDef};
use crate::params::ParamSpec;
use crate::{choice, settings};

/// The toy's click box: twice the portrait window.
pub const TOY_BOX: (f64, f64) = (-2.0 * toy::BOX, 2.0 * toy::BOX);
/// Most toy trajectories kept at once.
pub const MAX_TOY: usize = 8;

settings! {
    /// The curl-descent lab's parameters (keys are the field names).
    pub struct Settings in SPECS {
        m: usize = ParamSpec::int("inputs M", 1, 150, 20).help(
            "Number of input neurons M. With N it sets c = M/N, the architecture variable of the phase diagram (c < 1 expansive, c > 1 compressive).",
        ),
        n: usize = ParamSpec::int("hidden units N", 1, 400, 100)
            .help("Number of hidden units N; the teacher has the same shape. c = M/N."),
        act: Act = choice!("activation φ", Act::Linear).help(
            "Nonlinearity of the hidden layer and of the output unit. The stability theory is for the linear network; tanh shows the saddle-escape speed-up.",
        ),
        nh: usize = ParamSpec::int("flipped inputs n_h", 0, 150, 10).help(
            "The first n_h input neurons flip the sign of the updates of all their outgoing synapses (D1). Fraction α_h = n_h/M: the solutions stay stable below α_h*(c), for any α_h when c < 1/4, and a single flip destabilises them when c > 2/3.",
        ),
        nr: usize = ParamSpec::int("flipped hidden units n_r", 0, 400, 0).help(
            "The first n_r hidden neurons flip the sign of the updates of their readout synapses (D2). Fraction α_r = n_r/N: stable below α_r*(c) ≈ (1 − √c)²/2 for small c = M/N.",
        ),
        eta: f64 = ParamSpec::log_real("learning rate η", 0.001, 10.0, 0.1).help(
            "Learning rate per epoch. Time is t = η·epochs, so an epoch is one Euler step of length η of the flow.",
        ),
        data: DataMode = choice!("data", DataMode::Population).help(
            "population: the exact population loss of the linear network (inputs x ~ N(0, ½I)); full: P training points, full-batch updates; minibatch: P points in minibatches reshuffled every epoch. Nonlinear networks always use training points.",
        ),
        p: usize = ParamSpec::int("training points P", 10, 2000, 300)
            .help("Number of training points (the test set has 200 points)."),
        batch: usize = ParamSpec::int("minibatch size", 1, 2000, 10)
            .help("Points per update in the minibatch mode (the per-step rate is η·batch/P)."),
        r: f64 = ParamSpec::log_real("init scale r", 0.01, 100.0, 2.0).help(
            "Student initial weights W1 ~ U(±r/√M), w2 ~ U(±r/√N). With the norm projection on, r also fixes the layer norms for the whole run.",
        ),
        teacher: TeacherKind = choice!("teacher", TeacherKind::Normalized).help(
            "normalized: W1* ~ N(0, 1/M) rescaled to ‖W1*‖² = N and ‖w2*‖ = 1 (the linear demos); uniform: W1* ~ U(±1/√M), w2* ~ U(±1/√N) (the saddle-escape runs).",
        ),
        teacher_start: bool = ParamSpec::flag("start at the teacher", false).help(
            "Start the student exactly at the teacher (plus 1e-10 noise on w2): a point of the solution manifold, to test its stability.",
        ),
        proj: bool = ParamSpec::flag("norm projection", true).help(
            "After every update rescale each layer back to its initial Frobenius norm, as in the paper's main runs. Off: curl runs can grow or diverge.",
        ),
        horizon: f64 = ParamSpec::log_real("horizon t", 1.0, 5000.0, 300.0)
            .help("Training time t = η·epochs (also the cap of the speed-up ensemble)."),
        toy: Vec<(f64, f64)> = ParamSpec::points("2-D toy starts (w1, w2)", MAX_TOY, TOY_BOX, TOY_BOX, &[(1.8, 0.35), (0.45, 0.9)])
            .help("Starts of the 2-D toy's trajectory pairs (a click on the toy adds one; at most 8, the oldest goes first)."),
    }
}

/// The parameters the training runs read (everything but the toy).
pub const TRAINING: &[&str] = &[
    "m",
    "n",
    "act",
    "nh",
    "nr",
    "eta",
    "data",
    "p",
    "batch",
    "r",
    "teacher",
    "teacher_start",
    "proj",
    "horizon",
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

/// Every view, in page order.
pub const VIEWS: &[ViewDef<CurlLab>] = &[
    ViewDef::new(
        "loss",
        "Loss trajectories",
        "Curl descent (vermilion) and gradient descent (blue) trained from the same initial weights on the same data; solid lines are test error, dashed lines training error, on a log scale. With the population loss both are the exact error.",
        v::loss_chart,
        v::loss_table,
    )
    .shows(&["train"]),
    ViewDef::new(
        "stability",
        "Stability",
        "λ_min(X) of X = W1ᵀD2W1 + ‖w2‖²D1 at the curl-descent weights, and the largest nontrivial Jacobian eigenvalue −σx²λ_min(X) per unit time t = η·epoch, i.e. −ησx²λ_min(X) per epoch (solid: with the norm projection's rank-two correction X_p). A point of the solution manifold is stable when the Jacobian eigenvalue is below 0.",
        v::stability_chart,
        v::stability_table,
    )
    .shows(&["train"]),
    ViewDef::new(
        "spectrum",
        "Spectrum of X now",
        "The M eigenvalues of X at the current weights, sorted; hollow markers are the real parts of the projected matrix X_p used when the norm projection is on. Any eigenvalue below 0 is an unstable direction of the solution manifold.",
        v::spectrum_chart,
        v::spectrum_table,
    )
    .shows(&["train"]),
    ViewDef::new(
        "phase",
        "Phase diagram",
        "Stability of the solution manifold in (c = M/N, α): lines are the asymptotic boundaries α_h*(c) (inputs flipped) and α_r*(c) (hidden units flipped) from the random-matrix equations; grey cells show the share of sampled weight sets at the current N that are unstable, filled in as they are computed. Dots mark the current setting.",
        v::phase_chart,
        v::phase_table,
    )
    .shows(&["curves", "phase"]),
    ViewDef::new(
        "chaos",
        "Chaos diagnostics",
        "The order parameter q = mean Var_t(θ) / Var_i(mean_t θ) over consecutive windows (≈1e-30 at a fixed point, O(1) when the weights wander chaotically) and the curl fraction ‖(I−D)∇L‖/‖∇L‖. The text gives λ₁, the largest Lyapunov exponent of the weight dynamics (two-trajectory Benettin method).",
        v::chaos_chart,
        v::chaos_table,
    )
    .shows(&["train"]),
    ViewDef::new(
        "toy",
        "2-D toy",
        "ŷ = w2·w1·x with target 1: arrows are the flow with the readout weight flipped (circles around a centre); grey curves are gradient descent's hyperbolae through a saddle. The solution hyperbola is stable (green) where |w2| > |w1|. Click to start a pair of trajectories.",
        v::toy_chart,
        v::toy_table,
    )
    .shows(&["toy"])
    .animated()
    .click(
        v::toy_click,
        Launch {
            labels: ("w1", "w2"),
            start: (1.2, -0.6),
            prompt: "Start at",
            button: "Launch",
        },
    )
    .point(v::toy_point),
    ViewDef::new(
        "ensemble",
        "Speed-up ensemble",
        "Epochs until the test error falls below 1e-3 for gradient descent and curl descent over 12 paired seeds (same teacher, data and initial weights per seed), with the medians as lines. Every run goes to the horizon; a cross marks a run that had not reached the threshold by then (censored at the horizon). Use the regime D preset for the note's setting.",
        v::ensemble_chart,
        v::ensemble_table,
    )
    .shows(&["ensemble"]),
];

pub static INFO: LabInfo = LabInfo {
    id: "curl",
    title: "Curl descent: rule-flipped neurons",
    short: "Curl descent",
    hero: "loss",
    key: &["m", "nh", "nr"],
    cite: "Ninou, Kadmon & Cayco-Gajic, Curl Descent: Non-Gradient Learning Dynamics with Sign-Diverse Plasticity, NeurIPS 2025, arXiv:2510.02765",
    specs: SPECS,
    presets: PRESETS,
    views: view_list::<CurlLab>,
    build: build::<CurlLab>,
    kernels: super::experiments::kernels,
};
