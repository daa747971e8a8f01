//! Newton's method for zeros of a vector field, with a limit on the step length.

use super::lu;
use nalgebra::DMatrix;

/// Result of a Newton solve.
#[derive(Debug, Clone, PartialEq)]
pub struct Solve {
    pub x: Vec<f64>,
    /// max |f(x)| at the end.
    pub residual: f64,
    pub iterations: usize,
    pub converged: bool,
}

/// Solves f(x) = 0 from `x0` by Newton steps x ← x − J⁻¹ f, each step's length capped at
/// `max_step` (∞-norm) so that a start far away does not jump across basins.
/// `jac` writes the exact Jacobian into the n×n matrix it is given (all of it). Stops when
/// max|f| < `tol` or after `max_iter` steps. The buffers are allocated once per solve: the
/// steps themselves do not touch the heap ([`lu`] factorises in place).
pub fn solve<F, J>(f: F, jac: J, x0: &[f64], tol: f64, max_step: f64, max_iter: usize) -> Solve
where
    F: Fn(&[f64], &mut [f64]),
    J: Fn(&[f64], &mut DMatrix<f64>),
{
    let mut w = Workspace::default();
    let (residual, iterations, converged) = w.solve(f, jac, x0, tol, max_step, max_iter);
    Solve {
        x: w.x,
        residual,
        iterations,
        converged,
    }
}

/// The buffers of [`solve`], kept between solves by a caller that runs many (a continuation
/// or a multistart search), so that a solve of the same size does not allocate at all.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The last solve's final iterate.
    pub x: Vec<f64>,
    fx: Vec<f64>,
    j: DMatrix<f64>,
    swaps: Vec<usize>,
    dx: Vec<f64>,
}

impl Default for Workspace {
    fn default() -> Self {
        Workspace {
            x: Vec::new(),
            fx: Vec::new(),
            j: DMatrix::zeros(0, 0),
            swaps: Vec::new(),
            dx: Vec::new(),
        }
    }
}

impl Workspace {
    /// [`solve`] into these buffers: the final iterate is left in `self.x`; returns
    /// (max|f| at the end, steps taken, converged).
    pub fn solve<F, J>(
        &mut self,
        f: F,
        jac: J,
        x0: &[f64],
        tol: f64,
        max_step: f64,
        max_iter: usize,
    ) -> (f64, usize, bool)
    where
        F: Fn(&[f64], &mut [f64]),
        J: Fn(&[f64], &mut DMatrix<f64>),
    {
        let n = x0.len();
        let Workspace {
            x,
            fx,
            j,
            swaps,
            dx,
        } = self;
        x.clear();
        x.extend_from_slice(x0);
        fx.clear();
        fx.resize(n, 0.0);
        if j.nrows() != n {
            *j = DMatrix::zeros(n, n);
        }
        swaps.clear();
        swaps.resize(n, 0);
        dx.clear();
        dx.resize(n, 0.0);
        f(x, fx);
        let mut res = max_abs(fx);
        for it in 0..max_iter {
            if res < tol {
                return (res, it, true);
            }
            if !res.is_finite() {
                break;
            }
            jac(x, j);
            lu::factor(j.as_mut_slice(), n, swaps);
            dx.copy_from_slice(fx);
            if !lu::solve(j.as_slice(), n, swaps, dx) {
                break;
            }
            // nalgebra's `amax` (which this replaced): NaN entries are passed over
            let len = dx.iter().fold(0.0f64, |m, a| m.max(a.abs()));
            if !len.is_finite() {
                break;
            }
            let scale = if len > max_step { max_step / len } else { 1.0 };
            for i in 0..n {
                x[i] -= scale * dx[i];
            }
            f(x, fx);
            res = max_abs(fx);
        }
        (res, max_iter, res < tol)
    }
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(
        0.0f64,
        |m, a| if a.is_nan() { f64::NAN } else { m.max(a.abs()) },
    )
}

/// Bisection for a root of a scalar function on `[a, b]` with f(a)·f(b) ≤ 0.
pub fn bisect<F: Fn(f64) -> f64>(f: F, mut a: f64, mut b: f64, tol: f64) -> Option<f64> {
    let mut fa = f(a);
    let fb = f(b);
    if !(fa.is_finite() && fb.is_finite()) || fa * fb > 0.0 {
        return None;
    }
    for _ in 0..200 {
        let m = 0.5 * (a + b);
        let fm = f(m);
        if fm == 0.0 || (b - a).abs() < tol {
            return Some(m);
        }
        if fa * fm < 0.0 {
            b = m;
        } else {
            a = m;
            fa = fm;
        }
    }
    Some(0.5 * (a + b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_circle_line() {
        let f = |x: &[f64], y: &mut [f64]| {
            y[0] = x[0] * x[0] + x[1] * x[1] - 2.0;
            y[1] = x[0] - x[1];
        };
        let j = |x: &[f64], j: &mut DMatrix<f64>| {
            j.copy_from_slice(&[2.0 * x[0], 1.0, 2.0 * x[1], -1.0]);
        };
        let s = solve(f, j, &[3.0, 0.5], 1e-13, 1.0, 100);
        assert!(s.converged);
        assert!((s.x[0] - 1.0).abs() < 1e-12 && (s.x[1] - 1.0).abs() < 1e-12);
    }

    #[test]
    fn bisect_sqrt2() {
        let r = bisect(|x| x * x - 2.0, 0.0, 2.0, 1e-14).unwrap_or(f64::NAN);
        assert!((r - 2f64.sqrt()).abs() < 1e-12);
    }
}
