//! The student–teacher network and its two learning rules (gradient descent and curl descent).
//!
//! Student `ŷ = φ(w2·φ(W1 x))` with `W1` (N×M, row-major: row j = hidden unit j) and `w2` (N),
//! inputs `x ~ N(0, σx² I)` with σx² = ½, error `E = ½ mean (ŷ − y)²`. Rule flips: input k
//! multiplies the updates of its outgoing synapses `W1[·,k]` by `d_in[k] ∈ {±1}` (D1), hidden unit
//! j multiplies the update of `w2[j]` by `d_hid[j]` (D2). Errors are backpropagated through the
//! true weights. Time is counted as `t = η·epochs` (η is the learning rate per epoch).

use crate::dynamics::rng::{self, Rng};

/// Input variance σx² (the authors draw `x ~ N(0, ½ I)`).
pub const SIGMA2: f64 = 0.5;
/// Number of test points in the finite-data modes.
pub const N_TEST: usize = 200;

/// Seed streams: one independent generator per use of a seed.
pub mod stream {
    pub const TEACHER: u64 = 0;
    pub const STUDENT: u64 = 1;
    pub const TRAIN: u64 = 2;
    pub const TEST: u64 = 3;
    pub const BATCHES: u64 = 4;
    pub const LYAPUNOV: u64 = 5;
    pub const TEACHER_START: u64 = 6;
    pub const PHASE: u64 = 10;
}

crate::choice_enum! {
    /// The activation φ (applied to the hidden layer and to the output unit, as in the authors' code).
    pub enum Act {
        Linear = "linear",
        Tanh = "tanh",
        Relu = "relu",
    }
}

impl Act {
    /// φ(a).
    #[inline]
    pub fn f(self, a: f64) -> f64 {
        match self {
            Act::Linear => a,
            Act::Tanh => crate::dynamics::fm::tanh(a),
            Act::Relu => a.max(0.0),
        }
    }
    /// φ'(a), given a and φ(a).
    #[inline]
    pub fn df(self, a: f64, fa: f64) -> f64 {
        match self {
            Act::Linear => 1.0,
            Act::Tanh => 1.0 - fa * fa,
            Act::Relu => {
                if a > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }
}

/// Weights of a two-layer network with M inputs and N hidden units.
#[derive(Debug, Clone, PartialEq)]
pub struct Net {
    pub m: usize,
    pub n: usize,
    /// W1, N×M row-major.
    pub w1: Vec<f64>,
    /// w2, length N.
    pub w2: Vec<f64>,
}

impl Net {
    /// Uniform initialisation `W1 ~ U(±r/√M)`, `w2 ~ U(±r/√N)` (the authors' default).
    pub fn uniform(m: usize, n: usize, r: f64, rng: &mut Rng) -> Net {
        let a1 = r / (m as f64).sqrt();
        let a2 = r / (n as f64).sqrt();
        let w1 = (0..n * m).map(|_| rng::uniform(rng, -a1, a1)).collect();
        let w2 = (0..n).map(|_| rng::uniform(rng, -a2, a2)).collect();
        Net { m, n, w1, w2 }
    }

    /// Gaussian teacher `W1 ~ N(0, 1/M)` rescaled to ‖W1‖_F² = N, and `w2` rescaled to ‖w2‖ = 1.
    pub fn normalized_teacher(m: usize, n: usize, rng: &mut Rng) -> Net {
        let s = 1.0 / (m as f64).sqrt();
        let mut w1: Vec<f64> = (0..n * m).map(|_| s * rng::normal(rng)).collect();
        let mut w2: Vec<f64> = (0..n).map(|_| rng::normal(rng)).collect();
        rescale(&mut w1, (n as f64).sqrt());
        rescale(&mut w2, 1.0);
        Net { m, n, w1, w2 }
    }

    /// The end-to-end linear map `w = w2 W1` (length M): `w[k] = Σ_j w2[j] W1[j,k]`.
    pub fn product(&self, out: &mut [f64]) {
        out.iter_mut().for_each(|v| *v = 0.0);
        for j in 0..self.n {
            let row = &self.w1[j * self.m..(j + 1) * self.m];
            let a = self.w2[j];
            for (o, &w) in out.iter_mut().zip(row) {
                *o += a * w;
            }
        }
    }

    /// ‖W1‖_F and ‖w2‖.
    pub fn norms(&self) -> (f64, f64) {
        (norm(&self.w1), norm(&self.w2))
    }

    /// All weights as one vector θ = (W1 row-major, w2).
    pub fn theta(&self) -> Vec<f64> {
        let mut t = self.w1.clone();
        t.extend_from_slice(&self.w2);
        t
    }

    pub fn is_finite(&self) -> bool {
        self.w1.iter().chain(&self.w2).all(|v| v.is_finite())
    }

    /// The network output for one input row `x` (length M); `a`, `h` are scratch of length N.
    #[inline]
    pub fn forward(&self, act: Act, x: &[f64], a: &mut [f64], h: &mut [f64]) -> f64 {
        let mut z = 0.0;
        for j in 0..self.n {
            let s = dot(&self.w1[j * self.m..(j + 1) * self.m], x);
            a[j] = s;
            h[j] = act.f(s);
            z += self.w2[j] * h[j];
        }
        act.f(z)
    }
}

/// `Σ a_i b_i` with four independent accumulators (lets the compiler vectorise the reduction).
#[inline]
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0.0f64; 4];
    let ca = a.chunks_exact(4);
    let cb = b.chunks_exact(4);
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for l in 0..4 {
            acc[l] += x[l] * y[l];
        }
    }
    let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for (x, y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

/// One row of the population update, fused: returns (`Σ_k w_k e_k` with the old w, `Σ_k w_k²` with
/// the new w) after `w_k −= c·ed_k`. Four accumulators per sum so the loop vectorises.
#[inline]
pub(crate) fn row_update(row: &mut [f64], e: &[f64], ed: &[f64], c: f64) -> (f64, f64) {
    let n = row.len().min(e.len()).min(ed.len());
    let (row, e, ed) = (&mut row[..n], &e[..n], &ed[..n]);
    let mut g = [0.0f64; 4];
    let mut q = [0.0f64; 4];
    let split = n - n % 4;
    let (rh, rt) = row.split_at_mut(split);
    for ((w, ev), dv) in rh
        .chunks_exact_mut(4)
        .zip(e[..split].chunks_exact(4))
        .zip(ed[..split].chunks_exact(4))
    {
        for l in 0..4 {
            g[l] += w[l] * ev[l];
            w[l] -= c * dv[l];
            q[l] += w[l] * w[l];
        }
    }
    let mut gs = (g[0] + g[1]) + (g[2] + g[3]);
    let mut qs = (q[0] + q[1]) + (q[2] + q[3]);
    for ((w, ev), dv) in rt.iter_mut().zip(&e[split..]).zip(&ed[split..]) {
        gs += *w * ev;
        *w -= c * dv;
        qs += *w * *w;
    }
    (gs, qs)
}

/// Euclidean norm.
pub fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// Scales `v` to Euclidean norm `target` (no-op for a zero or non-finite vector).
pub fn rescale(v: &mut [f64], target: f64) {
    let n = norm(v);
    if n > 0.0 && n.is_finite() {
        let f = target / n;
        v.iter_mut().for_each(|x| *x *= f);
    }
}

/// The diagonal sign vectors of the rule flips: the first `nh` inputs and first `nr` hidden units.
pub fn flips(m: usize, n: usize, nh: usize, nr: usize) -> (Vec<f64>, Vec<f64>) {
    let d_in = (0..m).map(|k| if k < nh { -1.0 } else { 1.0 }).collect();
    let d_hid = (0..n).map(|j| if j < nr { -1.0 } else { 1.0 }).collect();
    (d_in, d_hid)
}

/// What the error is measured on.
#[derive(Debug, Clone)]
pub enum Data {
    /// Linear network, exact population loss `L = ½ σx² ‖w2W1 − w*‖²`.
    Population { wstar: Vec<f64> },
    /// P training points (rows of `x_train`, P×M) and a test set; `batch` points per update.
    Samples {
        x_train: Vec<f64>,
        y_train: Vec<f64>,
        x_test: Vec<f64>,
        y_test: Vec<f64>,
        batch: usize,
    },
}

/// The learning problem shared by the runs: architecture, teacher, data and rate.
#[derive(Debug, Clone)]
pub struct Problem {
    pub m: usize,
    pub n: usize,
    pub act: Act,
    /// Learning rate per epoch (one epoch = Δt = η).
    pub eta: f64,
    pub teacher: Net,
    pub data: Data,
}

impl Problem {
    /// Draws the data set of a finite-data problem from the teacher: `x ~ N(0, σx² I)`, `y = teacher(x)`.
    pub fn samples(
        teacher: &Net,
        act: Act,
        p: usize,
        rng_train: &mut Rng,
        rng_test: &mut Rng,
    ) -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
        let m = teacher.m;
        let s = SIGMA2.sqrt();
        let mut a = vec![0.0; teacher.n];
        let mut h = vec![0.0; teacher.n];
        let mut draw = |count: usize, rng: &mut Rng| {
            let x: Vec<f64> = (0..count * m).map(|_| s * rng::normal(rng)).collect();
            let y: Vec<f64> = (0..count)
                .map(|i| teacher.forward(act, &x[i * m..(i + 1) * m], &mut a, &mut h))
                .collect();
            (x, y)
        };
        let (xt, yt) = draw(p, rng_train);
        let (xs, ys) = draw(N_TEST, rng_test);
        (xt, yt, xs, ys)
    }

    /// Number of training points (1 for the population loss).
    pub fn points(&self) -> usize {
        match &self.data {
            Data::Population { .. } => 1,
            Data::Samples { y_train, .. } => y_train.len(),
        }
    }

    /// Rough cost of one epoch in multiply-adds (for slicing work).
    pub fn epoch_cost(&self) -> f64 {
        let nm = (self.n * (self.m + 1)) as f64;
        match &self.data {
            Data::Population { .. } => 4.0 * nm,
            Data::Samples { y_train, .. } => 2.0 * nm * y_train.len() as f64 + 2.0 * nm,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_matches_naive_sum() {
        let a: Vec<f64> = (0..11).map(|i| i as f64 * 0.5).collect();
        let b: Vec<f64> = (0..11).map(|i| 1.0 - i as f64).collect();
        let naive: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - naive).abs() < 1e-12);
    }
}
