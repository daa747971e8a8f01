//! The RNN lab's report, readouts and notices.

use super::experiments::{place_label, RnnLab, SWEEP_G};
use super::flossing::FlossGrad;
use super::lyapunov::{self, Where};
use super::train::Rule;
use super::views::{main, whole};
use crate::lab::face::{json_num as num, num as fmt};
use crate::lab::Readout;
use serde_json::json;

/// Notes on what is inferred, shown with the lab.
pub const INFERRED_NOTICE: &str = "The paper's body could not be read: model, tasks, the local flossing rule and every number here follow the research note's reconstruction and numpy prototype, not the paper's figures.";

fn sweep_json(lab: &RnnLab) -> serde_json::Value {
    serde_json::Value::Array(
        lab.sweep
            .iter()
            .filter(|s| s.done())
            .map(|s| {
                json!({
                    "g": s.g, "rule": s.rule.name(), "floss": s.floss,
                    "lambda_before": num(s.get(|r| r.lambda_before)),
                    "lambda_after": num(s.get(|r| r.lambda_after)),
                    "lambda_before_se": num(s.get(|r| r.lambda_before_se)),
                    "lambda_after_se": num(s.get(|r| r.lambda_after_se)),
                    "accuracy": num(s.get(|r| r.accuracy)), "loss": num(s.get(|r| r.loss)),
                })
            })
            .collect(),
    )
}

pub fn report(lab: &RnnLab) -> serde_json::Value {
    let c = &lab.cfg;
    let m = whole(lab);
    let empty = Vec::new();
    let before = lab.before.as_ref();
    json!({
        "rule": c.rule.name(),
        "task": c.task.name(),
        "g": c.g,
        "n": c.n,
        "lyapunov_where": place_label(c.place),
        "lyapunov_before": num(lab.lambda_before()),
        "lyapunov_after": num(lab.lambda_after()),
        "lyapunov_before_se": num(lab.lambda_se().0),
        "lyapunov_after_se": num(lab.lambda_se().1),
        "lyapunov_linear_prediction": num(before.map_or(f64::NAN, |b| b.linear)),
        "lyapunov_mean_field": num(if c.g < 1.0 { lyapunov::mean_field(c.g, c.alpha) } else { f64::NAN }),
        "spectrum_before": before.map_or(&empty, |b| &b.spectrum).iter().map(|v| num(*v)).collect::<Vec<_>>(),
        "spectrum_after": m.spectrum_after.iter().map(|v| num(*v)).collect::<Vec<_>>(),
        "iterations": m.iter,
        "final_loss": num(m.test_loss),
        "accuracy": num(m.test_acc),
        "initial_loss": num(m.initial.0),
        "initial_accuracy": num(m.initial.1),
        "weight_change": num(m.weight_change),
        "diverged": m.diverged,
        "flossing": {
            "on": c.floss,
            "beta": c.beta,
            "target": c.target,
            "schedule": c.fmode.name(),
            "gradient": if c.fgrad == FlossGrad::Exact { "exact" } else { "local" },
            "exponents_flossed": 1,
        },
        "sweep_gains": SWEEP_G.to_vec(),
        "sweep_iterations": lab.s.siters,
        "sweep": sweep_json(lab),
        "test_trials": c.test_trials,
        "replicates": super::sweep_views::replicates(lab).iter().map(|r| json!({
            "seed": r.seed,
            "lambda_before": num(r.res.lambda_before),
            "lambda_after": num(r.res.lambda_after),
            "lambda_after_se": num(r.res.lambda_after_se),
            "accuracy": num(r.res.accuracy),
            "solved": r.solved(),
            "contracting": r.contracting(),
        })).collect::<Vec<_>>(),
        "inferred": INFERRED_NOTICE,
    })
}

/// "mean ± SE" with the standard error to 2 significant digits (the mean alone if SE is NaN).
pub fn with_se(mean: f64, se: f64) -> String {
    if se.is_finite() && mean.is_finite() {
        format!("{} ± {}", fmt(mean), crate::lab::face::num_sig(se, 2))
    } else {
        fmt(mean)
    }
}

/// What the standard error of λ_max is taken over.
fn se_basis(lab: &RnnLab) -> String {
    match lab.cfg.place {
        Where::Task => format!("across the {} noisy test trials", lyapunov::TASK_TRIALS),
        Where::Auto => format!(
            "batch means of {} blocks of {} steps",
            lyapunov::AUTO_STEPS / lyapunov::SE_BLOCK,
            lyapunov::SE_BLOCK
        ),
    }
}

pub fn readouts(lab: &RnnLab) -> Vec<Readout> {
    let m = main(lab);
    let now = m
        .history
        .iter()
        .rev()
        .find(|p| p.lambda_eval.is_finite())
        .map_or(lab.lambda_before(), |p| p.lambda_eval);
    vec![
        Readout::new(
            "iteration",
            format!("{}/{}", m.iter, lab.cfg.iters),
            "Task training iterations done.",
        ),
        Readout::new(
            "test loss",
            fmt(m.test_loss),
            format!("Loss on the {} fixed test trials.", lab.cfg.test_trials),
        ),
        Readout::new(
            "test accuracy",
            fmt(m.test_acc),
            "Recall: fraction right; pattern: variance explained.",
        ),
        Readout::new(
            "λ_max before",
            with_se(lab.lambda_before(), lab.lambda_se().0),
            format!("Largest Lyapunov exponent of the untrained network, per step, ± its standard error ({}).", se_basis(lab)),
        ),
        Readout::new(
            "λ_max after",
            with_se(lab.lambda_after(), lab.lambda_se().1),
            format!("Largest Lyapunov exponent after training, per step, ± its standard error ({}).", se_basis(lab)),
        ),
        Readout::new(
            "λ_max now",
            fmt(now),
            "Largest Lyapunov exponent at the latest evaluation, per step.",
        ),
        Readout::new(
            "‖ΔW‖/√N",
            fmt(m.weight_change),
            "How far training moved the recurrent weights.",
        ),
    ]
}

pub fn notices(lab: &RnnLab) -> Vec<String> {
    let mut v = vec![INFERRED_NOTICE.to_string()];
    if lab.main.as_ref().is_some_and(|m| m.diverged) {
        v.push(
            "The training run diverged (NaN or a loss above 10⁶); lower the learning rate.".into(),
        );
    }
    if lab.cfg.floss && lab.cfg.rule != Rule::Bptt {
        v.push("The local flossing rule is the note's reconstruction [INFERRED] of the paper's 'biologically plausible' flossing.".into());
    }
    if lab.cfg.place == Where::Auto && lab.cfg.n <= 128 {
        v.push("At N ≤ 128 the autonomous network settles on a fixed point or a limit cycle for most seeds even at g > 1 (λ_max ≤ 0); chaos appears from N ≈ 256.".into());
    }
    if lab.cfg.n > 128 {
        v.push("N > 128: each training iteration takes tens of milliseconds.".into());
    }
    v
}
