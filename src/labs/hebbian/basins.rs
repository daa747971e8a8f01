//! Basins of attraction of the pair's full 4-D dynamics (x1, x2, w12, w21) from a grid of
//! starts in (x1, x2) with given initial weights, computed a row at a time.

use super::equilibria::Equilibrium;
use super::model::{sigma, PairFlow};
use crate::dynamics::fm;

/// Integration step of the basin runs (RK4; stable for |w| up to about 10).
pub const DT: f64 = 0.2;
/// Cap on steps per start (t = 4000).
pub const MAX_STEPS: usize = 20_000;

/// Where one start ends: the index of the stable equilibrium reached, or −1 for none
/// (a saddle, or not decided within [`MAX_STEPS`]), and the steps it took.
pub fn classify_start(
    flow: &PairFlow,
    start: [f64; 4],
    stable: &[[f64; 4]],
    all: &[[f64; 4]],
) -> (i32, usize) {
    let mut s = start;
    for step in 0..MAX_STEPS {
        if step % 8 == 0 {
            for (k, e) in stable.iter().enumerate() {
                let dx = (s[0] - e[0]).abs().max((s[1] - e[1]).abs());
                let dw = (s[2] - e[2]).abs().max((s[3] - e[3]).abs());
                if dx < 0.02 && dw < 0.05 * e[2].abs().max(e[3].abs()).max(1.0) {
                    return (k as i32, step);
                }
            }
            let d = flow.eval(s);
            let speed = d.iter().fold(0.0f64, |a, v| a.max(v.abs()));
            if !speed.is_finite() {
                return (-1, step);
            }
            if speed < 1e-9 {
                // converged onto something that is not a stable equilibrium (a saddle)
                return (-1, step);
            }
        }
        s = flow.rk4(s, DT);
    }
    // undecided: the nearest stable equilibrium in x, if clearly nearer than any saddle
    let dist = |e: &[f64; 4]| fm::hypot(s[0] - e[0], s[1] - e[1]);
    let best = stable.iter().enumerate().min_by(|a, b| {
        dist(a.1)
            .partial_cmp(&dist(b.1))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let nearest_any = all.iter().map(dist).fold(f64::INFINITY, f64::min);
    match best {
        Some((k, e)) if dist(e) <= nearest_any + 1e-12 => (k as i32, MAX_STEPS),
        _ => (-1, MAX_STEPS),
    }
}

/// Full-state vectors of equilibria for [`classify_start`].
pub fn states(eq: &[Equilibrium]) -> Vec<[f64; 4]> {
    eq.iter()
        .filter(|e| e.x.len() == 2 && e.w.len() == 2)
        .map(|e| [e.x[0], e.x[1], e.w[0], e.w[1]])
        .collect()
}

/// A grid of starts, filled a row at a time (rows can arrive in any order).
#[derive(Debug, Clone)]
pub struct BasinGrid {
    pub nx: usize,
    pub ny: usize,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub w0: [f64; 2],
    /// Class per cell (row-major from the bottom row); NaN until computed.
    pub classes: Vec<f64>,
    pub rows_done: Vec<bool>,
}

impl BasinGrid {
    pub fn new(n: usize, x_range: (f64, f64), y_range: (f64, f64), w0: [f64; 2]) -> Self {
        BasinGrid {
            nx: n,
            ny: n,
            x_range,
            y_range,
            w0,
            classes: vec![f64::NAN; n * n],
            rows_done: vec![false; n],
        }
    }

    pub fn done(&self) -> bool {
        self.rows_done.iter().all(|d| *d)
    }

    pub fn fraction(&self) -> f64 {
        self.rows_done.iter().filter(|d| **d).count() as f64 / self.ny.max(1) as f64
    }

    /// The start of cell `c` (cell centres).
    pub fn start(&self, c: usize) -> [f64; 4] {
        let (i, j) = (c % self.nx, c / self.nx);
        let x =
            self.x_range.0 + (i as f64 + 0.5) * (self.x_range.1 - self.x_range.0) / self.nx as f64;
        let y =
            self.y_range.0 + (j as f64 + 0.5) * (self.y_range.1 - self.y_range.0) / self.ny as f64;
        [x, y, self.w0[0], self.w0[1]]
    }

    /// The classes of row `j` (a pure function of the grid, the flow and the targets).
    pub fn row(
        &self,
        j: usize,
        flow: &PairFlow,
        stable: &[[f64; 4]],
        all: &[[f64; 4]],
    ) -> Vec<i32> {
        (j * self.nx..(j + 1) * self.nx)
            .map(|c| classify_start(flow, self.start(c), stable, all).0)
            .collect()
    }

    /// Stores the classes of row `j`.
    pub fn set_row(&mut self, j: usize, classes: &[i32]) {
        if j >= self.ny || classes.len() != self.nx {
            return;
        }
        for (c, &k) in self.classes[j * self.nx..(j + 1) * self.nx]
            .iter_mut()
            .zip(classes)
        {
            *c = k as f64;
        }
        self.rows_done[j] = true;
    }

    /// Computes every row (the benchmark and the tests).
    pub fn fill(&mut self, flow: &PairFlow, stable: &[[f64; 4]], all: &[[f64; 4]]) {
        for j in 0..self.ny {
            let r = self.row(j, flow, stable, all);
            self.set_row(j, &r);
        }
    }

    /// Fraction of the computed cells that ended in a state where neuron 1 wins (x1 > x2).
    pub fn share_neuron1(&self, stable: &[[f64; 4]]) -> f64 {
        share_neuron1(
            self.classes
                .iter()
                .filter(|c| !c.is_nan())
                .map(|&c| c as i32),
            stable,
        )
    }
}

/// Fraction of `classes` (computed cells) whose stable state has neuron 1 winning (x1 > x2).
pub fn share_neuron1(classes: impl Iterator<Item = i32>, stable: &[[f64; 4]]) -> f64 {
    let winners: Vec<bool> = stable.iter().map(|e| sigma(e[0]) > sigma(e[1])).collect();
    let (mut n, mut n1) = (0usize, 0usize);
    for c in classes {
        n += 1;
        if c >= 0 && winners.get(c as usize).copied().unwrap_or(false) {
            n1 += 1;
        }
    }
    n1 as f64 / n.max(1) as f64
}
