//! LU factorisation with partial pivoting, PA = LU, in caller-owned buffers: Newton's method
//! factorises a Jacobian on every step, and this does it without touching the heap.
//!
//! The operations and their order are nalgebra's `LU::new` and `LU::solve_mut` (0.35): the
//! pivot is the first entry of largest |a| in the column; the multipliers are scaled by
//! 1/pivot; the trailing columns are updated column by column as a_rk += (−a_ik)·l_r;
//! forward and back substitution are column-oriented in the same way. So a solve here has the
//! bits of `m.lu().solve(b)`, which the tests check on random and singular matrices.

/// Factorises the column-major n×n matrix `a` in place (L below the diagonal with a unit
/// diagonal implied, U on and above it). `swaps[i]` is the row swapped with row i at step i.
/// A column without a non-zero pivot candidate is skipped, as nalgebra does; the solve then
/// reports the matrix singular.
pub fn factor(a: &mut [f64], n: usize, swaps: &mut [usize]) {
    debug_assert!(a.len() >= n * n && swaps.len() >= n);
    for i in 0..n {
        swaps[i] = i;
        let col = i * n;
        // first index of the largest |a_ri|, r ≥ i
        let mut piv = i;
        let mut best = a[col + i].abs();
        for r in i + 1..n {
            let v = a[col + r].abs();
            if v > best {
                best = v;
                piv = r;
            }
        }
        let diag = a[col + piv];
        if diag == 0.0 {
            continue;
        }
        if piv != i {
            swaps[i] = piv;
            for c in 0..=i {
                a.swap(c * n + i, c * n + piv);
            }
        }
        let inv = 1.0 / diag;
        for r in i + 1..n {
            a[col + r] *= inv;
        }
        for k in i + 1..n {
            let ck = k * n;
            if piv != i {
                a.swap(ck + i, ck + piv);
            }
            let p = -a[ck + i];
            for r in i + 1..n {
                a[ck + r] += p * a[col + r];
            }
        }
    }
}

/// Solves A x = b from [`factor`]'s output, overwriting `b` with x. False if U has a zero on
/// its diagonal (A singular); `b` is then garbage.
pub fn solve(a: &[f64], n: usize, swaps: &[usize], b: &mut [f64]) -> bool {
    for i in 0..n {
        b.swap(i, swaps[i]);
    }
    // L y = P b (unit diagonal)
    for i in 0..n.saturating_sub(1) {
        let c = -b[i];
        for r in i + 1..n {
            b[r] += c * a[i * n + r];
        }
    }
    // U x = y
    for i in (0..n).rev() {
        let diag = a[i * n + i];
        if diag == 0.0 {
            return false;
        }
        let c = b[i] / diag;
        b[i] = c;
        for r in 0..i {
            b[r] += -c * a[i * n + r];
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamics::rng::{normal, seeded};
    use nalgebra::{DMatrix, DVector};

    /// Our solve against nalgebra's, bit for bit (None for singular on both sides).
    fn both(m: &DMatrix<f64>, b: &[f64]) -> (Option<Vec<u64>>, Option<Vec<u64>>) {
        let n = m.nrows();
        let theirs = m
            .clone()
            .lu()
            .solve(&DVector::from_column_slice(b))
            .map(|x| x.iter().map(|v| v.to_bits()).collect());
        let mut a = m.as_slice().to_vec();
        let mut swaps = vec![0; n];
        let mut x = b.to_vec();
        factor(&mut a, n, &mut swaps);
        let ours = solve(&a, n, &swaps, &mut x).then(|| x.iter().map(|v| v.to_bits()).collect());
        (ours, theirs)
    }

    #[test]
    fn has_nalgebras_bits_on_random_matrices() {
        let mut rng = seeded(11, 0);
        for trial in 0..400 {
            let n = 1 + trial % 9;
            let m = DMatrix::from_fn(n, n, |_, _| {
                normal(&mut rng) * crate::dynamics::fm::powi(10.0, (trial % 5) as i32 - 2)
            });
            let b: Vec<f64> = (0..n).map(|_| normal(&mut rng)).collect();
            let (ours, theirs) = both(&m, &b);
            assert!(theirs.is_some(), "a random matrix is regular");
            assert_eq!(ours, theirs, "n = {n}, trial {trial}");
        }
    }

    #[test]
    fn has_nalgebras_bits_with_ties_zeros_and_singular_matrices() {
        // ties in |pivot| (the first wins), an all-zero column, a zero pivot met late
        let cases: [(usize, Vec<f64>); 5] = [
            (3, vec![1.0, -1.0, 1.0, 2.0, 2.0, -2.0, 0.5, 3.0, -3.0]),
            (3, vec![0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 7.0]),
            (3, vec![1.0, 2.0, 3.0, 2.0, 4.0, 6.0, 1.0, 0.0, 1.0]),
            (2, vec![0.0, 1.0, 1.0, 0.0]),
            (
                4,
                vec![
                    2.0, -2.0, 2.0, -2.0, 1.0, 1.0, 1.0, 1.0, 0.0, 3.0, 0.0, 3.0, 5.0, 0.0, 0.0,
                    1.0,
                ],
            ),
        ];
        for (n, v) in cases {
            let m = DMatrix::from_column_slice(n, n, &v);
            let b: Vec<f64> = (0..n).map(|i| 1.0 + i as f64 * 0.3).collect();
            let (ours, theirs) = both(&m, &b);
            assert_eq!(ours, theirs, "{m}");
        }
    }
}
