//! Heatmaps as one bitmap: the plotting area is filled pixel by pixel in an RGB buffer that
//! the backend blits at once (the canvas backend overrides `blit_bitmap` with `putImageData`).

use super::chart::Fill;
use super::chart::Heatmap;
use super::colormap::{color_of, ink, texture_ink};
use super::Frame;
use plotters::coord::Shift;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters_backend::{BackendCoord, DrawingErrorKind};

/// RGB pixels of `hm` resampled onto the frame's plotting area (nearest cell).
/// Pixels outside the heatmap's data rectangle or on empty cells are white.
pub fn heatmap_pixels(hm: &Heatmap, frame: &Frame) -> (u32, u32, Vec<u8>) {
    let (x0, y0, x1, y1) = frame.px;
    let (w, h) = ((x1 - x0).max(0) as u32, (y1 - y0).max(0) as u32);
    let mut buf = vec![255u8; (w * h * 3) as usize];
    let (nx, ny) = (hm.nx.max(1), hm.ny.max(1));
    let a = hm.alpha as f64 / 255.0;
    let classes = matches!(hm.fill, Fill::Classes { .. });
    // texture period: about 1/48 of the plot's width, so it scales with the pixel ratio
    let period = (w / 48).clamp(6, 30);
    for py in 0..h {
        for pxl in 0..w {
            let Some((x, y)) =
                frame.to_data(x0 as f64 + pxl as f64 + 0.5, y0 as f64 + py as f64 + 0.5)
            else {
                continue;
            };
            let fx = (x - hm.x_range.0) / (hm.x_range.1 - hm.x_range.0);
            let fy = (y - hm.y_range.0) / (hm.y_range.1 - hm.y_range.0);
            if !(0.0..1.0).contains(&fx) || !(0.0..1.0).contains(&fy) {
                continue;
            }
            let i = ((fx * nx as f64) as usize).min(nx - 1);
            let j = ((fy * ny as f64) as usize).min(ny - 1);
            let v = hm.values.get(j * nx + i).copied().unwrap_or(f64::NAN);
            if let Some(mut c) = color_of(&hm.fill, v) {
                if classes && v >= 0.0 && texture_ink(v.round() as usize, pxl, py, period) {
                    c = ink(c);
                }
                let k = ((py * w + pxl) * 3) as usize;
                let blend = |ch: u8| (255.0 + a * (ch as f64 - 255.0)).round() as u8;
                buf[k] = blend(c.0);
                buf[k + 1] = blend(c.1);
                buf[k + 2] = blend(c.2);
            }
        }
    }
    (w, h, buf)
}

/// An element that blits an RGB buffer at a backend position.
struct Bitmap {
    at: (i32, i32),
    size: (u32, u32),
    rgb: std::rc::Rc<Vec<u8>>,
}

impl<'a> PointCollection<'a, (i32, i32)> for &'a Bitmap {
    type Point = &'a (i32, i32);
    type IntoIter = std::iter::Once<&'a (i32, i32)>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(&self.at)
    }
}

impl<DB: DrawingBackend> Drawable<DB> for Bitmap {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut pos: I,
        backend: &mut DB,
        _parent: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        if let Some(p) = pos.next() {
            backend.blit_bitmap(p, self.size, &self.rgb)?;
        }
        Ok(())
    }
}

/// A digest of everything the pixels of `heatmap_pixels(hm, frame)` depend on.
fn digest(hm: &Heatmap, frame: &Frame) -> u64 {
    let mut bytes: Vec<u8> = Vec::with_capacity(8 * hm.values.len() + 128);
    for v in &hm.values {
        bytes.extend_from_slice(&v.to_bits().to_le_bytes());
    }
    let f = format!(
        "{:?}{:?}{:?}{}{}{}{:?}",
        hm.fill, hm.x_range, hm.y_range, hm.nx, hm.ny, hm.alpha, frame
    );
    bytes.extend_from_slice(f.as_bytes());
    crate::lab::work::fnv1a64(&bytes)
}

type Pixels = (u64, u32, u32, std::rc::Rc<Vec<u8>>);

thread_local! {
    /// The last few rasterised heatmaps: an animation redraws a view many times over one
    /// unchanged heatmap, which is rasterised once.
    static CACHE: std::cell::RefCell<Vec<Pixels>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `heatmap_pixels`, from the cache when the same heatmap was drawn on the same frame lately.
fn cached_pixels(hm: &Heatmap, frame: &Frame) -> (u32, u32, std::rc::Rc<Vec<u8>>) {
    let key = digest(hm, frame);
    let hit = CACHE.with(|c| {
        c.borrow()
            .iter()
            .find(|e| e.0 == key)
            .map(|e| (e.1, e.2, e.3.clone()))
    });
    if let Some(h) = hit {
        return h;
    }
    let (w, h, rgb) = heatmap_pixels(hm, frame);
    let rgb = std::rc::Rc::new(rgb);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        c.insert(0, (key, w, h, rgb.clone()));
        c.truncate(8);
    });
    (w, h, rgb)
}

/// Blits the heatmap over the frame's plotting area of `root`.
pub fn blit_heatmap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    hm: &Heatmap,
    frame: &Frame,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (w, h, rgb) = cached_pixels(hm, frame);
    if w == 0 || h == 0 {
        return Ok(());
    }
    root.draw(&Bitmap {
        at: (frame.px.0, frame.px.1),
        size: (w, h),
        rgb,
    })
}
