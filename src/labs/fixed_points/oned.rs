//! The one-neuron case (note §7.1): `a = 1/(1 − w)`, `J(w) = a² Sxx − 2 a Srx + Srr` from the
//! sufficient statistics of the data, with its pole at w = 1 and its plateau `Srr` as w → ±∞.

use crate::dynamics::rng;

/// The sufficient statistics `Sxx = ⟨x²⟩`, `Srx = ⟨r̂ x⟩`, `Srr = ⟨r̂²⟩` of the 1-D task.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    pub sxx: f64,
    pub srx: f64,
    pub srr: f64,
}

/// Number of samples of the note's 1-D task.
pub const SAMPLES: usize = 500;

impl Stats {
    /// The note's task with input scale `sx`: `x = sx·N(0,1)`, `r̂ = 0.5 x + 0.2 sx·N(0,1)`
    /// (the teacher `w = −1`, `a = 0.5`; at sx = 0.1 the noise is the note's 0.02).
    pub fn sample(seed: u64, sx: f64) -> Stats {
        let mut g = rng::seeded(seed, 5);
        let (mut sxx, mut srx, mut srr) = (0.0, 0.0, 0.0);
        for _ in 0..SAMPLES {
            let x = sx * rng::normal(&mut g);
            let r = 0.5 * x + 0.2 * sx * rng::normal(&mut g);
            sxx += x * x;
            srx += r * x;
            srr += r * r;
        }
        let k = SAMPLES as f64;
        Stats {
            sxx: sxx / k,
            srx: srx / k,
            srr: srr / k,
        }
    }

    /// `J(a) = a² Sxx − 2 a Srx + Srr` (a convex parabola in a).
    pub fn loss_a(&self, a: f64) -> f64 {
        a * a * self.sxx - 2.0 * a * self.srx + self.srr
    }
    /// `J(w)` with `a = 1/(1 − w)`; infinite at the pole w = 1, `Srr` at w = ±∞.
    pub fn loss_w(&self, w: f64) -> f64 {
        if w.is_infinite() {
            return self.srr;
        }
        self.loss_a(1.0 / (1.0 - w))
    }
    /// `∂J/∂a = 2(a Sxx − Srx)`.
    pub fn grad_a(&self, a: f64) -> f64 {
        2.0 * (a * self.sxx - self.srx)
    }
    /// The minimiser `a* = Srx/Sxx`, `w* = 1 − 1/a*`.
    pub fn optimum(&self) -> (f64, f64) {
        let a = self.srx / self.sxx;
        (1.0 - 1.0 / a, self.loss_a(a))
    }
}

/// One rule's 1-D iterates: `w` (±∞ allowed for rule 2, which passes through w = ∞ when a
/// crosses 0) and `J`, up to where the iterate stopped.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Path1 {
    pub w: Vec<f64>,
    pub j: Vec<f64>,
    /// Why the path stopped early, if it did.
    pub stopped: Option<String>,
}

/// The three rules' iterates from `w0` for `iters` steps:
/// GD `w ← w − η₁ a² ∂_aJ`; rule 2 `a ← a − η₂ ∂_aJ`, `w = 1 − 1/a`; rule 3
/// `w ← w − η₃ (1 − w)² ∂_aJ`.
pub fn run(s: &Stats, w0: f64, etas: [f64; 3], iters: usize) -> [Path1; 3] {
    let mut out: [Path1; 3] = Default::default();
    if (1.0 - w0).abs() < 1e-12 {
        for p in &mut out {
            p.stopped = Some("w0 = 1 is the pole: there is no fixed point".into());
        }
        return out;
    }
    // Rule 1 and rule 3 in w.
    for (k, idx) in [(0usize, 0usize), (2, 2)] {
        let eta = etas[k];
        let p = &mut out[idx];
        let mut w = w0;
        for it in 0..=iters {
            let a = 1.0 / (1.0 - w);
            let j = s.loss_a(a);
            if !(w.is_finite() && a.is_finite() && j.is_finite()) || w.abs() > 1e12 {
                p.stopped = Some(format!(
                    "left the finite range at step {it} (w → {}∞)",
                    if w > 0.0 { "+" } else { "−" }
                ));
                break;
            }
            p.w.push(w);
            p.j.push(j);
            if it == iters {
                break;
            }
            let ga = s.grad_a(a);
            w -= if k == 0 {
                eta * a * a * ga
            } else {
                eta * (1.0 - w) * (1.0 - w) * ga
            };
        }
    }
    // Rule 2 in a (exact: the step is a gradient step on the convex J(a)).
    {
        let p = &mut out[1];
        let mut a = 1.0 / (1.0 - w0);
        for it in 0..=iters {
            let j = s.loss_a(a);
            if !(a.is_finite() && j.is_finite()) || a.abs() > 1e12 {
                p.stopped = Some(format!("diverged at step {it} (η₂ too large)"));
                break;
            }
            let w = if a == 0.0 {
                f64::INFINITY
            } else {
                1.0 - 1.0 / a
            };
            p.w.push(w);
            p.j.push(j);
            if it == iters {
                break;
            }
            a -= etas[1] * s.grad_a(a);
        }
    }
    out
}
