//! The curl lab's training views (loss, stability, spectrum, chaos): charts and tables.
//! The phase diagram, the toy and the ensemble are in [`super::more_views`].

use super::experiments::CurlLab;
use super::training::{ErrRec, StabRec};
use crate::dynamics::fm;
use crate::lab::face::num;
use crate::lab::Table;
use crate::plot::{
    finite_points, log_points, pad_range, palette, Chart, Layer, Marker, Rgb, Scale, Shape, Stroke,
};
use crate::row;

pub use super::more_views::*;

pub const CD: Rgb = palette::VERMILION;
pub const GD: Rgb = palette::BLUE;

/// An empty chart saying that the work has not started yet.
pub fn pending(title: &str, x: &str, y: &str) -> Chart {
    Chart::new(title, x, y).with_message("computing…")
}

fn horizon_time(lab: &CurlLab) -> f64 {
    (lab.cfg.epochs as f64 * lab.cfg.eta).max(1e-9)
}

pub fn loss_chart(lab: &CurlLab) -> Chart {
    let (title, xl) = (
        "Error: curl descent vs gradient descent",
        "time t = η·epoch",
    );
    if lab.cd.is_none() && lab.gd.is_none() {
        return pending(title, xl, "error");
    }
    let mut c = Chart::new(title, xl, "error ½⟨(ŷ − y)²⟩")
        .log_y()
        .x_range(0.0, horizon_time(lab));
    let pop = lab.cfg.data == super::config::DataMode::Population;
    let empty: Vec<ErrRec> = Vec::new();
    let cd = lab.cd.as_ref().map_or(&empty, |v| &v.errs);
    let gd = lab.gd.as_ref().map_or(&empty, |v| &v.errs);
    let series = |e: &[ErrRec], f: fn(&ErrRec) -> f64| log_points(e.iter().map(|r| (r.t, f(r))));
    if pop {
        c.push(Layer::line(
            series(cd, |r| r.test),
            CD,
            2.0,
            Stroke::Solid,
            "curl descent",
        ));
        c.push(Layer::line(
            series(gd, |r| r.test),
            GD,
            2.0,
            Stroke::Solid,
            "gradient descent",
        ));
    } else {
        c.push(Layer::line(
            series(cd, |r| r.test),
            CD,
            2.0,
            Stroke::Solid,
            "curl descent, test",
        ));
        c.push(Layer::line(
            series(cd, |r| r.train),
            CD,
            1.5,
            Stroke::Dashed,
            "curl descent, train",
        ));
        c.push(Layer::line(
            series(gd, |r| r.test),
            GD,
            2.0,
            Stroke::Solid,
            "gradient descent, test",
        ));
        c.push(Layer::line(
            series(gd, |r| r.train),
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
    let diverged = [
        ("curl descent", lab.cd.as_ref().and_then(|v| v.diverged_at)),
        (
            "gradient descent",
            lab.gd.as_ref().and_then(|v| v.diverged_at),
        ),
    ];
    let msgs: Vec<String> = diverged
        .iter()
        .filter_map(|(n, d)| d.map(|t| format!("{n} diverged at t ≈ {}", num(t))))
        .collect();
    if !msgs.is_empty() {
        c.message = Some(msgs.join("; "));
    } else if cd.len() < 2 && gd.len() < 2 {
        c.message = Some("computing…".into());
    }
    c
}

/// Both runs' records merged by time (they record at the same times; a run that stopped early
/// has no rows after its end).
pub fn loss_table(lab: &CurlLab) -> Table {
    let mut t = Table::new(&["t", "train_cd", "test_cd", "train_gd", "test_gd"]);
    let empty: Vec<ErrRec> = Vec::new();
    let cd = lab.cd.as_ref().map_or(&empty, |v| &v.errs);
    let gd = lab.gd.as_ref().map_or(&empty, |v| &v.errs);
    let (mut i, mut j) = (0, 0);
    let none = (f64::NAN, f64::NAN);
    while i < cd.len() || j < gd.len() {
        let tc = cd.get(i).map_or(f64::INFINITY, |r| r.t);
        let tg = gd.get(j).map_or(f64::INFINITY, |r| r.t);
        let time = tc.min(tg);
        let a = if tc == time {
            i += 1;
            (cd[i - 1].train, cd[i - 1].test)
        } else {
            none
        };
        let b = if tg == time {
            j += 1;
            (gd[j - 1].train, gd[j - 1].test)
        } else {
            none
        };
        t.push(row![time, a.0, a.1, b.0, b.1]);
    }
    t
}

pub fn stability_chart(lab: &CurlLab) -> Chart {
    let (title, xl) = ("Stability of the curl-descent weights", "time t = η·epoch");
    let Some(v) = lab.cd.as_ref() else {
        return pending(title, xl, "eigenvalue");
    };
    let mut c = Chart::new(title, xl, "eigenvalue").x_range(0.0, horizon_time(lab));
    let s = &v.stab;
    c.push(Layer::line(
        finite_points(s.iter().map(|r| (r.t, r.lam_min_x))),
        palette::GREEN,
        2.0,
        Stroke::Solid,
        "λ_min(X)",
    ));
    c.push(Layer::line(
        finite_points(s.iter().map(|r| (r.t, r.jac))),
        CD,
        1.5,
        Stroke::Dashed,
        "−σx²·λ_min(X) (Jacobian, unprojected)",
    ));
    if s.iter().any(|r| r.jac_proj.is_finite()) {
        c.push(Layer::line(
            finite_points(s.iter().map(|r| (r.t, r.jac_proj))),
            CD,
            2.0,
            Stroke::Solid,
            "−σx²·min Re eig(X_p) (Jacobian, projected)",
        ));
    }
    let mut c = c.fit_y();
    let (lo, hi) = c.y_range;
    c.y_range = (lo.min(-0.05), hi.max(0.05));
    c.push(Layer::hline(
        0.0,
        palette::GREY,
        Stroke::Dashed,
        "stable below 0 (Jacobian)",
    ));
    if s.is_empty() {
        c.message = Some("computing…".into());
    }
    c
}

fn stab_rows(t: &mut Table, s: &[StabRec]) {
    for r in s {
        t.push(row![
            r.t,
            r.lam_min_x,
            r.jac,
            r.lam_min_xp,
            r.jac_proj,
            r.curl
        ]);
    }
}

pub fn stability_table(lab: &CurlLab) -> Table {
    let mut t = Table::new(&[
        "t",
        "lambda_min_x",
        "jacobian_max_unprojected",
        "lambda_min_re_xp",
        "jacobian_max_projected",
        "curl_fraction",
    ]);
    if let Some(v) = &lab.cd {
        stab_rows(&mut t, &v.stab);
    }
    t
}

pub fn spectrum_chart(lab: &CurlLab) -> Chart {
    let Some(v) = lab.cd.as_ref() else {
        return pending("Spectrum of X", "eigenvalue rank", "eigenvalue of X");
    };
    let t = v.stab.last().map_or(0.0, |r| r.t);
    let mut c = Chart::new(
        format!("Spectrum of X at t = {}", num(t)),
        "eigenvalue rank",
        "eigenvalue of X",
    );
    let m = v.spectrum.len();
    let mut ms: Vec<Marker> = v
        .spectrum
        .iter()
        .enumerate()
        .filter(|(_, x)| x.is_finite())
        .map(|(i, &x)| Marker::new((i + 1) as f64, x, palette::GREEN, Shape::Filled, 4.0))
        .collect();
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for x in v
        .spectrum
        .iter()
        .chain(v.spectrum_proj.iter().map(|p| &p.0))
    {
        if x.is_finite() {
            lo = lo.min(*x);
            hi = hi.max(*x);
        }
    }
    let complex = v.spectrum_proj.iter().filter(|p| p.1.abs() > 1e-9).count();
    for (i, &(re, _)) in v.spectrum_proj.iter().enumerate() {
        if re.is_finite() {
            ms.push(Marker::new((i + 1) as f64, re, CD, Shape::Hollow, 5.0));
        }
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
    c.push(Layer::hline(
        0.0,
        palette::GREY,
        Stroke::Dashed,
        "unstable below 0",
    ));
    // thin lines through the markers carry the legend
    c.push(Layer::line(
        finite_points(
            v.spectrum
                .iter()
                .enumerate()
                .map(|(i, &x)| ((i + 1) as f64, x)),
        ),
        palette::GREEN,
        1.0,
        Stroke::Solid,
        "eig(X)",
    ));
    if !v.spectrum_proj.is_empty() {
        let lbl = format!("Re eig(X_p), projected ({complex} complex)");
        c.push(Layer::line(
            finite_points(
                v.spectrum_proj
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

pub fn spectrum_table(lab: &CurlLab) -> Table {
    let mut t = Table::new(&["rank", "eig_x", "re_eig_xp", "im_eig_xp"]);
    if let Some(v) = &lab.cd {
        for (i, &x) in v.spectrum.iter().enumerate() {
            let (re, im) = v
                .spectrum_proj
                .get(i)
                .copied()
                .unwrap_or((f64::NAN, f64::NAN));
            t.push(row![i + 1, x, re, im]);
        }
    }
    t
}

pub fn chaos_chart(lab: &CurlLab) -> Chart {
    let (title, xl) = ("Chaos diagnostics of curl descent", "time t = η·epoch");
    let Some(v) = lab.cd.as_ref() else {
        return pending(title, xl, "q · curl fraction");
    };
    let mut c = Chart::new(title, xl, "q (window)  ·  curl fraction")
        .log_y()
        .x_range(0.0, horizon_time(lab));
    c.push(Layer::line(
        log_points(v.q.iter().copied()),
        palette::PURPLE,
        2.0,
        Stroke::Solid,
        "q over a window",
    ));
    c.push(Layer::markers(
        &log_points(v.q.iter().copied()),
        palette::PURPLE,
        Shape::Filled,
        3.5,
    ));
    c.push(Layer::line(
        log_points(v.stab.iter().map(|r| (r.t, r.curl))),
        palette::GREEN,
        2.0,
        Stroke::Solid,
        "‖(I−D)∇L‖/‖∇L‖",
    ));
    let mut c = c.fit_y();
    // markers are not seen by fit_y: widen for q
    for &(_, q) in &v.q {
        if q > 0.0 && q.is_finite() {
            c.y_range.0 = c.y_range.0.min(q / 3.0);
            c.y_range.1 = c.y_range.1.max(q * 3.0);
        }
    }
    if !(c.y_range.0 > 0.0 && c.y_range.1 > c.y_range.0) {
        c.y_range = (1e-3, 10.0);
    }
    // head room for the legend and the exponent's text
    let decades = fm::log10(c.y_range.1 / c.y_range.0).max(1.0);
    c.y_range.1 *= fm::powf(10f64, 0.25 * decades);
    let top = fm::powf(
        10f64,
        fm::log10(c.y_range.0) + 0.93 * (fm::log10(c.y_range.1) - fm::log10(c.y_range.0)),
    );
    c.push(Layer::text(
        0.3 * horizon_time(lab),
        top,
        if v.lyap.is_finite() {
            format!(
                "λ₁ ≈ {}{} per unit t",
                if v.lyap > 0.0 { "+" } else { "" },
                crate::lab::face::num_sig(v.lyap, 3)
            )
        } else {
            "λ₁: after the transient".to_string()
        },
        palette::BLACK,
    ));
    if v.stab.is_empty() && v.q.is_empty() {
        c.message = Some("computing…".into());
    }
    c
}

/// One tidy table of the three diagnostics, each at its own times.
pub fn chaos_table(lab: &CurlLab) -> Table {
    let mut t = Table::new(&["series", "t", "value"]);
    if let Some(v) = &lab.cd {
        for &(time, q) in &v.q {
            t.push(row!["q", time, q]);
        }
        for &(time, l) in &v.lyap_running {
            t.push(row!["lyapunov_running", time, l]);
        }
        for r in &v.stab {
            t.push(row!["curl_fraction", r.t, r.curl]);
        }
    }
    t
}
