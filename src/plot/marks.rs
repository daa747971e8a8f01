//! Point markers, drawn the same way in a plot and along a line.

use super::chart::Shape;
use super::DrawResult;
use plotters::coord::CoordTranslate;
use plotters::prelude::*;

/// One marker of radius `r` (backend pixels) at data point `p`.
pub fn marker<DB: DrawingBackend, CT: CoordTranslate<From = (f64, f64)>>(
    cc: &mut ChartContext<'_, DB, CT>,
    p: (f64, f64),
    r: i32,
    c: RGBColor,
    shape: Shape,
    px: impl Fn(f64) -> i32,
) -> DrawResult<(), DB> {
    let thin = px(1.0).max(1) as u32;
    let wide = px(2.0).max(1) as u32;
    match shape {
        Shape::Filled => {
            cc.draw_series(std::iter::once(Circle::new(p, r, c.filled())))?;
            cc.draw_series(std::iter::once(Circle::new(p, r, BLACK.stroke_width(thin))))?;
        }
        Shape::Hollow => {
            cc.draw_series(std::iter::once(Circle::new(p, r, WHITE.filled())))?;
            cc.draw_series(std::iter::once(Circle::new(p, r, c.stroke_width(wide))))?;
        }
        Shape::Cross => {
            cc.draw_series(std::iter::once(Cross::new(p, r, c.stroke_width(wide))))?;
        }
        Shape::Square | Shape::Swatch(_) => {
            let sq = |st: ShapeStyle| EmptyElement::at(p) + Rectangle::new([(-r, -r), (r, r)], st);
            cc.draw_series(std::iter::once(sq(c.filled())))?;
            cc.draw_series(std::iter::once(sq(BLACK.stroke_width(thin))))?;
        }
        Shape::Triangle => {
            let r = r + r / 4;
            cc.draw_series(std::iter::once(TriangleMarker::new(p, r, c.filled())))?;
        }
    }
    Ok(())
}
