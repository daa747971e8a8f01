//! Eigenvalues of a real symmetric matrix: Householder reduction to tridiagonal form, then the
//! implicit QL iteration with Wilkinson-like shifts (the classical EISPACK `tred1` + `tql1` scheme).
//!
//! Why not nalgebra's `symmetric_eigenvalues`: built with `libm-force` (the same bits on every
//! target), nalgebra takes its square roots from the `libm` crate, which on wasm32 is a
//! software routine (128-bit integer arithmetic) rather than the `f64.sqrt` instruction. On the
//! curl lab's 20 × 20 stability matrix that made a third of the wasm time and wasm/native 2.1.
//! Here every operation is an IEEE-754 basic operation (+ − × ÷ and `f64::sqrt`, which is
//! correctly rounded and one instruction on x86-64 and wasm32), written without fused
//! multiply-adds and in a fixed order, so native and both wasm builds give the same bits.

use nalgebra::DMatrix;

/// QL sweeps allowed per eigenvalue before giving up (EISPACK allows 30; the shifts converge
/// cubically, so a well-posed symmetric matrix needs 2–3).
const MAX_SWEEPS: usize = 60;

/// Eigenvalues of the symmetric matrix `a` (only its lower triangle is read), ascending.
/// All NaN if the matrix has a non-finite entry or the iteration does not converge.
pub fn eigenvalues(a: &DMatrix<f64>) -> Vec<f64> {
    let n = a.nrows();
    if n == 0 || a.ncols() != n {
        return Vec::new();
    }
    if a.iter().any(|v| !v.is_finite()) {
        return vec![f64::NAN; n];
    }
    let (mut d, mut e) = tridiagonalise(a);
    if !ql_implicit(&mut d, &mut e) {
        return vec![f64::NAN; n];
    }
    d.sort_by(f64::total_cmp);
    d
}

/// `√(a² + b²)` without overflow or destructive underflow: directly when both squares are safely
/// in range, else as `|a|·√(1 + (b/a)²)` for `|a| ≥ |b|` (the same bits on every target either way).
fn pythag(a: f64, b: f64) -> f64 {
    let (a, b) = (a.abs(), b.abs());
    let (big, small) = if a >= b { (a, b) } else { (b, a) };
    if big < 1e150 && small > 1e-150 {
        return (a * a + b * b).sqrt();
    }
    if big == 0.0 {
        return 0.0;
    }
    let r = small / big;
    big * (1.0 + r * r).sqrt()
}

/// Householder reduction `Qᵀ A Q = T`: returns T's diagonal `d` and subdiagonal `e`
/// (`e[k]` couples rows k and k + 1; `e[n−1] = 0`).
///
/// Step k reflects `x = A[k+1.., k]` onto `∓‖x‖ e₁` with `H = I − u uᵀ / h`, `u = x ± ‖x‖ e₁`,
/// `h = uᵀu / 2 = ‖x‖(‖x‖ + |x₀|)`, and updates the trailing block as
/// `A ← H A H = A − u qᵀ − q uᵀ` with `p = A u / h`, `q = p − (uᵀp / 2h) u`.
/// The whole block is kept (both triangles), so the update runs down contiguous columns and
/// stays exactly symmetric (`u_i q_j + q_i u_j` is the same sum both ways round).
fn tridiagonalise(a: &DMatrix<f64>) -> (Vec<f64>, Vec<f64>) {
    let n = a.nrows();
    // column-major copy, mirrored from the lower triangle
    let mut w = vec![0.0; n * n];
    for j in 0..n {
        for i in j..n {
            let v = a[(i, j)];
            w[j * n + i] = v;
            w[i * n + j] = v;
        }
    }
    let mut d = vec![0.0; n];
    let mut e = vec![0.0; n];
    let mut u = vec![0.0; n];
    let mut q = vec![0.0; n];
    for k in 0..n {
        d[k] = w[k * n + k];
        if k + 2 > n {
            break;
        }
        let s = k + 1; // the trailing block is rows and columns s..n
        let x = &w[k * n + s..k * n + n];
        // scale by the largest |x_i| so the sum of squares neither overflows nor underflows
        let scale = x.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        if scale == 0.0 {
            e[k] = 0.0;
            continue;
        }
        let u = &mut u[s..n];
        let mut ss = 0.0;
        for (ui, xi) in u.iter_mut().zip(x) {
            *ui = xi / scale;
            ss += *ui * *ui;
        }
        let norm = ss.sqrt();
        let x0 = u[0];
        let sigma = if x0 >= 0.0 { norm } else { -norm };
        e[k] = -sigma * scale;
        u[0] = x0 + sigma;
        let h = sigma * u[0]; // = uᵀu / 2
                              // p = A u / h, accumulated column by column (a fixed order); then K = uᵀp / 2h
        let q = &mut q[s..n];
        q.fill(0.0);
        for (j, &uj) in u.iter().enumerate() {
            let col = &w[(s + j) * n + s..(s + j) * n + n];
            for (qi, aij) in q.iter_mut().zip(col) {
                *qi += aij * uj;
            }
        }
        let mut up = 0.0;
        for (qi, ui) in q.iter_mut().zip(u.iter()) {
            *qi /= h;
            up += ui * *qi;
        }
        let kk = up / (h + h);
        for (qi, ui) in q.iter_mut().zip(u.iter()) {
            *qi -= kk * ui;
        }
        for (j, (&uj, &qj)) in u.iter().zip(q.iter()).enumerate() {
            let col = &mut w[(s + j) * n + s..(s + j) * n + n];
            for ((aij, ui), qi) in col.iter_mut().zip(u.iter()).zip(q.iter()) {
                *aij -= ui * qj + qi * uj;
            }
        }
    }
    (d, e)
}

/// Implicit QL on the symmetric tridiagonal (d, e), in place: d becomes the eigenvalues
/// (unsorted). Each sweep chases a plane rotation up from the first negligible `e[m]` to row l,
/// shifted by the eigenvalue of the leading 2 × 2 block nearer `d[l]`. False if some eigenvalue
/// needs more than [`MAX_SWEEPS`] sweeps.
fn ql_implicit(d: &mut [f64], e: &mut [f64]) -> bool {
    let n = d.len();
    for l in 0..n {
        let mut sweeps = 0;
        loop {
            // the first m ≥ l whose coupling is negligible beside its neighbours' diagonal
            let mut m = l;
            while m + 1 < n {
                let dd = d[m].abs() + d[m + 1].abs();
                if e[m].abs() + dd == dd {
                    break;
                }
                m += 1;
            }
            if m == l {
                break;
            }
            sweeps += 1;
            if sweeps > MAX_SWEEPS {
                return false;
            }
            // shift: the eigenvalue of [[d_l, e_l], [e_l, d_{l+1}]] nearer d_l
            let g0 = (d[l + 1] - d[l]) / (e[l] + e[l]);
            let r0 = pythag(g0, 1.0);
            let mut g = d[m] - d[l] + e[l] / (g0 + if g0 >= 0.0 { r0 } else { -r0 });
            let (mut s, mut c, mut p) = (1.0, 1.0, 0.0);
            let mut deflated = false;
            for i in (l..m).rev() {
                let f = s * e[i];
                let b = c * e[i];
                let r = pythag(f, g);
                e[i + 1] = r;
                if r == 0.0 {
                    // the rotation underflowed: d[i+1] is converged, restart from l
                    d[i + 1] -= p;
                    e[m] = 0.0;
                    deflated = true;
                    break;
                }
                s = f / r;
                c = g / r;
                let g1 = d[i + 1] - p;
                let r1 = (d[i] - g1) * s + 2.0 * c * b;
                p = s * r1;
                d[i + 1] = g1 + p;
                g = c * r1 - b;
            }
            if deflated {
                continue;
            }
            d[l] -= p;
            e[l] = g;
            e[m] = 0.0;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamics::{fm, rng};

    fn random_symmetric(n: usize, seed: u64) -> DMatrix<f64> {
        let mut r = rng::seeded(seed, 0);
        let b = DMatrix::from_fn(n, n, |_, _| rng::normal(&mut r));
        &b + b.transpose()
    }

    #[test]
    fn known_spectra() {
        // the path graph's Laplacian-like tridiagonal 2, −1: eigenvalues 2 − 2cos(kπ/(n+1))
        let n = 12;
        let t = DMatrix::from_fn(n, n, |i, j| match i.abs_diff(j) {
            0 => 2.0,
            1 => -1.0,
            _ => 0.0,
        });
        let ev = eigenvalues(&t);
        for (k, v) in ev.iter().enumerate() {
            let want = 2.0 - 2.0 * fm::cos((k + 1) as f64 * std::f64::consts::PI / (n + 1) as f64);
            assert!((v - want).abs() < 1e-13, "{k}: {v} vs {want}");
        }
        // diagonal, 1×1, zero, repeated eigenvalues (J = 11ᵀ: n once, 0 n−1 times)
        assert_eq!(
            eigenvalues(&DMatrix::from_diagonal_element(1, 1, 3.5)),
            vec![3.5]
        );
        let diag = DMatrix::from_diagonal(&nalgebra::DVector::from_vec(vec![3.0, -1.0, 2.0]));
        assert_eq!(eigenvalues(&diag), vec![-1.0, 2.0, 3.0]);
        assert_eq!(eigenvalues(&DMatrix::zeros(4, 4)), vec![0.0; 4]);
        let ones = eigenvalues(&DMatrix::from_element(7, 7, 1.0));
        assert!(ones[..6].iter().all(|v| v.abs() < 1e-14) && (ones[6] - 7.0).abs() < 1e-13);
    }

    #[test]
    fn agrees_with_nalgebra_and_the_trace() {
        for (n, seed) in [(2, 1), (5, 2), (20, 3), (37, 4), (80, 5)] {
            let a = random_symmetric(n, seed);
            let ours = eigenvalues(&a);
            let mut theirs: Vec<f64> = a.clone().symmetric_eigenvalues().iter().copied().collect();
            theirs.sort_by(f64::total_cmp);
            let scale = theirs.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
            for (x, y) in ours.iter().zip(&theirs) {
                assert!((x - y).abs() <= 1e-13 * scale, "n = {n}: {x} vs {y}");
            }
            let (tr, sum): (f64, f64) = (a.trace(), ours.iter().sum());
            assert!((tr - sum).abs() <= 1e-12 * scale * n as f64);
        }
    }

    #[test]
    fn bad_input_gives_nan_not_a_panic() {
        let mut a = random_symmetric(4, 9);
        a[(2, 1)] = f64::NAN;
        assert!(eigenvalues(&a).iter().all(|v| v.is_nan()));
        a[(2, 1)] = f64::INFINITY;
        assert!(eigenvalues(&a).iter().all(|v| v.is_nan()));
        assert!(eigenvalues(&DMatrix::zeros(0, 0)).is_empty());
        // huge and tiny scales neither overflow nor lose the spectrum
        for s in [1e-300, 1e300] {
            let ev = eigenvalues(&(DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 1.0, 2.0]) * s));
            assert!((ev[0] / s - 1.0).abs() < 1e-14 && (ev[1] / s - 3.0).abs() < 1e-14);
        }
    }
}
