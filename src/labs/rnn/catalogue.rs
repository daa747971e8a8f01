//! The RNN lab's catalogue: its parameters, presets and views, each declared once.

use super::experiments::RnnLab;
use super::lyapunov::Where;
use super::tasks::Task;
use super::train::{FlossMode, Rule};
use super::{sweep_views as sv, views as v};
use crate::lab::{build, view_list, LabInfo, Preset, ViewDef};
use crate::params::ParamSpec;
use crate::{choice, choice_enum, settings};

choice_enum! {
    /// Which flossing gradient (the `fgrad` parameter).
    pub enum FlossChoice {
        /// Exact for BPTT, local for the local rules.
        Auto = "auto",
        /// The three-factor rule with the e-prop truncation (inferred).
        Local = "local",
        /// Backpropagation through the tangent dynamics and its normalisations (Engelken).
        Exact = "exact",
    }
}

choice_enum! {
    /// Which sweeps over g run (the `sweep` parameter).
    pub enum SweepKind {
        /// The chosen rule with and without flossing.
        Rule = "rule",
        /// Every rule with and without flossing.
        All = "all",
        Off = "off",
    }
}

settings! {
    /// The RNN lab's parameters (keys are the field names).
    pub struct Settings in SPECS {
        n: usize = ParamSpec::int("neurons N", 16, 256, 64)
            .help("Number of recurrent units. Cost grows as N²; above 128 a training iteration takes tens of ms."),
        alpha: f64 = ParamSpec::real("leak α = Δt/τ", 0.05, 1.0, 0.2, 0.01)
            .help("Fraction of the new input taken each step: a_t = (1−α)a_{t−1} + α(W h_{t−1} + W_in x_t + b)."),
        g: f64 = ParamSpec::real("initial gain g", 0.3, 2.5, 1.2, 0.05)
            .help("Initial recurrent weights W ~ g·N(0, 1/N). Below 1 the untrained network is contracting; the paper's point is that small g hinders local learning rules."),
        sigma: f64 = ParamSpec::real("noise σ", 0.0, 0.5, 0.1, 0.01)
            .help("Noise σ√α ξ added to a at every step (training, test and task-trial Lyapunov runs)."),
        task: Task = choice!("task", Task::Recall)
            .help("recall: remember the sign of a 3-step cue and report it in the last 10 steps. pattern: after a start pulse, produce sin(2πt/100) + ½sin(4πt/100) + ¼sin(8πt/100)."),
        t: usize = ParamSpec::int("trial length T", 20, 200, 80)
            .unit("steps")
            .help("Steps per trial. Longer recall trials mean a longer delay to bridge."),
        rule: Rule = choice!("learning rule", Rule::EpropSym)
            .help("bptt: exact gradient. eprop_sym: e-prop with the readout weights as feedback. eprop_rand: e-prop with fixed random feedback. rflo: Murray's random-feedback local online rule."),
        lr: f64 = ParamSpec::log_real("Adam learning rate", 1e-4, 3e-2, 3e-3)
            .help("Adam step size (gradient norm clipped at 1)."),
        batch: usize = ParamSpec::int("batch size", 1, 64, 16).help("Trials per training iteration."),
        iters: usize = ParamSpec::int("iterations", 0, 3000, 300)
            .help("Training iterations of the main run (flossing-only iterations come on top)."),
        tests: usize = ParamSpec::int("test trials", 16, 512, 64)
            .help("Fixed test trials scored every 10 iterations and at the end (the note's full protocol: 256)."),
        reps: usize = ParamSpec::int("replicate seeds", 0, 16, 0)
            .help("Extra runs of the main configuration at seeds derived from the link's seed, for the per-seed view (0: off)."),
        floss: bool = ParamSpec::flag("gradient flossing", false)
            .help("Add the flossing loss β(λ_max − λ*)² to training, which pushes the largest Lyapunov exponent towards λ*."),
        beta: f64 = ParamSpec::log_real("flossing strength β", 0.01, 10.0, 1.0)
            .help("Weight of the flossing loss."),
        target: f64 = ParamSpec::real("target λ*", -0.2, 0.1, 0.0, 0.005)
            .unit("1/step")
            .help("Exponent the flossing loss pulls λ_max towards (0 = edge of stability)."),
        fmode: FlossMode = choice!("flossing schedule", FlossMode::During)
            .help("during: flossing gradient added on every training iteration (the note's prototype). before: flossing-only iterations before training (Engelken's pre-flossing). intermittent: pre-flossing plus two flossing-only phases during training."),
        fgrad: FlossChoice = choice!("flossing gradient", FlossChoice::Auto)
            .help("local: the three-factor rule with the e-prop truncation (inferred). exact: backpropagation through the tangent dynamics and its normalisations (Engelken). auto: exact for BPTT, local for the local rules."),
        fpre: usize = ParamSpec::int("flossing-only iterations", 0, 1000, 100)
            .help("Length of the pre-flossing phase (before / intermittent); intermittent phases are half as long."),
        fbelow: bool = ParamSpec::flag("floss only below λ*", false)
            .help("Apply flossing only while λ_max < λ*, so networks that are already at or above the target are left alone."),
        lmode: Where = choice!("Lyapunov measured", Where::Task)
            .help("task: along 8 noisy test trials (first 10 steps dropped), as in the note's prototype. auto: the autonomous noise-free network from a random state, 200 transient + 500 steps."),
        k: usize = ParamSpec::int("exponents k", 1, 64, 8)
            .help("Number of Lyapunov exponents in the spectrum view (QR method; at most N)."),
        sweep: SweepKind = choice!("sweeps over g", SweepKind::Rule)
            .help("rule: the chosen rule with and without flossing at 6 gains (12 runs). all: every rule with and without flossing (48 runs, about four times longer). off: no sweep."),
        siters: usize = ParamSpec::int("sweep iterations", 0, 1000, 150)
            .help("Training iterations of each sweep run (0: only λ_max before training)."),
    }
}

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
        id: "protocol",
        label: "full protocol, flossing, 5 seeds",
        link: "rule=eprop_sym&g=0.5&floss=1&batch=32&iters=500&tests=256&reps=4&sweep=off",
        note: "The note's full training protocol (batch 32, 500 iterations, tested on 256 trials) for e-prop with local flossing from g = 0.5, on the link's seed and 4 derived seeds: the per-seed view shows which seeds flossing rescued and which stayed contracting (λ_max after below −0.02), not only the mean. Here: all 5 seeds solved, λ_max lifted from −0.11…−0.12 to −0.078…−0.003, and one seed (1149083873) solved but stayed contracting at −0.078; with flossing off only 1 of the 5 solves and every seed ends at −0.09…−0.14 (with 6 replicates: 7 of 7 against 1 of 7).",
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

/// Every view, in page order.
pub const VIEWS: &[ViewDef<RnnLab>] = &[
    ViewDef::new(
        "loss",
        "Training loss",
        "Loss on each training batch (thin) and on the fixed test trials ('test trials', 64 by default) every 10 iterations (thick), on a log scale. A recall network that outputs 0 scores 0.5; the pattern task's zero-output loss is about 0.33.",
        v::loss_chart,
        v::loss_table,
    )
    .shows(&["train"])
    .animated(),
    ViewDef::new(
        "accuracy",
        "Test accuracy",
        "Test accuracy every 10 iterations (recall: fraction of the fixed test trials reported with the right sign; pattern: fraction of variance explained, 1 − E/E₀).",
        v::accuracy_chart,
        v::accuracy_table,
    )
    .shows(&["train"])
    .animated(),
    ViewDef::new(
        "lambda",
        "λ_max during training",
        "λ_max per step of the network as it learns, measured every 10 iterations where 'Lyapunov measured' says. With flossing on, the thin line is the flossing pass's own estimate on each training batch, pulled towards λ* (dotted).",
        v::lambda_chart,
        v::lambda_table,
    )
    .shows(&["before", "train"])
    .animated(),
    ViewDef::new(
        "traces",
        "Output and target traces",
        "Output y(t) of four test trials at the current state of training (solid) and their targets (dashed). For recall only the shaded last 10 steps are scored.",
        v::traces_chart,
        v::traces_table,
    )
    .shows(&["train"])
    .animated(),
    ViewDef::new(
        "lyap_g",
        "λ_max before and after training, against g",
        "A sweep over 6 gains (0.5–2, one seed, 'sweep iterations' = 150 by default each) with the chosen rule: λ_max per step of the untrained network, after training, and after training with flossing; dashed: the contracting-regime prediction ln(1 − α(1 − g)). Measured where 'Lyapunov measured' says, with ± one standard error as bars (across the 8 noisy test trials, or by batch means of 10 blocks along the autonomous run; a seed-to-seed spread of the network itself is not in it); at N = 64 the autonomous network is rarely chaotic (see the note).",
        sv::lyap_g_chart,
        sv::lyap_g_table,
    )
    .shows(&["sweep"]),
    ViewDef::new(
        "spectrum",
        "Lyapunov spectrum",
        "The first k exponents of the main network (QR method, per step), before training (grey) and at the end of training (blue). Exponents above 0 expand perturbations; a memory or limit cycle shows exponents near 0.",
        v::spectrum_chart,
        v::spectrum_table,
    )
    .shows(&["before", "train"])
    .animated(),
    ViewDef::new(
        "perf_g",
        "Final performance against g",
        "Test accuracy after each sweep run (6 gains, one seed, 150 iterations by default): the chosen rule (12 runs) or, with 'sweeps over g' = all, every rule (48 runs, about a minute). Solid without, dashed with flossing. One seed per point: change the seed before concluding.",
        sv::perf_g_chart,
        sv::perf_g_table,
    )
    .shows(&["sweep"]),
    ViewDef::new(
        "seeds",
        "Per seed: λ_max and accuracy",
        "The main configuration on the link's seed (first) and on the 'replicate seeds' derived from it: λ_max before (grey, hollow) and after training (filled: solved, accuracy ≥ 0.95; cross: not solved), ± one standard error; the label is the final accuracy. A seed that stays contracting (λ_max after < −0.02) is named in the title, so a mean cannot hide it.",
        sv::seeds_chart,
        sv::seeds_table,
    )
    .shows(&["train", "seeds"]),
];

pub static INFO: LabInfo = LabInfo {
    id: "rnn",
    title: "Initial connectivity, local learning rules and Lyapunov exponents in RNNs",
    short: "RNN",
    hero: "loss",
    key: &["g", "rule", "floss"],
    cite: "Zhang, Liu & Liu, How initial connectivity shapes biologically plausible learning in recurrent neural networks, arXiv:2410.11164; Engelken, Gradient flossing, NeurIPS 2023",
    specs: SPECS,
    presets: PRESETS,
    views: view_list::<RnnLab>,
    build: build::<RnnLab>,
    kernels: super::experiments::kernels,
};
