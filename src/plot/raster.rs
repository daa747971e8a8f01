//! Heatmaps as one bitmap: the plotting area is filled pixel by pixel in an RGB buffer that
//! the backend blits at once (the canvas backend overrides `blit_bitmap` with `putImageData`).

use super::chart::Heatmap;
use super::chart::{Fill, Rgb};
use super::colormap::{color_of, ink, texture_ink};
use super::Frame;
use plotters::coord::Shift;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters_backend::{BackendCoord, DrawingErrorKind};

/// The cell index along one axis of each pixel centre `first + k + 0.5`, k < `len`, or None
/// outside the heatmap; `coord` gives the fraction of the heatmap's range at a pixel centre.
fn cells_along(len: u32, n: usize, coord: impl Fn(f64) -> Option<f64>) -> Vec<Option<usize>> {
    (0..len)
        .map(|k| {
            let f = coord(k as f64 + 0.5)?;
            (0.0..1.0)
                .contains(&f)
                .then(|| ((f * n as f64) as usize).min(n - 1))
        })
        .collect()
}

/// A drawn cell's colour, its texture ink's colour and its class (0 when not categorical).
type CellPaint = ([u8; 3], [u8; 3], usize);

/// RGB pixels of `hm` resampled onto the frame's plotting area (nearest cell).
/// Pixels outside the heatmap's data rectangle or on empty cells are white. The frame's map is
/// separable, so a pixel's cell comes from its column's and its row's index (computed once per
/// column and row) and its colour from the cell's (computed once per cell): the same pixels as
/// mapping every pixel on its own, at the cost of a copy.
pub fn heatmap_pixels(hm: &Heatmap, frame: &Frame) -> (u32, u32, Vec<u8>) {
    let (x0, y0, x1, y1) = frame.px;
    let (w, h) = ((x1 - x0).max(0) as u32, (y1 - y0).max(0) as u32);
    let mut buf = vec![255u8; (w * h * 3) as usize];
    let (nx, ny) = (hm.nx.max(1), hm.ny.max(1));
    let a = hm.alpha as f64 / 255.0;
    let classes = matches!(hm.fill, Fill::Classes { .. });
    // texture period: about 1/48 of the plot's width, so it scales with the pixel ratio
    let period = (w / 48).clamp(6, 30);
    let (mx, my) = (x0 as f64 + 0.5, y0 as f64 + 0.5);
    let cols = cells_along(w, nx, |d| {
        let (x, _) = frame.to_data(x0 as f64 + d, my)?;
        Some((x - hm.x_range.0) / (hm.x_range.1 - hm.x_range.0))
    });
    let rows = cells_along(h, ny, |d| {
        let (_, y) = frame.to_data(mx, y0 as f64 + d)?;
        Some((y - hm.y_range.0) / (hm.y_range.1 - hm.y_range.0))
    });
    let blend = |ch: u8| (255.0 + a * (ch as f64 - 255.0)).round() as u8;
    let paint = |c: Rgb| [blend(c.0), blend(c.1), blend(c.2)];
    // a drawn cell's (colour, texture ink colour, class), for the cells of row j only: a row of
    // cells is coloured when a pixel row first needs it, so a heatmap with more cells than
    // pixels costs no more than its pixels
    let row_paint = |j: usize| -> Vec<Option<CellPaint>> {
        (j * nx..(j + 1) * nx)
            .map(|k| {
                let v = hm.values.get(k).copied().unwrap_or(f64::NAN);
                let c = color_of(&hm.fill, v)?;
                let class = if classes && v >= 0.0 {
                    v.round() as usize
                } else {
                    0
                };
                Some((paint(c), paint(ink(c)), class))
            })
            .collect()
    };
    let stride = w as usize * 3;
    let mut last: Option<(usize, usize)> = None; // (cell row, pixel row) last drawn
    let mut painted: Option<(usize, Vec<Option<CellPaint>>)> = None; // the cell row coloured
    for (py, row) in rows.iter().enumerate() {
        let Some(j) = *row else { continue };
        // untextured pixel rows in the same cell row are equal: copy the one above
        if let (false, Some((lj, lpy))) = (classes, last) {
            if lj == j {
                buf.copy_within(lpy * stride..(lpy + 1) * stride, py * stride);
                last = Some((j, py));
                continue;
            }
        }
        if painted.as_ref().is_none_or(|p| p.0 != j) {
            painted = Some((j, row_paint(j)));
        }
        let Some((_, cells)) = painted.as_ref() else {
            continue;
        };
        let line = &mut buf[py * stride..(py + 1) * stride];
        for (pxl, col) in cols.iter().enumerate() {
            let Some((c, dark, class)) = col.and_then(|i| cells[i]) else {
                continue;
            };
            let c = if class > 0 && texture_ink(class, pxl as u32, py as u32, period) {
                dark
            } else {
                c
            };
            line[pxl * 3..pxl * 3 + 3].copy_from_slice(&c);
        }
        last = Some((j, py));
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
