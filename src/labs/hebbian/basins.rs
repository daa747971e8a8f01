//! Basins of attraction of the pair's full 4-D dynamics (x1, x2, w12, w21) from a grid of
//! starts in (x1, x2) with given initial weights, computed progressively cell by cell.

use super::equilibria::Equilibrium;
use super::model::{sigma, PairFlow};

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
    let dist = |e: &[f64; 4]| (s[0] - e[0]).hypot(s[1] - e[1]);
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

/// A grid of starts filled progressively.
#[derive(Debug, Clone)]
pub struct BasinGrid {
    pub nx: usize,
    pub ny: usize,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub w0: [f64; 2],
    /// Class per cell (row-major from the bottom row); NaN until computed.
    pub classes: Vec<f64>,
    pub next: usize,
    pub steps: usize,
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
            next: 0,
            steps: 0,
        }
    }

    pub fn done(&self) -> bool {
        self.next >= self.classes.len()
    }

    pub fn fraction(&self) -> f64 {
        self.next as f64 / self.classes.len().max(1) as f64
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

    /// Computes up to `cells` more cells (at most `step_budget` RK4 steps in all, but at least one cell).
    pub fn work(
        &mut self,
        flow: &PairFlow,
        stable: &[[f64; 4]],
        all: &[[f64; 4]],
        step_budget: usize,
    ) {
        let mut spent = 0;
        while !self.done() && (spent < step_budget || spent == 0) {
            let (k, st) = classify_start(flow, self.start(self.next), stable, all);
            self.classes[self.next] = k as f64;
            self.next += 1;
            spent += st.max(1);
        }
        self.steps += spent;
    }

    /// Fraction of the computed cells that ended in a state where neuron 1 wins (x1 > x2).
    pub fn share_neuron1(&self, stable: &[[f64; 4]]) -> f64 {
        let winners: Vec<bool> = stable.iter().map(|e| sigma(e[0]) > sigma(e[1])).collect();
        let done = &self.classes[..self.next];
        let n1 = done
            .iter()
            .filter(|&&c| c >= 0.0 && winners.get(c as usize).copied().unwrap_or(false))
            .count();
        n1 as f64 / done.len().max(1) as f64
    }
}
