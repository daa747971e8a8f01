//! The fixed-point lab's loss-surface views: random lines and a random plane.

use super::experiments::{plane_color_range, FixedPointsLab};
use super::surface;
use crate::dynamics::fm;
use crate::lab::Table;
use crate::plot::{palette, Chart, ColorMap, Fill, Heatmap, Layer, Marker, Shape, Stroke};

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

pub fn line_chart(lab: &FixedPointsLab) -> Chart {
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
            _ => "computing…".into(),
        });
        return c;
    };
    let (lo, hi) = (s.plateau * 1e-8, s.plateau * 1e4);
    c = c.y_range(lo, hi);
    let colors = [palette::BLACK, palette::GREEN, palette::ORANGE];
    for (k, l) in lab.line.iter().enumerate() {
        let poles = lab.poles.get(k).and_then(|p| p.as_ref());
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
        c.push_pieces(&pts, color, 1.5, Stroke::Solid, &format!("trace {}", k + 1));
    }
    // the poles and the stable segment are named in the legend, not over the curves: one
    // vertical line each, the first labelled
    let mut verticals = |xs: &[f64], color, stroke, label: &str| {
        for (i, &x) in xs.iter().enumerate() {
            let label = if i == 0 { label } else { "" };
            c.push(Layer::line(
                vec![(x, lo), (x, hi)],
                color,
                1.5,
                stroke,
                label,
            ));
        }
    };
    if let Some(p) = lab.poles.first().and_then(|p| p.as_ref()) {
        verticals(p, palette::GREY, Stroke::Dotted, "poles (trace 1)");
    }
    if let Some((a, b)) =
        stable_segment(&lab.line_stab).filter(|_| lab.line_stab.iter().all(|p| !p.1.is_nan()))
    {
        verticals(
            &[a, b],
            palette::BLUE,
            Stroke::Dashed,
            "ends of the stable segment (trace 1)",
        );
    }
    c
}

pub fn plane_chart(lab: &FixedPointsLab) -> Chart {
    let mut c = Chart::new(
        "Loss on a random plane W₀ + t₁W₁ + t₂W₂: log₁₀ J (linear network)",
        "t₁",
        "t₂",
    )
    .x_range(-1.0, 1.0)
    .y_range(-1.0, 1.0)
    .colour_bar("log₁₀ J (loss)");
    c.equal_aspect = true;
    let Some(Ok(s)) = &lab.surface else {
        c.message = Some(match &lab.surface {
            Some(Err(e)) => format!("No surface: {e}."),
            _ => "computing…".into(),
        });
        return c;
    };
    let g = lab.s.grid;
    let (lo, hi) = plane_color_range(s.plateau);
    c.push(Layer::Heatmap(Heatmap {
        nx: g,
        ny: g,
        x_range: (-1.0, 1.0),
        y_range: (-1.0, 1.0),
        values: lab
            .plane_j
            .iter()
            .map(|&j| {
                let l = fm::log10(j);
                if j.is_nan() {
                    f64::NAN
                } else if l.is_nan() {
                    hi
                } else {
                    l.clamp(lo, hi)
                }
            })
            .collect(),
        fill: Fill::Scalar {
            map: ColorMap::Viridis,
            vmin: lo,
            vmax: hi,
        },
        alpha: 255,
    }));
    // The singular set: edges between computed cells where det(I − W) changes sign.
    let d = 2.0 / g as f64;
    let done = |k: usize| lab.plane_j.get(k).is_some_and(|j| !j.is_nan());
    let mut segs = Vec::new();
    for k in (0..g * g).filter(|&k| done(k)) {
        let (i, j) = (k % g, k / g);
        let sk = lab.plane_sign[k];
        let x1 = -1.0 + (i + 1) as f64 * d;
        let y1 = -1.0 + (j + 1) as f64 * d;
        if i + 1 < g && done(k + 1) && sk * lab.plane_sign[k + 1] <= 0.0 {
            segs.push(((x1, y1 - d), (x1, y1), palette::WHITE, 1.0));
        }
        if j + 1 < g && done(k + g) && sk * lab.plane_sign[k + g] <= 0.0 {
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
                (rad * fm::cos(a), rad * fm::sin(a))
            })
            .collect();
        c.push_pieces(
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

/// J along the three lines.
pub fn line_table(lab: &FixedPointsLab) -> Table {
    let mut t = Table::new(&["t", "J_trace1", "J_trace2", "J_trace3"]);
    for i in 0..surface::LINE_POINTS {
        let mut r = crate::row![surface::Surface::line_t(i)];
        r.extend(lab.line.iter().map(|l| l[i].into()));
        t.push(r);
    }
    t
}

/// J and the sign of det(I − W) at every computed plane cell.
pub fn plane_table(lab: &FixedPointsLab) -> Table {
    let g = lab.s.grid;
    let mut t = Table::new(&["t1", "t2", "J", "sign_det_I_minus_W"]);
    let tc = |c: usize| -1.0 + 2.0 * (c as f64 + 0.5) / g as f64;
    for (k, (&j, &sign)) in lab.plane_j.iter().zip(&lab.plane_sign).enumerate() {
        if !j.is_nan() {
            t.push(crate::row![tc(k % g), tc(k / g), j, sign]);
        }
    }
    t
}
