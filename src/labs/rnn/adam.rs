//! Adam (Kingma & Ba) with global gradient-norm clipping (note §5b: clip 1.0).
//!
//! m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  θ ← θ − η m̂ / (√v̂ + ε) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).

use super::network::Weights;
use crate::dynamics::fm;

/// Adam's state for one parameter set.
#[derive(Debug, Clone)]
pub struct Adam {
    m: Weights,
    v: Weights,
    t: i32,
    pub lr: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
}

impl Adam {
    pub fn new(n: usize, lr: f64) -> Adam {
        Adam {
            m: Weights::zeros(n),
            v: Weights::zeros(n),
            t: 0,
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        }
    }

    /// One Adam step of `p` along the gradient `g`.
    pub fn step(&mut self, p: &mut Weights, g: &Weights) {
        self.t = self.t.saturating_add(1);
        let (b1, b2) = (self.beta1, self.beta2);
        let c1 = 1.0 / (1.0 - fm::powi(b1, self.t));
        let c2 = 1.0 / (1.0 - fm::powi(b2, self.t));
        let parts = p
            .parts_mut()
            .into_iter()
            .zip(g.parts())
            .zip(self.m.parts_mut().into_iter().zip(self.v.parts_mut()));
        for ((pp, gg), (mm, vv)) in parts {
            for i in 0..pp.len() {
                mm[i] = b1 * mm[i] + (1.0 - b1) * gg[i];
                vv[i] = b2 * vv[i] + (1.0 - b2) * gg[i] * gg[i];
                pp[i] -= self.lr * (mm[i] * c1) / ((vv[i] * c2).sqrt() + self.eps);
            }
        }
    }
}

/// Scales `g` so that its global norm is at most `max_norm`; returns the norm before clipping.
pub fn clip(g: &mut Weights, max_norm: f64) -> f64 {
    let n = g.norm();
    if n > max_norm && n.is_finite() {
        g.scale(max_norm / n);
    }
    n
}
