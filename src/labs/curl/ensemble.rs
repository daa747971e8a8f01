//! The speed-up ensemble: epochs until the test error falls below [`THRESHOLD`] for gradient
//! descent and curl descent over paired seeds (same teacher, data and initial weights per seed).

use super::network::{Problem, Run};
use super::training::{Config, WORK_CAP};

/// Test-error threshold of the authors' speed-up figures.
pub const THRESHOLD: f64 = 1e-3;
/// Number of paired seeds.
pub const SEEDS: usize = 12;
const UNIT_COST: f64 = 3e5;

/// Progress over the paired runs.
pub struct Ensemble {
    cfg: Config,
    base_seed: u64,
    /// Epoch cap per run.
    pub max_epochs: usize,
    current: Option<(Problem, Run, Run)>,
    hit: [Option<usize>; 2],
    /// Per seed: epochs to threshold for (GD, CD); None = not reached within `max_epochs`.
    pub results: Vec<(Option<usize>, Option<usize>)>,
    epochs_per_unit: usize,
}

impl Ensemble {
    pub fn new(cfg: &Config, base_seed: u64) -> Self {
        // the ensemble may use 3× the single-run budget so that regime D runs to its full horizon
        let per_run_cap =
            (3.0 * WORK_CAP / (2.0 * SEEDS as f64) / cfg.epoch_cost()).floor() as usize;
        Ensemble {
            cfg: cfg.clone(),
            base_seed,
            max_epochs: cfg.epochs.min(per_run_cap.max(1)),
            current: None,
            hit: [None, None],
            results: Vec::new(),
            epochs_per_unit: ((UNIT_COST / (2.0 * cfg.epoch_cost())) as usize).max(1),
        }
    }

    pub fn done(&self) -> bool {
        self.results.len() >= SEEDS
    }

    pub fn fraction(&self) -> f64 {
        let part = self.current.as_ref().map_or(0.0, |(_, g, c)| {
            g.epoch.max(c.epoch) as f64 / self.max_epochs.max(1) as f64
        });
        (self.results.len() as f64 + part.min(1.0)) / SEEDS as f64
    }

    /// Trains a slice of the current pair. Returns false when every seed is done.
    pub fn unit(&mut self) -> bool {
        if self.done() {
            return false;
        }
        if self.current.is_none() {
            let seed = self.base_seed.wrapping_add(self.results.len() as u64);
            let (prob, mut gd, mut cd) = self.cfg.runs(seed);
            self.hit = [None, None];
            for (i, r) in [&mut gd, &mut cd].into_iter().enumerate() {
                if r.test_error(&prob) < THRESHOLD {
                    self.hit[i] = Some(0);
                }
            }
            self.current = Some((prob, gd, cd));
        }
        let max = self.max_epochs;
        let mut finished = false;
        if let Some((prob, gd, cd)) = self.current.as_mut() {
            for _ in 0..self.epochs_per_unit {
                for (i, r) in [&mut *gd, &mut *cd].into_iter().enumerate() {
                    if self.hit[i].is_none() && !r.diverged && r.epoch < max {
                        r.epoch(prob);
                        if !r.diverged && r.test_error(prob) < THRESHOLD {
                            self.hit[i] = Some(r.epoch);
                        }
                    }
                }
                let over =
                    |i: usize, r: &Run| self.hit[i].is_some() || r.diverged || r.epoch >= max;
                if over(0, gd) && over(1, cd) {
                    finished = true;
                    break;
                }
            }
        }
        if finished {
            self.results.push((self.hit[0], self.hit[1]));
            self.current = None;
        }
        true
    }

    /// Median epochs over seeds (runs that never reached the threshold count as +∞), for (GD, CD).
    pub fn medians(&self) -> (f64, f64) {
        let med = |k: usize| {
            let mut v: Vec<f64> = self
                .results
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
    pub fn cd_faster(&self) -> usize {
        self.results
            .iter()
            .filter(|r| match r {
                (Some(g), Some(c)) => c < g,
                (None, Some(_)) => true,
                _ => false,
            })
            .count()
    }
}
