//! The minimal 2-D toy `ŷ = w2 w1 x` with target t: error `e = w1 w2 − t`, loss `½ σx² e²`.
//!
//! Gradient descent `ẇ1 = −σx² e w2`, `ẇ2 = −σx² e w1` conserves `w1² − w2²` (hyperbolae, a saddle
//! at the origin). Flipping the readout weight (`ẇ2 = +σx² e w1`) conserves `w1² + w2²` (circles, a
//! centre); then `ė = σx² e (w1² − w2²)`, so the solution hyperbola `w1 w2 = t` is stable where
//! `|w2| > |w1|`. If `w1² + w2² < 2|t|` the circle misses the solutions and the weights cycle forever.

use super::network::SIGMA2;
use crate::dynamics::ode::{Rk4, VectorField};

/// A polyline in the (w1, w2) plane.
pub type Polyline = Vec<(f64, f64)>;

/// Target of the toy.
pub const TARGET: f64 = 1.0;
/// RK4 step.
pub const DT: f64 = 0.005;
/// Points kept for drawing: one every KEEP steps.
const KEEP: usize = 5;
/// Points the animation reveals per tick (40 RK4 steps).
pub const POINTS_PER_TICK: usize = 40 / KEEP;
/// Length of a toy trajectory in time units.
pub const T_END: f64 = 40.0;
/// The time of the `k`-th kept point's end (`k` points shown: the start and `k − 1` more).
pub fn time_of(k: usize) -> f64 {
    k.saturating_sub(1) as f64 * KEEP as f64 * DT
}

/// Half-width of the portrait window.
pub const BOX: f64 = 2.5;

/// The toy's vector field; `flipped` flips the sign of w2's update (curl descent).
#[derive(Debug, Clone, Copy)]
pub struct ToyField {
    pub flipped: bool,
}

impl VectorField for ToyField {
    fn dim(&self) -> usize {
        2
    }
    /// `ẇ1 = −σx² e w2`, `ẇ2 = ∓σx² e w1` with `e = w1 w2 − t`.
    fn eval(&self, x: &[f64], dx: &mut [f64]) {
        let e = x[0] * x[1] - TARGET;
        dx[0] = -SIGMA2 * e * x[1];
        dx[1] = if self.flipped { 1.0 } else { -1.0 } * SIGMA2 * e * x[0];
    }
}

/// A pair of trajectories (GD and one flipped weight) from one start, integrated progressively.
#[derive(Debug, Clone)]
pub struct ToyTrajectory {
    pub start: (f64, f64),
    pub gd: Vec<(f64, f64)>,
    pub cd: Vec<(f64, f64)>,
    state_gd: [f64; 2],
    state_cd: [f64; 2],
    steps: usize,
    rk: Rk4,
}

impl ToyTrajectory {
    pub fn new(w1: f64, w2: f64) -> Self {
        ToyTrajectory {
            start: (w1, w2),
            gd: vec![(w1, w2)],
            cd: vec![(w1, w2)],
            state_gd: [w1, w2],
            state_cd: [w1, w2],
            steps: 0,
            rk: Rk4::new(2),
        }
    }

    pub fn total_steps() -> usize {
        (T_END / DT).round() as usize
    }

    pub fn running(&self) -> bool {
        self.steps < Self::total_steps()
    }

    /// Advances both trajectories by `k` RK4 steps (GD stops once it leaves a wide box).
    pub fn advance(&mut self, k: usize) {
        let gd = ToyField { flipped: false };
        let cd = ToyField { flipped: true };
        for _ in 0..k {
            if !self.running() {
                return;
            }
            // store every KEEP-th point (and the last): enough for drawing
            let keep = self.steps % KEEP == KEEP - 1 || self.steps + 1 == Self::total_steps();
            if self.state_gd.iter().all(|v| v.abs() < 50.0) {
                self.rk.step(&gd, &mut self.state_gd, DT);
                if keep {
                    self.gd.push((self.state_gd[0], self.state_gd[1]));
                }
            }
            self.rk.step(&cd, &mut self.state_cd, DT);
            if keep {
                self.cd.push((self.state_cd[0], self.state_cd[1]));
            }
            self.steps += 1;
        }
    }
}

/// A trajectory pair from one start, whole: what a job of the toy stage gives.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ToyPaths {
    pub start: (f64, f64),
    pub gd: Vec<(f64, f64)>,
    pub cd: Vec<(f64, f64)>,
}

/// Integrates both trajectories from `(w1, w2)` to [`T_END`].
pub fn run(w1: f64, w2: f64) -> ToyPaths {
    let mut t = ToyTrajectory::new(w1, w2);
    t.advance(ToyTrajectory::total_steps());
    ToyPaths {
        start: t.start,
        gd: t.gd,
        cd: t.cd,
    }
}

/// Integrates the flipped toy with RK4 for `steps` steps of `dt` from `(w1, w2)`; returns the largest
/// drift of `w1² + w2²` from its start value.
pub fn circle_drift(w1: f64, w2: f64, dt: f64, steps: usize) -> f64 {
    let f = ToyField { flipped: true };
    let mut x = [w1, w2];
    let r0 = w1 * w1 + w2 * w2;
    let mut rk = Rk4::new(2);
    let mut worst = 0.0f64;
    for _ in 0..steps {
        rk.step(&f, &mut x, dt);
        worst = worst.max((x[0] * x[0] + x[1] * x[1] - r0).abs());
    }
    worst
}

/// Arrows of the flipped field on a grid over the window (lengths normalised for display).
pub fn arrows(grid: usize) -> Vec<((f64, f64), (f64, f64))> {
    let f = ToyField { flipped: true };
    let mut out = Vec::with_capacity(grid * grid);
    let h = 2.0 * BOX / grid as f64;
    let mut d = [0.0; 2];
    for i in 0..grid {
        for j in 0..grid {
            let x = -BOX + (i as f64 + 0.5) * h;
            let y = -BOX + (j as f64 + 0.5) * h;
            f.eval(&[x, y], &mut d);
            let len = (d[0] * d[0] + d[1] * d[1]).sqrt();
            if len < 1e-12 {
                continue;
            }
            // length grows slowly with speed, at most 0.4 of a cell
            let l = 0.42 * h * (len / (1.0 + len));
            out.push(((x, y), (x + l * d[0] / len, y + l * d[1] / len)));
        }
    }
    out
}

/// Branches of the solution hyperbola `w1 w2 = t` in the window, split into the stable part
/// (`|w2| > |w1|`) and the unstable part (`|w2| < |w1|`) of the flipped flow.
pub fn solution_branches() -> (Vec<Polyline>, Vec<Polyline>) {
    let mut stable = Vec::new();
    let mut unstable = Vec::new();
    let turn = TARGET.abs().sqrt();
    let lo = TARGET.abs() / BOX;
    for sign in [1.0, -1.0] {
        // stable: |w1| from lo to √t (|w2| ≥ |w1|); unstable: |w1| from √t to BOX
        let pts = |a: f64, b: f64| -> Vec<(f64, f64)> {
            (0..=60)
                .map(|i| {
                    let w1 = a + (b - a) * i as f64 / 60.0;
                    (sign * w1, sign * TARGET / w1)
                })
                .collect()
        };
        stable.push(pts(lo, turn));
        unstable.push(pts(turn, BOX));
    }
    (stable, unstable)
}

/// Level curves `w1² − w2² = k` (the conserved quantity of gradient descent) inside the window.
pub fn gd_hyperbolae() -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    for &k in &[-4.0, -2.0, -0.75, 0.0, 0.75, 2.0, 4.0] {
        for sx in [1.0, -1.0] {
            for sy in [1.0, -1.0] {
                let mut pts = Vec::new();
                for i in 0..=60 {
                    let s = BOX * i as f64 / 60.0;
                    let (a, b) = if k >= 0.0 {
                        ((k + s * s).sqrt(), s)
                    } else {
                        (s, (s * s - k).sqrt())
                    };
                    if a <= BOX && b <= BOX {
                        pts.push((sx * a, sy * b));
                    }
                }
                if pts.len() > 1 {
                    out.push(pts);
                }
            }
        }
    }
    out
}
