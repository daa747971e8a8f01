//! The exact two-parameter slice (note §7.2): `W = [[0, w1], [w2, 0]]`, so
//! `A = (I − W)⁻¹ = [[1, w1], [w2, 1]] / (1 − w1 w2)`, with the singular set the hyperbola
//! `w1 w2 = 1`.
//!
//! Loss: `J = σx² ‖A − A*‖²_F`. Derived: for white inputs `x ~ N(0, σx² I)` and noise-free
//! targets `r̂ = A* x`, `E[(1/m)‖(A − A*) X‖²_F] = σx² ‖A − A*‖²_F`, the m → ∞ limit of the
//! N-D loss. The factor σx² (the note leaves it out) makes one η mean the same step in every
//! view: the note's 2-D η equals this lab's η·σx² (0.03 there is η = 3 here at σx = 0.1).
//!
//! Rules restricted to the slice, with `Ja` the 4×2 matrix of columns `vec(A E_k A)`
//! (`∂A/∂w_k = A E_k A`, E_k the unit off-diagonal matrices) and `∇_A J = 2σx²(A − A*)`:
//! * R1: `θ ← θ − η Jaᵀ vec(∇_A J)` (Euclidean gradient in (w1, w2));
//! * R3: `θ ← θ − η (JaᵀJa)⁻¹ Jaᵀ vec(∇_A J)` (gradient under the pulled-back metric JaᵀJa);
//! * R2: `A_t = A − η ∇_A J`, then `θ ← argmin ‖A(θ') − A_t‖_F` by Gauss–Newton from θ.

use crate::dynamics::fm;

/// `A(w1, w2)` as row-major `[a11, a12, a21, a22]`, or None on the hyperbola.
pub fn effective(w1: f64, w2: f64) -> Option<[f64; 4]> {
    let d = 1.0 - w1 * w2;
    if d.abs() < 1e-14 || !d.is_finite() {
        return None;
    }
    let a = [1.0 / d, w1 / d, w2 / d, 1.0 / d];
    a.iter().all(|v| v.is_finite()).then_some(a)
}

/// The slice problem: a target A* and the loss scale σx².
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slice {
    pub target: (f64, f64),
    pub a_star: [f64; 4],
    pub s2: f64,
}

impl Slice {
    /// None when the target lies on the hyperbola (its fixed point does not exist).
    pub fn new(t1: f64, t2: f64, sx: f64) -> Option<Slice> {
        Some(Slice {
            target: (t1, t2),
            a_star: effective(t1, t2)?,
            s2: sx * sx,
        })
    }

    /// `J(w1, w2) = σx² ‖A − A*‖²_F` (∞ on the hyperbola).
    pub fn loss(&self, w1: f64, w2: f64) -> f64 {
        match effective(w1, w2) {
            Some(a) => self.loss_a(&a),
            None => f64::INFINITY,
        }
    }

    fn loss_a(&self, a: &[f64; 4]) -> f64 {
        self.s2
            * a.iter()
                .zip(&self.a_star)
                .map(|(x, y)| (x - y) * (x - y))
                .sum::<f64>()
    }

    /// The plateau `σx² ‖A*‖²_F` that J approaches far from the origin.
    pub fn plateau(&self) -> f64 {
        self.s2 * self.a_star.iter().map(|v| v * v).sum::<f64>()
    }

    /// One step of `rule` (0, 1, 2 for R1, R2, R3) from θ; None if the step fails.
    pub fn step(&self, rule: usize, th: (f64, f64), eta: f64) -> Option<(f64, f64)> {
        let a = effective(th.0, th.1)?;
        let ga: [f64; 4] = std::array::from_fn(|i| 2.0 * self.s2 * (a[i] - self.a_star[i]));
        let next = match rule {
            0 => {
                let (c1, c2) = columns(&a);
                (th.0 - eta * dot(&c1, &ga), th.1 - eta * dot(&c2, &ga))
            }
            2 => {
                let (d1, d2) = gauss_newton_dir(&a, &ga)?;
                (th.0 - eta * d1, th.1 - eta * d2)
            }
            _ => {
                let at: [f64; 4] = std::array::from_fn(|i| a[i] - eta * ga[i]);
                project(th, &at)?
            }
        };
        (next.0.is_finite() && next.1.is_finite()).then_some(next)
    }

    /// Runs `rule` from `start` for up to `iters` steps: the path and why it stopped, if it did.
    pub fn run(&self, rule: usize, start: (f64, f64), eta: f64, iters: usize) -> SlicePath {
        let mut p = SlicePath::default();
        let mut th = start;
        for it in 0..=iters {
            let j = self.loss(th.0, th.1);
            if !j.is_finite() {
                p.stopped = Some(format!("hit the singular set w1·w2 = 1 at step {it}"));
                break;
            }
            p.points.push(th);
            p.j.push(j);
            if it == iters {
                break;
            }
            match self.step(rule, th, eta) {
                Some(n) if n.0.abs() < 1e8 && n.1.abs() < 1e8 => th = n,
                _ => {
                    p.stopped = Some(format!(
                        "step {} failed: the metric or the projection became singular (A → ∞)",
                        it + 1
                    ));
                    break;
                }
            }
        }
        p
    }
}

/// A path on the slice: points (w1, w2), their losses, and why it stopped early, if it did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SlicePath {
    pub points: Vec<(f64, f64)>,
    pub j: Vec<f64>,
    pub stopped: Option<String>,
}

fn dot(a: &[f64; 4], b: &[f64; 4]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The columns `vec(A E12 A)` and `vec(A E21 A)` of Ja (row-major 2×2 matrices).
/// `(A E12 A)_{ij} = A_{i1} A_{2j}`, `(A E21 A)_{ij} = A_{i2} A_{1j}` (0-based: E12 at (0,1)).
fn columns(a: &[f64; 4]) -> ([f64; 4], [f64; 4]) {
    let m = |i: usize, j: usize| a[2 * i + j];
    let c1 = std::array::from_fn(|k| m(k / 2, 0) * m(1, k % 2));
    let c2 = std::array::from_fn(|k| m(k / 2, 1) * m(0, k % 2));
    (c1, c2)
}

/// `(JaᵀJa)⁻¹ Jaᵀ v` (the least-squares coefficients of v on the two columns).
fn gauss_newton_dir(a: &[f64; 4], v: &[f64; 4]) -> Option<(f64, f64)> {
    let (c1, c2) = columns(a);
    let (g11, g12, g22) = (dot(&c1, &c1), dot(&c1, &c2), dot(&c2, &c2));
    let det = g11 * g22 - g12 * g12;
    if !(det.is_finite() && det.abs() > 1e-300 && det.abs() > 1e-13 * (g11 * g22).abs()) {
        return None;
    }
    let (b1, b2) = (dot(&c1, v), dot(&c2, v));
    Some(((g22 * b1 - g12 * b2) / det, (g11 * b2 - g12 * b1) / det))
}

/// `argmin_θ ‖A(θ) − A_t‖_F` by Gauss–Newton from `th` (up to 50 steps).
fn project(mut th: (f64, f64), at: &[f64; 4]) -> Option<(f64, f64)> {
    for _ in 0..50 {
        let a = effective(th.0, th.1)?;
        let res: [f64; 4] = std::array::from_fn(|i| a[i] - at[i]);
        let (d1, d2) = gauss_newton_dir(&a, &res)?;
        th = (th.0 - d1, th.1 - d2);
        if !(th.0.is_finite() && th.1.is_finite()) {
            return None;
        }
        if d1.abs().max(d2.abs()) < 1e-15 * (1.0 + th.0.abs().max(th.1.abs())) {
            break;
        }
    }
    Some(th)
}

/// `log10 J` on an `nx × ny` grid over `[x0, x1] × [y0, y1]`, row-major from the bottom row
/// (cell centres), each value clipped to `[lo, hi]` (the hyperbola's cells get `hi`).
pub fn heatmap(
    s: &Slice,
    nx: usize,
    ny: usize,
    xr: (f64, f64),
    yr: (f64, f64),
    lo: f64,
    hi: f64,
) -> Vec<f64> {
    let mut v = Vec::with_capacity(nx * ny);
    let dx = (xr.1 - xr.0) / nx as f64;
    let dy = (yr.1 - yr.0) / ny as f64;
    for j in 0..ny {
        let w2 = yr.0 + (j as f64 + 0.5) * dy;
        for i in 0..nx {
            let w1 = xr.0 + (i as f64 + 0.5) * dx;
            let l = fm::log10(s.loss(w1, w2));
            v.push(if l.is_nan() { hi } else { l.clamp(lo, hi) });
        }
    }
    v
}
