//! The lab's charts, CSV tables, report and readouts, built from the current state.

use super::ensemble::{self, THRESHOLD};
use super::network::{Act, SIGMA2};
use super::phase::{self, Phase};
use super::toy;
use super::training::DataMode;
use super::CurlLab;
use crate::plot::{
    pad_range, palette, Chart, ColorMap, Fill, Heatmap, Layer, Marker, Rgb, Scale, Shape, Stroke,
};
use serde_json::json;

const CD: Rgb = palette::VERMILION;
const GD: Rgb = palette::BLUE;

fn line(points: Vec<(f64, f64)>, color: Rgb, width: f64, stroke: Stroke, label: &str) -> Layer {
    Layer::Line {
        points,
        color,
        width,
        stroke,
        label: if label.is_empty() {
            None
        } else {
            Some(label.to_string())
        },
    }
}

/// Keeps the points that a log axis can show (finite, positive y); the chart data stay NaN-free.
fn log_pts(pts: impl Iterator<Item = (f64, f64)>) -> Vec<(f64, f64)> {
    pts.filter(|p| p.0.is_finite() && p.1.is_finite() && p.1 > 0.0)
        .collect()
}

/// Keeps the finite points.
fn fin_pts(pts: impl Iterator<Item = (f64, f64)>) -> Vec<(f64, f64)> {
    pts.filter(|p| p.0.is_finite() && p.1.is_finite()).collect()
}

fn fmt(v: f64) -> String {
    if v.is_nan() {
        "–".into()
    } else if v == 0.0 {
        "0".into()
    } else if v.abs() < 1e-3 || v.abs() >= 1e4 {
        format!("{v:.3e}")
    } else {
        format!("{v:.4}")
    }
}

fn num(v: f64) -> serde_json::Value {
    if v.is_finite() {
        json!(v)
    } else {
        serde_json::Value::Null
    }
}

const VIEW_IDS: [&str; 7] = [
    "loss",
    "stability",
    "spectrum",
    "phase",
    "chaos",
    "toy",
    "ensemble",
];

/// An empty chart saying that the work has not started yet.
fn pending(title: &str, x: &str, y: &str) -> Chart {
    let mut c = Chart::new(title, x, y);
    c.message = Some("computing…".into());
    c
}

pub fn chart(lab: &CurlLab, view: &str) -> Option<Chart> {
    Some(match view {
        "loss" => loss_chart(lab),
        "stability" => stability_chart(lab),
        "spectrum" => spectrum_chart(lab),
        "phase" => phase_chart(lab),
        "chaos" => chaos_chart(lab),
        "toy" => toy_chart(lab),
        "ensemble" => ensemble_chart(lab),
        _ => return None,
    })
}

fn horizon_time(lab: &CurlLab) -> f64 {
    (lab.cfg.epochs as f64 * lab.cfg.eta).max(1e-9)
}

fn loss_chart(lab: &CurlLab) -> Chart {
    let Some(tr) = lab.train.as_ref() else {
        return pending(
            "Error: curl descent vs gradient descent",
            "time t = η·epoch",
            "error",
        );
    };
    let mut c = Chart::new(
        "Error: curl descent vs gradient descent",
        "time t = η·epoch",
        "error ½⟨(ŷ − y)²⟩",
    )
    .log_y()
    .x_range(0.0, horizon_time(lab));
    let pop = lab.cfg.data == DataMode::Population;
    let series = |f: fn(&super::training::ErrRec) -> f64| -> Vec<(f64, f64)> {
        log_pts(tr.errs.iter().map(|r| (r.t, f(r))))
    };
    if pop {
        c.push(line(
            series(|r| r.test_cd),
            CD,
            2.0,
            Stroke::Solid,
            "curl descent",
        ));
        c.push(line(
            series(|r| r.test_gd),
            GD,
            2.0,
            Stroke::Solid,
            "gradient descent",
        ));
    } else {
        c.push(line(
            series(|r| r.test_cd),
            CD,
            2.0,
            Stroke::Solid,
            "curl descent, test",
        ));
        c.push(line(
            series(|r| r.train_cd),
            CD,
            1.5,
            Stroke::Dashed,
            "curl descent, train",
        ));
        c.push(line(
            series(|r| r.test_gd),
            GD,
            2.0,
            Stroke::Solid,
            "gradient descent, test",
        ));
        c.push(line(
            series(|r| r.train_gd),
            GD,
            1.5,
            Stroke::Dashed,
            "gradient descent, train",
        ));
    }
    let mut c = c.fit_y();
    if c.y_range.1 <= c.y_range.0 || !c.y_range.0.is_finite() {
        c.y_range = (1e-6, 1.0);
    }
    let names = ["curl descent", "gradient descent"];
    let msgs: Vec<String> = tr
        .diverged_at
        .iter()
        .enumerate()
        .filter_map(|(i, d)| d.map(|t| format!("{} diverged at t ≈ {t:.2}", names[i])))
        .collect();
    if !msgs.is_empty() {
        c.message = Some(msgs.join("; "));
    } else if tr.errs.len() < 2 {
        c.message = Some("computing…".into());
    }
    c
}

fn stability_chart(lab: &CurlLab) -> Chart {
    let Some(tr) = lab.train.as_ref() else {
        return pending(
            "Stability of the curl-descent weights",
            "time t = η·epoch",
            "eigenvalue",
        );
    };
    let mut c = Chart::new(
        "Stability of the curl-descent weights",
        "time t = η·epoch",
        "eigenvalue",
    )
    .x_range(0.0, horizon_time(lab));
    let s = &tr.stab;
    c.push(line(
        fin_pts(s.iter().map(|r| (r.t, r.lam_min_x))),
        palette::GREEN,
        2.0,
        Stroke::Solid,
        "λ_min(X)",
    ));
    c.push(line(
        fin_pts(s.iter().map(|r| (r.t, r.jac))),
        CD,
        1.5,
        Stroke::Dashed,
        "−σx²·λ_min(X) (Jacobian, unprojected)",
    ));
    if s.iter().any(|r| r.jac_proj.is_finite()) {
        c.push(line(
            fin_pts(s.iter().map(|r| (r.t, r.jac_proj))),
            CD,
            2.0,
            Stroke::Solid,
            "−σx²·min Re eig(X_p) (Jacobian, projected)",
        ));
    }
    let mut c = c.fit_y();
    let (lo, hi) = c.y_range;
    c.y_range = (lo.min(-0.05), hi.max(0.05));
    c.push(Layer::HLine {
        y: 0.0,
        color: palette::GREY,
        stroke: Stroke::Dashed,
        label: "stable below 0 (Jacobian)".into(),
    });
    if s.is_empty() {
        c.message = Some("computing…".into());
    }
    c
}

fn spectrum_chart(lab: &CurlLab) -> Chart {
    let Some(tr) = lab.train.as_ref() else {
        return pending("Spectrum of X", "eigenvalue rank", "eigenvalue of X");
    };
    let t = tr.stab.last().map_or(0.0, |r| r.t);
    let mut c = Chart::new(
        format!("Spectrum of X at t = {t:.1}"),
        "eigenvalue rank",
        "eigenvalue of X",
    );
    let m = tr.spectrum.len();
    let mut ms: Vec<Marker> = tr
        .spectrum
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .map(|(i, &v)| Marker {
            x: (i + 1) as f64,
            y: v,
            color: palette::GREEN,
            shape: Shape::Filled,
            size: 4.0,
            label: None,
        })
        .collect();
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for v in tr
        .spectrum
        .iter()
        .chain(tr.spectrum_proj.iter().map(|p| &p.0))
    {
        if v.is_finite() {
            lo = lo.min(*v);
            hi = hi.max(*v);
        }
    }
    let complex = tr.spectrum_proj.iter().filter(|p| p.1.abs() > 1e-9).count();
    for (i, &(re, _)) in tr.spectrum_proj.iter().enumerate() {
        if !re.is_finite() {
            continue;
        }
        ms.push(Marker {
            x: (i + 1) as f64,
            y: re,
            color: CD,
            shape: Shape::Hollow,
            size: 5.0,
            label: None,
        });
    }
    c.push(Layer::Markers(ms));
    c.x_range = (0.0, m as f64 + 1.0);
    c.y_range = if lo.is_finite() {
        // extra head room for the legend
        let (a, b) = pad_range(lo.min(0.0), hi.max(0.0), Scale::Linear);
        (a, b + 0.2 * (b - a))
    } else {
        (-1.0, 1.0)
    };
    c.push(Layer::HLine {
        y: 0.0,
        color: palette::GREY,
        stroke: Stroke::Dashed,
        label: "unstable below 0".into(),
    });
    // thin lines through the markers carry the legend
    c.push(line(
        fin_pts(
            tr.spectrum
                .iter()
                .enumerate()
                .map(|(i, &v)| ((i + 1) as f64, v)),
        ),
        palette::GREEN,
        1.0,
        Stroke::Solid,
        "eig(X)",
    ));
    if !tr.spectrum_proj.is_empty() {
        let lbl = format!("Re eig(X_p), projected ({complex} complex)");
        c.push(line(
            fin_pts(
                tr.spectrum_proj
                    .iter()
                    .enumerate()
                    .map(|(i, p)| ((i + 1) as f64, p.0)),
            ),
            CD,
            1.0,
            Stroke::Dotted,
            &lbl,
        ));
    }
    if m == 0 {
        c.message = Some("computing…".into());
    }
    c
}

fn phase_chart(lab: &CurlLab) -> Chart {
    let ph = &lab.phase;
    let mut c = Chart::new(
        format!("Phase diagram (finite-size map at N = {})", ph.n),
        "log₁₀ c,  c = M/N",
        "fraction of flipped neurons α",
    )
    .x_range(phase::LOG_C.0, phase::LOG_C.1)
    .y_range(0.0, 1.0);
    c.push(Layer::Heatmap(Heatmap {
        nx: phase::COLS,
        ny: phase::ROWS,
        x_range: phase::LOG_C,
        y_range: (0.0, 1.0),
        values: ph.map(),
        fill: Fill::Scalar {
            map: ColorMap::Greys,
            vmin: 0.0,
            vmax: 1.0,
        },
        alpha: 255,
    }));
    let which = match ph.layer {
        phase::Layer::Hidden => "inputs",
        phase::Layer::Readout => "hidden units",
    };
    let small: Vec<(f64, f64)> = ph
        .curves
        .iter()
        .filter(|p| p.0 <= (0.35f64).log10())
        .map(|p| (p.0, super::stability::alpha_r_small_c(10f64.powf(p.0))))
        .collect();
    c.push(line(
        small,
        palette::ORANGE,
        1.5,
        Stroke::Dotted,
        "(1 − √c)²/2",
    ));
    c.push(line(
        ph.curves.iter().map(|p| (p.0, p.1)).collect(),
        GD,
        2.5,
        Stroke::Solid,
        "α_h*(c), inputs flipped",
    ));
    c.push(line(
        ph.curves.iter().map(|p| (p.0, p.2)).collect(),
        CD,
        2.5,
        Stroke::Solid,
        "α_r*(c), hidden units flipped",
    ));
    c.push(Layer::VLine {
        x: (0.25f64).log10(),
        color: palette::GREY,
        stroke: Stroke::Dashed,
        label: "c = 1/4".into(),
    });
    c.push(Layer::VLine {
        x: (2.0f64 / 3.0).log10(),
        color: palette::GREY,
        stroke: Stroke::Dashed,
        label: "c = 2/3".into(),
    });
    let emp: Vec<Marker> = (0..phase::COLS)
        .filter_map(|i| {
            ph.empirical_alpha(i).map(|a| Marker {
                x: Phase::col_log_c(i),
                y: a.min(1.0),
                color: palette::BLACK,
                shape: Shape::Cross,
                size: 3.0,
                label: None,
            })
        })
        .collect();
    c.push(Layer::Markers(emp));
    let skipped: Vec<usize> = (0..phase::COLS)
        .filter(|&i| ph.col_m(i) > phase::MAX_M)
        .collect();
    if let Some(&first) = skipped.first() {
        let x0 =
            Phase::col_log_c(first) - 0.5 * (phase::LOG_C.1 - phase::LOG_C.0) / phase::COLS as f64;
        c.push(Layer::Text {
            x: 0.5 * (x0 + phase::LOG_C.1),
            y: 0.5,
            text: format!("not sampled: M > {}", phase::MAX_M),
            color: palette::GREY,
        });
    }
    let (cc, ah, ar) = lab.fractions();
    let lc = cc.log10();
    c.push(Layer::Markers(vec![
        Marker {
            x: lc,
            y: ah,
            color: GD,
            shape: Shape::Filled,
            size: 6.0,
            label: Some(format!("α_h = {ah:.2}")),
        },
        Marker {
            x: lc,
            y: ar,
            color: CD,
            shape: Shape::Filled,
            size: 6.0,
            label: Some(format!("α_r = {ar:.2}")),
        },
    ]));
    c.push(Layer::Text {
        x: -1.3,
        y: 0.04,
        text: format!("grey: unstable samples ({which} flipped); ×: median threshold"),
        color: palette::GREY,
    });
    if !ph.done() {
        c.message = Some(format!("computing… {:.0} %", 100.0 * ph.fraction_done()));
    }
    c
}

fn chaos_chart(lab: &CurlLab) -> Chart {
    let Some(tr) = lab.train.as_ref() else {
        return pending(
            "Chaos diagnostics of curl descent",
            "time t = η·epoch",
            "q · curl fraction",
        );
    };
    let mut c = Chart::new(
        "Chaos diagnostics of curl descent",
        "time t = η·epoch",
        "q (window)  ·  curl fraction",
    )
    .log_y()
    .x_range(0.0, horizon_time(lab));
    c.push(line(
        log_pts(tr.q.values.iter().copied()),
        palette::PURPLE,
        2.0,
        Stroke::Solid,
        "q over a window",
    ));
    c.push(Layer::Markers(
        tr.q.values
            .iter()
            .filter(|v| v.1 > 0.0 && v.1.is_finite())
            .map(|&(t, q)| Marker {
                x: t,
                y: q,
                color: palette::PURPLE,
                shape: Shape::Filled,
                size: 3.5,
                label: None,
            })
            .collect(),
    ));
    c.push(line(
        log_pts(tr.stab.iter().map(|r| (r.t, r.curl))),
        palette::GREEN,
        2.0,
        Stroke::Solid,
        "‖(I−D)∇L‖/‖∇L‖",
    ));
    let mut c = c.fit_y();
    // markers are not seen by fit_y: widen for q
    for &(_, q) in &tr.q.values {
        if q > 0.0 && q.is_finite() {
            c.y_range.0 = c.y_range.0.min(q / 3.0);
            c.y_range.1 = c.y_range.1.max(q * 3.0);
        }
    }
    if !(c.y_range.0 > 0.0 && c.y_range.1 > c.y_range.0) {
        c.y_range = (1e-3, 10.0);
    }
    // head room for the legend and the exponent's text
    let decades = (c.y_range.1 / c.y_range.0).log10().max(1.0);
    c.y_range.1 *= 10f64.powf(0.25 * decades);
    let lyap = tr.lyap.exponent();
    let top = 10f64.powf(c.y_range.0.log10() + 0.93 * (c.y_range.1.log10() - c.y_range.0.log10()));
    c.push(Layer::Text {
        x: 0.3 * horizon_time(lab),
        y: top,
        text: if lyap.is_finite() {
            format!("largest Lyapunov exponent λ₁ ≈ {lyap:+.2e} per unit t")
        } else {
            "largest Lyapunov exponent: after the transient".to_string()
        },
        color: palette::BLACK,
    });
    if tr.stab.is_empty() && tr.q.values.is_empty() {
        c.message = Some("computing…".into());
    }
    c
}

fn toy_chart(lab: &CurlLab) -> Chart {
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
        c.push(line(h, palette::GREY, 1.0, Stroke::Dotted, label));
    }
    let (stable, unstable) = toy::solution_branches();
    for (i, s) in stable.into_iter().enumerate() {
        let l = if i == 0 {
            "solutions, stable (|w2| > |w1|)"
        } else {
            ""
        };
        c.push(line(s, palette::GREEN, 3.0, Stroke::Solid, l));
    }
    for (i, s) in unstable.into_iter().enumerate() {
        let l = if i == 0 { "solutions, unstable" } else { "" };
        c.push(line(s, palette::VERMILION, 2.0, Stroke::Dashed, l));
    }
    let mut markers = vec![Marker {
        x: 0.0,
        y: 0.0,
        color: palette::BLACK,
        shape: Shape::Cross,
        size: 5.0,
        label: Some("saddle (GD) / centre (flipped)".into()),
    }];
    for (i, t) in lab.toy.iter().enumerate() {
        let first = i == 0;
        c.push(line(
            t.gd.clone(),
            GD,
            2.0,
            Stroke::Solid,
            if first { "gradient descent" } else { "" },
        ));
        c.push(line(
            t.cd.clone(),
            CD,
            2.0,
            Stroke::Solid,
            if first { "one flipped weight" } else { "" },
        ));
        markers.push(Marker {
            x: t.start.0,
            y: t.start.1,
            color: palette::BLACK,
            shape: Shape::Hollow,
            size: 4.0,
            label: None,
        });
        for (pts, col) in [(&t.gd, GD), (&t.cd, CD)] {
            if let Some(&(x, y)) = pts.last() {
                markers.push(Marker {
                    x,
                    y,
                    color: col,
                    shape: Shape::Filled,
                    size: 4.0,
                    label: None,
                });
            }
        }
    }
    c.push(Layer::Markers(markers));
    c
}

fn ensemble_chart(lab: &CurlLab) -> Chart {
    let e = &lab.ens;
    let cap = e.max_epochs.max(1) as f64;
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
    for (i, r) in e.results.iter().enumerate() {
        let x = i as f64;
        let y = |v: Option<usize>| v.map_or(cap, |k| (k as f64).max(1.0));
        let (g, d) = (y(r.0), y(r.1));
        lo = lo.min(g).min(d);
        hi = hi.max(g).max(d);
        segs.push(((x - 0.12, g), (x + 0.12, d), palette::LIGHT, 1.5));
        for (v, yy, col, dx) in [(r.0, g, GD, -0.12), (r.1, d, CD, 0.12)] {
            ms.push(Marker {
                x: x + dx,
                y: yy,
                color: col,
                shape: if v.is_some() {
                    Shape::Filled
                } else {
                    Shape::Cross
                },
                size: 5.0,
                label: None,
            });
        }
    }
    c.push(Layer::Segments(segs));
    c.push(Layer::Markers(ms));
    let (mg, mc) = e.medians();
    for (m, col, name) in [(mg, GD, "GD"), (mc, CD, "curl")] {
        if m.is_finite() {
            c.push(Layer::HLine {
                y: m.max(1.0),
                color: col,
                stroke: Stroke::Dashed,
                label: format!("median {name} = {m:.0}"),
            });
        }
    }
    if e.results.is_empty() {
        hi = cap;
    }
    let (a, b) = pad_range(lo.max(1.0), hi.max(lo * 2.0), Scale::Log10);
    c.y_range = (a, b * 3.0);
    let top = 10f64.powf(c.y_range.0.log10() + 0.95 * (c.y_range.1.log10() - c.y_range.0.log10()));
    c.push(Layer::Text {
        x: 1.5,
        y: top,
        text: "● gradient descent".into(),
        color: GD,
    });
    c.push(Layer::Text {
        x: 4.5,
        y: top,
        text: "● curl descent   × never".into(),
        color: CD,
    });
    if !e.done() {
        c.message = Some(if e.results.is_empty() {
            "computing… (runs after the training and the phase diagram)".into()
        } else {
            format!("computing… {}/{} seeds", e.results.len(), ensemble::SEEDS)
        });
    }
    c
}

pub fn csv(lab: &CurlLab, view: &str) -> Option<String> {
    if !VIEW_IDS.contains(&view) {
        return None;
    }
    let Some(tr) = lab.train.as_ref() else {
        if matches!(view, "loss" | "stability" | "chaos" | "spectrum") {
            return Some("t,status\n0,not started\n".into());
        }
        return csv_static(lab, view);
    };
    if !matches!(view, "loss" | "stability" | "chaos" | "spectrum") {
        return csv_static(lab, view);
    }
    let mut s = String::new();
    match view {
        "loss" => {
            s.push_str("t,train_cd,test_cd,train_gd,test_gd\n");
            for r in &tr.errs {
                s.push_str(&format!(
                    "{},{:e},{:e},{:e},{:e}\n",
                    r.t, r.train_cd, r.test_cd, r.train_gd, r.test_gd
                ));
            }
        }
        "stability" | "chaos" => {
            s.push_str("t,lambda_min_x,jacobian_max_unprojected,lambda_min_re_xp,jacobian_max_projected,curl_fraction\n");
            for r in &tr.stab {
                s.push_str(&format!(
                    "{},{:e},{:e},{:e},{:e},{:e}\n",
                    r.t, r.lam_min_x, r.jac, r.lam_min_xp, r.jac_proj, r.curl
                ));
            }
            if view == "chaos" {
                s.push_str("\nt_window_end,q\n");
                for (t, q) in &tr.q.values {
                    s.push_str(&format!("{t},{q:e}\n"));
                }
                s.push_str("\nt,lyapunov_running\n");
                for (t, l) in &tr.lyap.running {
                    s.push_str(&format!("{t},{l:e}\n"));
                }
            }
        }
        "spectrum" => {
            s.push_str("rank,eig_x,re_eig_xp,im_eig_xp\n");
            for (i, v) in tr.spectrum.iter().enumerate() {
                let (re, im) = tr
                    .spectrum_proj
                    .get(i)
                    .copied()
                    .unwrap_or((f64::NAN, f64::NAN));
                s.push_str(&format!("{},{v:e},{re:e},{im:e}\n", i + 1));
            }
        }
        _ => return None,
    }
    Some(s)
}

/// The CSV of the views that do not depend on the training.
fn csv_static(lab: &CurlLab, view: &str) -> Option<String> {
    let mut s = String::new();
    match view {
        "phase" => {
            s.push_str("log10_c,c,alpha_h_star,alpha_r_star,alpha_r_small_c\n");
            for &(lc, ah, ar) in &lab.phase.curves {
                let c = 10f64.powf(lc);
                s.push_str(&format!(
                    "{lc},{c},{ah},{ar},{}\n",
                    super::stability::alpha_r_small_c(c)
                ));
            }
            s.push_str("\nlog10_c,M,alpha,unstable_fraction\n");
            let map = lab.phase.map();
            for col in 0..phase::COLS {
                for row in 0..phase::ROWS {
                    let a = (row as f64 + 0.5) / phase::ROWS as f64;
                    s.push_str(&format!(
                        "{},{},{a},{}\n",
                        Phase::col_log_c(col),
                        lab.phase.col_m(col),
                        map[row * phase::COLS + col]
                    ));
                }
            }
        }
        "toy" => {
            s.push_str("trajectory,rule,step,w1,w2\n");
            for (k, t) in lab.toy.iter().enumerate() {
                for (rule, pts) in [("gd", &t.gd), ("flipped", &t.cd)] {
                    for (i, (a, b)) in pts.iter().enumerate() {
                        s.push_str(&format!("{k},{rule},{i},{a},{b}\n"));
                    }
                }
            }
        }
        "ensemble" => {
            s.push_str("seed,epochs_gd,epochs_cd\n");
            for (i, r) in lab.ens.results.iter().enumerate() {
                let f = |v: Option<usize>| v.map_or("never".to_string(), |k| k.to_string());
                s.push_str(&format!(
                    "{},{},{}\n",
                    lab.p.seed.wrapping_add(i as u64),
                    f(r.0),
                    f(r.1)
                ));
            }
        }
        _ => return None,
    }
    Some(s)
}

pub fn report(lab: &CurlLab) -> serde_json::Value {
    let Some(tr) = lab.train.as_ref() else {
        let (c, ah, ar) = lab.fractions();
        return json!({
            "final_error_cd": null, "final_error_gd": null, "lambda_min_x": null,
            "jacobian_max_eig": null, "q": null, "lyapunov": null,
            "critical_alpha_h": num(lab.crit_h), "critical_alpha_r": num(lab.crit_r),
            "c": c, "alpha_h": ah, "alpha_r": ar, "status": "not started",
        });
    };
    let (mut ecd, mut egd) = tr.final_errors();
    if tr.cd.diverged {
        ecd = f64::NAN;
    }
    if tr.gd.diverged {
        egd = f64::NAN;
    }
    let last = tr.stab.last();
    let (c, ah, ar) = lab.fractions();
    let (mg, mc) = lab.ens.medians();
    let med = |v: f64| {
        if v.is_infinite() {
            json!("never")
        } else {
            num(v)
        }
    };
    json!({
        "final_error_cd": num(ecd),
        "final_error_gd": num(egd),
        "lambda_min_x": num(last.map_or(f64::NAN, |s| s.lam_min_x)),
        "lambda_min_re_x_projected": num(last.map_or(f64::NAN, |s| s.lam_min_xp)),
        "jacobian_max_eig": num(tr.jacobian_max()),
        "jacobian_max_eig_unprojected": num(last.map_or(f64::NAN, |s| s.jac)),
        "jacobian_units": "per unit time t = η·epoch: −σx²·eig(X) (σx² = 0.5)",
        "q": num(tr.q.last()),
        "lyapunov": num(tr.lyap.exponent()),
        "curl_fraction": num(last.map_or(f64::NAN, |s| s.curl)),
        "critical_alpha_h": num(lab.crit_h),
        "critical_alpha_r": num(lab.crit_r),
        "c": c,
        "alpha_h": ah,
        "alpha_r": ar,
        "t_final": tr.time(),
        "epochs": tr.epoch(),
        "diverged_cd": tr.cd.diverged,
        "diverged_gd": tr.gd.diverged,
        "ensemble": {
            "threshold": THRESHOLD,
            "seeds_done": lab.ens.results.len(),
            "max_epochs": lab.ens.max_epochs,
            "median_epochs_gd": med(mg),
            "median_epochs_cd": med(mc),
            "cd_faster_seeds": lab.ens.cd_faster(),
            "pairs": lab.ens.results.iter().map(|r| json!([r.0, r.1])).collect::<Vec<_>>(),
        },
        "norm_projection": lab.cfg.proj,
        "nonlinear": lab.cfg.act != Act::Linear,
        "sigma_x2": SIGMA2,
    })
}

pub fn readouts(lab: &CurlLab) -> Vec<(String, String, String)> {
    let (c, ah, ar) = lab.fractions();
    let r = |l: &str, v: String, h: &str| (l.to_string(), v, h.to_string());
    let Some(tr) = lab.train.as_ref() else {
        return vec![
            r(
                "c = M/N",
                fmt(c),
                "Inputs per hidden unit: c < 1 expansive, c > 1 compressive.",
            ),
            r(
                "α_h*(c)",
                fmt(lab.crit_h),
                "Asymptotic critical fraction of flipped inputs at this c.",
            ),
            r(
                "α_r*(c)",
                fmt(lab.crit_r),
                "Asymptotic critical fraction of flipped hidden units at this c.",
            ),
        ];
    };
    let (ecd, egd) = tr.final_errors();
    let last = tr.stab.last();
    let (mg, mc) = lab.ens.medians();
    vec![
        r("c = M/N", fmt(c), "Inputs per hidden unit: c < 1 expansive, c > 1 compressive."),
        r("α_h = n_h/M", fmt(ah), "Fraction of rule-flipped input neurons."),
        r("α_r = n_r/N", fmt(ar), "Fraction of rule-flipped hidden neurons."),
        r("α_h*(c)", fmt(lab.crit_h), "Asymptotic critical fraction of flipped inputs at this c (random-matrix theory)."),
        r("α_r*(c)", fmt(lab.crit_r), "Asymptotic critical fraction of flipped hidden units at this c."),
        r("t", fmt(tr.time()), "Training time t = η·epochs so far."),
        r("error, curl", fmt(ecd), "Test (or population) error of curl descent."),
        r("error, GD", fmt(egd), "Test (or population) error of gradient descent."),
        r("λ_min(X)", fmt(last.map_or(f64::NAN, |s| s.lam_min_x)), "Smallest eigenvalue of X = W1ᵀD2W1 + ‖w2‖²D1 at the curl weights; negative means the nearby solutions are unstable (unprojected flow)."),
        r("Jacobian λ_max", fmt(tr.jacobian_max()), "Largest nontrivial Jacobian eigenvalue of the flow run (with the projection's correction if on), per unit time."),
        r("q", fmt(tr.q.last()), "Order parameter of the last window: tiny at a fixed point, O(1) when chaotic."),
        r("Lyapunov λ₁", fmt(tr.lyap.exponent()), "Largest Lyapunov exponent of the curl-descent weight dynamics per unit time."),
        r("curl fraction", fmt(last.map_or(f64::NAN, |s| s.curl)), "‖(I−D)∇L‖/‖∇L‖: 0 for gradient descent, 2 for gradient ascent."),
        r("median epochs GD / curl", format!("{} / {}", fmt(mg), fmt(mc)), "Speed-up ensemble: median epochs to test error 1e-3 over 12 paired seeds."),
    ]
}
