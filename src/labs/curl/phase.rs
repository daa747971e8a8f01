//! The (c, α) phase diagram: asymptotic boundaries α_h*(c), α_r*(c) from the random-matrix
//! equations, and a finite-size map of the fraction of sampled weight sets whose X is not positive
//! definite, for the current N, filled progressively one (column, sample) at a time.

use super::network::stream;
use super::stability;
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

/// A threshold search in progress: one Cholesky test per unit of work.
#[derive(Debug, Clone)]
struct Search {
    col: usize,
    sample: usize,
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

#[derive(Debug, Clone)]
pub struct Phase {
    pub n: usize,
    pub layer: Layer,
    seed: u64,
    /// (log10 c, α_h*, α_r*) computed so far.
    pub curves: Vec<(f64, f64, f64)>,
    /// thresholds[col][sample] = smallest flipped count that destabilises (None: not yet computed).
    thresholds: Vec<Vec<Option<usize>>>,
    next: usize,
    search: Option<Search>,
}

impl Phase {
    pub fn new(n: usize, layer: Layer, seed: u64) -> Self {
        Phase {
            n: n.max(1),
            layer,
            seed,
            curves: Vec::with_capacity(CURVE_POINTS),
            thresholds: vec![vec![None; SAMPLES]; COLS],
            next: 0,
            search: None,
        }
    }

    /// log10 c at the centre of map column i.
    pub fn col_log_c(i: usize) -> f64 {
        LOG_C.0 + (i as f64 + 0.5) * (LOG_C.1 - LOG_C.0) / COLS as f64
    }

    /// M of map column i (at least 1).
    pub fn col_m(&self, i: usize) -> usize {
        ((10f64.powf(Self::col_log_c(i)) * self.n as f64).round() as usize).max(1)
    }

    fn total_units(&self) -> usize {
        CURVE_POINTS + COLS * SAMPLES
    }

    pub fn fraction_done(&self) -> f64 {
        (self.curves.len() + self.next) as f64 / self.total_units() as f64
    }

    pub fn done(&self) -> bool {
        self.curves.len() >= CURVE_POINTS && self.next >= COLS * SAMPLES && self.search.is_none()
    }

    /// Does one unit of work (one c of the curves, or one sample of one column). Returns false when done.
    pub fn unit(&mut self) -> bool {
        if self.curves.len() < CURVE_POINTS {
            let i = self.curves.len();
            let lc = LOG_C.0 + (LOG_C.1 - LOG_C.0) * i as f64 / (CURVE_POINTS - 1) as f64;
            let c = 10f64.powf(lc);
            self.curves.push((
                lc,
                stability::critical_alpha_h(c),
                stability::critical_alpha_r(c),
            ));
            return true;
        }
        if let Some(search) = self.search.as_mut() {
            if let Some(th) = search.step(self.layer) {
                self.thresholds[search.col][search.sample] = Some(th);
                self.search = None;
            }
            return true;
        }
        if self.next >= COLS * SAMPLES {
            return false;
        }
        let (col, s) = (self.next / SAMPLES, self.next % SAMPLES);
        self.next += 1;
        let m = self.col_m(col);
        if m > MAX_M {
            return true;
        }
        // sampling W1 and its Gram matrix is one unit, each Cholesky test of the bisection another
        let mut r = rng::seeded(self.seed, stream::PHASE + self.next as u64);
        let w1 = stability::sample_w1(m, self.n, &mut r);
        let gram = w1.transpose() * &w1;
        let max = match self.layer {
            Layer::Hidden => m,
            Layer::Readout => self.n,
        };
        self.search = Some(Search {
            col,
            sample: s,
            w1,
            gram,
            lo: None,
            hi: None,
            max,
        });
        true
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
