//! The SVG backend with text measured by a fixed table of glyph widths.
//!
//! plotters measures text through its font backend: in wasm that is an inline-styled DOM
//! `<span>`, which the page's strict Content-Security-Policy refuses (and which a worker does
//! not have); natively it is another route again. Measuring with one table of average
//! sans-serif advance widths (in em) lays an SVG out identically natively and in the browser,
//! so `lde svg` and the page's SVG export give the same file.

use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use plotters_svg::SVGBackend;

use super::{draw_chart, legend, Chart, RenderOptions};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea};

/// An [`SVGBackend`] that measures text with [`text_width`].
pub struct MeasuredSvg<'a> {
    inner: SVGBackend<'a>,
}

impl<'a> MeasuredSvg<'a> {
    pub fn with_string(out: &'a mut String, size: (u32, u32)) -> Self {
        MeasuredSvg {
            inner: SVGBackend::with_string(out, size),
        }
    }
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
        self.inner.blit_bitmap(pos, wh, src)
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

/// Renders a chart to an SVG string (export, CLI and tests).
pub fn to_svg(chart: &Chart, width: u32, height: u32) -> Result<String, String> {
    // the layout is found on a scratch document, so the file holds one drawing only
    let opts = RenderOptions::default();
    let rows = {
        let mut scratch = String::new();
        let backend = MeasuredSvg::with_string(&mut scratch, (width, height));
        let root = backend.into_drawing_area();
        let rows = rows_below(&root, chart, opts)?;
        drop(root);
        rows
    };
    let mut out = String::new();
    {
        let backend = MeasuredSvg::with_string(&mut out, (width, height));
        let root = backend.into_drawing_area();
        draw_chart(&root, chart, opts, rows).map_err(|e| format!("drawing failed: {e:?}"))?;
        root.present()
            .map_err(|e| format!("drawing failed: {e:?}"))?;
    }
    Ok(out)
}
