//! Heatmaps as one bitmap: the plotting area is filled pixel by pixel in an RGB buffer that
//! the backend blits at once (the canvas backend overrides `blit_bitmap` with `putImageData`).

use super::chart::Heatmap;
use super::chart::{Fill, Rgb};
use super::colormap::{color_of, ink, round_channel, texture_ink};
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

/// How a heatmap's cells become pixels: the opacity, whether the cells are classes (textured),
/// the cells per row and the texture period.
///
/// The per-row work is in functions of their own, never inlined. V8 starts a wasm function in
/// its baseline compiler and moves to optimised code only at a call, so one call looping over
/// every pixel runs a page's first heatmap wholly in baseline code (measured in Chromium: the
/// first fixed-point slice draw 80-120 ms, the next ones 11-17 ms). Row by row, optimised code
/// can take over part-way; the first draw still measured 70-100 ms on this 2-core machine.
struct Paint {
    a: f64,
    classes: bool,
    nx: usize,
    period: u32,
}

impl Paint {
    /// A channel blended over white with opacity `a`: 255 + a (c − 255), rounded.
    fn blend(&self, ch: u8) -> u8 {
        if self.a == 1.0 {
            return ch;
        }
        round_channel(255.0 + self.a * (ch as f64 - 255.0))
    }

    fn rgb(&self, c: Rgb) -> [u8; 3] {
        [self.blend(c.0), self.blend(c.1), self.blend(c.2)]
    }

    /// Cell row `j`'s (colour, texture ink colour, class) per cell; None for empty cells.
    #[inline(never)]
    fn cell_row(&self, hm: &Heatmap, j: usize) -> Vec<Option<CellPaint>> {
        (j * self.nx..(j + 1) * self.nx)
            .map(|k| {
                let v = hm.values.get(k).copied().unwrap_or(f64::NAN);
                let c = color_of(&hm.fill, v)?;
                let class = if self.classes && v >= 0.0 {
                    v.round() as usize
                } else {
                    0
                };
                Some((self.rgb(c), self.rgb(ink(c)), class))
            })
            .collect()
    }

    /// Pixel row `py`: each pixel takes its column's cell's colour (or its ink on a textured
    /// class's pattern); pixels off the heatmap keep the buffer's white.
    #[inline(never)]
    fn pixel_row(
        &self,
        line: &mut [u8],
        cols: &[Option<usize>],
        cells: &[Option<CellPaint>],
        py: u32,
    ) {
        for (pxl, col) in cols.iter().enumerate() {
            let Some((c, dark, class)) = col.and_then(|i| cells.get(i).copied().flatten()) else {
                continue;
            };
            let c = if class > 0 && texture_ink(class, pxl as u32, py, self.period) {
                dark
            } else {
                c
            };
            if let Some(px) = line.get_mut(pxl * 3..pxl * 3 + 3) {
                px.copy_from_slice(&c);
            }
        }
    }
}

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
    let paint = Paint {
        a,
        classes,
        nx,
        period,
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
            painted = Some((j, paint.cell_row(hm, j)));
        }
        let Some((_, cells)) = painted.as_ref() else {
            continue;
        };
        paint.pixel_row(
            &mut buf[py * stride..(py + 1) * stride],
            &cols,
            cells,
            py as u32,
        );
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

/// A digest of everything the pixels of `heatmap_pixels(hm, frame)` depend on: FNV-1a of the
/// settings' text, then each value's bits folded in as one 64-bit word, `h ← rotl((h ⊕ v)·p, 29)`.
/// Every step is a bijection of h, so two heatmaps that differ in one value never share a
/// digest. It runs on every draw, cache hit or not: the byte-wise FNV over a copy of the values
/// that it replaced was most of this function's time in a Chromium profile of the fixed-point
/// lab's load (200×200 cells redrawn about 60 times as its trajectories animate: 51 ms of
/// self time, 7 ms now).
fn digest(hm: &Heatmap, frame: &Frame) -> u64 {
    let f = format!(
        "{:?}{:?}{:?}{}{}{}{:?}",
        hm.fill, hm.x_range, hm.y_range, hm.nx, hm.ny, hm.alpha, frame
    );
    hm.values
        .iter()
        .fold(crate::lab::work::fnv1a64(f.as_bytes()), |h, v| {
            (h ^ v.to_bits())
                .wrapping_mul(0x0000_0100_0000_01b3)
                .rotate_left(29)
        })
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
