//! The RNN lab's sweeps over the initial gain: λ_max and final performance against g.

use super::experiments::{RnnLab, SweepItem, SweepResult};
use super::lyapunov;
use super::train::Rule;
use crate::lab::Table;
use crate::plot::{finite_points, palette, Chart, Layer, Marker, Rgb, Shape, Stroke};
use crate::row;

/// The colour of each rule.
pub fn rule_color(r: Rule) -> Rgb {
    match r {
        Rule::Bptt => palette::BLACK,
        Rule::EpropSym => palette::BLUE,
        Rule::EpropRand => palette::VERMILION,
        Rule::Rflo => palette::GREEN,
    }
}

/// The marker of each rule's runs without flossing.
pub fn rule_shape(r: Rule) -> Shape {
    match r {
        Rule::Bptt => Shape::Filled,
        Rule::EpropSym => Shape::Square,
        Rule::EpropRand => Shape::Triangle,
        Rule::Rflo => Shape::Cross,
    }
}

pub fn lyap_g_chart(lab: &RnnLab) -> Chart {
    let mut c = lyap_g_of(lab, &lab.sweep, lab.s.siters > 0, lab.cfg.rule);
    if lab.sweep.is_empty() {
        c.message = Some("sweep off (set 'sweeps over g')".into());
    } else if lab
        .sweep
        .iter()
        .all(|s| !s.get(|r| r.lambda_before).is_finite())
    {
        c.message = Some("computing the sweep…".into());
    }
    c
}

/// λ_max against g of the runs `items` with `rule` (`trained`: show "after").
pub fn lyap_g_of(lab: &RnnLab, items: &[SweepItem], trained: bool, rule: Rule) -> Chart {
    let alpha = lab.cfg.alpha;
    let mut c = Chart::new(
        format!("λ_max against g ({})", rule.label()),
        "initial gain g",
        "λ_max (per step)",
    )
    .x_range(0.3, 2.2);
    c.push(Layer::hline(0.0, palette::LIGHT, Stroke::Solid, ""));
    let theory: Vec<(f64, f64)> = (0..=35)
        .map(|i| 0.3 + 0.02 * i as f64)
        .map(|g| (g, lyapunov::mean_field(g, alpha)))
        .collect();
    c.push(Layer::line(
        theory,
        palette::BLACK,
        1.0,
        Stroke::Dashed,
        "ln(1 − α(1 − g))",
    ));
    let pick = |floss: bool, f: &dyn Fn(&SweepItem) -> f64| -> Vec<(f64, f64)> {
        finite_points(
            items
                .iter()
                .filter(|s| s.rule == rule && s.floss == floss)
                .map(|s| (s.g, f(s))),
        )
    };
    let before = pick(false, &|s| s.get(|r| r.lambda_before));
    let after_of = |s: &SweepItem| {
        if s.done() && trained {
            s.get(|r| r.lambda_after)
        } else {
            f64::NAN
        }
    };
    let after = pick(false, &after_of);
    let after_f = pick(true, &after_of);
    // error bars: ± one standard error of each λ_max
    let bars = |floss: bool, after: bool, col: Rgb| -> Vec<crate::plot::Segment> {
        items
            .iter()
            .filter(|s| s.rule == rule && s.floss == floss && (!after || (s.done() && trained)))
            .filter_map(|s| {
                let (l, se) = if after {
                    (s.get(|r| r.lambda_after), s.get(|r| r.lambda_after_se))
                } else {
                    (s.get(|r| r.lambda_before), s.get(|r| r.lambda_before_se))
                };
                (l.is_finite() && se.is_finite()).then_some((
                    (s.g, l - se),
                    (s.g, l + se),
                    col,
                    1.5,
                ))
            })
            .collect()
    };
    c.push(Layer::Segments(bars(false, false, palette::GREY)));
    c.push(Layer::Segments(bars(false, true, palette::BLUE)));
    c.push(Layer::Segments(bars(true, true, palette::VERMILION)));
    for (pts, col, shape, label) in [
        (before, palette::GREY, Shape::Hollow, "before training"),
        (after, palette::BLUE, Shape::Filled, "after training"),
        (
            after_f,
            palette::VERMILION,
            Shape::Square,
            "after training with flossing",
        ),
    ] {
        c.push(Layer::markers(&pts, col, shape, 4.0));
        c.push(Chart::line(pts, col, label));
    }
    let mut c = c.fit_y();
    let (lo, hi) = c.y_range;
    let (lo, hi) = (lo.min(-0.05), hi.max(0.02));
    c.y_range = (lo, hi + 0.45 * (hi - lo));
    c
}

pub fn perf_g_chart(lab: &RnnLab) -> Chart {
    let mut c = perf_g_of(&lab.sweep);
    if lab.sweep.is_empty() {
        c.message = Some("sweep off (set 'sweeps over g')".into());
    } else if !lab.sweep.iter().any(|s| s.done()) {
        c.message = Some("computing the sweep…".into());
    }
    c
}

/// Final accuracy against g of the runs `items`, a line per rule and flossing.
pub fn perf_g_of(items: &[SweepItem]) -> Chart {
    let mut c = Chart::new(
        "Final accuracy against g (solid: without, dashed: with flossing)",
        "initial gain g",
        "test accuracy",
    )
    .x_range(0.3, 2.2)
    .y_range(0.0, 1.02);
    // the line names itself where no curve crosses the words
    c.push(Layer::hline(
        0.95,
        palette::GREY,
        Stroke::Dotted,
        "solved (0.95)",
    ));
    for &r in Rule::ALL {
        for floss in [false, true] {
            let pts = finite_points(
                items
                    .iter()
                    .filter(|s| s.rule == r && s.floss == floss && s.done())
                    .map(|s| (s.g, s.get(|r| r.accuracy))),
            );
            if pts.is_empty() {
                continue;
            }
            let col = rule_color(r);
            // a shape per rule (colour is not the only cue); flossing: hollow and dashed
            let shape = if floss { Shape::Hollow } else { rule_shape(r) };
            c.push(Layer::markers(&pts, col, shape, 4.0));
            let stroke = if floss { Stroke::Dashed } else { Stroke::Solid };
            c.push(Layer::line(
                pts,
                col,
                2.0,
                stroke,
                if floss { "" } else { r.label() },
            ));
        }
    }
    c
}

/// One row per sweep run.
pub fn sweep_table(lab: &RnnLab) -> Table {
    sweep_table_of(&lab.sweep, lab.cfg.alpha)
}

/// One row per run of `items` (leak α for the mean-field column).
pub fn sweep_table_of(items: &[SweepItem], alpha: f64) -> Table {
    let mut t = Table::new(&[
        "g",
        "rule",
        "floss",
        "lambda_before",
        "lambda_after",
        "lambda_before_se",
        "lambda_after_se",
        "accuracy",
        "test_loss",
        "mean_field",
    ]);
    for it in items {
        t.push(row![
            it.g,
            it.rule.name(),
            it.floss,
            it.get(|r| r.lambda_before),
            it.get(|r| r.lambda_after),
            it.get(|r| r.lambda_before_se),
            it.get(|r| r.lambda_after_se),
            it.get(|r| r.accuracy),
            it.get(|r| r.loss),
            lyapunov::mean_field(it.g, alpha)
        ]);
    }
    t
}

pub fn lyap_g_table(lab: &RnnLab) -> Table {
    sweep_table(lab)
}

pub fn perf_g_table(lab: &RnnLab) -> Table {
    sweep_table(lab)
}

/// λ_max after training below which a run counts as still contracting in the per-seed view.
pub const CONTRACTING: f64 = -0.02;
/// Final accuracy at which a run counts as solved.
pub const SOLVED: f64 = 0.95;

/// One finished run of the main configuration: the link's seed or a replicate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Replicate {
    pub seed: u64,
    pub res: SweepResult,
}

impl Replicate {
    pub fn solved(&self) -> bool {
        self.res.accuracy >= SOLVED
    }
    /// Still contracting after training (or diverged: no λ_max after).
    pub fn contracting(&self) -> bool {
        self.res.lambda_after.is_nan() || self.res.lambda_after < CONTRACTING
    }
}

/// The finished runs of the per-seed view: the main run (once done), then the replicates.
pub fn replicates(lab: &RnnLab) -> Vec<Replicate> {
    let mut v = Vec::new();
    if let Some(m) = lab.main.as_ref().filter(|m| m.done) {
        let (bse, ase) = lab.lambda_se();
        v.push(Replicate {
            seed: lab.cfg.seed,
            res: SweepResult {
                lambda_before: lab.lambda_before(),
                lambda_after: m.lambda_after,
                lambda_before_se: bse,
                lambda_after_se: ase,
                accuracy: m.test_acc,
                loss: m.test_loss,
                done: true,
            },
        });
    }
    for (k, r) in lab.reps.iter().enumerate() {
        if let Some(res) = r.filter(|r| r.done) {
            v.push(Replicate {
                seed: lab.rep_seed(k),
                res,
            });
        }
    }
    v
}

pub fn seeds_chart(lab: &RnnLab) -> Chart {
    let runs = replicates(lab);
    let total = lab.reps.len() + 1;
    let solved = runs.iter().filter(|r| r.solved()).count();
    let stuck: Vec<String> = runs
        .iter()
        .filter(|r| r.contracting())
        .map(|r| r.seed.to_string())
        .collect();
    let title = if runs.is_empty() {
        "Per seed: training…".to_string()
    } else if stuck.is_empty() {
        format!(
            "{solved} of {} seeds solved; none still contracting",
            runs.len()
        )
    } else {
        format!(
            "{solved} of {} seeds solved; still contracting: seed {}",
            runs.len(),
            stuck.join(", ")
        )
    };
    let mut c = Chart::new(title, "run (1: the link's seed)", "λ_max (per step)")
        .x_range(0.4, total as f64 + 0.6);
    c.push(Layer::hline(0.0, palette::LIGHT, Stroke::Solid, ""));
    c.push(Layer::hline(
        CONTRACTING,
        palette::GREY,
        Stroke::Dotted,
        "contracting below −0.02",
    ));
    let mut segs = Vec::new();
    let mut marks = Vec::new();
    let (mut lo, mut hi) = (CONTRACTING - 0.02, 0.02f64);
    for (i, r) in runs.iter().enumerate() {
        let x = i as f64 + 1.0;
        let (b, a, se) = (
            r.res.lambda_before,
            r.res.lambda_after,
            r.res.lambda_after_se,
        );
        if b.is_finite() {
            marks.push(Marker::new(x, b, palette::GREY, Shape::Hollow, 4.0));
            lo = lo.min(b);
            hi = hi.max(b);
        }
        if a.is_finite() {
            if b.is_finite() {
                segs.push(((x, b), (x, a), palette::LIGHT, 2.0));
            }
            if se.is_finite() {
                segs.push(((x, a - se), (x, a + se), palette::BLUE, 1.5));
            }
            let (col, shape) = if r.solved() {
                (palette::BLUE, Shape::Filled)
            } else {
                (palette::VERMILION, Shape::Cross)
            };
            marks.push(
                Marker::new(x, a, col, shape, 6.0)
                    .labelled(crate::lab::face::num_sig(r.res.accuracy, 2)),
            );
            lo = lo.min(a);
            hi = hi.max(a);
        }
    }
    c.push(Layer::Segments(segs));
    c.push(Layer::Markers(marks));
    c.push(Layer::Key(vec![
        ("before training".into(), palette::GREY, Shape::Hollow),
        (
            format!("after: solved (≥ {SOLVED})"),
            palette::BLUE,
            Shape::Filled,
        ),
        ("after: not solved".into(), palette::VERMILION, Shape::Cross),
    ]));
    let pad = 0.15 * (hi - lo);
    c.y_range = (lo - pad, hi + 3.0 * pad);
    if runs.is_empty() {
        c.message = Some(format!("training {total} run(s)…"));
    }
    c
}

pub fn seeds_table(lab: &RnnLab) -> Table {
    let mut t = Table::new(&[
        "seed",
        "lambda_before",
        "lambda_after",
        "lambda_after_se",
        "accuracy",
        "test_loss",
        "solved",
        "contracting",
    ]);
    for r in replicates(lab) {
        t.push(row![
            r.seed,
            r.res.lambda_before,
            r.res.lambda_after,
            r.res.lambda_after_se,
            r.res.accuracy,
            r.res.loss,
            r.solved(),
            r.contracting()
        ]);
    }
    t
}
