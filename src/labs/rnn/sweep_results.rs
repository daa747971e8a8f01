//! A sweep's results file in the gain-sweep views (`lde sweep plan rnn g=… rule=… floss=0,1
//! seeds=10`): each cell is one full training run, read from its report. Cells that share
//! (g, rule, flossing) are replicate seeds; a point is their mean, and its bar ± one standard
//! error of that mean across seeds, s/√k (with one seed, the run's own standard error across the
//! test trials, as in the in-page sweep).

use super::experiments::{RnnLab, SweepItem, SweepResult};
use super::sweep_views::{lyap_g_of, perf_g_of, sweep_table_of};
use super::train::Rule;
use crate::lab::settings::Choice;
use crate::lab::Table;
use crate::plot::Chart;
use crate::sweep::view::Sweep;
use serde_json::Value;

/// One cell's run: (g, rule, flossing, its numbers; λ values NaN when `lyapunov` is false).
fn run(i: usize, r: &Value, lyapunov: bool) -> Result<(f64, Rule, bool, SweepResult), String> {
    let g = Sweep::number(i, r, "g")?;
    let name = r["report"]["params"]["rule"].as_str().unwrap_or("");
    let rule = Rule::from_name(name)
        .ok_or_else(|| format!("cell {i} has no learning rule in its report ('{name}')"))?;
    let floss = r["report"]["params"]["floss"]
        .as_bool()
        .ok_or_else(|| format!("cell {i} does not say whether it flossed (params.floss)"))?;
    let lam = |k: &str| {
        if lyapunov {
            Sweep::number(i, r, k)
        } else {
            Ok(f64::NAN)
        }
    };
    Ok((
        g,
        rule,
        floss,
        SweepResult {
            lambda_before: lam("lyapunov_before")?,
            lambda_after: lam("lyapunov_after")?,
            lambda_before_se: lam("lyapunov_before_se")?,
            lambda_after_se: lam("lyapunov_after_se")?,
            accuracy: Sweep::number(i, r, "accuracy")?,
            loss: Sweep::number(i, r, "final_loss")?,
            done: true,
        },
    ))
}

/// Mean and standard error of the mean of `v` (k = 1: the value and `own_se`).
fn mean_se(v: &[f64], own_se: f64) -> (f64, f64) {
    let k = v.len() as f64;
    let m = v.iter().sum::<f64>() / k;
    if v.len() < 2 {
        return (m, own_se);
    }
    let var = v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (k - 1.0);
    (m, (var / k).sqrt())
}

/// The file's runs grouped by (g, rule, flossing), in order of rule, flossing and g, each the
/// mean over its seeds.
pub fn items(file: &Sweep, lyapunov: bool) -> Result<Vec<SweepItem>, String> {
    file.require_lab("rnn")?;
    type Key = (u64, Rule, bool);
    let mut groups: Vec<(Key, Vec<SweepResult>)> = Vec::new();
    for (i, r) in file.ran() {
        let (g, rule, floss, res) = run(i, r, lyapunov)?;
        let key = (g.to_bits(), rule, floss);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(res),
            None => groups.push((key, vec![res])),
        }
    }
    if groups.is_empty() {
        return Err("no cell of the file ran (every record is an error)".into());
    }
    groups.sort_by(|a, b| {
        let (x, y) = (a.0, b.0);
        (x.1.index(), x.2)
            .cmp(&(y.1.index(), y.2))
            .then(f64::from_bits(x.0).total_cmp(&f64::from_bits(y.0)))
    });
    let items = groups
        .into_iter()
        .map(|((g, rule, floss), v)| {
            let col = |f: fn(&SweepResult) -> f64| v.iter().map(f).collect::<Vec<f64>>();
            let (lb, lb_se) = mean_se(&col(|r| r.lambda_before), v[0].lambda_before_se);
            let (la, la_se) = mean_se(&col(|r| r.lambda_after), v[0].lambda_after_se);
            let (acc, _) = mean_se(&col(|r| r.accuracy), 0.0);
            let (loss, _) = mean_se(&col(|r| r.loss), 0.0);
            SweepItem {
                g: f64::from_bits(g),
                rule,
                floss,
                result: Some(SweepResult {
                    lambda_before: lb,
                    lambda_after: la,
                    lambda_before_se: lb_se,
                    lambda_after_se: la_se,
                    accuracy: acc,
                    loss,
                    done: true,
                }),
            }
        })
        .collect();
    Ok(items)
}

/// The g axis widened to hold every g of the file.
fn widen(mut c: Chart, items: &[SweepItem]) -> Chart {
    let (lo, hi) = items.iter().fold((c.x_range.0, c.x_range.1), |a, it| {
        (a.0.min(it.g - 0.1), a.1.max(it.g + 0.1))
    });
    c.x_range = (lo, hi);
    c
}

/// View `view` (lyap_g or perf_g) drawn from a results file of the RNN lab.
pub fn from_results(lab: &RnnLab, view: &str, file: &Sweep) -> Result<(Chart, Table), String> {
    let lyapunov = view == "lyap_g";
    let items = items(file, lyapunov)?;
    let c = if lyapunov {
        // the lab's rule if the file has it, else the file's first
        let rule = if items.iter().any(|it| it.rule == lab.cfg.rule) {
            lab.cfg.rule
        } else {
            items[0].rule
        };
        let mut c = lyap_g_of(lab, &items, true, rule);
        c.title = format!("λ_max, {}: {}", rule.label(), file.label());
        c
    } else {
        let mut c = perf_g_of(&items);
        c.title = format!("Final accuracy, dashed with flossing: {}", file.label());
        c
    };
    Ok((widen(c, &items), sweep_table_of(&items, lab.cfg.alpha)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicates_average_with_the_standard_error_of_their_mean() {
        let (m, se) = mean_se(&[1.0, 2.0, 3.0], 9.0);
        assert_eq!(m, 2.0);
        assert!((se - (1.0f64 / 3.0).sqrt()).abs() < 1e-15);
        assert_eq!(mean_se(&[0.5], 0.1), (0.5, 0.1));
    }
}
