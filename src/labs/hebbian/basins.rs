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
            if let Some(k) = settled(flow, s, stable) {
                return (k, step);
            }
        }
        s = flow.rk4(s, DT);
    }
    (undecided(s, stable, all), MAX_STEPS)
}

/// Starts integrated side by side by [`classify_starts`].
pub const LANES: usize = fm::lanes::WIDTH;

/// [`classify_start`] of every start, [`LANES`] at a time: each lane does exactly the scalar
/// start's operations (so the bits are the same), but the lanes' RK4 stages are independent,
/// so they overlap in the pipeline and vectorise, where one start alone waits on each of its
/// exponentials. The state is kept component by component (`s[i][lane]`), so each line of the
/// field is one vector operation over the lanes. A lane whose start has settled takes the next
/// start at once: every start settles on a check step (a multiple of 8), so all lanes stay
/// on the same step modulo 8 and one check every 8 steps serves them all, and no lane idles
/// while a slow start of its group finishes (the fixed groups of four idled 8 % of the lanes'
/// steps on the benchmark grid).
pub fn classify_starts(
    flow: &PairFlow,
    starts: &[[f64; 4]],
    stable: &[[f64; 4]],
    all: &[[f64; 4]],
) -> Vec<(i32, usize)> {
    let mut out = vec![(-1, 0); starts.len()];
    let Some(first) = starts.first() else {
        return out;
    };
    // idle lanes integrate a copy of the first start; their results are never read
    let mut s = [[0.0; LANES]; 4];
    for (i, c) in s.iter_mut().enumerate() {
        *c = [first[i]; LANES];
    }
    let mut who: [Option<usize>; LANES] = [None; LANES];
    let mut step = [0usize; LANES];
    let mut next = 0;
    loop {
        for l in 0..LANES {
            loop {
                let Some(c) = who[l] else {
                    if next == starts.len() {
                        break;
                    }
                    who[l] = Some(next);
                    step[l] = 0;
                    for (i, comp) in s.iter_mut().enumerate() {
                        comp[l] = starts[next][i];
                    }
                    next += 1;
                    continue;
                };
                let state = [s[0][l], s[1][l], s[2][l], s[3][l]];
                let result = if step[l] >= MAX_STEPS {
                    Some((undecided(state, stable, all), MAX_STEPS))
                } else {
                    settled(flow, state, stable).map(|k| (k, step[l]))
                };
                match result {
                    Some(r) => {
                        out[c] = r;
                        who[l] = None;
                    }
                    None => break,
                }
            }
        }
        if who.iter().all(Option::is_none) {
            return out;
        }
        for _ in 0..8 {
            s = rk4_lanes(flow, &s, DT);
        }
        step.iter_mut().for_each(|k| *k += 8);
    }
}

/// The check every 8 steps: Some(k) once `s` is within reach of stable equilibrium k, Some(−1)
/// if it diverged or came to rest elsewhere (a saddle), None while it is still moving.
fn settled(flow: &PairFlow, s: [f64; 4], stable: &[[f64; 4]]) -> Option<i32> {
    for (k, e) in stable.iter().enumerate() {
        let dx = (s[0] - e[0]).abs().max((s[1] - e[1]).abs());
        let dw = (s[2] - e[2]).abs().max((s[3] - e[3]).abs());
        if dx < 0.02 && dw < 0.05 * e[2].abs().max(e[3].abs()).max(1.0) {
            return Some(k as i32);
        }
    }
    let d = flow.eval(s);
    let speed = d.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    // not finite: diverged; below 1e-9: converged onto something that is not a stable equilibrium
    (!speed.is_finite() || speed < 1e-9).then_some(-1)
}

/// An undecided start: the nearest stable equilibrium in x, if clearly nearer than any saddle.
fn undecided(s: [f64; 4], stable: &[[f64; 4]], all: &[[f64; 4]]) -> i32 {
    let dist = |e: &[f64; 4]| fm::hypot(s[0] - e[0], s[1] - e[1]);
    let best = stable.iter().enumerate().min_by(|a, b| {
        dist(a.1)
            .partial_cmp(&dist(b.1))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let nearest_any = all.iter().map(dist).fold(f64::INFINITY, f64::min);
    match best {
        Some((k, e)) if dist(e) <= nearest_any + 1e-12 => k as i32,
        _ => -1,
    }
}

/// [`PairFlow::rk4`] of every lane, stage by stage across the lanes (the same operations in
/// the same order per lane), on the state component by component.
#[inline(always)]
fn rk4_lanes(flow: &PairFlow, s: &[[f64; LANES]; 4], dt: f64) -> [[f64; LANES]; 4] {
    let add = |a: &[[f64; LANES]; 4], b: &[[f64; LANES]; 4], c: f64| {
        let mut o = [[0.0; LANES]; 4];
        for i in 0..4 {
            for l in 0..LANES {
                o[i][l] = a[i][l] + c * b[i][l];
            }
        }
        o
    };
    let k1 = eval_lanes(flow, s);
    let k2 = eval_lanes(flow, &add(s, &k1, 0.5 * dt));
    let k3 = eval_lanes(flow, &add(s, &k2, 0.5 * dt));
    let k4 = eval_lanes(flow, &add(s, &k3, dt));
    let mut out = *s;
    for i in 0..4 {
        for l in 0..LANES {
            out[i][l] += dt / 6.0 * (k1[i][l] + 2.0 * k2[i][l] + 2.0 * k3[i][l] + k4[i][l]);
        }
    }
    out
}

/// [`PairFlow::eval`] of every lane: the sigmoids of all lanes first, then the derivatives.
#[inline(always)]
fn eval_lanes(flow: &PairFlow, s: &[[f64; LANES]; 4]) -> [[f64; LANES]; 4] {
    // σ(z) = 1/(1 + e⁻ᶻ), [`sigma`]'s operations, two lanes per SIMD128 vector in wasm
    let s1 = fm::lanes::logistic(s[0]);
    let s2 = fm::lanes::logistic(s[1]);
    let mut d = [[0.0; LANES]; 4];
    for l in 0..LANES {
        let hebb = flow.h * s1[l] * s2[l];
        d[0][l] = -flow.gx * s[0][l] + s[2][l] * s2[l] + flow.u[0];
        d[1][l] = -flow.gx * s[1][l] + s[3][l] * s1[l] + flow.u[1];
        d[2][l] = flow.eps * (-flow.gw * s[2][l] + hebb);
        d[3][l] = flow.eps * (-flow.gw * s[3][l] + hebb);
    }
    d
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
        let starts: Vec<[f64; 4]> = (j * self.nx..(j + 1) * self.nx)
            .map(|c| self.start(c))
            .collect();
        classify_starts(flow, &starts, stable, all)
            .into_iter()
            .map(|(k, _)| k)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The lanes give each start's own bits: the same class and step count as one start
    /// alone, for 11 starts on 4 lanes: lanes take new starts as theirs settle, at different
    /// steps, and idle at the end.
    #[test]
    fn lanes_give_the_single_start_results() {
        // the lab's own pair at its defaults (h = −4, past the pitchfork) and its equilibria
        use crate::lab::Lab;
        let (p, _) = crate::labs::hebbian::INFO.params_from_pairs(&[]);
        let lab = crate::labs::hebbian::experiments::Hebbian::new(p);
        let flow = PairFlow::from_model(&lab.pair);
        let (stable, all) = lab.basin_targets();
        let starts: Vec<[f64; 4]> = (0..11)
            .map(|i| {
                let (a, b) = ((i % 4) as f64, (i / 4) as f64);
                [1.1 * a - 2.0, 1.6 * b - 1.9, 0.2, -0.1]
            })
            .collect();
        let lanes = classify_starts(&flow, &starts, &stable, &all);
        for (s, got) in starts.iter().zip(&lanes) {
            assert_eq!(
                *got,
                classify_start(&flow, *s, &stable, &all),
                "start {s:?}"
            );
        }
        let classes: std::collections::BTreeSet<i32> = lanes.iter().map(|r| r.0).collect();
        let steps: std::collections::BTreeSet<usize> = lanes.iter().map(|r| r.1).collect();
        assert!(classes.contains(&0) && classes.contains(&1), "{lanes:?}");
        assert!(
            steps.len() > 3,
            "lanes settle at different steps: {lanes:?}"
        );
    }
}
