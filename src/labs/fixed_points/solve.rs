//! Linear solves without an explicit inverse: `B ← A⁻¹ B` by Gaussian elimination with partial
//! pivoting on the augmented system `[A | B]`, then back substitution.
//!
//! Costs 2n³/3 + 2n²m flops, against 2n³ for the Gauss–Jordan inverse plus 2n²m for the product
//! `A⁻¹ B`. Every inner loop runs down one contiguous column in a fixed order, with no reduction,
//! so the scalar, SIMD and native builds give the same bits.

use super::dense::sub_outer;
use nalgebra::DMatrix;

/// Solves `A Y = B` in place: `b ← A⁻¹ b`. `a` (n×n) is destroyed (its upper triangle becomes
/// U, its strict lower triangle the multipliers of L). Returns false, leaving `b` scrambled,
/// when a pivot is zero or not finite, or the solution overflows.
pub fn solve_in_place(a: &mut DMatrix<f64>, b: &mut DMatrix<f64>) -> bool {
    let n = a.nrows();
    if a.ncols() != n || b.nrows() != n {
        return false;
    }
    for k in 0..n {
        // pivot: the first row p ≥ k maximising |a[p, k]|
        let mut p = k;
        let mut best = a[(k, k)].abs();
        for i in k + 1..n {
            let v = a[(i, k)].abs();
            if v > best {
                best = v;
                p = i;
            }
        }
        if best == 0.0 || !best.is_finite() {
            return false;
        }
        if p != k {
            for j in k..n {
                a.swap((k, j), (p, j));
            }
            b.swap_rows(k, p);
        }
        // the multipliers lᵢ = a[i, k] / a[k, k] (i > k), kept in column k
        let inv = 1.0 / a[(k, k)];
        let (left, right) = a.as_mut_slice().split_at_mut((k + 1) * n);
        let l = &mut left[k * n + k + 1..];
        for v in l.iter_mut() {
            *v *= inv;
        }
        // rows i > k of every later column: x[i] −= lᵢ x[k]
        sub_outer(right, l, n, k, k + 1);
        sub_outer(b.as_mut_slice(), l, n, k, k + 1);
    }
    back_substitute(a, b);
    b.iter().all(|v| v.is_finite())
}

/// `b ← U⁻¹ b` for the upper triangle U of `u`: for k from n−1 down, `y = b[k] / U[k, k]`,
/// then `b[..k] −= U[..k, k] · y`; four right-hand sides per pass.
fn back_substitute(u: &DMatrix<f64>, b: &mut DMatrix<f64>) {
    let n = u.nrows();
    if n == 0 {
        return;
    }
    let ud = u.as_slice();
    let mut chunks = b.as_mut_slice().chunks_exact_mut(4 * n);
    for block in &mut chunks {
        let (c0, rest) = block.split_at_mut(n);
        let (c1, rest) = rest.split_at_mut(n);
        let (c2, c3) = rest.split_at_mut(n);
        for k in (0..n).rev() {
            let col = &ud[k * n..k * n + k + 1];
            let d = col[k];
            let (y0, y1, y2, y3) = (c0[k] / d, c1[k] / d, c2[k] / d, c3[k] / d);
            c0[k] = y0;
            c1[k] = y1;
            c2[k] = y2;
            c3[k] = y3;
            for (i, &ui) in col[..k].iter().enumerate() {
                c0[i] -= ui * y0;
                c1[i] -= ui * y1;
                c2[i] -= ui * y2;
                c3[i] -= ui * y3;
            }
        }
    }
    for x in chunks.into_remainder().chunks_exact_mut(n) {
        for k in (0..n).rev() {
            let col = &ud[k * n..k * n + k + 1];
            let y = x[k] / col[k];
            x[k] = y;
            for (xv, ui) in x[..k].iter_mut().zip(&col[..k]) {
                *xv -= ui * y;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A well-conditioned test matrix that needs pivoting (small leading entries).
    fn matrix(n: usize, seed: u64) -> DMatrix<f64> {
        let mut s = seed;
        DMatrix::from_fn(n, n, |i, j| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let r = ((s >> 11) as f64) / ((1u64 << 53) as f64) - 0.5;
            if i == j {
                r + if i % 3 == 0 { 0.0 } else { 3.0 }
            } else {
                r
            }
        })
    }

    #[test]
    fn the_solution_satisfies_the_system_and_matches_lu() {
        for (n, m) in [(1, 1), (5, 3), (7, 9), (50, 50), (33, 6)] {
            let a = matrix(n, 3 + n as u64);
            let b = DMatrix::from_fn(n, m, |i, j| (i as f64 - 2.0 * j as f64) / 7.0);
            let mut u = a.clone();
            let mut y = b.clone();
            assert!(solve_in_place(&mut u, &mut y), "n = {n}");
            let residual = (&a * &y - &b).amax();
            assert!(residual < 1e-11, "n = {n}, m = {m}: residual {residual}");
            let lu = a
                .clone()
                .lu()
                .solve(&b)
                .unwrap_or_else(|| panic!("nalgebra: singular"));
            assert!((&lu - &y).amax() < 1e-11, "n = {n}: against nalgebra's LU");
        }
    }

    #[test]
    fn a_singular_system_is_refused() {
        let mut a = DMatrix::from_row_slice(3, 3, &[1.0, 2.0, 3.0, 2.0, 4.0, 6.0, 0.0, 1.0, 1.0]);
        let mut b = DMatrix::from_element(3, 2, 1.0);
        assert!(!solve_in_place(&mut a, &mut b));
        let mut a = DMatrix::from_element(2, 2, f64::NAN);
        let mut b = DMatrix::from_element(2, 1, 1.0);
        assert!(!solve_in_place(&mut a, &mut b));
    }
}
