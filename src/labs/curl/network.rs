//! The student–teacher network and its two learning rules (gradient descent and curl descent).
//!
//! Student `ŷ = φ(w2·φ(W1 x))` with `W1` (N×M, row-major: row j = hidden unit j) and `w2` (N),
//! inputs `x ~ N(0, σx² I)` with σx² = ½, error `E = ½ mean (ŷ − y)²`. Rule flips: input k
//! multiplies the updates of its outgoing synapses `W1[·,k]` by `d_in[k] ∈ {±1}` (D1), hidden unit
//! j multiplies the update of `w2[j]` by `d_hid[j]` (D2). Errors are backpropagated through the
//! true weights. Time is counted as `t = η·epochs` (η is the learning rate per epoch).

use crate::dynamics::rng::{self, Rng};
use rand::Rng as _;

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

/// The activation φ (applied to the hidden layer and to the output unit, as in the authors' code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::excessive_precision)]
pub enum Act {
    Linear,
    Tanh,
    Relu,
}

impl Act {
    pub fn from_name(s: &str) -> Act {
        match s {
            "tanh" => Act::Tanh,
            "relu" => Act::Relu,
            _ => Act::Linear,
        }
    }
    /// φ(a).
    #[inline]
    pub fn f(self, a: f64) -> f64 {
        match self {
            Act::Linear => a,
            Act::Tanh => fast_tanh(a),
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

/// tanh a, about 3× faster than the libm call (the hot spot of the tanh epochs):
/// `a(1 − (a²/3)(1 − 2a²/5))` for |a| < 0.01 (series, error < 6e-16), `1 − 2/(e^{2a} + 1)` up to
/// |a| = 19 (absolute error ~1e-16), ±1 beyond. Relative error below 1e-13 everywhere.
#[inline]
pub fn fast_tanh(a: f64) -> f64 {
    let x = a.abs();
    if x < 0.01 {
        let a2 = a * a;
        a * (1.0 - a2 / 3.0 * (1.0 - 0.4 * a2))
    } else if x < 19.0 {
        // wasm32 runs libm's exp as generic code; natively the system exp is faster
        let t = if cfg!(target_arch = "wasm32") {
            exp_small(2.0 * a)
        } else {
            (2.0 * a).exp()
        };
        1.0 - 2.0 / (t + 1.0)
    } else if a.is_nan() {
        a
    } else {
        a.signum()
    }
}

/// `eˣ` for |x| < 40 (and finite x): `x = k ln2 + r` with |r| ≤ ln2/2 (ln2 split into a head
/// with trailing zeros and a tail, so `k·ln2_hi` is exact), `eʳ` by its Taylor series to r¹²
/// (remainder < 2·10⁻¹⁶ relative) in Estrin's scheme, then `2ᵏ` built from the exponent bits.
/// Branch- and division-free, unlike libm's exp (which wasm32 runs as generic code).
#[inline]
fn exp_small(x: f64) -> f64 {
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
    const C: [f64; 13] = [
        1.0,
        1.0,
        1.0 / 2.0,
        1.0 / 6.0,
        1.0 / 24.0,
        1.0 / 120.0,
        1.0 / 720.0,
        1.0 / 5040.0,
        1.0 / 40320.0,
        1.0 / 362_880.0,
        1.0 / 3_628_800.0,
        1.0 / 39_916_800.0,
        1.0 / 479_001_600.0,
    ];
    let k = (x * std::f64::consts::LOG2_E).round_ties_even();
    let r = (x - k * LN2_HI) - k * LN2_LO;
    let r2 = r * r;
    let r4 = r2 * r2;
    let r8 = r4 * r4;
    let q0 = (C[0] + C[1] * r) + (C[2] + C[3] * r) * r2;
    let q1 = (C[4] + C[5] * r) + (C[6] + C[7] * r) * r2;
    let q2 = (C[8] + C[9] * r) + (C[10] + C[11] * r) * r2;
    let p = (q0 + q1 * r4) + (q2 + C[12] * r4) * r8;
    // k ∈ [−58, 58] here, so 2ᵏ is a normal number
    let ki = (k as i64).clamp(-1022, 1023);
    p * f64::from_bits(((ki + 1023) as u64) << 52)
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
fn row_update(row: &mut [f64], e: &[f64], ed: &[f64], c: f64) -> (f64, f64) {
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

/// One training run: weights, rule signs, norm targets and scratch space (no allocation per step).
#[derive(Debug, Clone)]
pub struct Run {
    pub net: Net,
    pub d_in: Vec<f64>,
    pub d_hid: Vec<f64>,
    /// Rescale each layer to its initial Frobenius norm after every update.
    pub proj: bool,
    pub norm1: f64,
    pub norm2: f64,
    pub epoch: usize,
    pub diverged: bool,
    /// ‖W1‖² + ‖w2‖² after the last update (before the projection): NaN/∞ flags a blow-up.
    last_sq: f64,
    /// Cached product w2 W1 of the current weights (population mode), valid if `prod_valid`.
    /// Whoever edits `net` directly must call [`Run::invalidate_cache`].
    prod: Vec<f64>,
    next: Vec<f64>,
    prod_valid: bool,
    rng: Rng,
    order: Vec<usize>,
    g1: Vec<f64>,
    g2: Vec<f64>,
    e: Vec<f64>,
    a: Vec<f64>,
    h: Vec<f64>,
}

impl Run {
    /// A run from `net` with sign vectors `d_in`, `d_hid`; `seed` orders the minibatches.
    pub fn new(
        net: Net,
        d_in: Vec<f64>,
        d_hid: Vec<f64>,
        proj: bool,
        seed: u64,
        points: usize,
    ) -> Run {
        let (m, n) = (net.m, net.n);
        let (norm1, norm2) = net.norms();
        Run {
            net,
            d_in,
            d_hid,
            proj,
            norm1,
            norm2,
            epoch: 0,
            diverged: false,
            last_sq: 0.0,
            prod: vec![0.0; m],
            next: vec![0.0; m],
            prod_valid: false,
            rng: rng::seeded(seed, stream::BATCHES),
            order: (0..points).collect(),
            g1: vec![0.0; n * m],
            g2: vec![0.0; n],
            e: vec![0.0; m],
            a: vec![0.0; n],
            h: vec![0.0; n],
        }
    }

    /// One epoch of the flipped rule: `ΔW1 = −(η/P) Σ_μ δ1 xᵀ D1`, `Δw2 = −(η/P) Σ_μ e h D2`,
    /// `δ1 = (w2ᵀ e) ⊙ φ'(a)` (per-sample rate η/P, so an epoch is Δt = η for any batch size),
    /// then the norm projection. For the population loss it is the Euler step of
    /// `dW1/dt = −σx² w2ᵀ(e ⊙ d_in)`, `dw2/dt = −σx² (W1 eᵀ)ᵀ ⊙ d_hid`.
    /// Returns the training error at the start of the epoch (for full batch; for minibatches the
    /// mean of the batch errors seen during the epoch). Marks the run diverged on NaN/∞/explosion.
    pub fn epoch(&mut self, prob: &Problem) -> f64 {
        if self.diverged {
            return f64::NAN;
        }
        let err = match &prob.data {
            Data::Population { wstar } => self.population_step(prob.eta, wstar),
            Data::Samples {
                x_train,
                y_train,
                batch,
                ..
            } => {
                let p = y_train.len();
                let b = (*batch).clamp(1, p.max(1));
                if b < p {
                    // Fisher–Yates reshuffle every epoch (seeded)
                    for i in (1..p).rev() {
                        let k = self.rng.random_range(0..=i);
                        self.order.swap(i, k);
                    }
                }
                let mut sum = 0.0;
                let mut start = 0;
                while start < p {
                    let end = (start + b).min(p);
                    sum += self.batch_step(prob, x_train, y_train, start, end, p);
                    start = end;
                    if self.diverged {
                        break;
                    }
                }
                sum / p as f64
            }
        };
        self.epoch += 1;
        let big = 1e12 * (1.0 + self.norm1 + self.norm2);
        let (n1, n2) = if self.proj {
            (self.norm1, self.norm2)
        } else {
            self.net.norms()
        };
        if !err.is_finite() || !(n1 + n2).is_finite() || n1 + n2 > big || !self.last_sq.is_finite()
        {
            self.diverged = true;
        }
        err
    }

    /// Euler step of the population dynamics; returns `L = ½ σx² ‖e‖²` before the step.
    fn population_step(&mut self, dt: f64, wstar: &[f64]) -> f64 {
        let m = self.net.m;
        if !self.prod_valid {
            self.net.product(&mut self.prod);
        }
        let mut l = 0.0;
        for ((e, p), w) in self.e.iter_mut().zip(&self.prod).zip(wstar) {
            *e = p - w;
            l += *e * *e;
        }
        // ed[k] = dt σx² e[k] d_in[k], kept in g1's first M slots (scratch)
        let (ed, _) = self.g1.split_at_mut(m);
        for ((o, e), d) in ed.iter_mut().zip(&self.e).zip(&self.d_in) {
            *o = dt * SIGMA2 * e * d;
        }
        self.next.iter_mut().for_each(|v| *v = 0.0);
        let mut s1 = 0.0;
        let mut s2 = 0.0;
        for j in 0..self.net.n {
            let row = &mut self.net.w1[j * m..(j + 1) * m];
            let w2j = self.net.w2[j];
            let (g2, q) = row_update(row, &self.e, ed, w2j);
            s1 += q;
            let nw = w2j - dt * SIGMA2 * self.d_hid[j] * g2;
            self.net.w2[j] = nw;
            s2 += nw * nw;
            // the next step's product w2 W1, accumulated while the row is in cache
            for (p, w) in self.next.iter_mut().zip(row.iter()) {
                *p += nw * w;
            }
        }
        self.last_sq = s1 + s2;
        let (f1, f2) = if self.proj {
            self.project(s1.sqrt(), s2.sqrt())
        } else {
            (1.0, 1.0)
        };
        // the projection scales W1 by f1 and w2 by f2, so the product by f1·f2
        let f = f1 * f2;
        for (p, q) in self.prod.iter_mut().zip(&self.next) {
            *p = f * q;
        }
        self.prod_valid = true;
        0.5 * SIGMA2 * l
    }

    /// Forgets cached quantities; call after editing `net` directly.
    pub fn invalidate_cache(&mut self) {
        self.prod_valid = false;
    }

    /// One minibatch update over `order[start..end]`; returns the sum of the batch's squared errors / 2.
    fn batch_step(
        &mut self,
        prob: &Problem,
        x: &[f64],
        y: &[f64],
        start: usize,
        end: usize,
        p: usize,
    ) -> f64 {
        let (m, n) = (self.net.m, self.net.n);
        let act = prob.act;
        self.g1.iter_mut().for_each(|v| *v = 0.0);
        self.g2.iter_mut().for_each(|v| *v = 0.0);
        // dispatch on the activation once, so the per-sample loop is monomorphic
        let sum = match act {
            Act::Linear => self.accumulate(x, y, start, end, |a| a, |_, _| 1.0),
            Act::Tanh => self.accumulate(x, y, start, end, fast_tanh, |_, h| 1.0 - h * h),
            Act::Relu => self.accumulate(
                x,
                y,
                start,
                end,
                |a| a.max(0.0),
                |a, _| if a > 0.0 { 1.0 } else { 0.0 },
            ),
        };
        let rate = prob.eta / p as f64;
        let mut s1 = 0.0;
        let mut s2 = 0.0;
        for j in 0..n {
            let row = &mut self.net.w1[j * m..(j + 1) * m];
            let g = &self.g1[j * m..(j + 1) * m];
            for ((w, gv), d) in row.iter_mut().zip(g).zip(&self.d_in) {
                *w -= rate * gv * d;
                s1 += *w * *w;
            }
            let nw = self.net.w2[j] - rate * self.g2[j] * self.d_hid[j];
            self.net.w2[j] = nw;
            s2 += nw * nw;
        }
        self.last_sq = s1 + s2;
        if !sum.is_finite() || !(s1 + s2).is_finite() {
            self.diverged = true;
            return f64::NAN;
        }
        if self.proj {
            self.project(s1.sqrt(), s2.sqrt());
        }
        self.prod_valid = false;
        sum
    }

    /// Accumulates `g1 = Σ_μ δ1 x_μᵀ`, `g2 = Σ_μ e h` over `order[start..end]` for activation
    /// `f` with derivative `df(a, f(a))`; returns `Σ_μ ½ e²`.
    #[inline(always)]
    fn accumulate<F: Fn(f64) -> f64, D: Fn(f64, f64) -> f64>(
        &mut self,
        x: &[f64],
        y: &[f64],
        start: usize,
        end: usize,
        f: F,
        df: D,
    ) -> f64 {
        let (m, n) = (self.net.m, self.net.n);
        let full = start == 0 && end == y.len();
        let mut sum = 0.0;
        for idx in start..end {
            let mu = if full { idx } else { self.order[idx] };
            let xr = &x[mu * m..(mu + 1) * m];
            let mut z = 0.0;
            for j in 0..n {
                let a = dot(&self.net.w1[j * m..(j + 1) * m], xr);
                let h = f(a);
                self.a[j] = a;
                self.h[j] = h;
                z += self.net.w2[j] * h;
            }
            let e = f(z) - y[mu];
            sum += 0.5 * e * e;
            for j in 0..n {
                let h = self.h[j];
                self.g2[j] += e * h;
                let d1 = self.net.w2[j] * e * df(self.a[j], h);
                if d1 != 0.0 {
                    let g = &mut self.g1[j * m..(j + 1) * m];
                    for (gv, xv) in g.iter_mut().zip(xr) {
                        *gv += d1 * xv;
                    }
                }
            }
        }
        sum
    }

    /// Rescales W1 and w2 back to their initial norms given their current norms; returns the factors.
    fn project(&mut self, n1: f64, n2: f64) -> (f64, f64) {
        let mut out = (1.0, 1.0);
        if n1 > 0.0 && n1.is_finite() {
            let f = self.norm1 / n1;
            self.net.w1.iter_mut().for_each(|w| *w *= f);
            out.0 = f;
        }
        if n2 > 0.0 && n2.is_finite() {
            let f = self.norm2 / n2;
            self.net.w2.iter_mut().for_each(|w| *w *= f);
            out.1 = f;
        }
        out
    }

    /// Error `½ mean (ŷ − y)²` of the current weights on the training set (or the population loss).
    pub fn train_error(&mut self, prob: &Problem) -> f64 {
        match &prob.data {
            Data::Population { wstar } => population_loss(&self.net, wstar, &mut self.e),
            Data::Samples {
                x_train, y_train, ..
            } => self.error_on(prob.act, x_train, y_train),
        }
    }

    /// Error on the test set (the population loss for the population mode).
    pub fn test_error(&mut self, prob: &Problem) -> f64 {
        match &prob.data {
            Data::Population { wstar } => population_loss(&self.net, wstar, &mut self.e),
            Data::Samples { x_test, y_test, .. } => self.error_on(prob.act, x_test, y_test),
        }
    }

    fn error_on(&mut self, act: Act, x: &[f64], y: &[f64]) -> f64 {
        let m = self.net.m;
        let mut s = 0.0;
        for (mu, yv) in y.iter().enumerate() {
            let e = self
                .net
                .forward(act, &x[mu * m..(mu + 1) * m], &mut self.a, &mut self.h)
                - yv;
            s += e * e;
        }
        0.5 * s / y.len().max(1) as f64
    }

    /// The full gradient ∇L (W1 part into `g1`, w2 part into `g2`) on the training set or population.
    pub fn gradient(&mut self, prob: &Problem, g1: &mut [f64], g2: &mut [f64]) {
        let (m, n) = (self.net.m, self.net.n);
        g1.iter_mut().for_each(|v| *v = 0.0);
        g2.iter_mut().for_each(|v| *v = 0.0);
        match &prob.data {
            Data::Population { wstar } => {
                self.net.product(&mut self.e);
                for (e, w) in self.e.iter_mut().zip(wstar) {
                    *e -= w;
                }
                for j in 0..n {
                    for k in 0..m {
                        g1[j * m + k] = SIGMA2 * self.net.w2[j] * self.e[k];
                        g2[j] += SIGMA2 * self.net.w1[j * m + k] * self.e[k];
                    }
                }
            }
            Data::Samples {
                x_train, y_train, ..
            } => {
                let p = y_train.len().max(1) as f64;
                for (mu, yv) in y_train.iter().enumerate() {
                    let xr = &x_train[mu * m..(mu + 1) * m];
                    let e = self.net.forward(prob.act, xr, &mut self.a, &mut self.h) - yv;
                    for j in 0..n {
                        g2[j] += e * self.h[j] / p;
                        let d1 = self.net.w2[j] * e * prob.act.df(self.a[j], self.h[j]) / p;
                        for k in 0..m {
                            g1[j * m + k] += d1 * xr[k];
                        }
                    }
                }
            }
        }
    }

    /// Curl fraction ‖(I − D_θ)∇L‖ / ‖∇L‖ (0 for gradient descent, 2 for gradient ascent).
    pub fn curl_fraction(&mut self, prob: &Problem) -> f64 {
        let (m, n) = (self.net.m, self.net.n);
        let mut g1 = vec![0.0; n * m];
        let mut g2 = vec![0.0; n];
        self.gradient(prob, &mut g1, &mut g2);
        let mut tot = 0.0;
        let mut flip = 0.0;
        for j in 0..n {
            for k in 0..m {
                let g = g1[j * m + k];
                tot += g * g;
                if self.d_in[k] < 0.0 {
                    flip += g * g;
                }
            }
            tot += g2[j] * g2[j];
            if self.d_hid[j] < 0.0 {
                flip += g2[j] * g2[j];
            }
        }
        if tot > 0.0 {
            2.0 * (flip / tot).sqrt()
        } else {
            0.0
        }
    }
}

/// `L = ½ σx² ‖w2W1 − w*‖²`; `scratch` has length M.
pub fn population_loss(net: &Net, wstar: &[f64], scratch: &mut [f64]) -> f64 {
    net.product(scratch);
    0.5 * SIGMA2
        * scratch
            .iter()
            .zip(wstar)
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>()
}

/// The continuous-time field of the linear population dynamics on θ = (W1, w2):
/// `θ̇ = −η D_θ ∇L(θ)`, and with `proj` its per-layer tangent projection
/// `θ̇_l ← θ̇_l − (⟨θ̇_l, θ_l⟩/‖θ_l‖²) θ_l` (the limit of "step, then rescale the norms").
#[allow(clippy::too_many_arguments)]
pub fn population_field(
    m: usize,
    n: usize,
    wstar: &[f64],
    d_in: &[f64],
    d_hid: &[f64],
    eta: f64,
    proj: bool,
    theta: &[f64],
    out: &mut [f64],
) {
    let (w1, w2) = theta.split_at(n * m);
    let mut e = vec![0.0; m];
    for j in 0..n {
        for k in 0..m {
            e[k] += w2[j] * w1[j * m + k];
        }
    }
    for (ev, w) in e.iter_mut().zip(wstar) {
        *ev -= w;
    }
    let (o1, o2) = out.split_at_mut(n * m);
    for j in 0..n {
        let mut g2 = 0.0;
        for k in 0..m {
            o1[j * m + k] = -eta * SIGMA2 * w2[j] * e[k] * d_in[k];
            g2 += w1[j * m + k] * e[k];
        }
        o2[j] = -eta * SIGMA2 * g2 * d_hid[j];
    }
    if proj {
        for (o, w) in [(o1, w1), (o2, w2)] {
            let ww: f64 = w.iter().map(|x| x * x).sum();
            if ww > 0.0 {
                let c: f64 = o.iter().zip(w).map(|(a, b)| a * b).sum::<f64>() / ww;
                for (ov, wv) in o.iter_mut().zip(w) {
                    *ov -= c * wv;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_small_matches_libm() {
        let mut worst = 0.0f64;
        for i in -40_000..=40_000 {
            let x = i as f64 * 1e-3;
            worst = worst.max(((exp_small(x) - x.exp()) / x.exp()).abs());
        }
        assert!(worst < 1e-15, "relative error {worst}");
    }

    #[test]
    fn fast_tanh_matches_libm() {
        let mut worst = 0.0f64;
        for i in -40_000..=40_000 {
            let a = i as f64 * 1e-3;
            let (f, t) = (fast_tanh(a), a.tanh());
            if t != 0.0 {
                worst = worst.max(((f - t) / t).abs());
            }
        }
        assert!(worst < 1e-13, "relative error {worst}");
        assert_eq!(fast_tanh(50.0), 1.0);
        assert!(fast_tanh(f64::NAN).is_nan());
    }

    #[test]
    fn cached_product_tracks_the_weights() {
        // the population step carries w2 W1 from one step to the next (scaled by the projection)
        let mut r = rng::seeded(4, 0);
        let (m, n) = (7, 5);
        let net = Net::uniform(m, n, 2.0, &mut r);
        let teacher = Net::normalized_teacher(m, n, &mut r);
        let mut wstar = vec![0.0; m];
        teacher.product(&mut wstar);
        let prob = Problem {
            m,
            n,
            act: Act::Linear,
            eta: 0.1,
            teacher,
            data: Data::Population {
                wstar: wstar.clone(),
            },
        };
        let (d_in, d_hid) = flips(m, n, 3, 2);
        let mut run = Run::new(net, d_in, d_hid, true, 1, 1);
        let mut scratch = vec![0.0; m];
        for _ in 0..50 {
            let before = population_loss(&run.net, &wstar, &mut scratch);
            let reported = run.epoch(&prob);
            assert!(
                (before - reported).abs() <= 1e-12 * (1.0 + before),
                "{before} vs {reported}"
            );
        }
        // norms stay at their initial values
        let (n1, n2) = run.net.norms();
        assert!((n1 - run.norm1).abs() < 1e-12 && (n2 - run.norm2).abs() < 1e-12);
    }

    #[test]
    fn dot_matches_naive_sum() {
        let a: Vec<f64> = (0..11).map(|i| i as f64 * 0.5).collect();
        let b: Vec<f64> = (0..11).map(|i| 1.0 - i as f64).collect();
        let naive: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - naive).abs() < 1e-12);
    }
}
