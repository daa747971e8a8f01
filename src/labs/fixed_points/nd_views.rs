//! The fixed-point lab's N-D task views: learning curves, update angles, spectra.

use super::experiments::FixedPointsLab;
use super::rules::{Mode, TrainView};
use super::views::{fmt_eta, rule_color, rule_name, rule_stroke, stop_iter, stop_short};
use crate::lab::Table;
use crate::plot::{Chart, Layer, Marker, Shape};

/// The N-D message when there is nothing to draw, if any.
pub fn nd_message(lab: &FixedPointsLab) -> Option<String> {
    if let Some(e) = &lab.task_error {
        return Some(format!("No task: {e}."));
    }
    if lab.trainers().all(|t| t.losses.is_empty()) {
        lab.trainers()
            .find_map(|t| t.stop.as_ref())
            .map(stop_short)
            .or_else(|| Some("computing…".into()))
    } else {
        None
    }
}

pub fn curves_chart(lab: &FixedPointsLab) -> Chart {
    let net = if lab.task_spec.mode == Mode::Tanh {
        "tanh"
    } else {
        "linear"
    };
    let mut c = Chart::new(
        format!(
            "N-D teacher task ({net}, N = {}, m = {}): loss",
            lab.task_spec.n, lab.task_spec.m
        ),
        "iteration",
        "J(W)",
    )
    .x_range(0.0, lab.s.iters as f64)
    .log_y();
    let mut marks = Vec::new();
    for t in lab.trainers() {
        let pts: Vec<(f64, f64)> = t
            .losses
            .iter()
            .enumerate()
            .filter(|(_, j)| j.is_finite() && **j > 0.0)
            .map(|(k, &j)| (k as f64, j))
            .collect();
        let label = format!(
            "{} η={}",
            rule_name(t.rule, lab.task_spec.mode),
            fmt_eta(lab.etas[t.rule.index()])
        );
        if let (Some(s), Some(&last)) = (&t.stop, pts.last()) {
            marks.push(Marker {
                x: last.0,
                y: last.1,
                color: rule_color(t.rule),
                shape: Shape::Cross,
                size: 7.0,
                label: Some(format!("stopped at {}", stop_iter(s))),
            });
        }
        c.push_pieces(&pts, rule_color(t.rule), 2.0, rule_stroke(t.rule), &label);
    }
    c = c.fit_y();
    if !marks.is_empty() {
        c.push(Layer::Markers(marks));
    }
    c.message = nd_message(lab);
    c
}

pub fn angle_chart(lab: &FixedPointsLab) -> Chart {
    let mut c = Chart::new(
        "Angle between each rule's update and −∇_W J",
        "iteration",
        "angle (degrees)",
    )
    .x_range(0.0, lab.s.iters as f64)
    .y_range(0.0, 90.0);
    for t in lab.trainers() {
        let pts: Vec<(f64, f64)> = t
            .checks
            .iter()
            .filter(|ch| ch.angle.is_finite())
            .map(|ch| (ch.iter as f64, ch.angle))
            .collect();
        c.push_pieces(
            &pts,
            rule_color(t.rule),
            2.0,
            rule_stroke(t.rule),
            rule_name(t.rule, lab.task_spec.mode),
        );
    }
    c.message = nd_message(lab);
    c
}

pub fn spectrum_chart(lab: &FixedPointsLab) -> Chart {
    let what = if lab.task_spec.mode == Mode::Tanh {
        "min |1 − λ(G·W)|"
    } else {
        "min |1 − λ(W)|"
    };
    let mut c = Chart::new(
        "Distance of the spectrum from the singular set",
        "iteration",
        what,
    )
    .x_range(0.0, lab.s.iters as f64)
    .log_y();
    for t in lab.trainers() {
        let pts: Vec<(f64, f64)> = t
            .checks
            .iter()
            .filter(|ch| ch.sing_dist.is_finite() && ch.sing_dist > 0.0)
            .map(|ch| (ch.iter as f64, ch.sing_dist))
            .collect();
        c.push_pieces(
            &pts,
            rule_color(t.rule),
            2.0,
            rule_stroke(t.rule),
            rule_name(t.rule, lab.task_spec.mode),
        );
    }
    c = c.fit_y();
    c.message = nd_message(lab);
    c
}

/// J of each rule per iteration.
pub fn curves_table(lab: &FixedPointsLab) -> Table {
    let get = |v: &[f64], k: usize| v.get(k).copied().unwrap_or(f64::NAN);
    let mut t = Table::new(&["iteration", "J_euclidean", "J_reparam", "J_linearized"]);
    let n = lab.trainers().map(|t| t.losses.len()).max().unwrap_or(0);
    for k in 0..n {
        let mut r = crate::row![k];
        for tr in &lab.train {
            r.push(tr.as_ref().map_or(f64::NAN, |tr| get(&tr.losses, k)).into());
        }
        t.push(r);
    }
    t
}

/// The checkpoint iterations of any rule, in order.
fn check_iters(lab: &FixedPointsLab) -> Vec<usize> {
    let mut iters: Vec<usize> = lab
        .trainers()
        .flat_map(|t| t.checks.iter().map(|c| c.iter))
        .collect();
    iters.sort_unstable();
    iters.dedup();
    iters
}

fn check_at(tr: &Option<TrainView>, k: usize) -> Option<super::rules::Check> {
    tr.as_ref()
        .and_then(|t| t.checks.iter().find(|c| c.iter == k).copied())
}

/// The angle of each rule's update at its checkpoints.
pub fn angle_table(lab: &FixedPointsLab) -> Table {
    let mut t = Table::new(&[
        "iteration",
        "angle_euclidean_deg",
        "angle_reparam_deg",
        "angle_linearized_deg",
    ]);
    for k in check_iters(lab) {
        let mut r = crate::row![k];
        r.extend(
            lab.train
                .iter()
                .map(|tr| check_at(tr, k).map_or(f64::NAN, |c| c.angle).into()),
        );
        t.push(r);
    }
    t
}

/// The spectrum's distance from the singular set and its largest real part, per rule.
pub fn spectrum_table(lab: &FixedPointsLab) -> Table {
    let mut t = Table::new(&[
        "iteration",
        "dist_euclidean",
        "dist_reparam",
        "dist_linearized",
        "maxre_euclidean",
        "maxre_reparam",
        "maxre_linearized",
    ]);
    for k in check_iters(lab) {
        let mut r = crate::row![k];
        r.extend(
            lab.train
                .iter()
                .map(|tr| check_at(tr, k).map_or(f64::NAN, |c| c.sing_dist).into()),
        );
        r.extend(
            lab.train
                .iter()
                .map(|tr| check_at(tr, k).map_or(f64::NAN, |c| c.max_re).into()),
        );
        t.push(r);
    }
    t
}
