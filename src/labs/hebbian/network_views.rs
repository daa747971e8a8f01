//! The network views (graph, stable count against h, spread) and the two readings of
//! "learning rate" (h_c against γw, basin share against ε).

use super::experiments::{count_range, Hebbian, COMPARED, EPS_SWEEP, SHARE_GRID};
use super::model::{sigma, NetKind};
use super::pitchfork;
use crate::lab::face::num;
use crate::lab::Table;
use crate::plot::colormap::sample;
use crate::plot::{palette, Chart, ColorMap, Layer, Marker, Scale, Shape, Stroke};
use crate::row;

pub fn graph_chart(lab: &Hebbian) -> Chart {
    let net = &lab.net.net;
    let stable = lab.net_stable();
    let sel = lab.s.attractor.min(stable.len().saturating_sub(1));
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
        let (x, y) = net.pos[i];
        if net.junction[i] {
            marks.push(Marker::new(x, y, palette::ORANGE, Shape::Hollow, 17.0));
        }
        let col = if r.is_finite() {
            sample(ColorMap::Viridis, r)
        } else {
            palette::LIGHT
        };
        let text = if r.is_finite() {
            format!("{} {r:.2}", net.name(i))
        } else {
            format!("{} ", net.name(i))
        };
        marks.push(Marker::new(x, y, col, Shape::Filled, 12.0).labelled(text));
    }
    c.push(Layer::Markers(marks));
    c
}

pub fn graph_table(lab: &Hebbian) -> Table {
    let n = lab.net.net.n;
    let mut header = vec![
        "attractor".to_string(),
        "stable".into(),
        "max_real_eig".into(),
    ];
    header.extend((0..n).map(|i| lab.net.net.name(i)));
    let mut t = Table::new(&header);
    for (k, e) in lab.net_eq.iter().flatten().enumerate() {
        let mut r = row![k, e.stable, e.max_real_eig];
        r.extend(e.x.iter().map(|&v| v.into()));
        t.push(r);
    }
    t
}

pub fn count_chart(lab: &Hebbian) -> Chart {
    let hs = &lab.count.hs;
    let (lo, hi) = (
        hs.first().copied().unwrap_or(-1.0),
        hs.last().copied().unwrap_or(1.0),
    );
    let mut c = Chart::new(
        format!("Stable equilibria of the {} network", lab.s.net.label()),
        "h",
        "count",
    )
    .x_range(lo, hi);
    let mut stable = Vec::new();
    let mut total = Vec::new();
    let mut top: f64 = 2.0;
    for (&h, count) in hs.iter().zip(&lab.count.counts) {
        let Some((s, t)) = *count else {
            // a gap until this h is computed
            stable.push((f64::NAN, f64::NAN));
            total.push((f64::NAN, f64::NAN));
            continue;
        };
        // step plot
        if let Some(&(_, prev)) = stable.last().filter(|p: &&(f64, f64)| p.1.is_finite()) {
            stable.push((h, prev));
        }
        stable.push((h, s as f64));
        total.push((h, t as f64));
        top = top.max(t as f64);
    }
    c.push_pieces(&total, palette::GREY, 1.5, Stroke::Dashed, "all equilibria");
    c.push_pieces(&stable, palette::BLUE, 2.5, Stroke::Solid, "stable");
    c.y_range = (0.0, top + 1.0);
    c.push(Layer::vline(
        lab.net.h,
        palette::BLACK,
        Stroke::Solid,
        format!("h = {}", num(lab.net.h)),
    ));
    if let Some(Some(h)) = lab.onset() {
        c.push(Layer::vline(
            h,
            palette::VERMILION,
            Stroke::Dotted,
            format!("onset {}", crate::lab::face::num(h)),
        ));
    }
    let done = lab.count.counts.iter().filter(|c| c.is_some()).count();
    if done < hs.len() {
        c.message = Some(format!("computing… {done}/{}", hs.len()));
    }
    c
}

pub fn count_table(lab: &Hebbian) -> Table {
    let mut t = Table::new(&["h", "stable", "total"]);
    for (&h, c) in lab.count.hs.iter().zip(&lab.count.counts) {
        if let Some((s, n)) = c {
            t.push(row![h, *s, *n]);
        }
    }
    t
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

pub fn spread_chart(lab: &Hebbian) -> Chart {
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
        labels.push(Layer::text(
            x,
            s + 0.06 * c.y_range.1,
            net.name(i),
            palette::BLACK,
        ));
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

pub fn spread_table(lab: &Hebbian) -> Table {
    let mut t = Table::new(&["neuron", "junction", "spread"]);
    for (i, v) in spread(lab).iter().enumerate() {
        t.push(row![lab.net.net.name(i), lab.net.net.junction[i], *v]);
    }
    t
}

pub fn hc_chart(lab: &Hebbian) -> Chart {
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
    c.push(Layer::markers(
        &lab.hc_points,
        palette::VERMILION,
        Shape::Filled,
        4.5,
    ));
    c.push(Layer::vline(
        lab.pair.gw,
        palette::BLACK,
        Stroke::Solid,
        format!("γw = {}", num(lab.pair.gw)),
    ));
    c
}

pub fn hc_table(lab: &Hebbian) -> Table {
    let mut t = Table::new(&["gamma_w", "h_c_formula", "h_c_numeric"]);
    for &(g, h) in &lab.hc_points {
        t.push(row![g, pitchfork::critical_k() * lab.pair.gx * g, h]);
    }
    t
}

/// The computed (ε, share) points, in ε order.
pub fn shares(lab: &Hebbian) -> Vec<(f64, f64)> {
    EPS_SWEEP
        .iter()
        .zip(&lab.shares)
        .filter_map(|(&e, s)| s.map(|s| (e, s)))
        .collect()
}

pub fn share_chart(lab: &Hebbian) -> Chart {
    let pts = shares(lab);
    let mut c = Chart::new(
        format!(
            "Neuron 1 wins, w12(0) = {}, w21(0) = {}",
            lab.s.w12, lab.s.w21
        ),
        "learning timescale ε",
        "share of starts",
    )
    .x_range(0.04, 6.0)
    .y_range(-0.02, 1.02);
    c.x_scale = Scale::Log10;
    c.push(Layer::hline(
        0.5,
        palette::GREY,
        Stroke::Dashed,
        "symmetric limit 0.5",
    ));
    c.push(Layer::line(
        pts.clone(),
        palette::BLUE,
        2.0,
        Stroke::Solid,
        "",
    ));
    c.push(Layer::markers(&pts, palette::BLUE, Shape::Filled, 4.0));
    c.push(Layer::vline(
        lab.pair.eps,
        palette::BLACK,
        Stroke::Solid,
        format!("ε = {}", num(lab.pair.eps)),
    ));
    if pts.len() < EPS_SWEEP.len() {
        c.message = Some(format!(
            "computing… {}/{} values of ε",
            pts.len(),
            EPS_SWEEP.len()
        ));
    }
    c
}

pub fn share_table(lab: &Hebbian) -> Table {
    let mut t = Table::new(&["eps", "share_neuron1_wins", "grid"]);
    for (e, v) in shares(lab) {
        t.push(row![e, v, SHARE_GRID]);
    }
    t
}

/// The note's indicative onsets (§4.4, γx = γw = 0.1, u = 0; finite-start searches), in
/// [`COMPARED`] order: the reference the comparison view checks its own onsets against.
pub const NOTE_ONSETS: [f64; 7] = [-1.237, -2.55, -3.40, -7.03, -8.256, -8.59, -17.49];

/// Whether these settings are the note's (γx = γw = 0.1, ε = 1, no bias), where [`NOTE_ONSETS`] apply.
pub fn note_settings(lab: &Hebbian) -> bool {
    lab.s.gamma_x == 0.1 && lab.s.gamma_w == 0.1 && lab.s.eps == 1.0 && lab.s.u == 0.0
}

/// The motifs whose computed onset differs from the note's by more than the note's last digit
/// (0.01), as "name: ours vs note" (empty: all agree, or not all computed, or other settings).
pub fn onset_differences(lab: &Hebbian) -> Vec<String> {
    if !note_settings(lab) {
        return Vec::new();
    }
    COMPARED
        .iter()
        .zip(&lab.onsets)
        .zip(NOTE_ONSETS)
        .filter_map(|((k, o), note)| match o {
            Some(Some(h)) if (h - note).abs() <= 0.01 => None,
            Some(Some(h)) => Some(format!(
                "{}: {} here, {} in the note",
                k.label(),
                num(*h),
                num(note)
            )),
            Some(None) => Some(format!(
                "{}: none down to h = {} here, {} in the note",
                k.label(),
                num(count_range(*k).0),
                num(note)
            )),
            None => None,
        })
        .collect()
}

/// Onsets of multistability of the all-plastic motifs as horizontal bars from h = 0, with the
/// pair's h_c and the current h marked; the chosen network's bar in vermilion (and named so).
pub fn compare_chart(lab: &Hebbian) -> Chart {
    let hc = pitchfork::critical_k() * lab.pair.gx * lab.pair.gw;
    let lo = lab
        .onsets
        .iter()
        .flatten()
        .flatten()
        .fold(hc.min(lab.pair.h), |a, &h| a.min(h));
    let lo = if lab.onsets.iter().all(Option::is_some) {
        lo
    } else {
        lo.min(count_range(NetKind::Clique4).0)
    };
    let n = COMPARED.len() as f64;
    let mut c = Chart::new("Onset of multistability by motif", "h", "")
        .x_range(1.08 * lo, 0.6 * lo.abs())
        .y_range(0.3, n + 0.7);
    c.y_ticks = false;
    let mut segs = Vec::new();
    let mut marks = Vec::new();
    for (i, (&kind, onset)) in COMPARED.iter().zip(&lab.onsets).enumerate() {
        let y = n - i as f64;
        let chosen = kind == lab.s.net;
        let col = if chosen {
            palette::VERMILION
        } else {
            palette::BLUE
        };
        let name = if chosen {
            format!("{} (chosen)", kind.label())
        } else {
            kind.label().to_string()
        };
        let text = match onset {
            Some(Some(h)) => {
                segs.push(((*h, y), (0.0, y), col, 12.0));
                format!("{name}  {}", num(*h))
            }
            Some(None) => format!("{name}  none ≥ {}", num(count_range(kind).0)),
            None => format!("{name}  …"),
        };
        marks.push(Marker::new(0.0, y, col, Shape::Filled, 4.0).labelled(text));
    }
    c.push(Layer::Segments(segs));
    c.push(Layer::Markers(marks));
    c.push(Layer::vline(
        hc,
        palette::GREY,
        Stroke::Dashed,
        format!("pair's h_c {}", num(hc)),
    ));
    c.push(Layer::vline(
        lab.pair.h,
        palette::BLACK,
        Stroke::Solid,
        format!("h = {}", num(lab.pair.h)),
    ));
    let done = lab.onsets.iter().filter(|o| o.is_some()).count();
    if done < COMPARED.len() {
        c.message = Some(format!("computing… {done}/{}", COMPARED.len()));
    }
    c
}

pub fn compare_table(lab: &Hebbian) -> Table {
    let g = lab.s.gamma_x * lab.s.gamma_w;
    let mut t = Table::new(&["net", "onset_h", "onset_k", "note_onset_h"]);
    for ((k, o), note) in COMPARED.iter().zip(&lab.onsets).zip(NOTE_ONSETS) {
        if let Some(o) = o {
            let h = o.unwrap_or(f64::NAN);
            let note = if note_settings(lab) { note } else { f64::NAN };
            t.push(row![k.name(), h, h / g, note]);
        }
    }
    t
}
