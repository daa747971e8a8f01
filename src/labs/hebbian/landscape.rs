//! The pair's effective-energy landscape as a grid (computed once per parameter set).

use super::model::Model;
use crate::dynamics::fm;
use crate::plot::colormap::robust_limits;
use crate::plot::{ColorMap, Fill, Heatmap};

/// E_eff over an n×n grid of `range`², as log(E − E_min + δ) (δ = 10⁻⁴ of the span) so that
/// the wells show: the raw energy is dominated by the corner of high co-activity.
pub fn energy_grid(pair: &Model, range: (f64, f64), n: usize) -> Heatmap {
    let (a, b) = range;
    let mut values = Vec::with_capacity(n * n);
    for j in 0..n {
        for i in 0..n {
            let x1 = a + (i as f64 + 0.5) * (b - a) / n as f64;
            let x2 = a + (j as f64 + 0.5) * (b - a) / n as f64;
            values.push(pair.energy(&[x1, x2]));
        }
    }
    let (emin, emax) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let delta = 1e-4 * (emax - emin).max(1e-12);
    let values: Vec<f64> = values.iter().map(|&v| fm::ln(v - emin + delta)).collect();
    let (vmin, vmax) = robust_limits(&values, 0.01);
    Heatmap {
        nx: n,
        ny: n,
        x_range: (a, b),
        y_range: (a, b),
        values,
        fill: Fill::Scalar {
            map: ColorMap::Viridis,
            vmin,
            vmax,
        },
        alpha: 255,
    }
}

/// The slaved 2-D flow on an n×n grid of `range`², as arrows of a common length.
pub fn flow_arrows(pair: &Model, range: (f64, f64), n: usize) -> Vec<((f64, f64), (f64, f64))> {
    let (a, b) = range;
    let len = 0.55 * (b - a) / n as f64;
    let mut arrows = Vec::new();
    for j in 0..n {
        for i in 0..n {
            let x = a + (i as f64 + 0.5) * (b - a) / n as f64;
            let y = a + (j as f64 + 0.5) * (b - a) / n as f64;
            let mut f = [0.0; 2];
            pair.reduced(&[x, y], &mut f);
            let norm = fm::hypot(f[0], f[1]);
            if norm > 1e-12 && norm.is_finite() {
                arrows.push(((x, y), (x + len * f[0] / norm, y + len * f[1] / norm)));
            }
        }
    }
    arrows
}
