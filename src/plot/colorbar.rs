//! The colour bar beside a scalar heatmap: its colour map over [vmin, vmax], ticks at round
//! values, and the quantity with its units along it.

use super::chart::{Chart, ColorMap, Fill, Layer};
use super::colormap::sample;
use crate::dynamics::fm;
use crate::lab::face::num_sig;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

/// Width the bar takes to the right of the plot, in CSS pixels (bar, ticks, labels, title).
pub const WIDTH: f64 = 74.0;
/// Colour steps of the bar (enough for a smooth ramp, few enough for a small SVG).
const STEPS: i32 = 64;

/// The bar a chart asks for: its label and the first scalar heatmap's map and limits.
pub fn of(chart: &Chart) -> Option<(&str, ColorMap, f64, f64)> {
    let label = chart.bar.as_deref()?;
    chart.layers.iter().find_map(|l| match l {
        Layer::Heatmap(h) => match h.fill {
            Fill::Scalar { map, vmin, vmax } if vmin.is_finite() && vmax.is_finite() => {
                Some((label, map, vmin, vmax))
            }
            _ => None,
        },
        _ => None,
    })
}

/// Draws the bar right of the plotting area `px` (backend pixels) at pixel scale `s`.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    px: (i32, i32, i32, i32),
    bar: (&str, ColorMap, f64, f64),
    s: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (label, map, vmin, vmax) = bar;
    let p = |v: f64| (v * s).round() as i32;
    let (x0, y0, y1) = (px.2 + p(10.0), px.1, px.3);
    let x1 = x0 + p(12.0);
    let h = (y1 - y0).max(1);
    for k in 0..STEPS {
        let (a, b) = (y1 - h * k / STEPS, y1 - h * (k + 1) / STEPS);
        let c = sample(map, (k as f64 + 0.5) / STEPS as f64);
        root.draw(&Rectangle::new(
            [(x0, b), (x1, a)],
            RGBColor(c.0, c.1, c.2).filled(),
        ))?;
    }
    let edge = RGBColor(90, 90, 90);
    root.draw(&Rectangle::new([(x0, y0), (x1, y1)], edge.stroke_width(1)))?;
    let font = |size: f64| ("sans-serif", (size * s).max(1.0)).into_font();
    for v in nice_ticks(vmin, vmax) {
        let t = if vmax > vmin {
            (v - vmin) / (vmax - vmin)
        } else {
            0.5
        };
        let y = y1 - (t * h as f64).round() as i32;
        root.draw(&PathElement::new(vec![(x1, y), (x1 + p(4.0), y)], edge))?;
        root.draw(&Text::new(
            num_sig(v, 3),
            (x1 + p(6.0), y),
            font(10.5)
                .color(&RGBColor(40, 40, 40))
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    root.draw(&Text::new(
        label.to_string(),
        (x1 + p(WIDTH - 34.0), (y0 + y1) / 2),
        font(12.0)
            .transform(FontTransform::Rotate270)
            .color(&RGBColor(40, 40, 40))
            .pos(Pos::new(HPos::Center, VPos::Top)),
    ))?;
    Ok(())
}

/// Round ticks inside [lo, hi]: the multiples of the finest step m·10^k (m ∈ {1, 2, 2.5, 5})
/// that gives at most six, so a bar over −6.41..2.22 reads −6, −4, −2, 0, 2 rather than its
/// quartiles. An empty or non-finite range gets its one value.
pub fn nice_ticks(lo: f64, hi: f64) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return if lo.is_finite() { vec![lo] } else { Vec::new() };
    }
    let k0 = fm::log10(hi - lo).floor() as i32 - 2;
    for k in k0..=k0 + 3 {
        for m in [1.0, 2.0, 2.5, 5.0] {
            let p = fm::powi(10.0, k.abs());
            let step = if k < 0 { m / p } else { m * p };
            let (a, b) = ((lo / step).ceil(), (hi / step).floor());
            if b - a + 1.0 <= 6.0 {
                // (i·m)/10^|k|, one rounding, so 0.6 is 0.6 (3 · 0.2 is not); + 0.0 turns −0 into 0
                let at = |i: i64| {
                    let im = i as f64 * m;
                    (if k < 0 { im / p } else { im * p }) + 0.0
                };
                return (a as i64..=b as i64).map(at).collect();
            }
        }
    }
    vec![lo, hi]
}
