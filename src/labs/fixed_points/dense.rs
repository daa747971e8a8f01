//! Dense matrix kernels of the fixed-point lab: the in-place Gauss–Jordan inverse and the
//! matrix product (the shared deterministic one).

use nalgebra::DMatrix;

/// Inverts the square matrix `a` in place by Gauss–Jordan elimination with partial (row)
/// pivoting: `a ← a⁻¹`. Returns false (leaving `a` scrambled) when a pivot is zero or not
/// finite. `col` (length ≥ n; ≥ 2n to pair the steps) and `piv` (length ≥ n) are scratch.
///
/// Written out because nalgebra's triangular solves run at a fraction of the speed of its
/// gemm at N = 50: every inner loop below runs down one contiguous column. Same 2N³ flops as
/// LU + inverse. With 2n of scratch the steps go in pairs (k, k+1): step k's update is applied
/// at once only to column k+1 (to choose its pivot) and to row k+1, and then every other column
/// gets both rank-one updates in one pass, `a[:, j] −= c₁ a[k, j] + c₂ a[k+1, j]`, which halves
/// the loads and stores of the matrix (the loop is bound by them, not by arithmetic).
pub fn invert_in_place(a: &mut DMatrix<f64>, col: &mut [f64], piv: &mut [usize]) -> bool {
    let n = a.nrows();
    if a.ncols() != n || col.len() < n || piv.len() < n {
        return false;
    }
    let paired = col.len() >= 2 * n;
    let mut k = 0;
    while k < n {
        // step k: pivot, swap, scale row k, extract the multipliers c₁ of column k
        let Some(p) = pivot_row(a, k, |i| a[(i, k)]) else {
            return false;
        };
        if p != k {
            a.swap_rows(k, p);
        }
        piv[k] = p;
        let inv = 1.0 / a[(k, k)];
        a[(k, k)] = 1.0;
        for j in 0..n {
            a[(k, j)] *= inv;
        }
        let (c1, c2) = col.split_at_mut(n);
        for (i, c) in c1.iter_mut().enumerate() {
            if i == k {
                *c = 0.0;
            } else {
                *c = a[(i, k)];
                a[(i, k)] = 0.0;
            }
        }
        if !paired || k + 1 == n {
            eliminate(a.as_mut_slice(), c1, n, k);
            k += 1;
            continue;
        }
        // step k+1 on the lazily updated matrix: column k+1 after step k is c₂ = a[:, k+1] − c₁ a[k, k+1]
        let k1 = k + 1;
        let c2 = &mut c2[..n];
        let f = a[(k, k1)];
        for (i, c) in c2.iter_mut().enumerate() {
            *c = a[(i, k1)] - c1[i] * f;
        }
        let Some(p2) = pivot_row(a, k1, |i| c2[i]) else {
            return false;
        };
        if p2 != k1 {
            a.swap_rows(k1, p2);
            c1.swap(k1, p2);
            c2.swap(k1, p2);
        }
        piv[k1] = p2;
        // row k+1 after step k, scaled by its pivot (which is c₂[k+1])
        let m1 = c1[k1];
        let inv2 = 1.0 / c2[k1];
        for j in 0..n {
            let u = if j == k1 {
                1.0
            } else {
                a[(k1, j)] - m1 * a[(k, j)]
            };
            a[(k1, j)] = u * inv2;
        }
        c1[k1] = 0.0;
        c2[k1] = 0.0;
        eliminate2(a.as_mut_slice(), c1, c2, n, k);
        // column k+1 in place: −c₂ a[k+1, k+1] off the pivot row
        let d = a[(k1, k1)];
        for (i, c) in c2.iter().enumerate() {
            if i != k1 {
                a[(i, k1)] = -c * d;
            }
        }
        k += 2;
    }
    for k in (0..n).rev() {
        if piv[k] != k {
            a.swap_columns(k, piv[k]);
        }
    }
    a.iter().all(|v| v.is_finite())
}

/// The row `p ≥ k` maximising `|value(p)|` (partial pivoting), or None if that is 0 or not finite.
fn pivot_row(a: &DMatrix<f64>, k: usize, value: impl Fn(usize) -> f64) -> Option<usize> {
    let mut p = k;
    let mut best = value(k).abs();
    for i in k + 1..a.nrows() {
        let v = value(i).abs();
        if v > best {
            best = v;
            p = i;
        }
    }
    (best != 0.0 && best.is_finite()).then_some(p)
}

/// Two Gauss–Jordan updates in one pass over every column except k+1:
/// `a[:, j] −= c₁ a[k, j] + c₂ a[k+1, j]` (column-major n×n `data`; the factors are read before
/// the column changes; `c₁[k+1] = c₂[k+1] = 0` keeps row k+1).
fn eliminate2(data: &mut [f64], c1: &[f64], c2: &[f64], n: usize, k: usize) {
    let (c1, c2) = (&c1[..n], &c2[..n]);
    let k1 = k + 1;
    if k1 >= n {
        return;
    }
    let mut j = 0;
    let mut cols = data.chunks_exact_mut(n);
    while j < n {
        // four columns per pass (skipping k+1), then single ones
        let mut group: [Option<&mut [f64]>; 4] = [None, None, None, None];
        let mut got = 0;
        while got < 4 && j < n {
            let Some(c) = cols.next() else { break };
            if j != k1 {
                group[got] = Some(c);
                got += 1;
            }
            j += 1;
        }
        if got == 4 {
            if let [Some(x0), Some(x1), Some(x2), Some(x3)] = &mut group {
                let (x0, x1, x2, x3) = (&mut x0[..n], &mut x1[..n], &mut x2[..n], &mut x3[..n]);
                let (f0, f1, f2, f3) = (x0[k], x1[k], x2[k], x3[k]);
                let (g0, g1, g2, g3) = (x0[k1], x1[k1], x2[k1], x3[k1]);
                for i in 0..n {
                    let (u, v) = (c1[i], c2[i]);
                    x0[i] -= u * f0 + v * g0;
                    x1[i] -= u * f1 + v * g1;
                    x2[i] -= u * f2 + v * g2;
                    x3[i] -= u * f3 + v * g3;
                }
            }
        } else {
            for x in group.iter_mut().flatten() {
                let (f, g) = (x[k], x[k1]);
                for ((xv, u), v) in x.iter_mut().zip(c1).zip(c2) {
                    *xv -= u * f + v * g;
                }
            }
        }
    }
}

/// The Gauss–Jordan update of every column: `a[:, j] −= col · a[k, j]` (column-major `data`,
/// n×n).
#[inline(always)]
fn eliminate_body(data: &mut [f64], col: &[f64], n: usize, k: usize) {
    sub_outer(data, &col[..n], n, k, 0)
}

/// For every column `x` (length n) of the column-major `data`: `x[lo..lo + l.len()] −= l · x[k]`,
/// four columns per pass so that each load of `l` feeds four multiply-subtracts (the shared
/// rank-one update of the Gauss–Jordan inverse and of the LU solve).
#[inline(always)]
pub(super) fn sub_outer(data: &mut [f64], l: &[f64], n: usize, k: usize, lo: usize) {
    let hi = lo + l.len();
    let mut chunks = data.chunks_exact_mut(4 * n);
    for block in &mut chunks {
        let (c0, rest) = block.split_at_mut(n);
        let (c1, rest) = rest.split_at_mut(n);
        let (c2, c3) = rest.split_at_mut(n);
        let (f0, f1, f2, f3) = (c0[k], c1[k], c2[k], c3[k]);
        let (c0, c1) = (&mut c0[lo..hi], &mut c1[lo..hi]);
        let (c2, c3) = (&mut c2[lo..hi], &mut c3[lo..hi]);
        for (i, &li) in l.iter().enumerate() {
            c0[i] -= li * f0;
            c1[i] -= li * f1;
            c2[i] -= li * f2;
            c3[i] -= li * f3;
        }
    }
    for x in chunks.into_remainder().chunks_exact_mut(n) {
        let f = x[k];
        for (xv, li) in x[lo..hi].iter_mut().zip(l) {
            *xv -= li * f;
        }
    }
}

/// The elimination step of [`invert_in_place`]. (An AVX2-compiled copy chosen at run time
/// was tried and measured no faster at N = 50: the loop is load/store bound.)
fn eliminate(data: &mut [f64], col: &[f64], n: usize, k: usize) {
    eliminate_body(data, col, n, k)
}

/// `C ← α A B + β C` (C is not read when β = 0): the one deterministic product of
/// [`crate::dynamics::gemm`], the same bits natively and in wasm.
pub fn gemm(c: &mut DMatrix<f64>, alpha: f64, a: &DMatrix<f64>, b: &DMatrix<f64>, beta: f64) {
    crate::dynamics::gemm::gemm_into(c, alpha, a, false, b, false, beta);
}
