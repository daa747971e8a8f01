//! The fixed-point lab's 1-D and 2-D views (charts, tables, clicks) and the style the views share.

use super::experiments::{FixedPointsLab, SLICE_GRID, SLICE_WINDOW};
use super::linear::Rule;
use super::rules::{Mode, Stop};
use crate::dynamics::fm;
use crate::lab::face::num as fmt;
use crate::lab::{Click, Lab, Table};
use crate::plot::{palette, Chart, ColorMap, Fill, Heatmap, Layer, Marker, Rgb, Shape, Stroke};

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

pub fn rule_stroke(r: Rule) -> Stroke {
    if r == Rule::Linearized {
        Stroke::Dashed
    } else {
        Stroke::Solid
    }
}

/// A learning rate as typed (shortest exact decimal: 3, 0.03, 1e-4).
pub fn fmt_eta(v: f64) -> String {
    format!("{v}")
}

pub fn stop_text(s: &Stop, who: &str) -> String {
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
pub fn stop_short(s: &Stop) -> String {
    match s {
        Stop::Singular(k) => format!("No fixed point: I − W is singular at iteration {k}."),
        Stop::NoConvergence(k) => {
            format!("Newton did not converge at iteration {k} (see the notice).")
        }
        Stop::Diverged(k) => format!("The run overflowed at iteration {k}."),
    }
}

pub fn stop_iter(s: &Stop) -> usize {
    match s {
        Stop::Singular(k) | Stop::NoConvergence(k) | Stop::Diverged(k) => *k,
    }
}

fn oned_range(lab: &FixedPointsLab) -> (f64, f64) {
    let (_, jstar) = lab.stats.optimum();
    let lo = (jstar * 0.5).max(lab.stats.srr * 1e-6);
    (lo, lab.stats.srr * 1e3)
}

pub fn oned_chart(lab: &FixedPointsLab) -> Chart {
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
    c.push_pieces(&curve, palette::GREY, 1.5, Stroke::Solid, "J(w)");
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
        c.push_pieces(&pts, rule_color(r), 1.2, rule_stroke(r), &label);
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
                y: lo * fm::powf(hi / lo, 0.62 - 0.07 * r.index() as f64),
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

pub fn slice_chart(lab: &FixedPointsLab) -> Chart {
    let (a, b) = SLICE_WINDOW;
    let mut c = Chart::new("2-D slice W = [[0, w1], [w2, 0]]: log₁₀ J", "w1", "w2")
        .x_range(a, b)
        .y_range(a, b)
        .colour_bar("log₁₀ J (loss)");
    c.equal_aspect = true;
    let Some(s) = &lab.slice else {
        c.message = Some("The target lies on w1·w2 = 1: its fixed point does not exist.".into());
        return c;
    };
    let (lo, hi) = super::experiments::slice_color_range(s);
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
        c.push_pieces(&pts, palette::WHITE, 1.5, Stroke::Dashed, label);
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
            x: lab.s.w1,
            y: lab.s.w2,
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
        let pts = crate::plot::geometry::clipped_path(&p.points[..k], a, b);
        let label = format!(
            "{} η={}",
            rule_name(r, Mode::Linear),
            fmt_eta(lab.etas[r.index()])
        );
        let width = if r == Rule::Reparam { 3.0 } else { 2.0 };
        c.push_pieces(&pts, rule_color(r), width, rule_stroke(r), &label);
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

/// The three 1-D iterates, step by step.
pub fn oned_table(lab: &FixedPointsLab) -> Table {
    let get = |v: &[f64], k: usize| v.get(k).copied().unwrap_or(f64::NAN);
    let mut t = Table::new(&[
        "step",
        "w_euclidean",
        "J_euclidean",
        "w_reparam",
        "J_reparam",
        "w_linearized",
        "J_linearized",
    ]);
    let n = lab.paths1.iter().map(|p| p.w.len()).max().unwrap_or(0);
    for k in 0..n {
        let mut r = crate::row![k];
        for p in &lab.paths1 {
            r.extend(crate::row![get(&p.w, k), get(&p.j, k)]);
        }
        t.push(r);
    }
    t
}

/// The three 2-D trajectories, step by step.
/// The slice as one tidy table: the three rules' paths (`kind = path`, with their step), then
/// the log₁₀ J grid behind them (`kind = grid`, cell centres, no rule or step).
pub fn slice_table(lab: &FixedPointsLab) -> Table {
    let mut t = Table::new(&["kind", "rule", "step", "w1", "w2", "log10_J"]);
    for (p, rule) in lab
        .paths2
        .iter()
        .zip(["euclidean", "reparam", "linearized"])
    {
        for (k, &(a, b)) in p.points.iter().enumerate() {
            let j = p.j.get(k).copied().unwrap_or(f64::NAN);
            let lj = if j > 0.0 { fm::log10(j) } else { f64::NAN };
            t.push(crate::row!["path", rule, k, a, b, lj]);
        }
    }
    if let Some(v) = lab
        .heat
        .as_ref()
        .filter(|v| v.len() == SLICE_GRID * SLICE_GRID)
    {
        let (lo, hi) = SLICE_WINDOW;
        let d = (hi - lo) / SLICE_GRID as f64;
        for (k, &z) in v.iter().enumerate() {
            let (i, j) = (k % SLICE_GRID, k / SLICE_GRID);
            let (w1, w2) = (lo + (i as f64 + 0.5) * d, lo + (j as f64 + 0.5) * d);
            t.push(crate::row!["grid", "", "", w1, w2, z]);
        }
    }
    t
}

/// Rounds a clicked coordinate to 0.01 (the control's step), so that the link stays short.
fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn with(lab: &FixedPointsLab, s: super::catalogue::Settings) -> Click {
    match s.to_params(lab.params().lab) {
        Ok(p) => Click::Params(p),
        Err(_) => Click::Ignored,
    }
}

/// A click on the 1-D view moves the start w₀ there.
pub fn oned_click(lab: &FixedPointsLab, x: f64, _y: f64) -> Click {
    let s = super::catalogue::Settings {
        w0: round2(x.clamp(-4.0, 3.0)),
        ..lab.s.clone()
    };
    with(lab, s)
}

/// The one-neuron view's point: w₀.
pub fn oned_point(lab: &FixedPointsLab) -> Option<(f64, f64)> {
    Some((lab.s.w0, 0.0))
}

/// The slice's point: the trajectories' start (w1, w2).
pub fn slice_point(lab: &FixedPointsLab) -> Option<(f64, f64)> {
    Some((lab.s.w1, lab.s.w2))
}

/// A click on the 2-D slice starts the three trajectories there.
pub fn slice_click(lab: &FixedPointsLab, x: f64, y: f64) -> Click {
    let (a, b) = SLICE_WINDOW;
    let s = super::catalogue::Settings {
        w1: round2(x.clamp(a, b)),
        w2: round2(y.clamp(a, b)),
        ..lab.s.clone()
    };
    with(lab, s)
}
