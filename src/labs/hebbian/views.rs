//! The Hebbian lab's charts, CSV tables, report and readouts (plain data from the lab state).

use super::model::{sigma, NetKind};
use super::{pitchfork, Hebbian, EPS_SWEEP, SHARE_GRID};
use crate::lab::Lab;
use crate::plot::colormap::{robust_limits, sample};
use crate::plot::{
    palette, Chart, ColorMap, Corner, Fill, Heatmap, Layer, Marker, Scale, Shape, Stroke,
};
use serde_json::json;
use std::fmt::Write as _;

/// Colours of the basins' classes (stable equilibria in the order of `pair_eq`).
const CLASS_COLORS: [crate::plot::Rgb; 4] = [
    palette::SKY,
    palette::ORANGE,
    palette::GREEN,
    palette::PURPLE,
];

fn fmt(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let a = v.abs();
    if a != 0.0 && !(1e-3..1e4).contains(&a) {
        format!("{v:.3e}")
    } else {
        format!("{v:.4}")
    }
}

pub fn chart(lab: &Hebbian, view: &str) -> Option<Chart> {
    Some(match view {
        "pitchfork" => pitchfork_chart(lab),
        "landscape" => landscape_chart(lab),
        "basins" => basins_chart(lab),
        "graph" => graph_chart(lab),
        "count" => count_chart(lab),
        "spread" => spread_chart(lab),
        "hc_gamma" => hc_chart(lab),
        "eps_share" => share_chart(lab),
        _ => return None,
    })
}

fn hc(lab: &Hebbian) -> f64 {
    pitchfork::critical_k() * lab.pair.gx * lab.pair.gw
}

fn pitchfork_chart(lab: &Hebbian) -> Chart {
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
                    Some("stable".to_string())
                } else if !stable && !labelled.1 {
                    labelled.1 = true;
                    Some("unstable".to_string())
                } else {
                    None
                };
                c.push(Layer::Line {
                    points: run.clone(),
                    color: if stable {
                        palette::BLUE
                    } else {
                        palette::VERMILION
                    },
                    width: if stable { 2.5 } else { 1.8 },
                    stroke: if stable {
                        Stroke::Solid
                    } else {
                        Stroke::Dashed
                    },
                    label,
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
    c.push(Layer::VLine {
        x: h_c,
        color: palette::GREY,
        stroke: Stroke::Dashed,
        label: format!("h_c = k_c·γx·γw = {h_c:.3}"),
    });
    c.push(Layer::VLine {
        x: lab.pair.h,
        color: palette::BLACK,
        stroke: Stroke::Solid,
        label: format!("h = {}", lab.pair.h),
    });
    let marks: Vec<Marker> = lab
        .pair_eq
        .iter()
        .map(|e| Marker {
            x: lab.pair.h,
            y: e.x[0] - e.x[1],
            color: if e.stable {
                palette::BLUE
            } else {
                palette::VERMILION
            },
            shape: if e.stable {
                Shape::Filled
            } else {
                Shape::Hollow
            },
            size: 4.5,
            label: None,
        })
        .collect();
    c.push(Layer::Markers(marks));
    c
}

/// E_eff over the view grid (x coordinates), coloured by log(E − E_min + δ) so that the wells
/// show (the raw energy is dominated by the corner of high co-activity).
pub fn energy_grid(pair: &super::model::Model, range: (f64, f64), n: usize) -> Heatmap {
    let (a, b) = range;
    let mut values = Vec::with_capacity(n * n);
    for j in 0..n {
        for i in 0..n {
            let x1 = a + (i as f64 + 0.5) * (b - a) / n as f64;
            let x2 = a + (j as f64 + 0.5) * (b - a) / n as f64;
            values.push(pair.energy(&[x1, x2]));
        }
    }
    let (emin, emax) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let delta = 1e-4 * (emax - emin).max(1e-12);
    let values: Vec<f64> = values.iter().map(|&v| (v - emin + delta).ln()).collect();
    let (vmin, vmax) = robust_limits(&values, 0.01);
    Heatmap {
        nx: n,
        ny: n,
        x_range: (a, b),
        y_range: (a, b),
        values,
        fill: Fill::Scalar {
            map: ColorMap::Viridis,
            vmin,
            vmax,
        },
        alpha: 255,
    }
}

fn equilibrium_markers(lab: &Hebbian) -> Layer {
    Layer::Markers(
        lab.pair_eq
            .iter()
            .map(|e| Marker {
                x: e.x[0],
                y: e.x[1],
                color: if e.stable {
                    palette::WHITE
                } else {
                    palette::BLACK
                },
                shape: if e.stable {
                    Shape::Filled
                } else {
                    Shape::Hollow
                },
                size: 6.0,
                label: None,
            })
            .collect(),
    )
}

fn trajectory_layers(lab: &Hebbian, c: &mut Chart) {
    if let Some(t) = &lab.traj {
        let pts: Vec<(f64, f64)> = t.points.iter().map(|s| (s[0], s[1])).collect();
        c.push(Layer::Line {
            points: pts,
            color: palette::WHITE,
            width: 2.5,
            stroke: Stroke::Solid,
            label: None,
        });
        if let (Some(first), Some(last)) = (t.points.first(), t.points.last()) {
            c.push(Layer::Markers(vec![
                Marker {
                    x: first[0],
                    y: first[1],
                    color: palette::WHITE,
                    shape: Shape::Cross,
                    size: 5.0,
                    label: None,
                },
                Marker {
                    x: last[0],
                    y: last[1],
                    color: palette::YELLOW,
                    shape: Shape::Filled,
                    size: 4.0,
                    label: None,
                },
            ]));
        }
    }
}

fn landscape_chart(lab: &Hebbian) -> Chart {
    let (a, b) = lab.view_range;
    let mut c = Chart::new(
        "E_eff(x1, x2) (colour: log(E − E_min)) and slaved flow",
        "x1",
        "x2",
    )
    .x_range(a, b)
    .y_range(a, b);
    c.push(Layer::Heatmap(lab.energy.clone()));
    // flow arrows of the slaved 2-D field, normalised to a common length
    let n = 15;
    let len = 0.55 * (b - a) / n as f64;
    let mut arrows = Vec::new();
    for j in 0..n {
        for i in 0..n {
            let x = a + (i as f64 + 0.5) * (b - a) / n as f64;
            let y = a + (j as f64 + 0.5) * (b - a) / n as f64;
            let mut f = [0.0; 2];
            lab.pair.reduced(&[x, y], &mut f);
            let norm = f[0].hypot(f[1]);
            if norm > 1e-12 && norm.is_finite() {
                arrows.push(((x, y), (x + len * f[0] / norm, y + len * f[1] / norm)));
            }
        }
    }
    c.push(Layer::Arrows {
        arrows,
        color: crate::plot::Rgb(235, 235, 235),
    });
    c.push(Layer::Line {
        points: vec![(a, a), (b, b)],
        color: crate::plot::Rgb(210, 210, 210),
        width: 1.0,
        stroke: Stroke::Dotted,
        label: None,
    });
    c.push(equilibrium_markers(lab));
    trajectory_layers(lab, &mut c);
    c
}

fn basins_chart(lab: &Hebbian) -> Chart {
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
    c.push(equilibrium_markers(lab));
    trajectory_layers(lab, &mut c);
    c
}

fn graph_chart(lab: &Hebbian) -> Chart {
    let net = &lab.net.net;
    let stable = lab.net_stable();
    let sel = (lab.params().int("attractor").max(0) as usize).min(stable.len().saturating_sub(1));
    let title = match (&lab.net_eq, stable.len()) {
        (None, _) => "Network: searching equilibria…".to_string(),
        (Some(_), 0) => "Network: no stable equilibrium found".to_string(),
        (Some(_), n) => format!("Attractor {} of {n} stable: rates σ(x)", sel + 1),
    };
    let mut c = Chart::new(title, "", "")
        .x_range(-0.05, 1.05)
        .y_range(-0.05, 1.05);
    c.axes = false;
    let eq = stable.get(sel);
    let wmax = eq
        .map(|e| e.w.iter().fold(1e-9f64, |m, w| m.max(w.abs())))
        .unwrap_or(1.0);
    let mut segs = Vec::new();
    for (k, &(i, j)) in net.synapses.iter().enumerate() {
        if i < j {
            let w = eq.map_or(0.0, |e| {
                0.5 * (e.w[k]
                    + e.w
                        .get(net.synapses.iter().position(|&s| s == (j, i)).unwrap_or(k))
                        .copied()
                        .unwrap_or(0.0))
            });
            let col = if w < 0.0 {
                palette::BLUE
            } else {
                palette::VERMILION
            };
            segs.push((net.pos[i], net.pos[j], col, 1.0 + 5.0 * w.abs() / wmax));
        }
    }
    for &(i, j, _) in &net.fixed {
        segs.push((net.pos[i], net.pos[j], palette::GREY, 1.5));
    }
    c.push(Layer::Segments(segs));
    let mut marks = Vec::new();
    for i in 0..net.n {
        let r = eq.map_or(f64::NAN, |e| sigma(e.x[i]));
        if net.junction[i] {
            marks.push(Marker {
                x: net.pos[i].0,
                y: net.pos[i].1,
                color: palette::ORANGE,
                shape: Shape::Hollow,
                size: 17.0,
                label: None,
            });
        }
        marks.push(Marker {
            x: net.pos[i].0,
            y: net.pos[i].1,
            color: if r.is_finite() {
                sample(ColorMap::Viridis, r)
            } else {
                palette::LIGHT
            },
            shape: Shape::Filled,
            size: 12.0,
            label: Some(format!(
                "{} {}",
                net.name(i),
                if r.is_finite() {
                    format!("{r:.2}")
                } else {
                    String::new()
                }
            )),
        });
    }
    c.push(Layer::Markers(marks));
    c
}

fn count_chart(lab: &Hebbian) -> Chart {
    let hs = &lab.count.hs;
    let (lo, hi) = (
        hs.first().copied().unwrap_or(-1.0),
        hs.last().copied().unwrap_or(1.0),
    );
    let mut c = Chart::new(
        format!(
            "Stable equilibria of the {} network",
            net_name(lab.net.net.kind)
        ),
        "h",
        "count",
    )
    .x_range(lo, hi);
    let mut stable = Vec::new();
    let mut total = Vec::new();
    let mut top: f64 = 2.0;
    for (i, &(s, t)) in lab.count.counts.iter().enumerate() {
        let h = hs[i];
        // step plot
        if let Some(&(_, prev)) = stable.last() {
            stable.push((h, prev));
        }
        stable.push((h, s as f64));
        total.push((h, t as f64));
        top = top.max(t as f64);
    }
    c.push(Layer::Line {
        points: total,
        color: palette::GREY,
        width: 1.5,
        stroke: Stroke::Dashed,
        label: Some("all equilibria".into()),
    });
    c.push(Layer::Line {
        points: stable,
        color: palette::BLUE,
        width: 2.5,
        stroke: Stroke::Solid,
        label: Some("stable".into()),
    });
    c.y_range = (0.0, top + 1.0);
    c.push(Layer::VLine {
        x: lab.net.h,
        color: palette::BLACK,
        stroke: Stroke::Solid,
        label: format!("h = {}", lab.net.h),
    });
    if lab.count.counts.len() < hs.len() {
        c.message = Some(format!(
            "computing… {}/{}",
            lab.count.counts.len(),
            hs.len()
        ));
    }
    c
}

fn net_name(k: NetKind) -> &'static str {
    match k {
        NetKind::Pair => "pair",
        NetKind::Choke => "choke",
        NetKind::Ring => "4×3 ring",
    }
}

/// Per-neuron spread (max − min of x) across the stable equilibria.
pub fn spread(lab: &Hebbian) -> Vec<f64> {
    let st = lab.net_stable();
    (0..lab.net.net.n)
        .map(|i| {
            let (lo, hi) = st
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), e| {
                    (a.min(e.x[i]), b.max(e.x[i]))
                });
            if st.is_empty() {
                0.0
            } else {
                hi - lo
            }
        })
        .collect()
}

fn spread_chart(lab: &Hebbian) -> Chart {
    let net = &lab.net.net;
    let sp = spread(lab);
    let n = net.n;
    let mut c = Chart::new(
        format!(
            "Spread of x across {} stable states",
            lab.net_stable().len()
        ),
        "neuron",
        "max − min of x",
    )
    .x_range(0.3, n as f64 + 0.7);
    let top = sp.iter().fold(0.0f64, |a, &b| a.max(b));
    c.y_range = (0.0, if top > 0.0 { 1.15 * top } else { 1.0 });
    let mut segs = Vec::new();
    let mut labels = Vec::new();
    for (i, &s) in sp.iter().enumerate() {
        let x = i as f64 + 1.0;
        let col = if net.junction[i] {
            palette::ORANGE
        } else {
            palette::BLUE
        };
        segs.push(((x, 0.0), (x, s), col, 14.0));
        labels.push(Layer::Text {
            x,
            y: s + 0.06 * c.y_range.1,
            text: net.name(i),
            color: palette::BLACK,
        });
    }
    c.push(Layer::Segments(segs));
    for l in labels {
        c.push(l);
    }
    if lab.net_eq.is_none() {
        c.message = Some("searching equilibria…".into());
    }
    c
}

fn hc_chart(lab: &Hebbian) -> Chart {
    let kc = pitchfork::critical_k();
    let gx = lab.pair.gx;
    let line: Vec<(f64, f64)> = (0..=50)
        .map(|i| 0.02 + 0.48 * i as f64 / 50.0)
        .map(|g| (g, kc * gx * g))
        .collect();
    let mut c = Chart::new(
        format!("h_c = k_c·γx·γw (γx = {gx})"),
        "synaptic decay γw",
        "critical h_c",
    )
    .x_range(0.0, 0.52)
    .layer(Chart::line(line, palette::BLUE, "k_c·γx·γw"))
    .fit_y();
    c.push(Layer::Markers(
        lab.hc_points
            .iter()
            .map(|&(g, h)| Marker {
                x: g,
                y: h,
                color: palette::VERMILION,
                shape: Shape::Filled,
                size: 4.5,
                label: None,
            })
            .collect(),
    ));
    c.push(Layer::VLine {
        x: lab.pair.gw,
        color: palette::BLACK,
        stroke: Stroke::Solid,
        label: format!("γw = {}", lab.pair.gw),
    });
    c
}

fn share_chart(lab: &Hebbian) -> Chart {
    let pts = lab.share.shares.clone();
    let mut c = Chart::new(
        format!(
            "Neuron 1 wins, w12(0) = {}, w21(0) = {}",
            lab.params().real("w12"),
            lab.params().real("w21")
        ),
        "learning timescale ε",
        "share of starts",
    )
    .x_range(0.04, 6.0)
    .y_range(-0.02, 1.02);
    c.x_scale = Scale::Log10;
    c.push(Layer::HLine {
        y: 0.5,
        color: palette::GREY,
        stroke: Stroke::Dashed,
        label: "symmetric limit 0.5".into(),
    });
    c.push(Layer::Line {
        points: pts.clone(),
        color: palette::BLUE,
        width: 2.0,
        stroke: Stroke::Solid,
        label: None,
    });
    c.push(Layer::Markers(
        pts.iter()
            .map(|&(x, y)| Marker {
                x,
                y,
                color: palette::BLUE,
                shape: Shape::Filled,
                size: 4.0,
                label: None,
            })
            .collect(),
    ));
    c.push(Layer::VLine {
        x: lab.pair.eps,
        color: palette::BLACK,
        stroke: Stroke::Solid,
        label: format!("ε = {}", lab.pair.eps),
    });
    if pts.len() < EPS_SWEEP.len() {
        c.message = Some(format!(
            "computing… {}/{} values of ε",
            pts.len(),
            EPS_SWEEP.len()
        ));
    }
    c
}

pub fn csv(lab: &Hebbian, view: &str) -> Option<String> {
    let mut s = String::new();
    match view {
        "pitchfork" => {
            s.push_str("branch,h,x1,x2,stable\n");
            for (b, br) in lab.branches.iter().enumerate() {
                for p in br {
                    let _ = writeln!(s, "{b},{},{},{},{}", p.h, p.x1, p.x2, u8::from(p.stable));
                }
            }
        }
        "landscape" => {
            s.push_str("x1,x2,E_eff,flow_x1,flow_x2\n");
            let g = energy_grid(&lab.pair, lab.view_range, 60);
            for j in 0..g.ny {
                for i in 0..g.nx {
                    let x1 =
                        g.x_range.0 + (i as f64 + 0.5) * (g.x_range.1 - g.x_range.0) / g.nx as f64;
                    let x2 =
                        g.y_range.0 + (j as f64 + 0.5) * (g.y_range.1 - g.y_range.0) / g.ny as f64;
                    let mut f = [0.0; 2];
                    lab.pair.reduced(&[x1, x2], &mut f);
                    let _ = writeln!(
                        s,
                        "{x1},{x2},{},{},{}",
                        lab.pair.energy(&[x1, x2]),
                        f[0],
                        f[1]
                    );
                }
            }
        }
        "basins" => {
            s.push_str("x1_0,x2_0,w12_0,w21_0,attractor\n");
            let g = &lab.basins;
            for c in 0..g.next {
                let st = g.start(c);
                let _ = writeln!(
                    s,
                    "{},{},{},{},{}",
                    st[0], st[1], st[2], st[3], g.classes[c]
                );
            }
        }
        "graph" => {
            let n = lab.net.net.n;
            s.push_str("attractor,stable,max_real_eig");
            for i in 0..n {
                let _ = write!(s, ",{}", lab.net.net.name(i));
            }
            s.push('\n');
            for (k, e) in lab.net_eq.iter().flatten().enumerate() {
                let _ = write!(s, "{k},{},{}", u8::from(e.stable), e.max_real_eig);
                for v in &e.x {
                    let _ = write!(s, ",{v}");
                }
                s.push('\n');
            }
        }
        "count" => {
            s.push_str("h,stable,total\n");
            for (i, &(a, b)) in lab.count.counts.iter().enumerate() {
                let _ = writeln!(s, "{},{a},{b}", lab.count.hs[i]);
            }
        }
        "spread" => {
            s.push_str("neuron,junction,spread\n");
            for (i, v) in spread(lab).iter().enumerate() {
                let _ = writeln!(
                    s,
                    "{},{},{v}",
                    lab.net.net.name(i),
                    u8::from(lab.net.net.junction[i])
                );
            }
        }
        "hc_gamma" => {
            s.push_str("gamma_w,h_c_formula,h_c_numeric\n");
            for &(g, h) in &lab.hc_points {
                let _ = writeln!(s, "{g},{},{h}", pitchfork::critical_k() * lab.pair.gx * g);
            }
        }
        "eps_share" => {
            let _ = writeln!(s, "eps,share_neuron1_wins,grid\n");
            s.pop();
            for &(e, v) in &lab.share.shares {
                let _ = writeln!(s, "{e},{v},{SHARE_GRID}");
            }
        }
        _ => return None,
    }
    Some(s)
}

fn eq_json(e: &super::equilibria::Equilibrium) -> serde_json::Value {
    json!({
        "x": e.x,
        "w": e.w,
        "rates": e.rates(),
        "stable": e.stable,
        "max_real_eig": e.max_real_eig,
        "residual": e.residual,
    })
}

pub fn report(lab: &Hebbian) -> serde_json::Value {
    let kc = pitchfork::critical_k();
    let k = lab.pair.k();
    let xs = pitchfork::symmetric_x(k);
    let eqs: Vec<serde_json::Value> = lab.net_eq.iter().flatten().map(eq_json).collect();
    let stable = lab.net_stable().len();
    let (cs, ca) = pitchfork::curvatures(k, xs);
    json!({
        "lab": "hebbian",
        "net": net_name(lab.net.net.kind),
        "h": lab.pair.h,
        "C": -lab.pair.h,
        "k": k,
        "critical_k": kc,
        "critical_h": kc * lab.pair.gx * lab.pair.gw,
        "x_star": pitchfork::x_star(),
        "lambda_anti": pitchfork::lambda_anti(lab.pair.gx, k, xs),
        "curvature_symmetric": cs,
        "curvature_antisymmetric": ca,
        "stable_count": stable,
        "equilibrium_count": eqs.len(),
        "equilibria": eqs,
        "pair_equilibria": lab.pair_eq.iter().map(eq_json).collect::<Vec<_>>(),
        "basin_share_vs_eps": lab.share.shares.iter().map(|&(e, s)| json!({"eps": e, "share": s})).collect::<Vec<_>>(),
        "spread": spread(lab),
    })
}

pub fn readouts(lab: &Hebbian) -> Vec<(String, String, String)> {
    let kc = pitchfork::critical_k();
    let k = lab.pair.k();
    let xs = pitchfork::symmetric_x(k);
    let (_, ca) = pitchfork::curvatures(k, xs);
    let mut r = vec![
        ("k = h/(γx γw)".to_string(), fmt(k), "The dimensionless plasticity strength; every equilibrium depends on h, γx, γw only through k.".to_string()),
        ("C = −h".to_string(), fmt(-lab.pair.h), "The authors' sign convention: C > 0 is anti-Hebbian.".to_string()),
        ("h_c".to_string(), fmt(kc * lab.pair.gx * lab.pair.gw), format!("Critical strength of the pair's pitchfork, k_c·γx·γw with k_c = {kc:.4}.")),
        ("λ_anti".to_string(), fmt(pitchfork::lambda_anti(lab.pair.gx, k, xs)), "Antisymmetric eigenvalue −γx(1 + kσ²σ') of the symmetric state: it crosses 0 at h_c.".to_string()),
        ("antisymmetric curvature".to_string(), fmt(ca), "Curvature of E_eff at the symmetric state along V1 = −V2 (units of γx): convexity is lost where it turns negative.".to_string()),
        ("stable states, 2-neuron motif".to_string(), lab.pair_stable_count().to_string(), "Stable equilibria of the 2-neuron motif.".to_string()),
    ];
    let ns = match &lab.net_eq {
        Some(e) => format!("{} of {}", e.iter().filter(|q| q.stable).count(), e.len()),
        None => "…".into(),
    };
    r.push((
        format!("stable states, {} network", net_name(lab.net.net.kind)),
        ns,
        "Stable equilibria of the chosen network, of all equilibria found.".to_string(),
    ));
    if let Some(e) = lab.pair_eq.iter().find(|e| e.stable) {
        r.push((
            "w at a stable state".to_string(),
            fmt(e.w[0]),
            "Weight w12 at the first stable equilibrium of the pair: (h/γw)σ1σ2.".to_string(),
        ));
    }
    if lab.basins.done() {
        let st = super::basins::states(&lab.pair_stable());
        r.push((
            "basin share, neuron 1".to_string(),
            fmt(lab.basins.share_neuron1(&st)),
            "Fraction of the basin grid where neuron 1 wins.".to_string(),
        ));
    }
    r
}
