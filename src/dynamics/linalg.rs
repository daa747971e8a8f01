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
pub fn eigenvalues(m: &DMatrix<f64>) -> Vec<Complex<f64>> {
    if m.nrows() == 0 {
        return Vec::new();
    }
    if m.iter().any(|v| !v.is_finite()) {
        return vec![Complex::new(f64::NAN, 0.0); m.nrows()];
    }
    let mut ev: Vec<Complex<f64>> = m.clone().complex_eigenvalues().iter().copied().collect();
    ev.sort_by(|a, b| b.re.partial_cmp(&a.re).unwrap_or(std::cmp::Ordering::Equal));
    ev
}

/// The largest real part of the eigenvalues of `m` (the stability exponent of an equilibrium).
pub fn max_real_eigenvalue(m: &DMatrix<f64>) -> f64 {
    eigenvalues(m).first().map_or(f64::NAN, |c| c.re)
}

/// Eigenvalues of a symmetric matrix, ascending.
pub fn symmetric_eigenvalues(m: &DMatrix<f64>) -> Vec<f64> {
    if m.nrows() == 0 || m.iter().any(|v| !v.is_finite()) {
        return vec![f64::NAN; m.nrows()];
    }
    let mut ev: Vec<f64> = m.clone().symmetric_eigenvalues().iter().copied().collect();
    ev.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    ev
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
