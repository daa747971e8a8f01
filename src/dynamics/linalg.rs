//! Jacobians and eigenvalues (nalgebra).

use nalgebra::{Complex, DMatrix};

/// The Jacobian ∂f_i/∂x_j by central differences with step `h·max(1, |x_j|)`.
pub fn numeric_jacobian<F: Fn(&[f64], &mut [f64])>(f: F, x: &[f64], h: f64) -> DMatrix<f64> {
    let n = x.len();
    let mut j = DMatrix::zeros(n, n);
    let mut xp = x.to_vec();
    let mut fp = vec![0.0; n];
    let mut fm = vec![0.0; n];
    for c in 0..n {
        let step = h * x[c].abs().max(1.0);
        xp[c] = x[c] + step;
        f(&xp, &mut fp);
        xp[c] = x[c] - step;
        f(&xp, &mut fm);
        xp[c] = x[c];
        for r in 0..n {
            j[(r, c)] = (fp[r] - fm[r]) / (2.0 * step);
        }
    }
    j
}

/// All eigenvalues of a real square matrix (complex in general), sorted by descending real part.
///
/// Balancing, reduction to upper Hessenberg form by stabilised elimination, then the shifted
/// Francis double-step QR iteration with exceptional shifts (the classical EISPACK `hqr`
/// scheme). nalgebra's `complex_eigenvalues` was tried first and rejected: its Schur iteration
/// has no exceptional shifts and stalls (or, uncapped, hangs) on the block-structured
/// Jacobians of the network models. NaNs are returned if the iteration fails.
pub fn eigenvalues(m: &DMatrix<f64>) -> Vec<Complex<f64>> {
    let n = m.nrows();
    let mut ev = try_eigenvalues(m).unwrap_or_else(|| vec![Complex::new(f64::NAN, 0.0); n]);
    ev.sort_by(|a, b| {
        b.re.partial_cmp(&a.re)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.im.partial_cmp(&b.im).unwrap_or(std::cmp::Ordering::Equal))
    });
    ev
}

/// The eigenvalues of a real square matrix (unsorted), or None when they cannot be trusted:
/// a non-square matrix, non-finite entries, or the QR iteration failing to converge.
pub fn try_eigenvalues(m: &DMatrix<f64>) -> Option<Vec<Complex<f64>>> {
    let mut w = EigenWork::default();
    w.compute(m).then(|| {
        w.wr.iter()
            .zip(&w.wi)
            .map(|(&r, &i)| Complex::new(r, i))
            .collect()
    })
}

/// Reusable buffers of the eigenvalue routine, so that a loop over many small matrices (the
/// Hebbian continuation classifies hundreds of 4×4 Jacobians) does not allocate per matrix.
#[derive(Debug, Clone, Default)]
pub struct EigenWork {
    a: Square,
    wr: Vec<f64>,
    wi: Vec<f64>,
}

impl EigenWork {
    /// The eigenvalues of `m` into `wr`, `wi` (unsorted); false when they cannot be trusted
    /// (see [`try_eigenvalues`]).
    fn compute(&mut self, m: &DMatrix<f64>) -> bool {
        let n = m.nrows();
        if m.ncols() != n || m.iter().any(|v| !v.is_finite()) {
            return false;
        }
        self.a.n = n;
        self.a.a.clear();
        self.a.a.extend((0..n * n).map(|k| m[(k / n, k % n)]));
        self.wr.clear();
        self.wr.resize(n, 0.0);
        self.wi.clear();
        self.wi.resize(n, 0.0);
        balance(&mut self.a);
        hessenberg(&mut self.a);
        hqr(&mut self.a, &mut self.wr, &mut self.wi)
            && self.wr.iter().chain(&self.wi).all(|v| v.is_finite())
    }

    /// [`max_real_eigenvalue`] of `m` with these buffers: the same number, bit for bit (the
    /// first eigenvalue in [`eigenvalues`]' order: largest real part, then smallest imaginary).
    pub fn max_real(&mut self, m: &DMatrix<f64>) -> f64 {
        if !self.compute(m) {
            return f64::NAN;
        }
        let mut best: Option<(f64, f64)> = None;
        for (&r, &i) in self.wr.iter().zip(&self.wi) {
            if best.is_none_or(|(br, bi)| r > br || (r == br && i < bi)) {
                best = Some((r, i));
            }
        }
        best.map_or(f64::NAN, |(r, _)| r)
    }
}

/// A square matrix stored row by row in one buffer (the eigenvalue routines' working copy).
#[derive(Debug, Clone, Default)]
struct Square {
    n: usize,
    a: Vec<f64>,
}

impl std::ops::Index<(usize, usize)> for Square {
    type Output = f64;
    #[inline]
    fn index(&self, (i, j): (usize, usize)) -> &f64 {
        &self.a[i * self.n + j]
    }
}

impl std::ops::IndexMut<(usize, usize)> for Square {
    #[inline]
    fn index_mut(&mut self, (i, j): (usize, usize)) -> &mut f64 {
        &mut self.a[i * self.n + j]
    }
}

/// Balances rows and columns by powers of 2 (a similarity transform: eigenvalues unchanged).
fn balance(a: &mut Square) {
    let n = a.n;
    let radix = 2.0f64;
    let sq = radix * radix;
    let mut done = false;
    let mut sweeps = 0;
    while !done && sweeps < 100 {
        done = true;
        sweeps += 1;
        for i in 0..n {
            let (mut r, mut c) = (0.0f64, 0.0f64);
            for j in 0..n {
                if j != i {
                    c += a[(j, i)].abs();
                    r += a[(i, j)].abs();
                }
            }
            if c == 0.0 || r == 0.0 {
                continue;
            }
            let s = c + r;
            let mut f = 1.0;
            let g = r / radix;
            while c < g {
                f *= radix;
                c *= sq;
            }
            let g = r * radix;
            while c > g {
                f /= radix;
                c /= sq;
            }
            if (c + r) / f < 0.95 * s {
                done = false;
                let g = 1.0 / f;
                for j in 0..n {
                    a[(i, j)] *= g;
                }
                for j in 0..n {
                    a[(j, i)] *= f;
                }
            }
        }
    }
}

/// Reduces to upper Hessenberg form by elimination with partial pivoting (a similarity
/// transform), and zeroes everything below the subdiagonal.
fn hessenberg(a: &mut Square) {
    let n = a.n;
    for m in 1..n.saturating_sub(1) {
        let mut x = 0.0f64;
        let mut piv = m;
        for j in m..n {
            if a[(j, m - 1)].abs() > x.abs() {
                x = a[(j, m - 1)];
                piv = j;
            }
        }
        if piv != m {
            for j in 0..n {
                a.a.swap(piv * n + j, m * n + j);
            }
            for j in 0..n {
                a.a.swap(j * n + piv, j * n + m);
            }
        }
        if x != 0.0 {
            for i in m + 1..n {
                let mut y = a[(i, m - 1)];
                if y != 0.0 {
                    y /= x;
                    a[(i, m - 1)] = y;
                    for j in m..n {
                        a[(i, j)] -= y * a[(m, j)];
                    }
                    for j in 0..n {
                        a[(j, m)] += y * a[(j, i)];
                    }
                }
            }
        }
    }
    for i in 2..n {
        for j in 0..i - 1 {
            a[(i, j)] = 0.0;
        }
    }
}

/// Eigenvalues of an upper Hessenberg matrix by the shifted double-step QR iteration.
/// Writes them into `wr`, `wi` (length n); false if the iteration does not converge.
fn hqr(a: &mut Square, wr: &mut [f64], wi: &mut [f64]) -> bool {
    let n = a.n;
    let mut anorm = 0.0;
    for i in 0..n {
        for j in i.saturating_sub(1)..n {
            anorm += a[(i, j)].abs();
        }
    }
    let mut nn = n as isize - 1;
    let mut t = 0.0;
    while nn >= 0 {
        let mut its = 0;
        loop {
            let nu = nn as usize;
            // look for a single small subdiagonal element
            let mut l = nu;
            while l >= 1 {
                let mut s = a[(l - 1, l - 1)].abs() + a[(l, l)].abs();
                if s == 0.0 {
                    s = anorm;
                }
                if a[(l, l - 1)].abs() + s == s {
                    a[(l, l - 1)] = 0.0;
                    break;
                }
                l -= 1;
            }
            let mut x = a[(nu, nu)];
            if l == nu {
                wr[nu] = x + t;
                wi[nu] = 0.0;
                nn -= 1;
                break;
            }
            let mut y = a[(nu - 1, nu - 1)];
            let mut w = a[(nu, nu - 1)] * a[(nu - 1, nu)];
            if l + 1 == nu {
                let p = 0.5 * (y - x);
                let q = p * p + w;
                let mut z = q.abs().sqrt();
                x += t;
                if q >= 0.0 {
                    z = p + z.copysign(p);
                    wr[nu - 1] = x + z;
                    wr[nu] = if z != 0.0 { x - w / z } else { x + z };
                    wi[nu - 1] = 0.0;
                    wi[nu] = 0.0;
                } else {
                    wr[nu - 1] = x + p;
                    wr[nu] = x + p;
                    wi[nu - 1] = -z;
                    wi[nu] = z;
                }
                nn -= 2;
                break;
            }
            if its >= 60 {
                return false;
            }
            if its == 10 || its == 20 || its == 40 {
                // exceptional shift
                t += x;
                for i in 0..=nu {
                    a[(i, i)] -= x;
                }
                let s = a[(nu, nu - 1)].abs() + a[(nu - 1, nu - 2)].abs();
                x = 0.75 * s;
                y = x;
                w = -0.4375 * s * s;
            }
            its += 1;
            // form the shift and look for two consecutive small subdiagonal elements
            let mut mm = nu - 2;
            let (mut p, mut q, mut r);
            loop {
                let z = a[(mm, mm)];
                let rr = x - z;
                let ss = y - z;
                p = (rr * ss - w) / a[(mm + 1, mm)] + a[(mm, mm + 1)];
                q = a[(mm + 1, mm + 1)] - z - rr - ss;
                r = a[(mm + 2, mm + 1)];
                let s = p.abs() + q.abs() + r.abs();
                p /= s;
                q /= s;
                r /= s;
                if mm == l {
                    break;
                }
                let u = a[(mm, mm - 1)].abs() * (q.abs() + r.abs());
                let v = p.abs() * (a[(mm - 1, mm - 1)].abs() + z.abs() + a[(mm + 1, mm + 1)].abs());
                if u + v == v {
                    break;
                }
                mm -= 1;
            }
            for i in mm + 2..=nu {
                a[(i, i - 2)] = 0.0;
                if i != mm + 2 {
                    a[(i, i - 3)] = 0.0;
                }
            }
            // double QR step on rows l..=nu and columns mm..=nu
            let mut xk = 0.0;
            for k in mm..nu {
                if k != mm {
                    p = a[(k, k - 1)];
                    q = a[(k + 1, k - 1)];
                    r = if k + 1 != nu { a[(k + 2, k - 1)] } else { 0.0 };
                    xk = p.abs() + q.abs() + r.abs();
                    if xk != 0.0 {
                        p /= xk;
                        q /= xk;
                        r /= xk;
                    }
                }
                let s = (p * p + q * q + r * r).sqrt().copysign(p);
                if s != 0.0 {
                    if k == mm {
                        if l != mm {
                            a[(k, k - 1)] = -a[(k, k - 1)];
                        }
                    } else {
                        a[(k, k - 1)] = -s * xk;
                    }
                    p += s;
                    let xx = p / s;
                    let yy = q / s;
                    let zz = r / s;
                    q /= p;
                    r /= p;
                    for j in k..=nu {
                        let mut pp = a[(k, j)] + q * a[(k + 1, j)];
                        if k + 1 != nu {
                            pp += r * a[(k + 2, j)];
                            a[(k + 2, j)] -= pp * zz;
                        }
                        a[(k + 1, j)] -= pp * yy;
                        a[(k, j)] -= pp * xx;
                    }
                    let mmin = if nu < k + 3 { nu } else { k + 3 };
                    for i in l..=mmin {
                        let mut pp = xx * a[(i, k)] + yy * a[(i, k + 1)];
                        if k + 1 != nu {
                            pp += zz * a[(i, k + 2)];
                            a[(i, k + 2)] -= pp * r;
                        }
                        a[(i, k + 1)] -= pp * q;
                        a[(i, k)] -= pp;
                    }
                }
            }
        }
    }
    true
}

/// The largest real part of the eigenvalues of `m` (the stability exponent of an equilibrium).
pub fn max_real_eigenvalue(m: &DMatrix<f64>) -> f64 {
    eigenvalues(m).first().map_or(f64::NAN, |c| c.re)
}

/// Eigenvalues of a symmetric matrix, ascending; all NaN for a non-finite matrix
/// (see [`super::symmetric`] for why this is not nalgebra's).
pub fn symmetric_eigenvalues(m: &DMatrix<f64>) -> Vec<f64> {
    super::symmetric::eigenvalues(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_has_imaginary_pair() {
        let m = DMatrix::from_row_slice(2, 2, &[-0.5, -2.0, 2.0, -0.5]);
        let ev = eigenvalues(&m);
        assert!((ev[0].re + 0.5).abs() < 1e-12 && (ev[0].im.abs() - 2.0).abs() < 1e-12);
    }

    #[test]
    fn companion_matrix_roots() {
        // x⁴ − 10x³ + 35x² − 50x + 24 = (x−1)(x−2)(x−3)(x−4)
        let m = DMatrix::from_row_slice(
            4,
            4,
            &[
                10.0, -35.0, 50.0, -24.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0,
                0.0,
            ],
        );
        let ev = eigenvalues(&m);
        for (k, e) in ev.iter().enumerate() {
            assert!(
                (e.re - (4 - k) as f64).abs() < 1e-9 && e.im.abs() < 1e-9,
                "{ev:?}"
            );
        }
    }

    #[test]
    fn random_matrices_keep_trace_and_determinant() {
        let mut rng = crate::dynamics::rng::seeded(3, 0);
        for n in [1, 2, 3, 5, 8, 17, 36] {
            let m = DMatrix::from_fn(n, n, |_, _| crate::dynamics::rng::normal(&mut rng));
            let ev = eigenvalues(&m);
            assert_eq!(ev.len(), n);
            let tr: f64 = ev.iter().map(|e| e.re).sum();
            assert!((tr - m.trace()).abs() < 1e-9 * n as f64, "n={n}");
            let det = ev.iter().fold(Complex::new(1.0, 0.0), |a, e| a * e);
            let d = m.clone().determinant();
            assert!(
                (det.re - d).abs() < 1e-8 * d.abs().max(1.0)
                    && det.im.abs() < 1e-8 * d.abs().max(1.0),
                "n={n}: {det} vs {d}"
            );
        }
    }

    #[test]
    fn reused_buffers_give_the_same_largest_real_part() {
        // one EigenWork across sizes (growing and shrinking), against the sorting path, bit
        // for bit; a complex pair shares its real part, so the tie-break is exercised
        let mut w = EigenWork::default();
        let mut rng = crate::dynamics::rng::seeded(5, 0);
        for n in [4, 1, 7, 2, 4, 12, 3, 0] {
            let m = DMatrix::from_fn(n, n, |_, _| crate::dynamics::rng::normal(&mut rng));
            let a = max_real_eigenvalue(&m);
            let b = w.max_real(&m);
            assert_eq!(a.to_bits(), b.to_bits(), "n={n}: {a} vs {b}");
        }
        let rot = DMatrix::from_row_slice(2, 2, &[-0.5, -2.0, 2.0, -0.5]);
        assert_eq!(w.max_real(&rot), -0.5);
        let bad = DMatrix::from_row_slice(2, 2, &[f64::NAN, 0.0, 0.0, 1.0]);
        assert!(w.max_real(&bad).is_nan());
    }

    #[test]
    fn block_structured_matrix_with_repeated_eigenvalues() {
        // two identical decoupled blocks and a diagonal: the structure that stalled nalgebra's Schur
        let mut m = DMatrix::zeros(6, 6);
        for b in 0..2 {
            let o = 2 * b;
            m[(o, o)] = -0.1;
            m[(o, o + 1)] = 0.5;
            m[(o + 1, o)] = -0.02;
            m[(o + 1, o + 1)] = -0.1;
        }
        m[(4, 4)] = -0.1;
        m[(5, 5)] = -0.1;
        let ev = eigenvalues(&m);
        assert!(ev.iter().all(|e| (e.re + 0.1).abs() < 1e-9), "{ev:?}");
        assert_eq!(
            ev.iter()
                .filter(|e| (e.im.abs() - 0.1).abs() < 1e-9)
                .count(),
            4
        );
    }

    #[test]
    fn numeric_jacobian_of_quadratic() {
        let f = |x: &[f64], y: &mut [f64]| {
            y[0] = x[0] * x[1];
            y[1] = x[0] * x[0];
        };
        let j = numeric_jacobian(f, &[2.0, 3.0], 1e-6);
        assert!((j[(0, 0)] - 3.0).abs() < 1e-8 && (j[(0, 1)] - 2.0).abs() < 1e-8);
        assert!((j[(1, 0)] - 4.0).abs() < 1e-8 && j[(1, 1)].abs() < 1e-8);
    }
}
