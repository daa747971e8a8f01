//! The SVG backend with text measured by a fixed table of glyph widths.
//!
//! plotters measures text through its font backend: in wasm that is an inline-styled DOM
//! `<span>`, which the page's strict Content-Security-Policy refuses (and which a worker does
//! not have); natively it is another route again. Measuring with one table of average
//! sans-serif advance widths (in em) lays an SVG out identically natively and in the browser,
//! so `lde svg` and the page's SVG export give the same file.
//!
//! A heatmap is one RGB bitmap, as on the canvas. In the file it is one `<image>` holding a
//! PNG, not a rectangle per cell (which made 1–3.5 MB files that editors choke on): the
//! bitmap is drawn as a placeholder rectangle of a colour and opacity no chart uses, and
//! [`to_svg`] swaps each placeholder for its image.

use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use plotters_svg::SVGBackend;

use super::{draw_chart, legend, Chart, RenderOptions};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea};

/// Bitmaps blitted so far, as PNG data URIs, in drawing order.
type Images = std::rc::Rc<std::cell::RefCell<Vec<String>>>;

/// An [`SVGBackend`] that measures text with [`text_width`].
pub struct MeasuredSvg<'a> {
    inner: SVGBackend<'a>,
    /// Where blitted bitmaps go (None: plotters' own pixel-by-pixel fallback).
    images: Option<Images>,
}

impl<'a> MeasuredSvg<'a> {
    pub fn with_string(out: &'a mut String, size: (u32, u32)) -> Self {
        MeasuredSvg {
            inner: SVGBackend::with_string(out, size),
            images: None,
        }
    }
}

/// The placeholder a bitmap is drawn as: its fill and opacity, as plotters-svg writes them.
const MARK: BackendColor = BackendColor {
    alpha: 0.012_345,
    rgb: (1, 2, 3),
};
const MARK_ATTRS: &str = r##"opacity="0.012345" fill="#010203" stroke="none"/>"##;

/// A `w`×`h` RGB8 buffer as a `data:image/png;base64,…` URI (None if it cannot be encoded).
fn png_uri(w: u32, h: u32, rgb: &[u8]) -> Option<String> {
    use base64::Engine;
    let mut bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut bytes, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().ok()?;
        writer.write_image_data(rgb).ok()?;
        writer.finish().ok()?;
    }
    Some(format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&bytes)
    ))
}

/// Replaces the placeholders in `svg`, in order, by `<image>` elements holding `images`.
fn swap_in_images(svg: &str, images: &[String]) -> String {
    let mut out = String::with_capacity(svg.len() + images.iter().map(String::len).sum::<usize>());
    let mut rest = svg;
    let mut k = 0;
    while let (Some(end), Some(uri)) = (rest.find(MARK_ATTRS), images.get(k)) {
        let start = rest[..end].rfind("<rect ").unwrap_or(end);
        // the rectangle's x, y, width and height carry over
        let geometry = rest[start + "<rect ".len()..end].trim_end();
        out.push_str(&rest[..start]);
        out.push_str(&format!(
            r#"<image {geometry} preserveAspectRatio="none" xlink:href="{uri}"/>"#
        ));
        rest = &rest[end + MARK_ATTRS.len()..];
        k += 1;
    }
    out.push_str(rest);
    if k > 0 {
        out = out.replacen(
            "<svg ",
            r#"<svg xmlns:xlink="http://www.w3.org/1999/xlink" "#,
            1,
        );
    }
    out
}

/// Width of `text` at `size` px in a Helvetica-like sans-serif: narrow glyphs 0.28 em, digits
/// 0.556 em, capitals 0.67 em, m/w 0.83 em, other letters and symbols 0.52 em.
pub fn text_width(text: &str, size: f64) -> f64 {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' ' | 'I' | 't' | 'f'
            | '(' | ')' => 0.28,
            '0'..='9' => 0.556,
            'm' | 'w' | 'M' | 'W' => 0.83,
            'A'..='Z' => 0.67,
            _ => 0.52,
        })
        .sum();
    em * size
}

type Err = <SVGBackend<'static> as DrawingBackend>::ErrorType;
type Res = Result<(), DrawingErrorKind<Err>>;

impl DrawingBackend for MeasuredSvg<'_> {
    type ErrorType = Err;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Res {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Res {
        self.inner.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Res {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Res {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        ul: BackendCoord,
        br: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Res {
        self.inner.draw_rect(ul, br, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Res {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Res {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Res {
        self.inner.fill_polygon(vert, style)
    }
    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Res {
        self.inner.draw_text(text, style, pos)
    }
    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32), DrawingErrorKind<Err>> {
        let size = style.size();
        Ok((text_width(text, size).ceil() as u32, size.ceil() as u32))
    }
    fn blit_bitmap(&mut self, pos: BackendCoord, wh: (u32, u32), src: &[u8]) -> Res {
        let uri = self.images.as_ref().and_then(|_| png_uri(wh.0, wh.1, src));
        match (&self.images, uri) {
            (Some(images), Some(uri)) => {
                images.borrow_mut().push(uri);
                let far = (pos.0 + wh.0 as i32, pos.1 + wh.1 as i32);
                self.inner.draw_rect(pos, far, &MARK, true)
            }
            _ => self.inner.blit_bitmap(pos, wh, src),
        }
    }
}

/// How many legend rows go under the plot (0: the legend fits in a corner), found by drawing
/// the chart once on `root`.
fn rows_below<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart,
    opts: RenderOptions,
) -> Result<usize, String> {
    let err = |e| format!("drawing failed: {e:?}");
    let (_, collided) = draw_chart(root, chart, opts, 0).map_err(err)?;
    if !collided {
        return Ok(0);
    }
    legend::rows_below(root, &legend::entries(chart), opts.scale.max(0.25)).map_err(err)
}

/// Renders a chart to an SVG string (export, CLI and tests); a heatmap is one PNG image.
pub fn to_svg(chart: &Chart, width: u32, height: u32) -> Result<String, String> {
    let opts = RenderOptions {
        raster: true,
        ..RenderOptions::default()
    };
    // the layout is found on a scratch document, so the file holds one drawing only
    let rows = {
        let mut scratch = String::new();
        let backend = MeasuredSvg::with_string(&mut scratch, (width, height));
        let root = backend.into_drawing_area();
        // (heatmaps as cheap rectangles here: the layout does not depend on them)
        let layout = RenderOptions {
            raster: false,
            ..opts
        };
        let rows = rows_below(&root, chart, layout)?;
        drop(root);
        rows
    };
    let mut out = String::new();
    let images = Images::default();
    {
        let backend = MeasuredSvg {
            inner: SVGBackend::with_string(&mut out, (width, height)),
            images: Some(images.clone()),
        };
        let root = backend.into_drawing_area();
        draw_chart(&root, chart, opts, rows).map_err(|e| format!("drawing failed: {e:?}"))?;
        root.present()
            .map_err(|e| format!("drawing failed: {e:?}"))?;
    }
    let images = images.borrow();
    Ok(if images.is_empty() {
        out
    } else {
        swap_in_images(&out, &images)
    })
}
