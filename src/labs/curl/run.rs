//! One training run of the student: its weights, rule signs and norm targets, the epoch update
//! (population loss, full batch or minibatches) with the optional norm projection, and the
//! errors. No allocation per step.

mod lanes;

use super::network::{row_update, stream, Act, Data, Net, Problem, SIGMA2};
use crate::dynamics::fm;
use crate::dynamics::rng::{self, Rng};
use lanes::LANES;
use rand::Rng as _;

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
    /// φ's inputs and outputs of the hidden units, lane-interleaved (`a[j·LANES + l]`).
    a: Vec<f64>,
    h: Vec<f64>,
    /// The inputs of a group of samples, transposed (`xt[k·LANES + l]`).
    xt: Vec<f64>,
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
            a: vec![0.0; n * LANES],
            h: vec![0.0; n * LANES],
            xt: vec![0.0; m * LANES],
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
            Act::Tanh => self.accumulate(x, y, start, end, fm::lanes::tanh, |_, h| 1.0 - h * h),
            Act::Relu => self.accumulate(
                x,
                y,
                start,
                end,
                |a| a.map(|v| v.max(0.0)),
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
    use crate::labs::curl::network::flips;

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
}
