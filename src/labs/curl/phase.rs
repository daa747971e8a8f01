//! The (c, α) phase diagram: asymptotic boundaries α_h*(c), α_r*(c) from the random-matrix
//! equations, and a finite-size map of the fraction of sampled weight sets whose X is not positive
//! definite, for the current N, filled progressively one (column, sample) at a time.

use super::network::stream;
use super::stability;
use crate::dynamics::rng;

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
        self.curves.len() >= CURVE_POINTS && self.next >= COLS * SAMPLES
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
        if self.next >= COLS * SAMPLES {
            return false;
        }
        let (col, s) = (self.next / SAMPLES, self.next % SAMPLES);
        self.next += 1;
        let m = self.col_m(col);
        if m > MAX_M {
            return true;
        }
        let mut r = rng::seeded(self.seed, stream::PHASE + self.next as u64);
        let w1 = stability::sample_w1(m, self.n, &mut r);
        let th = match self.layer {
            Layer::Hidden => stability::hidden_threshold(&(w1.transpose() * &w1)),
            Layer::Readout => stability::readout_threshold(&w1),
        };
        self.thresholds[col][s] = Some(th);
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
