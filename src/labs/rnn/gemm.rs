//! Dense products on column-major slices, through nalgebra's strided views so that every
//! product (also the transposed ones) reaches `matrixmultiply`'s blocked kernel.
//! (nalgebra's own `gemm_tr` is a column-by-column loop; a strided view avoids it.)

use nalgebra::{DMatrixView, DMatrixViewMut, Dyn};

/// An operand: a column-major `rows × cols` block of a slice, optionally read transposed.
#[derive(Clone, Copy)]
pub struct Op<'a> {
    pub data: &'a [f64],
    /// Rows and columns of the stored block.
    pub rows: usize,
    pub cols: usize,
    /// Read as its transpose.
    pub t: bool,
}

impl<'a> Op<'a> {
    /// The stored block as is.
    pub fn n(data: &'a [f64], rows: usize, cols: usize) -> Self {
        Op {
            data,
            rows,
            cols,
            t: false,
        }
    }
    /// The stored block, transposed.
    pub fn t(data: &'a [f64], rows: usize, cols: usize) -> Self {
        Op {
            data,
            rows,
            cols,
            t: true,
        }
    }
    fn shape(&self) -> (usize, usize) {
        if self.t {
            (self.cols, self.rows)
        } else {
            (self.rows, self.cols)
        }
    }
    fn view(&self) -> DMatrixView<'a, f64, Dyn, Dyn> {
        let (r, c) = self.shape();
        let (rs, cs) = if self.t {
            (self.rows, 1)
        } else {
            (1, self.rows)
        };
        DMatrixView::<f64, Dyn, Dyn>::from_slice_with_strides(
            &self.data[..self.rows * self.cols],
            r,
            c,
            rs,
            cs,
        )
    }
}

/// C ← α·op(A)·op(B) + β·C, with C the column-major `m × n` block at the start of `c`.
/// Panics only on inconsistent shapes (a programming error, never user input).
pub fn gemm(c: &mut [f64], m: usize, n: usize, alpha: f64, a: Op, b: Op, beta: f64) {
    let (am, ak) = a.shape();
    let (bk, bn) = b.shape();
    assert!(am == m && bn == n && ak == bk, "gemm shapes");
    if m <= 5 || n <= 5 || ak <= 5 {
        // nalgebra's small-matrix fallback mishandles row-strided (transposed) views: loop here.
        naive(c, m, n, alpha, a, b, beta);
        return;
    }
    let mut cv = DMatrixViewMut::from_slice(&mut c[..m * n], m, n);
    cv.gemm(alpha, &a.view(), &b.view(), beta);
}

/// Element (i, j) of op(X).
#[inline]
fn at(x: &Op, i: usize, j: usize) -> f64 {
    if x.t {
        x.data[j + x.rows * i]
    } else {
        x.data[i + x.rows * j]
    }
}

fn naive(c: &mut [f64], m: usize, n: usize, alpha: f64, a: Op, b: Op, beta: f64) {
    let k = a.shape().1;
    for j in 0..n {
        for i in 0..m {
            let mut s = 0.0;
            for l in 0..k {
                s += at(&a, i, l) * at(&b, l, j);
            }
            let cij = &mut c[i + m * j];
            *cij = alpha * s + if beta == 0.0 { 0.0 } else { beta * *cij };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_shapes_take_the_loop() {
        let a = [1.0, 2.0, 3.0, 4.0];
        let mut c = [0.0; 4];
        gemm(&mut c, 2, 2, 1.0, Op::t(&a, 2, 2), Op::n(&a, 2, 2), 0.0);
        assert_eq!(c, [5.0, 11.0, 11.0, 25.0]);
    }

    #[test]
    fn transposed_products_match_naive() {
        // A: 7×9 stored, B stored 8×9 read transposed → C = A·Bᵀ is 7×8.
        let a: Vec<f64> = (0..63).map(|i| (i as f64 * 0.37).sin()).collect();
        let b: Vec<f64> = (0..72).map(|i| (i as f64 * 0.11).cos()).collect();
        let mut c = vec![1.0; 56];
        gemm(&mut c, 7, 8, 2.0, Op::n(&a, 7, 9), Op::t(&b, 8, 9), 0.5);
        for i in 0..7 {
            for j in 0..8 {
                let mut s = 0.0;
                for k in 0..9 {
                    s += a[i + 7 * k] * b[j + 8 * k];
                }
                assert!((c[i + 7 * j] - (2.0 * s + 0.5)).abs() < 1e-12);
            }
        }
    }
}
