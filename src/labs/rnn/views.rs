//! The RNN lab's views of the main run: loss, accuracy, λ_max during training, output traces,
//! the Lyapunov spectrum (charts and tables).

use super::experiments::{MainView, RnnLab};
use super::lyapunov::Where;
use super::tasks::Task;
use crate::lab::Table;
use crate::plot::{finite_points, palette, Chart, Layer, Shape, Stroke};
use crate::row;

/// The main run as the player shows it: at the chosen snapshot, else as it stands.
pub fn main(lab: &RnnLab) -> std::borrow::Cow<'_, MainView> {
    if let (Some(i), Some(m)) = (lab.shown, lab.main.as_ref()) {
        if let Some(snap) = m.snapshots.get(i).filter(|_| i + 1 < m.snapshots.len()) {
            return std::borrow::Cow::Owned(m.at(snap));
        }
    }
    whole(lab)
}

/// The main run so far (empty before its first output).
pub fn whole(lab: &RnnLab) -> std::borrow::Cow<'_, MainView> {
    match &lab.main {
        Some(m) => std::borrow::Cow::Borrowed(m),
        None => std::borrow::Cow::Owned(MainView {
            total: lab.cfg.schedule().len(),
            test_loss: f64::NAN,
            test_acc: f64::NAN,
            initial: (f64::NAN, f64::NAN),
            lambda_after: f64::NAN,
            ..MainView::default()
        }),
    }
}

pub fn loss_chart(lab: &RnnLab) -> Chart {
    let m = main(lab);
    let h = &m.history;
    let train = finite_points(
        h.iter()
            .enumerate()
            .map(|(i, p)| (i as f64 + 1.0, p.train_loss.max(1e-8))),
    );
    let mut test = vec![(0.0, m.initial.0)];
    test.extend(
        h.iter()
            .enumerate()
            .filter(|(_, p)| p.test_loss.is_finite())
            .map(|(i, p)| (i as f64 + 1.0, p.test_loss.max(1e-8))),
    );
    let xmax = m.total.max(1) as f64;
    let mut c = Chart::new("Training loss", "iteration (incl. flossing-only)", "loss E")
        .log_y()
        .x_range(0.0, xmax)
        .layer(Layer::line(
            train,
            palette::SKY,
            1.0,
            Stroke::Solid,
            "training batch",
        ))
        .layer(Chart::line(
            finite_points(test),
            palette::BLUE,
            "test trials",
        ))
        .fit_y();
    let (lo, hi) = c.y_range;
    c.y_range = (lo.max(1e-6), hi.max(lo.max(1e-6) * 10.0));
    if m.diverged {
        c.message = Some("training diverged (NaN or huge loss): lower the learning rate".into());
    } else if h.is_empty() && m.total > 0 {
        c.message = Some("training…".into());
    }
    c
}

pub fn accuracy_chart(lab: &RnnLab) -> Chart {
    let m = main(lab);
    let h = &m.history;
    let mut acc = vec![(0.0, m.initial.1)];
    acc.extend(
        h.iter()
            .enumerate()
            .filter(|(_, p)| p.test_acc.is_finite())
            .map(|(i, p)| (i as f64 + 1.0, p.test_acc)),
    );
    let xmax = m.total.max(1) as f64;
    let mut c = Chart::new(
        "Test accuracy",
        "iteration (incl. flossing-only)",
        "accuracy",
    )
    .x_range(0.0, xmax)
    .y_range(0.0, 1.02)
    // the reference lines name themselves where no curve crosses the words
    .layer(Layer::hline(
        0.95,
        palette::GREY,
        Stroke::Dotted,
        "solved (0.95)",
    ));
    if lab.cfg.task == Task::Recall {
        c.push(Layer::hline(0.5, palette::LIGHT, Stroke::Dashed, "chance"));
    }
    c.push(Chart::line(
        finite_points(acc),
        palette::BLUE,
        "test accuracy",
    ));
    if m.diverged {
        c.message = Some("training diverged: lower the learning rate".into());
    }
    c
}

/// Loss, accuracy and λ_max per unit of the schedule (shared by three views).
pub fn history_table(lab: &RnnLab) -> Table {
    let m = main(lab);
    let mut t = Table::new(&[
        "unit",
        "iteration",
        "train_loss",
        "test_loss",
        "test_accuracy",
        "lambda_max",
        "lambda_floss",
    ]);
    t.push(row![
        0usize,
        0usize,
        f64::NAN,
        m.initial.0,
        m.initial.1,
        lab.lambda_before(),
        f64::NAN
    ]);
    for (i, p) in m.history.iter().enumerate() {
        t.push(row![
            i + 1,
            p.iter,
            p.train_loss,
            p.test_loss,
            p.test_acc,
            p.lambda_eval,
            p.lambda
        ]);
    }
    t
}

pub fn loss_table(lab: &RnnLab) -> Table {
    history_table(lab)
}

pub fn accuracy_table(lab: &RnnLab) -> Table {
    history_table(lab)
}

pub fn lambda_table(lab: &RnnLab) -> Table {
    history_table(lab)
}

pub fn lambda_chart(lab: &RnnLab) -> Chart {
    let m = main(lab);
    let h = &m.history;
    let xmax = m.total.max(1) as f64;
    let mut c = Chart::new(
        "λ_max during training",
        "iteration (incl. flossing-only)",
        "λ_max (per step)",
    )
    .x_range(0.0, xmax);
    c.push(Layer::hline(0.0, palette::LIGHT, Stroke::Solid, ""));
    if lab.cfg.floss {
        c.push(Layer::hline(
            lab.cfg.target,
            palette::VERMILION,
            Stroke::Dotted,
            "λ*",
        ));
        let fl = finite_points(
            h.iter()
                .enumerate()
                .map(|(i, p)| (i as f64 + 1.0, p.lambda)),
        );
        c.push(Layer::line(
            fl,
            palette::ORANGE,
            1.0,
            Stroke::Solid,
            "flossing estimate (training batch)",
        ));
    }
    let lb = lab.lambda_before();
    let mut pts = vec![(0.0, lb)];
    pts.extend(
        h.iter()
            .enumerate()
            .map(|(i, p)| (i as f64 + 1.0, p.lambda_eval)),
    );
    let where_ = if lab.cfg.place == Where::Auto {
        "autonomous network"
    } else {
        "test trials"
    };
    c.push(Chart::line(
        finite_points(pts),
        palette::BLUE,
        &format!("λ_max ({where_})"),
    ));
    let mut c = c.fit_y();
    let (lo, hi) = c.y_range;
    let (lo, hi) = (lo.min(-0.05), hi.max(0.02));
    c.y_range = (lo, hi + 0.3 * (hi - lo));
    if m.diverged {
        c.message = Some("training diverged".into());
    } else if !lb.is_finite() {
        c.message = Some("computing λ_max…".into());
    }
    c
}

pub fn traces_chart(lab: &RnnLab) -> Chart {
    let m = main(lab);
    let tr = &m.traces;
    let t = lab.cfg.t;
    let mut c =
        Chart::new("Output and target (test trials)", "time step t", "y(t)").x_range(0.0, t as f64);
    if lab.cfg.task == Task::Recall && !tr.mask.is_empty() {
        let from = tr.mask.iter().position(|m| *m > 0.0).unwrap_or(t) as f64;
        c.push(Layer::vline(
            from - 0.5,
            palette::GREY,
            Stroke::Dotted,
            "scored from here",
        ));
    }
    let k = tr.trials;
    for j in 0..k {
        let col = palette::SERIES[j % palette::SERIES.len()];
        let at = |v: &[f64], s: usize| v.get(s * k + j).copied().unwrap_or(f64::NAN);
        let y: Vec<(f64, f64)> = (0..=tr.t).map(|s| (s as f64, at(&tr.out, s))).collect();
        let target: Vec<(f64, f64)> = (1..=tr.t)
            .filter(|&s| tr.mask.get(s).is_some_and(|m| *m > 0.0))
            .map(|s| (s as f64, at(&tr.target, s)))
            .collect();
        // the legend names what is drawn: a colour per trial, the targets dashed
        c.push(Layer::line(
            finite_points(target),
            col,
            1.5,
            Stroke::Dashed,
            if j == 0 { "target (dashed)" } else { "" },
        ));
        let name = format!("trial {}", j + 1);
        c.push(Layer::line(
            finite_points(y),
            col,
            2.0,
            Stroke::Solid,
            &name,
        ));
    }
    let mut c = c.fit_y();
    let (lo, hi) = c.y_range;
    let (lo, hi) = (lo.clamp(-5.0, -1.2), hi.clamp(1.2, 5.0));
    // head room for the legend
    c.y_range = (lo, hi + 0.3 * (hi - lo));
    if m.diverged {
        c.message = Some("training diverged".into());
    }
    c
}

pub fn traces_table(lab: &RnnLab) -> Table {
    let m = main(lab);
    let tr = &m.traces;
    let k = tr.trials;
    let mut t = Table::new(&["trial", "t", "input", "target", "scored", "output"]);
    for j in 0..k {
        for s in 0..=tr.t {
            let c = s * k + j;
            let at = |v: &[f64]| v.get(c).copied().unwrap_or(f64::NAN);
            t.push(row![
                j,
                s,
                at(&tr.x),
                at(&tr.target),
                tr.mask.get(s).copied().unwrap_or(f64::NAN),
                at(&tr.out)
            ]);
        }
    }
    t
}

pub fn spectrum_chart(lab: &RnnLab) -> Chart {
    let idx = |v: &[f64]| -> Vec<(f64, f64)> {
        finite_points(v.iter().enumerate().map(|(i, &l)| (i as f64 + 1.0, l)))
    };
    let k = lab.k();
    let mut c =
        Chart::new("Lyapunov spectrum", "index i", "λ_i (per step)").x_range(0.5, k as f64 + 0.5);
    c.push(Layer::hline(0.0, palette::LIGHT, Stroke::Solid, ""));
    let empty = Vec::new();
    let before = idx(lab.before.as_ref().map_or(&empty, |b| &b.spectrum));
    let shown = main(lab);
    let after = idx(&shown.spectrum_after);
    let none_before = before.is_empty();
    for (pts, col, shape, label) in [
        (before, palette::GREY, Shape::Hollow, "before training"),
        (after, palette::BLUE, Shape::Filled, "after training"),
    ] {
        c.push(Layer::line(pts.clone(), col, 1.0, Stroke::Solid, label));
        c.push(Layer::markers(&pts, col, shape, 4.0));
    }
    let mut c = c.fit_y();
    let (lo, hi) = c.y_range;
    c.y_range = (lo.min(-0.05), hi.max(0.02));
    if none_before {
        c.message = Some("computing the spectrum…".into());
    }
    c
}

pub fn spectrum_table(lab: &RnnLab) -> Table {
    let empty = Vec::new();
    let before = lab.before.as_ref().map_or(&empty, |b| &b.spectrum);
    let after = lab.main.as_ref().map_or(&empty, |m| &m.spectrum_after);
    let mut t = Table::new(&["i", "lambda_before", "lambda_after"]);
    for i in 0..before.len().max(after.len()) {
        let get = |v: &[f64]| v.get(i).copied().unwrap_or(f64::NAN);
        t.push(row![i + 1, get(before), get(after)]);
    }
    t
}
