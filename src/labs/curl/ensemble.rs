//! The speed-up ensemble: epochs until the test error falls below [`THRESHOLD`] for gradient
//! descent and curl descent over paired seeds (same teacher, data and initial weights per seed).
//! Each run of each seed is a job of its own ([`Chase`]).

use super::config::Config;
use super::network::Problem;
use super::run::Run;

/// Test-error threshold of the authors' speed-up figures.
pub const THRESHOLD: f64 = 1e-3;
/// Number of paired seeds.
pub const SEEDS: usize = 12;
const UNIT_COST: f64 = 3e5;

/// The epochs of every run: the horizon (t/η epochs, already bounded per run by the config's
/// work cap, with its own notice). Every seed runs to it, in its own job on the worker pool;
/// a run that has not reached the threshold by then is right-censored at the horizon.
pub fn max_epochs(cfg: &Config) -> usize {
    cfg.epochs.max(1)
}

/// Runs of `results` that did not reach the threshold by the horizon: (GD, curl descent).
pub fn censored(results: &[Pair]) -> (usize, usize) {
    (
        results.iter().filter(|r| r.0.is_none()).count(),
        results.iter().filter(|r| r.1.is_none()).count(),
    )
}

/// One run of one seed chasing the threshold: `cd` picks curl descent, else gradient descent.
pub struct Chase {
    prob: Problem,
    run: Run,
    max: usize,
    /// Epochs at which the test error first fell below the threshold.
    pub hit: Option<usize>,
    epochs_per_unit: usize,
}

impl Chase {
    pub fn new(cfg: &Config, seed: u64, cd: bool) -> Chase {
        let (prob, gd, c) = cfg.runs(seed);
        let mut run = if cd { c } else { gd };
        let hit = (run.test_error(&prob) < THRESHOLD).then_some(0);
        Chase {
            prob,
            run,
            max: max_epochs(cfg),
            hit,
            epochs_per_unit: ((UNIT_COST / (2.0 * cfg.epoch_cost())) as usize).max(1),
        }
    }

    fn over(&self) -> bool {
        self.hit.is_some() || self.run.diverged || self.run.epoch >= self.max
    }

    /// Trains a slice of epochs; false once the threshold is reached, the run diverged, or the
    /// cap is hit.
    pub fn unit(&mut self) -> bool {
        for _ in 0..self.epochs_per_unit {
            if self.over() {
                return false;
            }
            self.run.epoch(&self.prob);
            if !self.run.diverged && self.run.test_error(&self.prob) < THRESHOLD {
                self.hit = Some(self.run.epoch);
            }
        }
        !self.over()
    }

    pub fn fraction(&self) -> f64 {
        self.run.epoch as f64 / self.max.max(1) as f64
    }

    /// Runs to the end; the epochs to threshold.
    pub fn finish(mut self) -> Option<usize> {
        while self.unit() {}
        self.hit
    }
}

/// Epochs to the threshold of one seed's (GD, CD) runs; None: not reached by the horizon
/// (right-censored).
pub type Pair = (Option<usize>, Option<usize>);

/// Median epochs over seeds of (GD, CD) pairs; censored runs count as +∞ (the median is
/// still exact when fewer than half of the runs are censored).
pub fn medians(results: &[Pair]) -> (f64, f64) {
    let med = |k: usize| {
        let mut v: Vec<f64> = results
            .iter()
            .map(|r| {
                let x = if k == 0 { r.0 } else { r.1 };
                x.map_or(f64::INFINITY, |e| e as f64)
            })
            .collect();
        if v.is_empty() {
            return f64::NAN;
        }
        v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        let n = v.len();
        if n % 2 == 1 {
            v[n / 2]
        } else {
            0.5 * (v[n / 2 - 1] + v[n / 2])
        }
    };
    (med(0), med(1))
}

/// Number of seeds where curl descent reached the threshold in fewer epochs than GD.
pub fn cd_faster(results: &[Pair]) -> usize {
    results
        .iter()
        .filter(|r| match r {
            (Some(g), Some(c)) => c < g,
            (None, Some(_)) => true,
            _ => false,
        })
        .count()
}
