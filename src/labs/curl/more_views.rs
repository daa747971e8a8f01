//! The curl lab's phase diagram, 2-D toy and speed-up ensemble: charts, tables, the toy's click.

use super::catalogue::{Settings, MAX_TOY};
use super::ensemble::{self, THRESHOLD};
use super::experiments::CurlLab;
use super::phase;
use super::stability;
use super::toy;
use super::views::{CD, GD};
use crate::dynamics::fm;
use crate::lab::face::num;
use crate::lab::{Click, Lab, Table};
use crate::plot::{
    pad_range, palette, Chart, ColorMap, Fill, Heatmap, Layer, Marker, Scale, Shape, Stroke,
};
use crate::row;

pub fn phase_chart(lab: &CurlLab) -> Chart {
    let ph = &lab.phase;
    let title = format!("Phase diagram (finite-size map at N = {})", ph.n);
    let bar = format!("fraction unstable (M ≤ {})", phase::MAX_M);
    let mut c = phase_frame(lab, title, &bar, ph.map());
    let which = match ph.layer {
        phase::Layer::Hidden => "inputs",
        phase::Layer::Readout => "hidden units",
    };
    let emp: Vec<Marker> = (0..phase::COLS)
        .filter_map(|i| {
            ph.empirical_alpha(i).map(|a| {
                Marker::new(
                    phase::col_log_c(i),
                    a.min(1.0),
                    palette::BLACK,
                    Shape::Cross,
                    3.0,
                )
            })
        })
        .collect();
    c.push(Layer::Markers(emp));
    let skipped: Vec<usize> = (0..phase::COLS)
        .filter(|&i| ph.col_m(i) > phase::MAX_M)
        .collect();
    if let Some(&first) = skipped.first() {
        let x0 =
            phase::col_log_c(first) - 0.5 * (phase::LOG_C.1 - phase::LOG_C.0) / phase::COLS as f64;
        c.push(Layer::text(
            0.5 * (x0 + phase::LOG_C.1),
            0.93,
            "not sampled",
            palette::GREY,
        ));
    }
    c.push(Layer::Key(vec![(
        format!("median threshold of the samples ({which} flipped)"),
        palette::BLACK,
        Shape::Cross,
    )]));
    let done = ph
        .thresholds
        .iter()
        .flatten()
        .filter(|t| t.is_some())
        .count();
    let sampled = (0..phase::COLS)
        .filter(|&i| ph.col_m(i) <= phase::MAX_M)
        .count()
        * phase::SAMPLES;
    if ph.curves.is_empty() || done < sampled {
        c.message = Some(format!(
            "computing… {:.0} %",
            100.0 * done as f64 / sampled.max(1) as f64
        ));
    }
    c
}

/// The phase diagram's frame: a (log₁₀ c, α) heatmap of `values` (row-major from the bottom
/// row, NaN: no data) under the asymptotic boundaries, the closed forms and the current setting.
pub fn phase_frame(lab: &CurlLab, title: String, bar: &str, values: Vec<f64>) -> Chart {
    let ph = &lab.phase;
    let mut c = Chart::new(title, "log₁₀ c,  c = M/N", "flipped fraction α")
        .x_range(phase::LOG_C.0, phase::LOG_C.1)
        .y_range(0.0, 1.0)
        .colour_bar(bar)
        .labels_along();
    c.push(Layer::Heatmap(Heatmap {
        nx: phase::COLS,
        ny: phase::ROWS,
        x_range: phase::LOG_C,
        y_range: (0.0, 1.0),
        values,
        fill: Fill::Scalar {
            map: ColorMap::Greys,
            vmin: 0.0,
            vmax: 1.0,
        },
        alpha: 255,
    }));
    let small: Vec<(f64, f64)> = ph
        .curves
        .iter()
        .filter(|p| p.0 <= fm::log10(0.35f64))
        .map(|p| (p.0, stability::alpha_r_small_c(fm::powf(10f64, p.0))))
        .collect();
    c.push(Layer::line(
        small,
        palette::ORANGE,
        1.5,
        Stroke::Dotted,
        "(1 − √c)²/2",
    ));
    c.push(Layer::line(
        ph.curves.iter().map(|p| (p.0, p.1)).collect(),
        GD,
        2.5,
        Stroke::Solid,
        "α_h*(c), inputs flipped",
    ));
    c.push(Layer::line(
        ph.curves.iter().map(|p| (p.0, p.2)).collect(),
        CD,
        2.5,
        Stroke::Solid,
        "α_r*(c), hidden units flipped",
    ));
    c.push(Layer::vline(
        fm::log10(0.25f64),
        palette::GREY,
        Stroke::Dashed,
        "c = 1/4",
    ));
    c.push(Layer::vline(
        fm::log10(2.0f64 / 3.0),
        palette::GREY,
        Stroke::Dashed,
        "c = 2/3",
    ));
    let (cc, ah, ar) = lab.fractions();
    let lc = fm::log10(cc);
    c.push(Layer::Markers(vec![
        Marker::new(lc, ah, GD, Shape::Filled, 6.0).labelled(format!("α_h = {ah:.2}")),
        Marker::new(lc, ar, CD, Shape::Filled, 6.0).labelled(format!("α_r = {ar:.2}")),
    ]));
    c
}

/// The finite-size map, one row per cell, with the asymptotic boundaries at the cell's c.
pub fn phase_table(lab: &CurlLab) -> Table {
    let mut t = Table::new(&[
        "log10_c",
        "c",
        "M",
        "alpha",
        "unstable_fraction",
        "alpha_h_star",
        "alpha_r_star",
        "alpha_r_small_c",
    ]);
    let map = lab.phase.map();
    for col in 0..phase::COLS {
        let lc = phase::col_log_c(col);
        let c = fm::powf(10f64, lc);
        let (ah, ar) = phase::column_edges()[col];
        for r in 0..phase::ROWS {
            let a = (r as f64 + 0.5) / phase::ROWS as f64;
            t.push(row![
                lc,
                c,
                lab.phase.col_m(col),
                a,
                map[r * phase::COLS + col],
                ah,
                ar,
                stability::alpha_r_small_c(c)
            ]);
        }
    }
    t
}

pub fn toy_chart(lab: &CurlLab) -> Chart {
    let b = toy::BOX;
    let mut c = Chart::new("2-D toy ŷ = w2·w1·x (readout weight flipped)", "w1", "w2")
        .x_range(-b, b)
        .y_range(-b, b);
    c.equal_aspect = true;
    c.push(Layer::Arrows {
        arrows: toy::arrows(17),
        color: palette::SKY,
    });
    for (i, h) in toy::gd_hyperbolae().into_iter().enumerate() {
        let label = if i == 0 {
            "gradient descent: w1² − w2² conserved"
        } else {
            ""
        };
        c.push(Layer::line(h, palette::GREY, 1.0, Stroke::Dotted, label));
    }
    let (stable, unstable) = toy::solution_branches();
    for (i, s) in stable.into_iter().enumerate() {
        let l = if i == 0 {
            "solutions, stable (|w2| > |w1|)"
        } else {
            ""
        };
        c.push(Layer::line(s, palette::GREEN, 3.0, Stroke::Solid, l));
    }
    for (i, s) in unstable.into_iter().enumerate() {
        let l = if i == 0 { "solutions, unstable" } else { "" };
        c.push(Layer::line(s, palette::VERMILION, 2.0, Stroke::Dashed, l));
    }
    let mut markers = vec![Marker::new(0.0, 0.0, palette::BLACK, Shape::Cross, 5.0)
        .labelled("saddle (GD) / centre (flipped)")];
    let shown = lab.toy_shown;
    for (i, t) in lab.toys.iter().flatten().enumerate() {
        let first = i == 0;
        let gd = &t.gd[..shown.min(t.gd.len())];
        let cd = &t.cd[..shown.min(t.cd.len())];
        c.push(Layer::line(
            gd.to_vec(),
            GD,
            2.0,
            Stroke::Solid,
            if first { "gradient descent" } else { "" },
        ));
        c.push(Layer::line(
            cd.to_vec(),
            CD,
            2.0,
            Stroke::Solid,
            if first { "one flipped weight" } else { "" },
        ));
        markers.push(Marker::new(
            t.start.0,
            t.start.1,
            palette::BLACK,
            Shape::Hollow,
            4.0,
        ));
        for (pts, col) in [(gd, GD), (cd, CD)] {
            if let Some(&(x, y)) = pts.last() {
                markers.push(Marker::new(x, y, col, Shape::Filled, 4.0));
            }
        }
    }
    c.push(Layer::Markers(markers));
    c
}

pub fn toy_table(lab: &CurlLab) -> Table {
    let mut t = Table::new(&["trajectory", "rule", "step", "w1", "w2"]);
    for (k, tr) in lab.toys.iter().flatten().enumerate() {
        for (rule, pts) in [("gd", &tr.gd), ("flipped", &tr.cd)] {
            for (i, &(a, b)) in pts.iter().enumerate() {
                t.push(row![k, rule, i, a, b]);
            }
        }
    }
    t
}

/// The toy's point: the start of the newest trajectory pair.
pub fn toy_point(lab: &CurlLab) -> Option<(f64, f64)> {
    lab.s.toy.last().copied()
}

/// A click on the toy adds a trajectory pair from there (at most [`MAX_TOY`]; the oldest goes).
pub fn toy_click(lab: &CurlLab, x: f64, y: f64) -> Click {
    let (lo, hi) = super::catalogue::TOY_BOX;
    if !(lo..=hi).contains(&x) || !(lo..=hi).contains(&y) {
        return Click::Ignored;
    }
    let r = |v: f64| (v * 100.0).round() / 100.0;
    let mut toy = lab.s.toy.clone();
    if toy.len() >= MAX_TOY {
        toy.remove(0);
    }
    toy.push((r(x), r(y)));
    let s = Settings {
        toy,
        ..lab.s.clone()
    };
    match s.to_params(lab.params().lab) {
        Ok(p) => Click::Params(p),
        Err(_) => Click::Ignored,
    }
}

pub fn ensemble_chart(lab: &CurlLab) -> Chart {
    let cap = lab.ens_max_epochs.max(1) as f64;
    let mut c = Chart::new(
        format!("Epochs to test error {THRESHOLD:.0e}, paired seeds"),
        "seed (offset from the link's seed)",
        "epochs",
    )
    .log_y()
    .x_range(-0.5, ensemble::SEEDS as f64 - 0.5);
    let mut segs = Vec::new();
    let mut ms = Vec::new();
    let mut lo = cap;
    let mut hi = 1.0f64;
    let results = lab.ensemble_results();
    for &(i, r) in &results {
        let x = i as f64;
        let y = |v: Option<usize>| v.map_or(cap, |k| (k as f64).max(1.0));
        let (g, d) = (y(r.0), y(r.1));
        lo = lo.min(g).min(d);
        hi = hi.max(g).max(d);
        segs.push(((x - 0.12, g), (x + 0.12, d), palette::LIGHT, 1.5));
        for (v, yy, col, dx, done) in [
            (r.0, g, GD, -0.12, Shape::Filled),
            (r.1, d, CD, 0.12, Shape::Hollow),
        ] {
            let shape = if v.is_some() { done } else { Shape::Cross };
            ms.push(Marker::new(x + dx, yy, col, shape, 5.0));
        }
    }
    c.push(Layer::Segments(segs));
    c.push(Layer::Markers(ms));
    let (mg, mc) = ensemble::medians(&lab.ensemble_pairs());
    for (m, col, name) in [(mg, GD, "GD"), (mc, CD, "curl")] {
        if m.is_finite() {
            c.push(Layer::hline(
                m.max(1.0),
                col,
                Stroke::Dashed,
                format!("median {name} = {}", num(m.round())),
            ));
        }
    }
    if results.is_empty() {
        hi = cap;
    }
    let (a, b) = pad_range(lo.max(1.0), hi.max(lo * 2.0), Scale::Log10);
    c.y_range = (a, b * 3.0);
    c.push(Layer::Key(vec![
        ("gradient descent".into(), GD, Shape::Filled),
        ("curl descent".into(), CD, Shape::Hollow),
        (
            "censored at the horizon".into(),
            palette::GREY,
            Shape::Cross,
        ),
    ]));
    if results.len() < ensemble::SEEDS {
        c.message = Some(format!(
            "computing… {}/{} seeds",
            results.len(),
            ensemble::SEEDS
        ));
    }
    c
}

pub fn ensemble_table(lab: &CurlLab) -> Table {
    let mut t = Table::new(&["seed", "epochs_gd", "epochs_cd", "reached_gd", "reached_cd"]);
    for (i, (g, c)) in lab.ensemble_results() {
        t.push(row![
            lab.s.seed.wrapping_add(i as u64),
            g,
            c,
            g.is_some(),
            c.is_some()
        ]);
    }
    t
}
