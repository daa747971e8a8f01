//! The pair's views: pitchfork, landscape and basins (charts, tables, the launch click).

use super::catalogue::{Settings, LAUNCH_BOX};
use super::experiments::Hebbian;
use super::landscape;
use super::pitchfork;
use crate::lab::face::num_sig;
use crate::lab::{Click, Lab, Table};
use crate::plot::{palette, Chart, Corner, Fill, Heatmap, Layer, Marker, Rgb, Shape, Stroke};
use crate::row;

/// Colours of the basins' classes (stable equilibria in the order of `pair_eq`).
pub const CLASS_COLORS: [Rgb; 4] = [
    palette::SKY,
    palette::ORANGE,
    palette::GREEN,
    palette::PURPLE,
];

/// The critical strength of the pair's pitchfork, h_c = k_c·γx·γw.
pub fn hc(lab: &Hebbian) -> f64 {
    pitchfork::critical_k() * lab.pair.gx * lab.pair.gw
}

pub fn pitchfork_chart(lab: &Hebbian) -> Chart {
    let mut c = Chart::new(
        "Pitchfork of the pair: x1 − x2 at equilibrium",
        "Hebbian strength h",
        "x1 − x2",
    )
    .x_range(lab.branch_range.0, lab.branch_range.1);
    c.legend = Corner::LowerRight;
    let mut ymax: f64 = 1.0;
    let mut labelled = (false, false);
    for br in &lab.branches {
        // split each branch into runs of equal stability
        let mut run: Vec<(f64, f64)> = Vec::new();
        let mut run_stable = None;
        let flush = |run: &mut Vec<(f64, f64)>,
                     st: Option<bool>,
                     c: &mut Chart,
                     labelled: &mut (bool, bool)| {
            if run.len() >= 2 || (run.len() == 1 && st == Some(true)) {
                let stable = st.unwrap_or(false);
                let label = if stable && !labelled.0 {
                    labelled.0 = true;
                    "stable"
                } else if !stable && !labelled.1 {
                    labelled.1 = true;
                    "unstable"
                } else {
                    ""
                };
                c.push(if stable {
                    Layer::line(run.clone(), palette::BLUE, 2.5, Stroke::Solid, label)
                } else {
                    Layer::line(run.clone(), palette::VERMILION, 1.8, Stroke::Dashed, label)
                });
            }
            run.clear();
        };
        for p in br {
            let y = p.x1 - p.x2;
            ymax = ymax.max(y.abs());
            if run_stable.is_some() && run_stable != Some(p.stable) {
                // keep the junction point in both runs so that the curve stays connected
                let last = run.last().copied();
                flush(&mut run, run_stable, &mut c, &mut labelled);
                if let Some(l) = last {
                    run.push(l);
                }
            }
            run_stable = Some(p.stable);
            run.push((p.h, y));
        }
        flush(&mut run, run_stable, &mut c, &mut labelled);
    }
    c.y_range = (-1.1 * ymax, 1.1 * ymax);
    let h_c = hc(lab);
    c.push(Layer::vline(
        h_c,
        palette::GREY,
        Stroke::Dashed,
        // short enough to fit beside the line at phone width (the caption gives h_c = k_c·γx·γw)
        format!("h_c = {}", crate::lab::face::num(h_c)),
    ));
    c.push(Layer::vline(
        lab.pair.h,
        palette::BLACK,
        Stroke::Solid,
        format!("h = {}", num_sig(lab.pair.h, 4)),
    ));
    let marks: Vec<Marker> = lab
        .pair_eq
        .iter()
        .map(|e| {
            let (col, shape) = if e.stable {
                (palette::BLUE, Shape::Filled)
            } else {
                (palette::VERMILION, Shape::Hollow)
            };
            Marker::new(lab.pair.h, e.x[0] - e.x[1], col, shape, 4.5)
        })
        .collect();
    c.push(Layer::Markers(marks));
    c
}

pub fn pitchfork_table(lab: &Hebbian) -> Table {
    let mut t = Table::new(&["branch", "h", "x1", "x2", "stable"]);
    for (b, br) in lab.branches.iter().enumerate() {
        for p in br {
            t.push(row![b, p.h, p.x1, p.x2, p.stable]);
        }
    }
    t
}

fn equilibrium_markers(lab: &Hebbian) -> Layer {
    Layer::Markers(
        lab.pair_eq
            .iter()
            .map(|e| {
                let (col, shape) = if e.stable {
                    (palette::WHITE, Shape::Filled)
                } else {
                    (palette::BLACK, Shape::Hollow)
                };
                Marker::new(e.x[0], e.x[1], col, shape, 6.0)
            })
            .collect(),
    )
}

fn trajectory_layers(lab: &Hebbian, c: &mut Chart) {
    let Some(t) = &lab.traj else { return };
    let shown = &t[..lab.traj_shown.clamp(1, t.len().max(1)).min(t.len())];
    let pts: Vec<(f64, f64)> = shown.iter().map(|s| (s[0], s[1])).collect();
    c.push(Layer::line(pts, palette::WHITE, 2.5, Stroke::Solid, ""));
    if let (Some(first), Some(last)) = (shown.first(), shown.last()) {
        c.push(Layer::Markers(vec![
            Marker::new(first[0], first[1], palette::WHITE, Shape::Cross, 5.0),
            Marker::new(last[0], last[1], palette::YELLOW, Shape::Filled, 4.0),
        ]));
    }
}

pub fn landscape_chart(lab: &Hebbian) -> Chart {
    let (a, b) = lab.view_range;
    let mut c = Chart::new(
        "E_eff(x1, x2) (colour: log(E − E_min)) and slaved flow",
        "x1",
        "x2",
    )
    .x_range(a, b)
    .y_range(a, b)
    .colour_bar("ln(E_eff − E_min + δ)");
    c.push(Layer::Heatmap(lab.energy.clone()));
    c.push(Layer::Arrows {
        arrows: landscape::flow_arrows(&lab.pair, lab.view_range, 15),
        color: Rgb(235, 235, 235),
    });
    c.push(Layer::line(
        vec![(a, a), (b, b)],
        Rgb(210, 210, 210),
        1.0,
        Stroke::Dotted,
        "",
    ));
    c.push(equilibrium_markers(lab));
    trajectory_layers(lab, &mut c);
    c
}

pub fn landscape_table(lab: &Hebbian) -> Table {
    let mut t = Table::new(&["x1", "x2", "E_eff", "flow_x1", "flow_x2"]);
    let g = landscape::energy_grid(&lab.pair, lab.view_range, 60);
    for j in 0..g.ny {
        for i in 0..g.nx {
            let x1 = g.x_range.0 + (i as f64 + 0.5) * (g.x_range.1 - g.x_range.0) / g.nx as f64;
            let x2 = g.y_range.0 + (j as f64 + 0.5) * (g.y_range.1 - g.y_range.0) / g.ny as f64;
            let mut f = [0.0; 2];
            lab.pair.reduced(&[x1, x2], &mut f);
            t.push(row![x1, x2, lab.pair.energy(&[x1, x2]), f[0], f[1]]);
        }
    }
    t
}

pub fn basins_chart(lab: &Hebbian) -> Chart {
    let (a, b) = lab.view_range;
    let g = &lab.basins;
    let title = if g.done() {
        format!(
            "Basins, w12(0) = {}, w21(0) = {}, ε = {}",
            g.w0[0], g.w0[1], lab.pair.eps
        )
    } else {
        format!("Basins: {:.0} % computed", 100.0 * g.fraction())
    };
    let mut c = Chart::new(title, "x1(0)", "x2(0)")
        .x_range(a, b)
        .y_range(a, b);
    c.push(Layer::Heatmap(Heatmap {
        nx: g.nx,
        ny: g.ny,
        x_range: g.x_range,
        y_range: g.y_range,
        values: g.classes.clone(),
        fill: Fill::Classes {
            colors: CLASS_COLORS.to_vec(),
            none: palette::LIGHT,
        },
        alpha: 255,
    }));
    // the colour key: class k is the k-th stable state
    let mut key: Vec<(String, Rgb, Shape)> = lab
        .pair_stable()
        .iter()
        .zip(CLASS_COLORS.iter().cycle())
        .enumerate()
        .map(|(k, (e, &col))| {
            (
                format!("→ ({}, {})", num_sig(e.x[0], 3), num_sig(e.x[1], 3)),
                col,
                Shape::Swatch(k as u8),
            )
        })
        .collect();
    key.push(("saddle / undecided".into(), palette::LIGHT, Shape::Filled));
    c.push(Layer::Key(key));
    c.push(equilibrium_markers(lab));
    trajectory_layers(lab, &mut c);
    c
}

pub fn basins_table(lab: &Hebbian) -> Table {
    let mut t = Table::new(&["x1_0", "x2_0", "w12_0", "w21_0", "attractor"]);
    let g = &lab.basins;
    for (c, &k) in g.classes.iter().enumerate() {
        if k.is_nan() {
            continue;
        }
        let st = g.start(c);
        t.push(row![st[0], st[1], st[2], st[3], k as i64]);
    }
    t
}

/// A click (or a drag) on the pitchfork moves h there, rounded to the slider's step 0.005.
pub fn set_h(lab: &Hebbian, x: f64, _y: f64) -> Click {
    if !x.is_finite() {
        return Click::Ignored;
    }
    let s = Settings {
        h: (x / 0.005).round() * 0.005,
        ..lab.s.clone()
    };
    match s.to_params(lab.params().lab) {
        Ok(p) => Click::Params(p),
        Err(_) => Click::Ignored,
    }
}

/// The pitchfork's point: the current h.
pub fn h_point(lab: &Hebbian) -> Option<(f64, f64)> {
    Some((lab.s.h, 0.0))
}

/// The landscape's and the basins' point: the launched start, if any.
pub fn launch_point(lab: &Hebbian) -> Option<(f64, f64)> {
    lab.s.launch.first().copied()
}

/// A click on the landscape or the basins launches a trajectory from there (the start goes
/// into the link, rounded to 0.01).
pub fn launch_at(lab: &Hebbian, x: f64, y: f64) -> Click {
    let r = |v: f64| ((v * 100.0).round() / 100.0).clamp(LAUNCH_BOX.0, LAUNCH_BOX.1);
    let s = Settings {
        launch: vec![(r(x), r(y))],
        ..lab.s.clone()
    };
    match s.to_params(lab.params().lab) {
        Ok(p) => Click::Params(p),
        Err(_) => Click::Ignored,
    }
}
