//! A sweep's results file in the page (`lde sweep run`/`merge` output, opened from a file, a
//! drop or the link key `results=URL`), drawn by the same renderer as the lab views.

use super::canvas;
use crate::plot::{render, RenderOptions};
use crate::sweep::view::Sweep;
use plotters::prelude::IntoDrawingArea;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

#[wasm_bindgen]
pub struct SweepResults {
    sweep: Sweep,
}

#[wasm_bindgen]
impl SweepResults {
    /// Parses a JSON Lines results text; the error says what is wrong with the file.
    #[wasm_bindgen(constructor)]
    pub fn new(text: &str) -> Result<SweepResults, JsValue> {
        Sweep::parse(text)
            .map(|sweep| SweepResults { sweep })
            .map_err(|e| JsValue::from_str(&e))
    }

    /// `{cells, labs, varied, numbers, errors, skipped_lines}` as JSON.
    pub fn summary(&self) -> String {
        self.sweep.summary().to_string()
    }

    /// Draws report number `y` against parameter `x` at device-pixel `scale`.
    pub fn draw(
        &self,
        canvas: HtmlCanvasElement,
        x: &str,
        y: &str,
        scale: f64,
    ) -> Result<(), JsValue> {
        let chart = self.sweep.chart(x, y);
        let backend = canvas::FastCanvas::new(canvas)?;
        let root = backend.into_drawing_area();
        render(
            &root,
            &chart,
            RenderOptions {
                scale,
                raster: true,
            },
        )
        .map(|_| ())
        .map_err(|e| JsValue::from_str(&e))
    }

    /// The plotted points as CSV.
    pub fn csv(&self, x: &str, y: &str) -> String {
        self.sweep.csv(x, y)
    }
}
