//! The (c, α) phase diagram: asymptotic boundaries α_h*(c), α_r*(c) from the random-matrix
//! equations, and a finite-size map of the fraction of sampled weight sets whose X is not positive
//! definite, for the current N: one (column, sample) threshold per job.

use super::network::stream;
use super::stability;
use crate::dynamics::fm;
use crate::dynamics::rng;
use nalgebra::DMatrix;

/// log10 c range of the diagram.
pub const LOG_C: (f64, f64) = (-2.0, 1.3);
/// Number of c values of the asymptotic curves.
pub const CURVE_POINTS: usize = 91;
/// Columns, rows and samples of the finite-size map.
pub const COLS: usize = 26;
pub const ROWS: usize = 20;
pub const SAMPLES: usize = 3;
/// Largest M sampled in the map (a Cholesky test of X costs M³/3; beyond this a column stays empty).
pub const MAX_M: usize = 150;

/// Which layer's flips the finite-size map samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    Hidden,
    Readout,
}

/// A threshold search: bisection over the flipped count, one Cholesky test per step.
#[derive(Debug, Clone)]
struct Search {
    w1: DMatrix<f64>,
    /// W1ᵀW1.
    gram: DMatrix<f64>,
    /// X(lo) is positive definite, X(hi) is not; None before the end points are tested.
    lo: Option<usize>,
    hi: Option<usize>,
    max: usize,
}

impl Search {
    /// Is X(k) positive definite? Hidden: W1ᵀW1 + D1(k); readout: W1ᵀW1 − 2 W1[..k]ᵀW1[..k] + I.
    fn pd(&self, layer: Layer, k: usize) -> bool {
        let m = self.gram.nrows();
        let mut x = match layer {
            Layer::Hidden => self.gram.clone(),
            Layer::Readout => {
                let top = self.w1.rows(0, k);
                &self.gram - (top.transpose() * top) * 2.0
            }
        };
        for i in 0..m {
            x[(i, i)] += match layer {
                Layer::Hidden if i < k => -1.0,
                _ => 1.0,
            };
        }
        stability::positive_definite(&x)
    }

    /// One Cholesky test of the bisection; returns the threshold when found.
    fn step(&mut self, layer: Layer) -> Option<usize> {
        match (self.lo, self.hi) {
            (None, _) => {
                if !self.pd(layer, 0) {
                    return Some(0);
                }
                self.lo = Some(0);
                None
            }
            (Some(_), None) => {
                if self.pd(layer, self.max) {
                    return Some(self.max + 1);
                }
                self.hi = Some(self.max);
                None
            }
            (Some(lo), Some(hi)) => {
                if hi - lo <= 1 {
                    return Some(hi);
                }
                let mid = (lo + hi) / 2;
                if self.pd(layer, mid) {
                    self.lo = Some(mid);
                } else {
                    self.hi = Some(mid);
                }
                None
            }
        }
    }
}

/// The asymptotic curves are computed in this many jobs of consecutive points (one job took
/// 0.3 s, the longest job of the lab's defaults, so two workers could not share it).
pub const CURVE_JOBS: usize = 7;

/// The points of curve job `job`: indices [job·k, (job + 1)·k) of [0, [`CURVE_POINTS`]),
/// k = ⌈CURVE_POINTS / CURVE_JOBS⌉.
fn curve_points(job: usize) -> std::ops::Range<usize> {
    let k = CURVE_POINTS.div_ceil(CURVE_JOBS);
    (job * k).min(CURVE_POINTS)..((job + 1) * k).min(CURVE_POINTS)
}

/// (log10 c, α_h*(c), α_r*(c)) of the asymptotic curves at the values of c that curve job
/// `job` computes (the [`CURVE_JOBS`] jobs together cover the [`CURVE_POINTS`] values in order).
pub fn curves_part(job: usize) -> Vec<(f64, f64, f64)> {
    curve_points(job)
        .map(|i| {
            let lc = LOG_C.0 + (LOG_C.1 - LOG_C.0) * i as f64 / (CURVE_POINTS - 1) as f64;
            let c = fm::powf(10f64, lc);
            (
                lc,
                stability::critical_alpha_h(c),
                stability::critical_alpha_r(c),
            )
        })
        .collect()
}

/// (α_h*(c), α_r*(c)) at each map column's c: fixed numbers, solved once per process (each
/// is a root search of the random-matrix edge, far too slow to repeat at every draw).
pub fn column_edges() -> &'static [(f64, f64)] {
    static EDGES: std::sync::OnceLock<Vec<(f64, f64)>> = std::sync::OnceLock::new();
    EDGES.get_or_init(|| {
        (0..COLS)
            .map(|col| {
                let c = crate::dynamics::fm::powf(10f64, col_log_c(col));
                (
                    stability::critical_alpha_h(c),
                    stability::critical_alpha_r(c),
                )
            })
            .collect()
    })
}

/// log10 c at the centre of map column i.
pub fn col_log_c(i: usize) -> f64 {
    LOG_C.0 + (i as f64 + 0.5) * (LOG_C.1 - LOG_C.0) / COLS as f64
}

/// M of map column i at N = n (at least 1).
pub fn col_m(n: usize, i: usize) -> usize {
    ((fm::powf(10f64, col_log_c(i)) * n as f64).round() as usize).max(1)
}

/// The smallest flipped count that destabilises sample `sample` of column `col` at N = n
/// (None: the column is not sampled, M > [`MAX_M`]). Its seed is the seed's stream
/// `PHASE + col·SAMPLES + sample + 1`.
pub fn threshold(n: usize, layer: Layer, seed: u64, col: usize, sample: usize) -> Option<usize> {
    let n = n.max(1);
    let m = col_m(n, col);
    if m > MAX_M {
        return None;
    }
    let k = col * SAMPLES + sample;
    let mut r = rng::seeded(seed, stream::PHASE + k as u64 + 1);
    let w1 = stability::sample_w1(m, n, &mut r);
    let gram = crate::dynamics::gemm::mul_tn(&w1, &w1);
    let max = match layer {
        Layer::Hidden => m,
        Layer::Readout => n,
    };
    let mut search = Search {
        w1,
        gram,
        lo: None,
        hi: None,
        max,
    };
    loop {
        if let Some(th) = search.step(layer) {
            return Some(th);
        }
    }
}

/// The finite-size map's thresholds as they come in.
#[derive(Debug, Clone)]
pub struct Phase {
    pub n: usize,
    pub layer: Layer,
    /// (log10 c, α_h*, α_r*), once every curve job is in.
    pub curves: Vec<(f64, f64, f64)>,
    /// The curve jobs' points as they come in.
    curve_parts: Vec<Option<Vec<(f64, f64, f64)>>>,
    /// thresholds[col][sample] (None: not computed, or not sampled).
    pub thresholds: Vec<Vec<Option<usize>>>,
}

impl Phase {
    pub fn new(n: usize, layer: Layer) -> Self {
        Phase {
            n: n.max(1),
            layer,
            curves: Vec::new(),
            curve_parts: vec![None; CURVE_JOBS],
            thresholds: vec![vec![None; SAMPLES]; COLS],
        }
    }

    /// Takes curve job `job`'s points; once all are in, [`Phase::curves`] is their
    /// concatenation in job order.
    pub fn set_curve_part(&mut self, job: usize, part: Vec<(f64, f64, f64)>) {
        if let Some(slot) = self.curve_parts.get_mut(job) {
            *slot = Some(part);
        }
        if self.curve_parts.iter().all(Option::is_some) {
            self.curves = self
                .curve_parts
                .iter()
                .flatten()
                .flatten()
                .copied()
                .collect();
        }
    }

    /// M of map column i.
    pub fn col_m(&self, i: usize) -> usize {
        col_m(self.n, i)
    }

    /// Fraction of samples unstable in each cell (row-major from the bottom row), NaN if not sampled.
    pub fn map(&self) -> Vec<f64> {
        let mut v = vec![f64::NAN; COLS * ROWS];
        for col in 0..COLS {
            let m = self.col_m(col);
            let size = match self.layer {
                Layer::Hidden => m,
                Layer::Readout => self.n,
            } as f64;
            let done: Vec<usize> = self.thresholds[col].iter().flatten().copied().collect();
            if done.is_empty() {
                continue;
            }
            for row in 0..ROWS {
                let alpha = (row as f64 + 0.5) / ROWS as f64;
                let k = (alpha * size).round() as usize;
                let unstable = done.iter().filter(|&&th| k >= th).count();
                v[row * COLS + col] = unstable as f64 / done.len() as f64;
            }
        }
        v
    }

    /// The finite-size critical fraction of column `col` (median over samples), if sampled.
    pub fn empirical_alpha(&self, col: usize) -> Option<f64> {
        let mut done: Vec<usize> = self.thresholds[col].iter().flatten().copied().collect();
        if done.is_empty() {
            return None;
        }
        done.sort_unstable();
        let size = match self.layer {
            Layer::Hidden => self.col_m(col),
            Layer::Readout => self.n,
        } as f64;
        Some(done[done.len() / 2] as f64 / size)
    }
}
