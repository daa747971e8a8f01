//! Chaos diagnostics of the weight dynamics: the authors' order parameter q over a window, and the
//! largest Lyapunov exponent by the two-trajectory (Benettin) method.

use super::network::Problem;
use super::run::Run;
use crate::dynamics::fm;

/// `q = mean_i Var_t(θ_i) / Var_i(mean_t θ_i)` over consecutive windows of epochs (the authors
/// use the last 1000 epochs). Sums are taken relative to the window's first state so that q stays
/// accurate near a fixed point (q ~ 1e-30 there, O(0.1–100) in the chaotic phase).
#[derive(Debug, Clone)]
pub struct QWindow {
    pub window: usize,
    reference: Vec<f64>,
    s1: Vec<f64>,
    s2: Vec<f64>,
    count: usize,
    /// (time at the window's end, q of the window).
    pub values: Vec<(f64, f64)>,
}

impl QWindow {
    pub fn new(window: usize) -> Self {
        QWindow {
            window: window.max(2),
            reference: Vec::new(),
            s1: Vec::new(),
            s2: Vec::new(),
            count: 0,
            values: Vec::new(),
        }
    }

    /// Adds the weights θ at time t (W1 then w2, without allocating).
    pub fn push(&mut self, t: f64, w1: &[f64], w2: &[f64]) {
        let dim = w1.len() + w2.len();
        if self.count == 0 {
            self.reference.clear();
            self.reference.extend_from_slice(w1);
            self.reference.extend_from_slice(w2);
            self.s1.clear();
            self.s1.resize(dim, 0.0);
            self.s2.clear();
            self.s2.resize(dim, 0.0);
        }
        for (i, v) in w1.iter().chain(w2).enumerate() {
            let d = v - self.reference[i];
            self.s1[i] += d;
            self.s2[i] += d * d;
        }
        self.count += 1;
        if self.count >= self.window {
            let q = self.q();
            self.values.push((t, q));
            self.count = 0;
        }
    }

    fn q(&self) -> f64 {
        let t = self.count as f64;
        let dim = self.s1.len().max(1) as f64;
        let mut var_t = 0.0;
        let mut mean_of_means = 0.0;
        let mut means = Vec::with_capacity(self.s1.len());
        for i in 0..self.s1.len() {
            let m = self.s1[i] / t;
            var_t += (self.s2[i] / t - m * m).max(0.0);
            let mean = self.reference[i] + m;
            means.push(mean);
            mean_of_means += mean;
        }
        var_t /= dim;
        mean_of_means /= dim;
        let var_i = means
            .iter()
            .map(|m| (m - mean_of_means) * (m - mean_of_means))
            .sum::<f64>()
            / dim;
        if var_i > 0.0 {
            var_t / var_i
        } else {
            f64::NAN
        }
    }

    /// The q of the last completed window.
    pub fn last(&self) -> f64 {
        self.values.last().map_or(f64::NAN, |v| v.1)
    }
}

/// A shadow run a distance `d0` from the curl-descent run, renormalised every `every` epochs:
/// `λ₁ = Σ ln(d/d0) / (elapsed time)` once the transient is over.
#[derive(Debug, Clone)]
pub struct Lyapunov {
    pub shadow: Run,
    pub d0: f64,
    pub every: usize,
    pub transient_epochs: usize,
    sum: f64,
    time: f64,
    /// (time, running estimate).
    pub running: Vec<(f64, f64)>,
}

impl Lyapunov {
    /// `shadow` must start from the main run's weights plus a perturbation of norm `d0`.
    pub fn new(shadow: Run, d0: f64, every: usize, transient_epochs: usize) -> Self {
        Lyapunov {
            shadow,
            d0,
            every: every.max(1),
            transient_epochs,
            sum: 0.0,
            time: 0.0,
            running: Vec::new(),
        }
    }

    /// Steps the shadow one epoch alongside `main` (already stepped) and renormalises when due.
    pub fn after_epoch(&mut self, prob: &Problem, main: &Run) {
        if self.shadow.diverged || main.diverged {
            return;
        }
        self.shadow.epoch(prob);
        if !main.epoch.is_multiple_of(self.every) {
            return;
        }
        let mut dd = 0.0;
        for (a, b) in main
            .net
            .w1
            .iter()
            .chain(&main.net.w2)
            .zip(self.shadow.net.w1.iter().chain(&self.shadow.net.w2))
        {
            dd += (b - a) * (b - a);
        }
        let d = dd.sqrt();
        if !(d.is_finite() && d > 0.0) {
            // coincident (all directions contracted to round-off) or broken: restart the shadow
            self.reset_from(main, d);
            return;
        }
        if main.epoch > self.transient_epochs {
            self.sum += fm::ln(d / self.d0);
            self.time += self.every as f64 * prob.eta;
            self.running
                .push((main.epoch as f64 * prob.eta, self.sum / self.time));
        }
        let f = self.d0 / d;
        for (b, a) in self.shadow.net.w1.iter_mut().zip(&main.net.w1) {
            *b = a + (*b - a) * f;
        }
        for (b, a) in self.shadow.net.w2.iter_mut().zip(&main.net.w2) {
            *b = a + (*b - a) * f;
        }
        self.shadow.invalidate_cache();
    }

    fn reset_from(&mut self, main: &Run, d: f64) {
        // a separation of exactly zero means contraction below round-off: count it as a strong
        // contraction over the interval and restart along a fixed direction
        if d == 0.0 {
            self.shadow.net = main.net.clone();
            let k = self.shadow.net.w2.len().max(1);
            for v in self.shadow.net.w2.iter_mut() {
                *v += self.d0 / (k as f64).sqrt();
            }
        } else {
            self.shadow.diverged = true;
        }
        self.shadow.invalidate_cache();
    }

    /// The current estimate of the largest exponent (per unit time t), NaN before the transient ends.
    pub fn exponent(&self) -> f64 {
        if self.time > 0.0 {
            self.sum / self.time
        } else {
            f64::NAN
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q_is_zero_at_a_fixed_point_and_order_one_when_wandering() {
        let mut q = QWindow::new(10);
        for k in 0..10 {
            q.push(k as f64, &[1.0, -2.0, 0.5], &[3.0]);
        }
        assert_eq!(q.last(), 0.0);
        // θ_i(t) = c_i + sin t with Var_i(c) = ½ = Var_t(sin t): q ≈ 1
        let k = (0.5f64 / ((50.0 * 50.0 - 1.0) / 12.0)).sqrt();
        let mut q = QWindow::new(2000);
        for step in 0..2000 {
            let t = step as f64 * 0.01;
            let w: Vec<f64> = (0..50).map(|i| k * i as f64 + fm::sin(t)).collect();
            q.push(t, &w, &[]);
        }
        assert!((q.last() - 1.0).abs() < 0.1, "q = {}", q.last());
    }
}
