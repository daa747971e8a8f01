//! A heatmap drawn once off-screen at start-up, so a lab's first real heatmap does not run
//! cold code.
//!
//! V8 runs a wasm function in its baseline compiler until the function has used its tiering
//! budget, then optimises it in the background; the optimised code takes over at the next
//! call. A page's first heatmap therefore ran the raster, colour-bar and blit code in baseline
//! code, on a main thread that two busy workers share two cores with (the fixed-point slice:
//! 40-90 ms for its first heatmap draw against 10-12 ms warm, measured in Chromium on this
//! 2-core VM). Drawing a synthetic heatmap chart while the workers are still held, in slices
//! of rows small enough to stay far from a long task, spends those budgets at a time when the
//! background compiler has a core.

use crate::dynamics::fm;
use crate::plot::chart::{ColorMap, Fill, Heatmap, Layer};
use crate::plot::{palette, render, Chart, RenderOptions};
use plotters::prelude::IntoDrawingArea;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Cells per side of the synthetic heatmap.
const CELLS: usize = 64;

/// Draws a synthetic heatmap chart (a smooth field, a colour bar with its rotated label, a
/// dashed line, markers) onto `canvas` at pixel ratio `scale`; returns the milliseconds it
/// took. The canvas is the page's to make and throw away; it need not be in the document.
#[wasm_bindgen]
pub fn warm_heatmap(canvas: HtmlCanvasElement, scale: f64) -> Result<f64, JsValue> {
    let t0 = js_sys::Date::now();
    let values = (0..CELLS * CELLS)
        .map(|k| {
            let (i, j) = ((k % CELLS) as f64, (k / CELLS) as f64);
            fm::sin(0.2 * i) * fm::cos(0.15 * j) - 0.01 * i
        })
        .collect();
    let mut c = Chart::new("warm-up: log₁₀ J", "w1", "w2")
        .x_range(-3.0, 3.0)
        .y_range(-3.0, 3.0)
        .colour_bar("log₁₀ J (loss)");
    c.push(Layer::Heatmap(Heatmap {
        nx: CELLS,
        ny: CELLS,
        x_range: (-3.0, 3.0),
        y_range: (-3.0, 3.0),
        values,
        fill: Fill::Scalar {
            map: ColorMap::Viridis,
            vmin: -1.7,
            vmax: 1.0,
        },
        alpha: 255,
    }));
    let pts: Vec<(f64, f64)> = (0..=50).map(|i| (0.1 * i as f64 - 2.5, 0.5)).collect();
    c.push_pieces(
        &pts,
        palette::WHITE,
        1.5,
        crate::plot::chart::Stroke::Dashed,
        "line",
    );
    let root = super::canvas::FastCanvas::new(canvas)?.into_drawing_area();
    render(
        &root,
        &c,
        RenderOptions {
            scale,
            raster: true,
        },
    )
    .map_err(|e| JsValue::from_str(&e))?;
    Ok(js_sys::Date::now() - t0)
}
