//! The fixed-point lab's report, readouts and notices.

use super::experiments::FixedPointsLab;
use super::linear::Rule;
use super::rules::{Mode, TrainView};
use super::surface_views::stable_segment;
use super::views::{rule_name, stop_text};
use crate::lab::face::{json_num as num, num as fmt};
use crate::lab::Readout;
use serde_json::{json, Value as Json};

fn per_rule(f: impl Fn(Rule) -> Json) -> Json {
    json!({
        "euclidean": f(Rule::Euclidean),
        "reparam": f(Rule::Reparam),
        "linearized": f(Rule::Linearized),
    })
}

/// The lab's key numbers.
pub fn report(lab: &FixedPointsLab) -> Json {
    let tr = |r: Rule| lab.train[r.index()].as_ref();
    let min_dist = lab
        .trainers()
        .map(TrainView::min_singular_distance)
        .fold(f64::INFINITY, f64::min);
    let (wstar, jstar) = lab.stats.optimum();
    let slice_final = |r: Rule| {
        let p = &lab.paths2[r.index()];
        json!({
            "loss": num(p.j.last().copied().unwrap_or(f64::NAN)),
            "w1": num(p.points.last().map_or(f64::NAN, |q| q.0)),
            "w2": num(p.points.last().map_or(f64::NAN, |q| q.1)),
            "steps": p.points.len().saturating_sub(1),
            "stopped": p.stopped,
        })
    };
    json!({
        "mode": lab.task_spec.mode.name(),
        "n": lab.task_spec.n,
        "m": lab.task_spec.m,
        "iterations": lab.s.iters,
        "task_error": match &lab.task_error { Some(e) => Json::from(e.clone()), None => Json::Null },
        "initial_loss": num(lab.trainers().next().and_then(|t| t.losses.first().copied()).unwrap_or(f64::NAN)),
        "final_loss": per_rule(|r| num(tr(r).and_then(|t| t.losses.last().copied()).unwrap_or(f64::NAN))),
        "iterations_done": per_rule(|r| json!(tr(r).map_or(0, TrainView::iteration))),
        "min_singular_distance": num(min_dist),
        "min_singular_distance_by_rule": per_rule(|r| num(tr(r).map_or(f64::NAN, TrainView::min_singular_distance))),
        "final_max_real_eigenvalue": per_rule(|r| num(tr(r).map_or(f64::NAN, TrainView::last_max_re))),
        "stopped": per_rule(|r| match tr(r).and_then(|t| t.stop.as_ref()) {
            Some(s) => json!(stop_text(s, rule_name(r, lab.task_spec.mode))),
            None => Json::Null,
        }),
        "oned": {
            "w_star": num(wstar),
            "loss_star": num(jstar),
            "plateau": num(lab.stats.srr),
            "final_w": per_rule(|r| num(lab.paths1[r.index()].w.last().copied().unwrap_or(f64::NAN))),
            "final_loss": per_rule(|r| num(lab.paths1[r.index()].j.last().copied().unwrap_or(f64::NAN))),
            "stopped": per_rule(|r| json!(lab.paths1[r.index()].stopped)),
        },
        "slice": {
            "target_exists": lab.slice.is_some(),
            "plateau": num(lab.slice.map_or(f64::NAN, |s| s.plateau())),
            "final": per_rule(slice_final),
        },
        "line": {
            "poles_in_unit_interval": match lab.poles.iter().cloned().collect::<Option<Vec<Vec<f64>>>>() { Some(p) if lab.surface_ok() => json!(p.iter().map(|v| v.len()).collect::<Vec<_>>()), _ => Json::Null },
            "stable_segment_trace1": match stable_segment(&lab.line_stab).filter(|_| lab.surface_ok() && lab.line_stab.iter().all(|p| !p.1.is_nan())) { Some((a, b)) => json!([a, b]), None => Json::Null },
        },
        "plane": {
            "centre_loss": num(match &lab.surface { Some(Ok(s)) => s.j0, _ => f64::NAN }),
            "cells_done": lab.cells_done,
            "cells": lab.s.grid * lab.s.grid,
        },
    })
}

/// Live readouts.
pub fn readouts(lab: &FixedPointsLab) -> Vec<Readout> {
    let mode = lab.task_spec.mode;
    let mut out = vec![Readout::new(
        "iteration",
        format!(
            "{} / {}",
            lab.trainers().map(TrainView::iteration).max().unwrap_or(0),
            lab.s.iters
        ),
        "Training iterations done in the N-D task.",
    )];
    for t in lab.trainers() {
        out.push(Readout::new(
            format!("J {}", rule_name(t.rule, mode)),
            fmt(t.losses.last().copied().unwrap_or(f64::NAN)),
            format!(
                "Current loss of the {} rule in the N-D task.",
                rule_name(t.rule, mode)
            ),
        ));
    }
    let min_dist = lab
        .trainers()
        .map(TrainView::min_singular_distance)
        .fold(f64::INFINITY, f64::min);
    out.push(Readout::new(
        "min |1 − λ| so far",
        fmt(min_dist),
        "Closest approach of any rule's spectrum to the singular set (0 = no fixed point).",
    ));
    // the value of a trajectory at the step now shown ("–" before its first step)
    let at_shown = |v: &[f64]| match lab.shown.min(v.len()) {
        0 => "—".to_string(),
        k => fmt(v[k - 1]),
    };
    let w1d: Vec<String> = lab.paths1.iter().map(|p| at_shown(&p.w)).collect();
    out.push(Readout::new(
        "1-D w (GD, rule 2, rule 3)",
        w1d.join(", "),
        "The three 1-D iterates now shown; w* is the minimiser.",
    ));
    let j2d: Vec<String> = lab.paths2.iter().map(|p| at_shown(&p.j)).collect();
    out.push(Readout::new(
        "2-D J (GD, rule 2, rule 3)",
        j2d.join(", "),
        "Loss of the three 2-D trajectories at the step now shown.",
    ));
    out
}

/// Conditions the page must show.
pub fn notices(lab: &FixedPointsLab) -> Vec<String> {
    let mut out = Vec::new();
    let w0 = lab.s.w0;
    if lab.paths1.iter().all(|p| p.w.is_empty()) {
        out.push("1-D: w₀ = 1 is the pole, where the fixed point does not exist.".into());
    } else {
        if w0 > 1.0 {
            out.push(format!(
                "1-D: w₀ = {w0} > 1 is an unstable fixed point (the neuron's dynamics run away from it)."
            ));
        }
        for r in Rule::ALL {
            if let Some(s) = &lab.paths1[r.index()].stopped {
                out.push(format!("1-D {}: {s}.", rule_name(r, Mode::Linear)));
            }
        }
    }
    match &lab.slice {
        None => out.push(
            "2-D: the target lies on w1·w2 = 1, where its fixed point does not exist.".into(),
        ),
        Some(_) => {
            let (a, b) = (lab.s.w1, lab.s.w2);
            if (1.0 - a * b).abs() < 1e-12 {
                out.push(
                    "2-D: the start lies on w1·w2 = 1, where the fixed point does not exist."
                        .into(),
                );
            } else if a * b > 1.0 {
                out.push(format!(
                    "2-D: the start has w1·w2 = {} > 1, an unstable fixed point; the re-parameterised \
                     rules restricted to the slice may run off to infinity from there.",
                    fmt(a * b)
                ));
            }
            for r in Rule::ALL {
                if let Some(s) = &lab.paths2[r.index()].stopped {
                    if !lab.paths2[r.index()].points.is_empty() {
                        out.push(format!("2-D {}: {s}.", rule_name(r, Mode::Linear)));
                    }
                }
            }
        }
    }
    if lab.clamped {
        out.push(format!(
            "tanh mode runs at most N = m = {} (each iteration solves m Newton problems).",
            super::experiments::TANH_MAX
        ));
    }
    match &lab.task_error {
        Some(e) => out.push(format!("N-D: {e}.")),
        None => {
            for t in lab.trainers() {
                let name = rule_name(t.rule, lab.task_spec.mode);
                if let Some(s) = &t.stop {
                    out.push(format!("N-D {}.", stop_text(s, name)));
                }
                if let Some(first) = t.checks.first() {
                    if t.rule == Rule::Euclidean && first.max_re >= 1.0 {
                        out.push(format!(
                            "N-D: the start W₀ has max Re λ = {} ≥ 1: its fixed point exists but is unstable.",
                            fmt(first.max_re)
                        ));
                    }
                }
                let last = t.last_max_re();
                if t.stop.is_none() && t.done && last >= 1.0 {
                    out.push(format!(
                        "N-D {name}: ended at an unstable fixed point (max Re λ = {}).",
                        fmt(last)
                    ));
                }
            }
        }
    }
    out
}
