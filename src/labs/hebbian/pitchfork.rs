//! The pair's pitchfork (derived in the note, §4; re-derived here).
//!
//! Equilibria of the pair satisfy x1 = k σ1 σ2², x2 = k σ2 σ1² (k = h/(γx γw)), hence
//! g(x1) = g(x2) with g(x) = x σ(x). On x < 0, g has its minimum at x* where
//! σ + xσ' = 0 ⇔ x (1 − σ(x)) = −1, and the antisymmetric eigenvalue of the symmetric state,
//! λ_anti = −γx (1 + k σ² σ'), vanishes exactly there: k_c = x*/σ(x*)³.

use super::model::sigma;
use crate::dynamics::fm;
use crate::dynamics::newton::bisect;
use std::sync::OnceLock;

/// x* < 0 with x* (1 − σ(x*)) = −1 (the minimum of g(x) = xσ(x)), by bisection, computed
/// once: the branch solvers ask for it inside their own bisections.
pub fn x_star() -> f64 {
    static X_STAR: OnceLock<f64> = OnceLock::new();
    *X_STAR.get_or_init(|| {
        bisect(|x| x * (1.0 - sigma(x)) + 1.0, -3.0, -0.5, 1e-15).unwrap_or(f64::NAN)
    })
}

/// The critical strength k_c = x*/σ(x*)³ where the symmetric state loses stability.
pub fn critical_k() -> f64 {
    let x = x_star();
    x / fm::powi(sigma(x), 3)
}

/// Lambert W₀(z) for z ≥ 0 by Newton's method on w eʷ = z (an independent route to x*).
pub fn lambert_w0(z: f64) -> f64 {
    let mut w = if z < 1.0 { z } else { fm::ln(z) };
    for _ in 0..60 {
        let e = fm::exp(w);
        let f = w * e - z;
        let step = f / (e * (w + 1.0));
        w -= step;
        if step.abs() < 1e-16 {
            break;
        }
    }
    w
}

/// The symmetric equilibrium x = k σ(x)³ (exactly one root for every k), by bisection.
pub fn symmetric_x(k: f64) -> f64 {
    let f = |x: f64| x - k * fm::powi(sigma(x), 3);
    if k == 0.0 {
        return 0.0;
    }
    let (a, b) = if k > 0.0 {
        (0.0, k.abs() + 1.0)
    } else {
        (-k.abs() - 1.0, 0.0)
    };
    bisect(f, a, b, 1e-14).unwrap_or(f64::NAN)
}

/// λ_anti = −γx (1 + k σ² σ') at the symmetric state x: the antisymmetric eigenvalue.
pub fn lambda_anti(gx: f64, k: f64, x: f64) -> f64 {
    let s = sigma(x);
    -gx * (1.0 + k * s * s * s * (1.0 - s))
}

/// Curvatures of E_eff at the symmetric state in V coordinates, in units of γx:
/// (symmetric 1/σ' − 3kσ², antisymmetric 1/σ' + kσ²).
pub fn curvatures(k: f64, x: f64) -> (f64, f64) {
    let s = sigma(x);
    let ds = s * (1.0 - s);
    (1.0 / ds - 3.0 * k * s * s, 1.0 / ds + k * s * s)
}

/// The partner x_hi ∈ (x*, 0) of x_lo < x* with g(x_hi) = g(x_lo).
///
/// g is quadratic at its minimum, so for x_lo within ~1e-8 of x* the gap g(x_lo) − g(x*) is
/// below rounding and its computed sign is arbitrary: there the partner is x* itself.
pub fn partner(x_lo: f64) -> Option<f64> {
    let g = |x: f64| x * sigma(x);
    let target = g(x_lo);
    let xs = x_star();
    if g(xs) >= target {
        return Some(xs);
    }
    bisect(|x| g(x) - target, xs, -1e-12, 1e-14)
}

/// A point (k, x_lo, x_hi) of the asymmetric branch from its parametrisation by x_lo < x*:
/// k = x_lo / (σ(x_lo) σ(x_hi)²).
pub fn asymmetric_point(x_lo: f64) -> Option<(f64, f64, f64)> {
    let x_hi = partner(x_lo)?;
    let k = x_lo / (sigma(x_lo) * fm::powi(sigma(x_hi), 2));
    Some((k, x_lo, x_hi))
}

/// The asymmetric pair (x_lo, x_hi) at strength k < k_c: solves k(x_lo) = k by bisection on x_lo.
pub fn asymmetric_at(k: f64) -> Option<(f64, f64)> {
    let kc = critical_k();
    if k >= kc || k.is_nan() {
        return None;
    }
    let xs = x_star();
    let f = |xl: f64| asymmetric_point(xl).map_or(f64::NAN, |(kk, _, _)| kk - k);
    // k(x_lo) decreases from k_c to −∞ as x_lo goes from x* to −∞
    let mut lo = xs - 1.0;
    while f(lo) > 0.0 && lo > -60.0 {
        lo -= 1.0;
    }
    let xl = bisect(f, lo, xs - 1e-9, 1e-13)?;
    Some((xl, partner(xl)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lambert_route_agrees() {
        let w = lambert_w0(fm::exp(-1.0f64));
        assert!((x_star() + 1.0 + w).abs() < 1e-12);
        let kc = -fm::powi(1.0 + w, 4) / fm::powi(w, 3);
        assert!((critical_k() - kc).abs() < 1e-8, "{} vs {kc}", critical_k());
    }

    #[test]
    fn branch_merges_with_symmetric_at_kc() {
        let (k, lo, hi) = asymmetric_point(x_star() - 1e-4).unwrap_or((f64::NAN, 0.0, 0.0));
        assert!((k - critical_k()).abs() < 1e-3);
        assert!((lo - hi).abs() < 1e-3);
        assert!(lambda_anti(0.1, critical_k(), x_star()).abs() < 1e-12);
    }
}
