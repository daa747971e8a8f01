//! The colour bar beside a scalar heatmap: its colour map over [vmin, vmax], five ticks, and
//! the quantity with its units along it.

use super::chart::{Chart, ColorMap, Fill, Layer};
use super::colormap::sample;
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
    for k in 0..=4 {
        let t = k as f64 / 4.0;
        let y = y1 - (t * h as f64).round() as i32;
        root.draw(&PathElement::new(vec![(x1, y), (x1 + p(4.0), y)], edge))?;
        root.draw(&Text::new(
            num_sig(vmin + t * (vmax - vmin), 3),
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
