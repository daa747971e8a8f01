//! The lab's face: charts, CSV, report, readouts and notices of every view, read from the
//! state of [`FixedPointsLab`]. Nothing here computes science beyond evaluating J for a curve.

use super::linear::Rule;
use super::rules::{Mode, Stop, Trainer};
use super::{slice, surface, FixedPointsLab, SLICE_GRID, SLICE_WINDOW};
use crate::plot::{palette, Chart, ColorMap, Fill, Heatmap, Layer, Marker, Rgb, Shape, Stroke};
use serde_json::{json, Value as Json};

/// Display colour of each rule.
pub fn rule_color(r: Rule) -> Rgb {
    match r {
        Rule::Euclidean => palette::VERMILION,
        Rule::Reparam => palette::BLUE,
        Rule::Linearized => palette::SKY,
    }
}

/// Display name of each rule (rule 2's slot holds dW4 in tanh mode).
pub fn rule_name(r: Rule, mode: Mode) -> &'static str {
    match (r, mode) {
        (Rule::Euclidean, _) => "Euclidean GD",
        (Rule::Reparam, Mode::Linear) => "re-parameterised",
        (Rule::Reparam, Mode::Tanh) => "re-param. (dW4)",
        (Rule::Linearized, Mode::Linear) => "linearised",
        (Rule::Linearized, Mode::Tanh) => "linearised (dW3)",
    }
}

fn rule_stroke(r: Rule) -> Stroke {
    if r == Rule::Linearized {
        Stroke::Dashed
    } else {
        Stroke::Solid
    }
}

/// Colour range of the 2-D heat map: `log10 J` over `[log10 σx² − 3, log10 σx² + 2.5]` (the
/// note's [−3, 2.5] for its loss without the σx² factor).
pub fn slice_color_range(s: &slice::Slice) -> (f64, f64) {
    let c = s.s2.max(1e-300).log10();
    (c - 3.0, c + 2.5)
}

/// Colour range of the plane: `log10 J` from 4 decades below to 3.5 above the plateau `(1/m)‖R̂‖²`.
pub fn plane_color_range(s: &surface::Surface) -> (f64, f64) {
    let c = s.plateau.max(1e-300).log10();
    (c - 4.0, c + 3.5)
}

/// Adds a polyline as one layer per finite piece (no NaN reaches the chart): the first piece
/// carries the legend label.
fn push_pieces(
    chart: &mut Chart,
    points: &[(f64, f64)],
    color: Rgb,
    width: f64,
    stroke: Stroke,
    label: &str,
) {
    let mut first = true;
    let mut piece: Vec<(f64, f64)> = Vec::new();
    let flush = |piece: &mut Vec<(f64, f64)>, chart: &mut Chart, first: &mut bool| {
        if !piece.is_empty() {
            chart.push(Layer::Line {
                points: std::mem::take(piece),
                color,
                width,
                stroke,
                label: (*first && !label.is_empty()).then(|| label.to_string()),
            });
            *first = false;
        }
    };
    for &(x, y) in points {
        if x.is_finite() && y.is_finite() {
            piece.push((x, y));
        } else {
            flush(&mut piece, chart, &mut first);
        }
    }
    flush(&mut piece, chart, &mut first);
}

/// Clips the segment a→b to the box `[lo, hi]²` (Liang–Barsky); None if it misses the box.
fn clip(a: (f64, f64), b: (f64, f64), lo: f64, hi: f64) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - lo),
        (dx, hi - a.0),
        (-dy, a.1 - lo),
        (dy, hi - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    (t0 <= t1).then_some((
        (a.0 + t0 * dx, a.1 + t0 * dy),
        (a.0 + t1 * dx, a.1 + t1 * dy),
    ))
}

/// A path clipped to the window, as pieces separated by NaN (split by [`push_pieces`]).
fn clipped_path(points: &[(f64, f64)], lo: f64, hi: f64) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for w in points.windows(2) {
        if let Some((a, b)) = clip(w[0], w[1], lo, hi) {
            let continues = out.last().is_some_and(|&l| l == a);
            if !continues {
                if !out.is_empty() {
                    out.push((f64::NAN, f64::NAN));
                }
                out.push(a);
            }
            out.push(b);
        }
    }
    out
}

fn fmt(v: f64) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "–".into()
        } else {
            "∞".into()
        };
    }
    let a = v.abs();
    if a != 0.0 && !(1e-3..1e4).contains(&a) {
        format!("{v:.3e}")
    } else {
        format!("{v:.4}")
    }
}

/// A learning rate as typed (shortest exact decimal: 3, 0.03, 1e-4).
fn fmt_eta(v: f64) -> String {
    format!("{v}")
}

fn num(v: f64) -> Json {
    if v.is_finite() {
        json!(v)
    } else {
        Json::Null
    }
}

/// The chart of `view`.
pub fn chart(lab: &FixedPointsLab, view: &str) -> Option<Chart> {
    Some(match view {
        "oned" => chart_oned(lab),
        "slice" => chart_slice(lab),
        "curves" => chart_curves(lab),
        "angle" => chart_angle(lab),
        "spectrum" => chart_spectrum(lab),
        "line" => chart_line(lab),
        "plane" => chart_plane(lab),
        _ => return None,
    })
}

fn oned_range(lab: &FixedPointsLab) -> (f64, f64) {
    let (_, jstar) = lab.stats.optimum();
    let lo = (jstar * 0.5).max(lab.stats.srr * 1e-6);
    (lo, lab.stats.srr * 1e3)
}

fn chart_oned(lab: &FixedPointsLab) -> Chart {
    let s = &lab.stats;
    let (lo, hi) = oned_range(lab);
    let (xa, xb) = (-4.0, 3.0);
    let mut c = Chart::new(
        "One neuron: J(w) = a²Sxx − 2aSrx + Srr, a = 1/(1 − w)",
        "w",
        "J(w)",
    )
    .x_range(xa, xb)
    .y_range(lo, hi)
    .log_y();
    let curve: Vec<(f64, f64)> = (0..=1400)
        .map(|i| xa + (xb - xa) * i as f64 / 1400.0)
        .map(|w| {
            if (w - 1.0).abs() < 2e-3 {
                (f64::NAN, f64::NAN)
            } else {
                (w, s.loss_w(w).clamp(lo, hi))
            }
        })
        .collect();
    push_pieces(&mut c, &curve, palette::GREY, 1.5, Stroke::Solid, "J(w)");
    c.push(Layer::VLine {
        x: 1.0,
        color: palette::BLACK,
        stroke: Stroke::Dashed,
        label: "pole w = 1".into(),
    });
    c.push(Layer::HLine {
        y: s.srr,
        color: palette::GREY,
        stroke: Stroke::Dotted,
        label: "plateau Srr (w → ±∞)".into(),
    });
    let (wstar, jstar) = s.optimum();
    let mut marks = vec![Marker {
        x: wstar,
        y: jstar.max(lo),
        color: palette::BLACK,
        shape: Shape::Cross,
        size: 6.0,
        label: Some("w*".into()),
    }];
    let mut texts = Vec::new();
    for r in Rule::ALL {
        let p = &lab.paths1[r.index()];
        let k = lab.shown.min(p.w.len());
        if k == 0 {
            continue;
        }
        // the trail joins consecutive iterates inside the window; an iterate outside it
        // (GD on the plateau, rule 2 passing through w = ∞) breaks the trail
        let pts: Vec<(f64, f64)> = p.w[..k]
            .iter()
            .zip(&p.j[..k])
            .map(|(&w, &j)| {
                if (xa..=xb).contains(&w) {
                    (w, j.clamp(lo, hi))
                } else {
                    (f64::NAN, f64::NAN)
                }
            })
            .collect();
        let label = format!(
            "{} η={}",
            rule_name(r, Mode::Linear),
            fmt_eta(lab.etas[r.index()])
        );
        push_pieces(&mut c, &pts, rule_color(r), 1.2, rule_stroke(r), &label);
        let (w, j) = (p.w[k - 1], p.j[k - 1]);
        let (x, y) = (w.clamp(xa, xb), j.clamp(lo, hi));
        marks.push(Marker {
            x,
            y,
            color: rule_color(r),
            shape: Shape::Filled,
            size: 6.0,
            label: None,
        });
        if !(xa..=xb).contains(&w) {
            // say where it is, inside the plot
            let inward = if w > xb { -0.8 } else { 0.8 };
            texts.push(Layer::Text {
                x: x + inward,
                // one row per rule, half-way up the (log) axis, so the labels never overlap
                y: lo * (hi / lo).powf(0.62 - 0.07 * r.index() as f64),
                text: if w > xb {
                    format!("w = {} →", fmt(w))
                } else {
                    format!("← w = {}", fmt(w))
                },
                color: rule_color(r),
            });
        }
    }
    c.push(Layer::Markers(marks));
    for t in texts {
        c.push(t);
    }
    if lab.paths1.iter().all(|p| p.w.is_empty()) {
        c.message = lab.paths1[0].stopped.clone();
    }
    c
}

fn chart_slice(lab: &FixedPointsLab) -> Chart {
    let (a, b) = SLICE_WINDOW;
    let mut c = Chart::new("2-D slice W = [[0, w1], [w2, 0]]: log₁₀ J", "w1", "w2")
        .x_range(a, b)
        .y_range(a, b);
    c.equal_aspect = true;
    let Some(s) = &lab.slice else {
        c.message = Some("The target lies on w1·w2 = 1: its fixed point does not exist.".into());
        return c;
    };
    let (lo, hi) = slice_color_range(s);
    match &lab.heat {
        Some(v) if v.len() == SLICE_GRID * SLICE_GRID => c.push(Layer::Heatmap(Heatmap {
            nx: SLICE_GRID,
            ny: SLICE_GRID,
            x_range: (a, b),
            y_range: (a, b),
            values: v.clone(),
            fill: Fill::Scalar {
                map: ColorMap::Viridis,
                vmin: lo,
                vmax: hi,
            },
            alpha: 255,
        })),
        _ => c.message = Some("computing…".into()),
    }
    for sign in [1.0, -1.0] {
        let pts: Vec<(f64, f64)> = (0..=200)
            .map(|i| {
                let w1 = sign * (1.0 / b + (b - 1.0 / b) * i as f64 / 200.0);
                (w1, 1.0 / w1)
            })
            .collect();
        let label = if sign > 0.0 {
            "w1·w2 = 1 (singular)"
        } else {
            ""
        };
        push_pieces(&mut c, &pts, palette::WHITE, 1.5, Stroke::Dashed, label);
    }
    let mut marks = vec![
        Marker {
            x: s.target.0,
            y: s.target.1,
            color: palette::WHITE,
            shape: Shape::Cross,
            size: 7.0,
            label: Some("target".into()),
        },
        Marker {
            x: lab.p.real("w1"),
            y: lab.p.real("w2"),
            color: palette::BLACK,
            shape: Shape::Hollow,
            size: 5.0,
            label: Some("start".into()),
        },
    ];
    let mut texts = Vec::new();
    for r in Rule::ALL {
        let p = &lab.paths2[r.index()];
        let k = lab.shown.min(p.points.len());
        if k == 0 {
            continue;
        }
        let pts = clipped_path(&p.points[..k], a, b);
        let label = format!(
            "{} η={}",
            rule_name(r, Mode::Linear),
            fmt_eta(lab.etas[r.index()])
        );
        let width = if r == Rule::Reparam { 3.0 } else { 2.0 };
        push_pieces(&mut c, &pts, rule_color(r), width, rule_stroke(r), &label);
        let (x, y) = p.points[k - 1];
        let off = !((a..=b).contains(&x) && (a..=b).contains(&y));
        let (cx, cy) = (x.clamp(a, b), y.clamp(a, b));
        marks.push(Marker {
            x: cx,
            y: cy,
            color: rule_color(r),
            shape: Shape::Filled,
            size: 5.0,
            label: None,
        });
        if off {
            // where the iterate is, written just inside the window
            let ix = if cx > 0.0 { -0.9 } else { 0.9 };
            let iy = if cy > 0.0 { -0.25 } else { 0.25 };
            texts.push(Layer::Text {
                x: cx + ix,
                y: cy + iy,
                text: format!("at ({}, {})", fmt(x), fmt(y)),
                color: palette::WHITE,
            });
        }
    }
    c.push(Layer::Markers(marks));
    for t in texts {
        c.push(t);
    }
    if lab.paths2.iter().all(|p| p.points.is_empty()) {
        c.message = Some(
            "The start lies on w1·w2 = 1, where the fixed point does not exist: click elsewhere."
                .into(),
        );
    }
    c
}

/// The N-D message when there is nothing to draw, if any.
fn nd_message(lab: &FixedPointsLab) -> Option<String> {
    match &lab.task {
        None => Some("computing…".into()),
        Some(Err(e)) => Some(format!("No task: {e}.")),
        Some(Ok(_)) => {
            if lab.trainers.iter().all(|t| t.losses.is_empty()) {
                lab.trainers
                    .iter()
                    .find_map(|t| t.stop.as_ref())
                    .map(stop_short)
                    .or_else(|| Some("computing…".into()))
            } else {
                None
            }
        }
    }
}

fn stop_text(s: &Stop, who: &str) -> String {
    match s {
        Stop::Singular(k) => format!(
            "{who}: I − W is singular at iteration {k}, so the fixed point does not exist"
        ),
        Stop::NoConvergence(k) => format!(
            "{who}: Newton's method did not converge at iteration {k} (a tanh fixed point exists, but \
             none was reached: the dynamics oscillate or are chaotic, or the fixed point is on a fold)"
        ),
        Stop::Diverged(k) => format!("{who}: the update or the fixed point overflowed at iteration {k}"),
    }
}

/// A chart-sized version of [`stop_text`] (the notice carries the explanation).
fn stop_short(s: &Stop) -> String {
    match s {
        Stop::Singular(k) => format!("No fixed point: I − W is singular at iteration {k}."),
        Stop::NoConvergence(k) => {
            format!("Newton did not converge at iteration {k} (see the notice).")
        }
        Stop::Diverged(k) => format!("The run overflowed at iteration {k}."),
    }
}

fn stop_iter(s: &Stop) -> usize {
    match s {
        Stop::Singular(k) | Stop::NoConvergence(k) | Stop::Diverged(k) => *k,
    }
}

fn chart_curves(lab: &FixedPointsLab) -> Chart {
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
    .x_range(0.0, lab.iters as f64)
    .log_y();
    let mut marks = Vec::new();
    for t in &lab.trainers {
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
        push_pieces(
            &mut c,
            &pts,
            rule_color(t.rule),
            2.0,
            rule_stroke(t.rule),
            &label,
        );
    }
    c = c.fit_y();
    if !marks.is_empty() {
        c.push(Layer::Markers(marks));
    }
    c.message = nd_message(lab);
    c
}

fn chart_angle(lab: &FixedPointsLab) -> Chart {
    let mut c = Chart::new(
        "Angle between each rule's update and −∇_W J",
        "iteration",
        "angle (degrees)",
    )
    .x_range(0.0, lab.iters as f64)
    .y_range(0.0, 90.0);
    for t in &lab.trainers {
        let pts: Vec<(f64, f64)> = t
            .checks
            .iter()
            .filter(|ch| ch.angle.is_finite())
            .map(|ch| (ch.iter as f64, ch.angle))
            .collect();
        push_pieces(
            &mut c,
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

fn chart_spectrum(lab: &FixedPointsLab) -> Chart {
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
    .x_range(0.0, lab.iters as f64)
    .log_y();
    for t in &lab.trainers {
        let pts: Vec<(f64, f64)> = t
            .checks
            .iter()
            .filter(|ch| ch.sing_dist.is_finite() && ch.sing_dist > 0.0)
            .map(|ch| (ch.iter as f64, ch.sing_dist))
            .collect();
        push_pieces(
            &mut c,
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

/// The stable segment of trace 0 around t = 0: the extent of the run of sampled `t` with
/// `max Re λ < 1` that contains t = 0 (None if W₀ itself is unstable or nothing is computed).
pub fn stable_segment(stab: &[(f64, f64)]) -> Option<(f64, f64)> {
    let i0 = stab
        .iter()
        .enumerate()
        .min_by(|a, b| {
            a.1 .0
                .abs()
                .partial_cmp(&b.1 .0.abs())
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .map(|(i, _)| i)?;
    if stab[i0].1 >= 1.0 || stab[i0].1.is_nan() {
        return None;
    }
    let mut lo = i0;
    while lo > 0 && stab[lo - 1].1 < 1.0 {
        lo -= 1;
    }
    let mut hi = i0;
    while hi + 1 < stab.len() && stab[hi + 1].1 < 1.0 {
        hi += 1;
    }
    Some((stab[lo].0, stab[hi].0))
}

fn chart_line(lab: &FixedPointsLab) -> Chart {
    let mut c = Chart::new(
        "Loss along random lines W₀ + t·W_k (linear network)",
        "t",
        "J(W₀ + t·W_k)",
    )
    .x_range(-1.0, 1.0)
    .log_y();
    let Some(Ok(s)) = &lab.surface else {
        c.message = Some(match &lab.surface {
            Some(Err(e)) => format!("No surface: {e}."),
            _ => "computing… (after the N-D training)".into(),
        });
        return c;
    };
    let (lo, hi) = (s.plateau * 1e-8, s.plateau * 1e4);
    c = c.y_range(lo, hi);
    let colors = [palette::BLACK, palette::GREEN, palette::ORANGE];
    for (k, l) in lab.line.iter().enumerate() {
        let poles = lab.poles.as_ref().and_then(|p| p.get(k));
        let mut pts: Vec<(f64, f64)> = Vec::with_capacity(l.len() + 16);
        let mut pi = 0;
        for (i, &j) in l.iter().enumerate() {
            let t = surface::Surface::line_t(i);
            if let Some(p) = poles {
                // break the line at every pole between the previous sample and this one
                let mut crossed = false;
                while pi < p.len() && p[pi] <= t {
                    pi += 1;
                    crossed = true;
                }
                if crossed && i > 0 {
                    pts.push((f64::NAN, f64::NAN));
                }
            }
            if j.is_finite() {
                pts.push((t, j.clamp(lo, hi)));
            } else {
                pts.push((f64::NAN, f64::NAN));
            }
        }
        let color = colors[k % colors.len()];
        push_pieces(
            &mut c,
            &pts,
            color,
            1.5,
            Stroke::Solid,
            &format!("trace {}", k + 1),
        );
    }
    if let Some(p) = lab.poles.as_ref().and_then(|p| p.first()) {
        for (i, &t) in p.iter().enumerate() {
            c.push(Layer::VLine {
                x: t,
                color: palette::GREY,
                stroke: Stroke::Dotted,
                label: if i == 0 {
                    "poles (trace 1)".into()
                } else {
                    String::new()
                },
            });
        }
    }
    if let Some((a, b)) = stable_segment(&lab.line_stab) {
        for (x, label) in [(a, ""), (b, "stable segment (trace 1)")] {
            c.push(Layer::VLine {
                x,
                color: palette::BLUE,
                stroke: Stroke::Dashed,
                label: label.into(),
            });
        }
    }
    c
}

fn chart_plane(lab: &FixedPointsLab) -> Chart {
    let mut c = Chart::new(
        "Loss on a random plane W₀ + t₁W₁ + t₂W₂: log₁₀ J (linear network)",
        "t₁",
        "t₂",
    )
    .x_range(-1.0, 1.0)
    .y_range(-1.0, 1.0);
    c.equal_aspect = true;
    let Some(Ok(s)) = &lab.surface else {
        c.message = Some(match &lab.surface {
            Some(Err(e)) => format!("No surface: {e}."),
            _ => "computing… (after the N-D training)".into(),
        });
        return c;
    };
    let g = lab.grid;
    let (lo, hi) = plane_color_range(s);
    c.push(Layer::Heatmap(Heatmap {
        nx: g,
        ny: g,
        x_range: (-1.0, 1.0),
        y_range: (-1.0, 1.0),
        values: lab.plane.clone(),
        fill: Fill::Scalar {
            map: ColorMap::Viridis,
            vmin: lo,
            vmax: hi,
        },
        alpha: 255,
    }));
    // The singular set: edges between computed cells where det(I − W) changes sign.
    let d = 2.0 / g as f64;
    let done = lab.plane_next;
    let mut segs = Vec::new();
    for k in 0..done {
        let (i, j) = (k % g, k / g);
        let sk = lab.plane_sign[k];
        let x1 = -1.0 + (i + 1) as f64 * d;
        let y1 = -1.0 + (j + 1) as f64 * d;
        if i + 1 < g && k + 1 < done && sk * lab.plane_sign[k + 1] <= 0.0 {
            segs.push(((x1, y1 - d), (x1, y1), palette::WHITE, 1.0));
        }
        if j + 1 < g && k + g < done && sk * lab.plane_sign[k + g] <= 0.0 {
            segs.push(((x1 - d, y1), (x1, y1), palette::WHITE, 1.0));
        }
    }
    if !segs.is_empty() {
        c.push(Layer::Segments(segs));
    }
    let teacher = lab.task_spec.teacher;
    if teacher < 1.0 {
        let rad = (1.0 - teacher * teacher).sqrt() / surface::DIRECTION_SCALE;
        let circle: Vec<(f64, f64)> = (0..=120)
            .map(|i| {
                let a = std::f64::consts::TAU * i as f64 / 120.0;
                (rad * a.cos(), rad * a.sin())
            })
            .collect();
        push_pieces(
            &mut c,
            &circle,
            palette::ORANGE,
            1.5,
            Stroke::Dashed,
            "stable disc (circular-law estimate)",
        );
    }
    c.push(Layer::Markers(vec![Marker {
        x: 0.0,
        y: 0.0,
        color: palette::WHITE,
        shape: Shape::Cross,
        size: 5.0,
        label: Some("W₀".into()),
    }]));
    c
}

fn csv_rows(header: &str, rows: impl Iterator<Item = Vec<f64>>) -> String {
    let mut s = String::from(header);
    s.push('\n');
    for r in rows {
        let cells: Vec<String> = r
            .iter()
            .map(|v| {
                if v.is_finite() {
                    format!("{v}")
                } else {
                    String::new()
                }
            })
            .collect();
        s.push_str(&cells.join(","));
        s.push('\n');
    }
    s
}

/// The CSV behind `view` (empty cells where a value does not exist).
pub fn csv(lab: &FixedPointsLab, view: &str) -> Option<String> {
    let get = |v: &[f64], k: usize| v.get(k).copied().unwrap_or(f64::NAN);
    Some(match view {
        "oned" => {
            let n = lab.paths1.iter().map(|p| p.w.len()).max().unwrap_or(0);
            csv_rows(
                "step,w_euclidean,J_euclidean,w_reparam,J_reparam,w_linearized,J_linearized",
                (0..n).map(|k| {
                    let mut r = vec![k as f64];
                    for p in &lab.paths1 {
                        r.push(get(&p.w, k));
                        r.push(get(&p.j, k));
                    }
                    r
                }),
            )
        }
        "slice" => {
            let n = lab.paths2.iter().map(|p| p.points.len()).max().unwrap_or(0);
            csv_rows(
                "step,w1_euclidean,w2_euclidean,J_euclidean,w1_reparam,w2_reparam,J_reparam,w1_linearized,w2_linearized,J_linearized",
                (0..n).map(|k| {
                    let mut r = vec![k as f64];
                    for p in &lab.paths2 {
                        let (a, b) = p.points.get(k).copied().unwrap_or((f64::NAN, f64::NAN));
                        r.extend([a, b, get(&p.j, k)]);
                    }
                    r
                }),
            )
        }
        "curves" => {
            let n = lab
                .trainers
                .iter()
                .map(|t| t.losses.len())
                .max()
                .unwrap_or(0);
            csv_rows(
                "iteration,J_euclidean,J_reparam,J_linearized",
                (0..n).map(|k| {
                    let mut r = vec![k as f64];
                    r.extend(lab.trainers.iter().map(|t| get(&t.losses, k)));
                    r
                }),
            )
        }
        "angle" | "spectrum" => {
            let mut iters: Vec<usize> = lab
                .trainers
                .iter()
                .flat_map(|t| t.checks.iter().map(|c| c.iter))
                .collect();
            iters.sort_unstable();
            iters.dedup();
            let header = if view == "angle" {
                "iteration,angle_euclidean_deg,angle_reparam_deg,angle_linearized_deg"
            } else {
                "iteration,dist_euclidean,dist_reparam,dist_linearized,maxre_euclidean,maxre_reparam,maxre_linearized"
            };
            let angle = view == "angle";
            csv_rows(
                header,
                iters.into_iter().map(|k| {
                    let mut r = vec![k as f64];
                    let find = |t: &Trainer| t.checks.iter().find(|c| c.iter == k).copied();
                    if angle {
                        r.extend(
                            lab.trainers
                                .iter()
                                .map(|t| find(t).map_or(f64::NAN, |c| c.angle)),
                        );
                    } else {
                        r.extend(
                            lab.trainers
                                .iter()
                                .map(|t| find(t).map_or(f64::NAN, |c| c.sing_dist)),
                        );
                        r.extend(
                            lab.trainers
                                .iter()
                                .map(|t| find(t).map_or(f64::NAN, |c| c.max_re)),
                        );
                    }
                    r
                }),
            )
        }
        "line" => csv_rows(
            "t,J_trace1,J_trace2,J_trace3",
            (0..lab.line[0].len()).map(|i| {
                let mut r = vec![surface::Surface::line_t(i)];
                r.extend(lab.line.iter().map(|l| get(l, i)));
                r
            }),
        ),
        "plane" => {
            let g = lab.grid;
            csv_rows(
                "t1,t2,J,sign_det_I_minus_W",
                (0..lab.plane_next.min(g * g)).map(|k| {
                    let t = |c: usize| -1.0 + 2.0 * (c as f64 + 0.5) / g as f64;
                    vec![t(k % g), t(k / g), lab.plane_j[k], lab.plane_sign[k]]
                }),
            )
        }
        _ => return None,
    })
}

fn per_rule(f: impl Fn(Rule) -> Json) -> Json {
    json!({
        "euclidean": f(Rule::Euclidean),
        "reparam": f(Rule::Reparam),
        "linearized": f(Rule::Linearized),
    })
}

/// The lab's key numbers.
pub fn report(lab: &FixedPointsLab) -> Json {
    let tr = |r: Rule| lab.trainers.iter().find(|t| t.rule == r);
    let min_dist = lab
        .trainers
        .iter()
        .map(Trainer::min_singular_distance)
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
        "lab": "fixed_points",
        "mode": if lab.task_spec.mode == Mode::Tanh { "tanh" } else { "linear" },
        "n": lab.task_spec.n,
        "m": lab.task_spec.m,
        "iterations": lab.iters,
        "task_error": match &lab.task { Some(Err(e)) => Json::from(e.clone()), _ => Json::Null },
        "initial_loss": num(lab.trainers.first().and_then(|t| t.losses.first().copied()).unwrap_or(f64::NAN)),
        "final_loss": per_rule(|r| num(tr(r).and_then(|t| t.losses.last().copied()).unwrap_or(f64::NAN))),
        "iterations_done": per_rule(|r| json!(tr(r).map_or(0, Trainer::iteration))),
        "min_singular_distance": num(min_dist),
        "min_singular_distance_by_rule": per_rule(|r| num(tr(r).map_or(f64::NAN, Trainer::min_singular_distance))),
        "final_max_real_eigenvalue": per_rule(|r| num(tr(r).map_or(f64::NAN, Trainer::last_max_re))),
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
            "poles_in_unit_interval": match &lab.poles { Some(p) => json!(p.iter().map(Vec::len).collect::<Vec<_>>()), None => Json::Null },
            "stable_segment_trace1": match stable_segment(&lab.line_stab) { Some((a, b)) => json!([a, b]), None => Json::Null },
        },
        "plane": {
            "centre_loss": num(match &lab.surface { Some(Ok(s)) => s.j0, _ => f64::NAN }),
            "cells_done": lab.plane_next,
            "cells": lab.grid * lab.grid,
        },
    })
}

/// Live readouts: (label, value, help).
pub fn readouts(lab: &FixedPointsLab) -> Vec<(String, String, String)> {
    let mode = lab.task_spec.mode;
    let mut out = vec![(
        "iteration".to_string(),
        format!(
            "{} / {}",
            lab.trainers
                .iter()
                .map(Trainer::iteration)
                .max()
                .unwrap_or(0),
            lab.iters
        ),
        "Training iterations done in the N-D task.".to_string(),
    )];
    for t in &lab.trainers {
        out.push((
            format!("J {}", rule_name(t.rule, mode)),
            fmt(t.losses.last().copied().unwrap_or(f64::NAN)),
            format!(
                "Current loss of the {} rule in the N-D task.",
                rule_name(t.rule, mode)
            ),
        ));
    }
    let min_dist = lab
        .trainers
        .iter()
        .map(Trainer::min_singular_distance)
        .fold(f64::INFINITY, f64::min);
    out.push((
        "min |1 − λ| so far".into(),
        fmt(min_dist),
        "Closest approach of any rule's spectrum to the singular set (0 = no fixed point).".into(),
    ));
    // the value of a trajectory at the step now shown ("–" before its first step)
    let at_shown = |v: &[f64]| match lab.shown.min(v.len()) {
        0 => "–".to_string(),
        k => fmt(v[k - 1]),
    };
    let w1d: Vec<String> = lab.paths1.iter().map(|p| at_shown(&p.w)).collect();
    out.push((
        "1-D w (GD, rule 2, rule 3)".into(),
        w1d.join(", "),
        "The three 1-D iterates now shown; w* is the minimiser.".into(),
    ));
    let j2d: Vec<String> = lab.paths2.iter().map(|p| at_shown(&p.j)).collect();
    out.push((
        "2-D J (GD, rule 2, rule 3)".into(),
        j2d.join(", "),
        "Loss of the three 2-D trajectories at the step now shown.".into(),
    ));
    out
}

/// Conditions the page must show.
pub fn notices(lab: &FixedPointsLab) -> Vec<String> {
    let mut out = Vec::new();
    let w0 = lab.p.real("w0");
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
            let (a, b) = (lab.p.real("w1"), lab.p.real("w2"));
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
            super::TANH_MAX
        ));
    }
    match &lab.task {
        Some(Err(e)) => out.push(format!("N-D: {e}.")),
        Some(Ok(_)) => {
            for t in &lab.trainers {
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
                if t.stop.is_none() && t.done() && last >= 1.0 {
                    out.push(format!(
                        "N-D {name}: ended at an unstable fixed point (max Re λ = {}).",
                        fmt(last)
                    ));
                }
            }
        }
        None => {}
    }
    out
}
