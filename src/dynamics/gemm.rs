//! One matrix product for every lab: `C = α·op(A)·op(B) + β·C` on column-major data.
//!
//! Deterministic by construction: every element of `op(A)·op(B)` is summed over k in order,
//! in one accumulator, with separate multiplies and adds (no FMA), so the result has the bits
//! of the naive triple loop on every target and for every blocking. (nalgebra sends products
//! with every dimension above 5 to `matrixmultiply`, which picks AVX2+FMA kernels at run time
//! natively and scalar ones in wasm: the same link gave other bits in the browser.)
//!
//! Speed: A and B are packed into panels of 4 rows / 4 columns (contiguous in k, zero-padded
//! at the edges), and a 4×4 tile of C is kept in 16 accumulators while k runs. The packing
//! buffers are kept per thread and reused, so a product allocates nothing once warm. In the
//! wasm SIMD128 build the tile is written with f64x2 intrinsics (same operations per lane), which
//! halved the fixed-point rules and the e-prop iteration against the auto-vectorised loop.

use nalgebra::DMatrix;
use std::cell::RefCell;

/// A matrix operand: column-major `data` of `rows × cols`, used as is or transposed.
#[derive(Debug, Clone, Copy)]
pub struct Op<'a> {
    pub data: &'a [f64],
    pub rows: usize,
    pub cols: usize,
    pub trans: bool,
}

impl<'a> Op<'a> {
    /// The stored matrix.
    pub fn n(data: &'a [f64], rows: usize, cols: usize) -> Self {
        Op {
            data,
            rows,
            cols,
            trans: false,
        }
    }
    /// The stored matrix, transposed.
    pub fn t(data: &'a [f64], rows: usize, cols: usize) -> Self {
        Op {
            data,
            rows,
            cols,
            trans: true,
        }
    }
    /// A nalgebra matrix (column-major).
    pub fn of(m: &'a DMatrix<f64>, trans: bool) -> Self {
        Op {
            data: m.as_slice(),
            rows: m.nrows(),
            cols: m.ncols(),
            trans,
        }
    }
    /// Shape of op(M).
    fn shape(&self) -> (usize, usize) {
        if self.trans {
            (self.cols, self.rows)
        } else {
            (self.rows, self.cols)
        }
    }
    /// Element (i, j) of op(M).
    #[inline(always)]
    fn at(&self, i: usize, j: usize) -> f64 {
        if self.trans {
            self.data[j + i * self.rows]
        } else {
            self.data[i + j * self.rows]
        }
    }
}

const R: usize = 4;

thread_local! {
    static PACK: RefCell<(Vec<f64>, Vec<f64>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// `C = α·op(A)·op(B) + β·C` with C column-major `m × n` (β = 0 never reads C, so it may hold
/// anything). Panics on mismatched shapes (a programming error, never user input).
pub fn gemm(c: &mut [f64], m: usize, n: usize, alpha: f64, a: Op, b: Op, beta: f64) {
    let (am, k) = a.shape();
    let (bk, bn) = b.shape();
    assert!(
        am == m && bn == n && bk == k && c.len() >= m * n,
        "gemm: shapes"
    );
    if m == 0 || n == 0 {
        return;
    }
    let mb = m.div_ceil(R);
    let nb = n.div_ceil(R);
    PACK.with(|p| {
        let mut p = p.borrow_mut();
        let (pa, pb) = &mut *p;
        // A in row panels: panel ib holds rows ib·4 .. ib·4+3 for p = 0..k, row fastest
        pa.clear();
        pa.resize(mb * k * R, 0.0);
        for ib in 0..mb {
            let base = ib * k * R;
            for r in 0..R {
                let i = ib * R + r;
                if i < m {
                    for q in 0..k {
                        pa[base + q * R + r] = a.at(i, q);
                    }
                }
            }
        }
        pb.clear();
        pb.resize(k * R, 0.0);
        for jb in 0..nb {
            for v in pb.iter_mut() {
                *v = 0.0;
            }
            for s in 0..R {
                let j = jb * R + s;
                if j < n {
                    for q in 0..k {
                        pb[q * R + s] = b.at(q, j);
                    }
                }
            }
            for ib in 0..mb {
                let acc = tile(&pa[ib * k * R..(ib + 1) * k * R], &pb[..k * R]);
                for s in 0..R {
                    let j = jb * R + s;
                    if j >= n {
                        break;
                    }
                    for r in 0..R {
                        let i = ib * R + r;
                        if i >= m {
                            break;
                        }
                        let cij = &mut c[i + j * m];
                        let v = alpha * acc[r * R + s];
                        *cij = if beta == 0.0 { v } else { v + beta * *cij };
                    }
                }
            }
        }
    });
}

/// The 4×4 tile Σ_q a[q,r]·b[q,s], summed over q in order (one accumulator per element),
/// in wasm SIMD128: eight f64x2 accumulators, each lane the scalar loop's multiply then add,
/// so the bits are [`tile`]'s. (LLVM's auto-vectorised scalar tile gained only ~10 %: it
/// shuffles lanes on every step.)
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn tile(a: &[f64], b: &[f64]) -> [f64; R * R] {
    use core::arch::wasm32::{f64x2, f64x2_add, f64x2_extract_lane, f64x2_mul, f64x2_splat};
    let mut acc = [f64x2_splat(0.0); 2 * R];
    for (ar, bs) in a.chunks_exact(R).zip(b.chunks_exact(R)) {
        let b0 = f64x2(bs[0], bs[1]);
        let b1 = f64x2(bs[2], bs[3]);
        for r in 0..R {
            let x = f64x2_splat(ar[r]);
            acc[2 * r] = f64x2_add(acc[2 * r], f64x2_mul(x, b0));
            acc[2 * r + 1] = f64x2_add(acc[2 * r + 1], f64x2_mul(x, b1));
        }
    }
    let mut out = [0.0f64; R * R];
    for r in 0..R {
        out[r * R] = f64x2_extract_lane::<0>(acc[2 * r]);
        out[r * R + 1] = f64x2_extract_lane::<1>(acc[2 * r]);
        out[r * R + 2] = f64x2_extract_lane::<0>(acc[2 * r + 1]);
        out[r * R + 3] = f64x2_extract_lane::<1>(acc[2 * r + 1]);
    }
    out
}

/// The 4×4 tile Σ_q a[q,r]·b[q,s], summed over q in order (one accumulator per element).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn tile(a: &[f64], b: &[f64]) -> [f64; R * R] {
    let mut acc = [0.0f64; R * R];
    for (ar, bs) in a.chunks_exact(R).zip(b.chunks_exact(R)) {
        for r in 0..R {
            let x = ar[r];
            for s in 0..R {
                acc[r * R + s] += x * bs[s];
            }
        }
    }
    acc
}

/// `A·B`.
pub fn mul(a: &DMatrix<f64>, b: &DMatrix<f64>) -> DMatrix<f64> {
    product(a, false, b, false)
}

/// `Aᵀ·B`.
pub fn mul_tn(a: &DMatrix<f64>, b: &DMatrix<f64>) -> DMatrix<f64> {
    product(a, true, b, false)
}

/// `A·Bᵀ`.
pub fn mul_nt(a: &DMatrix<f64>, b: &DMatrix<f64>) -> DMatrix<f64> {
    product(a, false, b, true)
}

/// `op(A)·op(B)` as a new matrix.
pub fn product(a: &DMatrix<f64>, ta: bool, b: &DMatrix<f64>, tb: bool) -> DMatrix<f64> {
    let (oa, ob) = (Op::of(a, ta), Op::of(b, tb));
    let (m, n) = (oa.shape().0, ob.shape().1);
    let mut c = DMatrix::zeros(m, n);
    gemm(c.as_mut_slice(), m, n, 1.0, oa, ob, 0.0);
    c
}

/// `C = α·op(A)·op(B) + β·C` on nalgebra matrices.
pub fn gemm_into(
    c: &mut DMatrix<f64>,
    alpha: f64,
    a: &DMatrix<f64>,
    ta: bool,
    b: &DMatrix<f64>,
    tb: bool,
    beta: f64,
) {
    let (m, n) = (c.nrows(), c.ncols());
    gemm(
        c.as_mut_slice(),
        m,
        n,
        alpha,
        Op::of(a, ta),
        Op::of(b, tb),
        beta,
    );
}

/// Checks [`gemm`] against the naive k-ordered loop `c_ij = Σ_q a_iq·b_qj` bit for bit, on
/// every edge case of the 4×4 tiling and every transpose; Err names the first mismatch. The
/// native tests and the wasm (SIMD128) suite both run it, so every build is held to one loop.
pub fn self_check() -> Result<(), String> {
    let val = |i: usize| ((i * 7919) % 1013) as f64 / 101.3 - 5.0 + 1e-3 * (i as f64).sqrt();
    let shapes = [
        (1, 1, 1),
        (3, 5, 2),
        (4, 4, 4),
        (7, 9, 5),
        (13, 17, 11),
        (50, 50, 50),
        (13, 200, 6),
        (64, 1280, 9),
    ];
    for (m, k, n) in shapes {
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            let (ar, ac) = if ta { (k, m) } else { (m, k) };
            let (br, bc) = if tb { (n, k) } else { (k, n) };
            let ad: Vec<f64> = (0..ar * ac).map(val).collect();
            let bd: Vec<f64> = (0..br * bc).map(|i| val(i + 3)).collect();
            let op = |data, rows, cols, trans| Op {
                data,
                rows,
                cols,
                trans,
            };
            let (a, b) = (op(&ad, ar, ac, ta), op(&bd, br, bc, tb));
            let mut c = vec![f64::NAN; m * n];
            gemm(&mut c, m, n, 1.0, a, b, 0.0);
            for j in 0..n {
                for i in 0..m {
                    let mut want = 0.0;
                    for q in 0..k {
                        want += a.at(i, q) * b.at(q, j);
                    }
                    if c[i + j * m].to_bits() != want.to_bits() {
                        return Err(format!(
                            "{m}×{k}×{n} (transposed {ta}, {tb}) at ({i}, {j}): {} ≠ {want}",
                            c[i + j * m]
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// `y = W x` and `y' = α W x'` for the column-major n×n `w`, in one pass over W's columns.
/// Each element takes the columns in order as nalgebra's `gemv(α, W, x, 0)` does, `y_i ← y_i + (α w_ij) x_j`
/// (the first column without the add), so the bits of the two `gemv` calls it replaced; a
/// column is loaded once for both, and the loops over i vectorise.
pub fn gemv_pair(
    w: &[f64],
    (x, y): (&[f64], &mut [f64]),
    alpha: f64,
    (x2, y2): (&[f64], &mut [f64]),
) {
    let n = y.len();
    if n == 0 {
        return;
    }
    let (y, y2) = (&mut y[..n], &mut y2[..n]);
    let (c0, (x0, x20)) = (&w[..n], (x[0], x2[0]));
    for i in 0..n {
        y[i] = c0[i] * x0;
        y2[i] = alpha * c0[i] * x20;
    }
    for (j, col) in w.chunks_exact(n).enumerate().take(n).skip(1) {
        let (xj, x2j) = (x[j], x2[j]);
        for i in 0..n {
            y[i] += col[i] * xj;
            y2[i] += alpha * col[i] * x2j;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_and_transpose_has_the_bits_of_the_naive_loop() {
        assert_eq!(self_check(), Ok(()));
    }

    #[test]
    fn gemv_pair_has_the_bits_of_two_nalgebra_gemv_calls() {
        for n in [1usize, 2, 5, 64] {
            let w: Vec<f64> = (0..n * n).map(|i| (i % 13) as f64 * 0.291 - 1.7).collect();
            let x: Vec<f64> = (0..n).map(|i| (i % 5) as f64 * 0.77 - 1.1).collect();
            let x2: Vec<f64> = (0..n).map(|i| (i % 3) as f64 * -0.43 + 0.2).collect();
            let wm = nalgebra::DMatrixView::from_slice(&w, n, n);
            let (mut y, mut y2) = (nalgebra::DVector::zeros(n), nalgebra::DVector::zeros(n));
            y.gemv(1.0, &wm, &nalgebra::DVector::from_column_slice(&x), 0.0);
            y2.gemv(0.2, &wm, &nalgebra::DVector::from_column_slice(&x2), 0.0);
            let (mut g, mut g2) = (vec![9.0; n], vec![9.0; n]);
            gemv_pair(&w, (&x, &mut g), 0.2, (&x2, &mut g2));
            for i in 0..n {
                assert_eq!(g[i].to_bits(), y[i].to_bits(), "n = {n}, W x at {i}");
                assert_eq!(g2[i].to_bits(), y2[i].to_bits(), "n = {n}, α W x' at {i}");
            }
        }
    }

    #[test]
    fn alpha_and_beta_scale_the_product_and_the_old_c() {
        let (m, k, n) = (7, 9, 5);
        let ad: Vec<f64> = (0..m * k).map(|i| (i % 11) as f64 * 0.37 - 1.5).collect();
        let bd: Vec<f64> = (0..k * n).map(|i| (i % 7) as f64 * 0.61 - 2.0).collect();
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            let (ar, ac) = if ta { (k, m) } else { (m, k) };
            let (br, bc) = if tb { (n, k) } else { (k, n) };
            let a = Op {
                data: &ad,
                rows: ar,
                cols: ac,
                trans: ta,
            };
            let b = Op {
                data: &bd,
                rows: br,
                cols: bc,
                trans: tb,
            };
            let mut want = vec![0.0; m * n];
            gemm(&mut want, m, n, 1.0, a, b, 0.0);
            let mut c2 = want.clone();
            gemm(&mut c2, m, n, -0.5, a, b, 2.0);
            for (x, y) in c2.iter().zip(&want) {
                assert_eq!(x.to_bits(), (-0.5 * y + 2.0 * y).to_bits());
            }
        }
    }

    #[test]
    fn nalgebra_helpers_agree_with_nalgebra() {
        let a = DMatrix::from_fn(9, 6, |i, j| (i as f64 - 2.0 * j as f64) * 0.3);
        let b = DMatrix::from_fn(6, 7, |i, j| (i * j) as f64 * 0.1 - 0.2);
        assert!((mul(&a, &b) - &a * &b).amax() < 1e-12);
        assert!((mul_tn(&a, &a) - a.transpose() * &a).amax() < 1e-12);
        assert!((mul_nt(&b, &b) - &b * b.transpose()).amax() < 1e-12);
    }
}
