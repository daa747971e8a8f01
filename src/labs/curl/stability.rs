//! Stability of the solution manifold S = {w2 W1 = w*} of the linear network.
//!
//! At a point of S the Jacobian of `θ̇ = −η D_θ ∇L` is `J = −η σx² D_θ Gᵀ G` with
//! `G = ∂(w2 W1)/∂θ`; its M nontrivial eigenvalues are `−η σx² eig(X)` with the symmetric
//! `X = G D_θ Gᵀ = W1ᵀ D2 W1 + ‖w2‖² D1` (real although J is not symmetric).
//! With the per-layer norm projection the flow is `θ̇ = P(θ)(−η D_θ ∇L)`,
//! `P = I − u1u1ᵀ − u2u2ᵀ` (u_l the unit radial direction of layer l). At a fixed point the
//! Jacobian is `−η σx² P D_θ Gᵀ G`, whose nonzero eigenvalues are those of
//! `X_p = G P D_θ Gᵀ` (the nonzero spectra of AB and BA agree). Derived here:
//! `G u1 = w/‖W1‖`, `u1ᵀ D_θ Gᵀ v = (w D1)·v/‖W1‖`, `G u2 = w/‖w2‖`, `u2ᵀ D_θ Gᵀ v = (w2 D2 W1)·v/‖w2‖`
//! with `w = w2 W1`, so (acting on row vectors, `v ↦ v X_p`)
//! `X_p = X − (w D1)ᵀ w /‖W1‖² − (w2 D2 W1)ᵀ w /‖w2‖²`, a rank-two, non-symmetric correction.
//! Its eigenvalues can be complex. `tests/curl.rs` checks both matrices against finite
//! differences of the full field.

use super::network::Net;
use crate::dynamics::fm;
use crate::dynamics::linalg;
use crate::dynamics::rng::{self, Rng};
use nalgebra::{Complex, DMatrix};

/// `X = W1ᵀ D2 W1 + ‖w2‖² D1` (M×M, symmetric).
pub fn x_matrix(net: &Net, d_in: &[f64], d_hid: &[f64]) -> DMatrix<f64> {
    let (m, n) = (net.m, net.n);
    // the sums X[a, b], b ≥ a, over the rows j in order, kept in column a of the column-major
    // data (contiguous in b), then mirrored
    let mut x = vec![0.0; m * m];
    for (row, &d) in net.w1.chunks_exact(m.max(1)).zip(d_hid).take(n) {
        for (a, col) in x.chunks_exact_mut(m).enumerate() {
            let ra = d * row[a];
            if ra == 0.0 {
                continue;
            }
            for (xv, rb) in col[a..].iter_mut().zip(&row[a..]) {
                *xv += ra * rb;
            }
        }
    }
    let w2sq: f64 = net.w2.iter().map(|v| v * v).sum();
    for a in 0..m {
        for b in a + 1..m {
            x[b * m + a] = x[a * m + b];
        }
        x[a * m + a] += w2sq * d_in[a];
    }
    DMatrix::from_vec(m, m, x)
}

/// The projected stability matrix `X_p = X − (w D1)ᵀ w/‖W1‖² − (w2 D2 W1)ᵀ w/‖w2‖²` (see module doc).
pub fn x_projected(net: &Net, d_in: &[f64], d_hid: &[f64]) -> DMatrix<f64> {
    let (m, n) = (net.m, net.n);
    let mut x = x_matrix(net, d_in, d_hid);
    let mut w = vec![0.0; m];
    net.product(&mut w);
    let mut u = vec![0.0; m]; // w2 D2 W1
    for ((row, &w2j), &d) in net
        .w1
        .chunks_exact(m.max(1))
        .zip(&net.w2)
        .zip(d_hid)
        .take(n)
    {
        let c = w2j * d;
        for (uk, wk) in u.iter_mut().zip(row) {
            *uk += c * wk;
        }
    }
    let (n1, n2) = net.norms();
    let (a1, a2) = (n1 * n1, n2 * n2);
    for r in 0..m {
        for c in 0..m {
            let mut corr = 0.0;
            if a1 > 0.0 {
                corr += w[r] * d_in[r] * w[c] / a1;
            }
            if a2 > 0.0 {
                corr += u[r] * w[c] / a2;
            }
            x[(r, c)] -= corr;
        }
    }
    x
}

/// Smallest eigenvalue of a symmetric matrix (NaN for an empty or non-finite one).
pub fn lambda_min(x: &DMatrix<f64>) -> f64 {
    linalg::symmetric_eigenvalues(x)
        .first()
        .copied()
        .unwrap_or(f64::NAN)
}

/// Eigenvalues of a general matrix, sorted by ascending real part; empty if they cannot be
/// computed. nalgebra's uncapped Schur iteration never converged on matrices with a highly
/// degenerate spectrum such as X_p at M ≫ N (eigenvalue ‖w2‖² with multiplicity M − N) and
/// hung a tanh run; the shared balanced Hessenberg + Francis QR routine handles them.
pub fn eig_ascending(x: &DMatrix<f64>) -> Vec<Complex<f64>> {
    let mut ev = crate::dynamics::linalg::try_eigenvalues(x).unwrap_or_default();
    ev.sort_by(|a, b| a.re.partial_cmp(&b.re).unwrap_or(std::cmp::Ordering::Equal));
    ev
}

/// True when the symmetric matrix is positive definite (Cholesky succeeds): λ_min > 0.
pub fn positive_definite(x: &DMatrix<f64>) -> bool {
    x.iter().all(|v| v.is_finite()) && x.clone().cholesky().is_some()
}

// ---------------------------------------------------------------------------------------------
// Asymptotic (random-matrix) boundaries. Typical points of S: W1 i.i.d. with variance s²/M,
// ‖w2‖² = s²; X/s² is then scale free.

/// Left spectral edge of `A + D1` with `A = W1ᵀW1` (free Poisson, rate 1/c, R_A(g) = (1/c)/(1−g)) and
/// D1 = ±1 with a fraction α of −1 (G_D(ω) = (1−α)/(ω−1) + α/(ω+1)).
/// Derived by subordination: z(ω) = ω + R_A(G_D(ω)) = ω + 1/(c(1 − G_D(ω))); the left edge is the
/// first local maximum of z(ω) on ω ∈ (−∞, −1) met coming from −∞ (−1 if z rises all the way).
/// Checks: α = 1 gives (1−√c)²/c − 1 (stable iff c < 1/4); α → 0⁺ gives −1 + 2/(3c) (c* = 2/3).
pub fn hidden_edge(c: f64, alpha: f64) -> f64 {
    if alpha <= 0.0 {
        let a = if c < 1.0 {
            fm::powi(1.0 - c.sqrt(), 2) / c
        } else {
            0.0
        };
        return 1.0 + a;
    }
    let alpha = alpha.min(1.0);
    let z = |s: f64| {
        let om = -1.0 - fm::powf(10f64, s);
        let g = (1.0 - alpha) / (om - 1.0) + alpha / (om + 1.0);
        om + 1.0 / (c * (1.0 - g))
    };
    // s = log10(−1 − ω): scan from large s (ω → −∞) down
    first_max(z, 8.0, -14.0, 1500).unwrap_or(-1.0)
}

/// Left spectral edge of `W1ᵀ D2 W1` (s = 1) with a fraction α of readout flips: free compound
/// Poisson with R(g) = (1/c)[(1−α)/(1−g) − α/(1+g)], inverse Stieltjes K(g) = 1/g + R(g); the left
/// edge is the maximum of K on g ∈ (−1, 0) (K → −∞ at both ends for α > 0).
/// λ_min(X) = 1 + edge. Check: c ≪ 1 gives (1−2α)/c − 2/√c, so α_r* ≈ (1 − √c)²/2.
pub fn readout_edge(c: f64, alpha: f64) -> f64 {
    if alpha <= 0.0 {
        return if c < 1.0 {
            fm::powi(1.0 - c.sqrt(), 2) / c
        } else {
            0.0
        };
    }
    let alpha = alpha.min(1.0);
    // g = −1/(1 + 10^{−s}): s → −∞ gives g → 0⁻ (z → −∞), s → +∞ gives g → −1⁺
    let k = |s: f64| {
        let g = -1.0 / (1.0 + fm::powf(10f64, -s));
        1.0 / g + ((1.0 - alpha) / (1.0 - g) - alpha / (1.0 + g)) / c
    };
    first_max(k, -14.0, 14.0, 1500).unwrap_or(f64::NAN)
}

/// λ_min(X)/s² at typical points of S for hidden (D1) flips.
pub fn hidden_lambda_min(c: f64, alpha: f64) -> f64 {
    hidden_edge(c, alpha)
}

/// λ_min(X)/s² at typical points of S for readout (D2) flips.
pub fn readout_lambda_min(c: f64, alpha: f64) -> f64 {
    1.0 + readout_edge(c, alpha)
}

/// The first local maximum of f along a grid from `a` to `b` (refined by golden section).
fn first_max<F: Fn(f64) -> f64>(f: F, a: f64, b: f64, n: usize) -> Option<f64> {
    let h = (b - a) / n as f64;
    let mut prev = f(a);
    let mut cur = f(a + h);
    for i in 2..=n {
        let s = a + i as f64 * h;
        let next = f(s);
        if cur >= prev && cur > next && cur.is_finite() {
            // golden section on [s − 2h, s] (in the direction of travel)
            let (mut lo, mut hi) = (s - 2.0 * h, s);
            if lo > hi {
                std::mem::swap(&mut lo, &mut hi);
            }
            let gr = 0.618_033_988_749_895;
            let mut x1 = hi - gr * (hi - lo);
            let mut x2 = lo + gr * (hi - lo);
            let (mut f1, mut f2) = (f(x1), f(x2));
            for _ in 0..80 {
                if f1 > f2 {
                    hi = x2;
                    x2 = x1;
                    f2 = f1;
                    x1 = hi - gr * (hi - lo);
                    f1 = f(x1);
                } else {
                    lo = x1;
                    x1 = x2;
                    f1 = f2;
                    x2 = lo + gr * (hi - lo);
                    f2 = f(x2);
                }
            }
            return Some(f1.max(f2).max(cur));
        }
        prev = cur;
        cur = next;
    }
    None
}

/// Critical fraction by bisection: the largest α ∈ [0, 1] with `lam(α) > 0` (λ decreasing in α).
fn critical(lam: impl Fn(f64) -> f64) -> f64 {
    if lam(1.0) > 0.0 {
        return 1.0;
    }
    if lam(1e-9) <= 0.0 {
        return 0.0;
    }
    let (mut lo, mut hi) = (1e-9, 1.0);
    for _ in 0..40 {
        let mid = 0.5 * (lo + hi);
        if lam(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Asymptotic critical fraction α_h*(c) of flipped inputs (stable below it).
pub fn critical_alpha_h(c: f64) -> f64 {
    critical(|a| hidden_lambda_min(c, a))
}

/// Asymptotic critical fraction α_r*(c) of flipped hidden units (stable below it).
pub fn critical_alpha_r(c: f64) -> f64 {
    critical(|a| readout_lambda_min(c, a))
}

/// The closed-form small-c readout boundary α_r* ≈ (1 − √c)²/2.
pub fn alpha_r_small_c(c: f64) -> f64 {
    0.5 * fm::powi(1.0 - c.sqrt(), 2)
}

// ---------------------------------------------------------------------------------------------
// Finite-size samples.

/// Random weights at a "typical point": W1 (N×M, as an nalgebra matrix) i.i.d. N(0, 1/M) and
/// w2 with ‖w2‖² = 1.
pub fn sample_w1(m: usize, n: usize, rng: &mut Rng) -> DMatrix<f64> {
    let s = 1.0 / (m as f64).sqrt();
    DMatrix::from_fn(n, m, |_, _| s * rng::normal(rng))
}

/// Smallest n_h for which `X = W1ᵀW1 + D1(n_h)` is not positive definite (M + 1 if none):
/// flipping more inputs only lowers X (Loewner order), so bisection is exact.
pub fn hidden_threshold(gram: &DMatrix<f64>) -> usize {
    let m = gram.nrows();
    let pd = |nh: usize| {
        let mut x = gram.clone();
        for k in 0..m {
            x[(k, k)] += if k < nh { -1.0 } else { 1.0 };
        }
        positive_definite(&x)
    };
    bisect_first_false(pd, m)
}

/// Smallest n_r for which `X = W1ᵀ D2(n_r) W1 + I` is not positive definite (N + 1 if none).
pub fn readout_threshold(w1: &DMatrix<f64>) -> usize {
    let (n, m) = w1.shape();
    let full = w1.transpose() * w1;
    let pd = |nr: usize| {
        let top = w1.rows(0, nr);
        let mut x = &full - (top.transpose() * top) * 2.0;
        for k in 0..m {
            x[(k, k)] += 1.0;
        }
        positive_definite(&x)
    };
    bisect_first_false(pd, n)
}

/// The first k in 0..=max with `pd(k)` false, given pd is true then false; max + 1 if always true.
fn bisect_first_false(pd: impl Fn(usize) -> bool, max: usize) -> usize {
    if !pd(0) {
        return 0;
    }
    if pd(max) {
        return max + 1;
    }
    let (mut lo, mut hi) = (0, max); // pd(lo) true, pd(hi) false
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if pd(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

/// Empirical readout threshold for large N: row blocks accumulate W1ᵀW1 once (cost N·M²), and the
/// crossing is located first by block, then row by row inside the block. Returns n_r*/N.
pub fn readout_threshold_large(w1: &DMatrix<f64>, blocks: usize) -> f64 {
    let (n, m) = w1.shape();
    let blocks = blocks.clamp(1, n.max(1));
    let bounds: Vec<usize> = (0..=blocks).map(|b| b * n / blocks).collect();
    let mut grams = Vec::with_capacity(blocks);
    for b in 0..blocks {
        let blk = w1.rows(bounds[b], bounds[b + 1] - bounds[b]);
        grams.push(blk.transpose() * blk);
    }
    let mut full = DMatrix::zeros(m, m);
    for g in &grams {
        full += g;
    }
    let x_of = |prefix: &DMatrix<f64>| {
        let mut x = &full - prefix * 2.0;
        for k in 0..m {
            x[(k, k)] += 1.0;
        }
        x
    };
    let mut prefix = DMatrix::zeros(m, m);
    for b in 0..blocks {
        let next = &prefix + &grams[b];
        if !positive_definite(&x_of(&next)) {
            // the crossing is inside block b: bisect on rows
            let (mut lo, mut hi) = (bounds[b], bounds[b + 1]);
            while hi - lo > 1 {
                let mid = (lo + hi) / 2;
                let part = w1.rows(bounds[b], mid - bounds[b]);
                let p = &prefix + part.transpose() * part;
                if positive_definite(&x_of(&p)) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            return hi as f64 / n as f64;
        }
        prefix = next;
    }
    1.0
}
