//! Charts, written once and drawn on any plotters backend: a canvas in the browser, SVG
//! natively. Labs describe a view as a [`Chart`]; [`render`] draws it and returns the
//! [`Frame`] that maps screen pixels back to data coordinates (for clicks).

pub mod chart;
pub mod colorbar;
pub mod colormap;
pub mod describe;
pub mod geometry;
use geometry::{equalise, letterbox};
pub mod labels;
pub mod legend;
mod marks;
mod raster;
pub mod svg;
use marks::marker;
pub use svg::to_svg;

pub use chart::*;

use crate::dynamics::fm;
use crate::lab::face::num_sig;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// How to draw: pixel scale (device pixels per CSS pixel) and whether heatmaps may be
/// blitted as one bitmap (canvas) or must be drawn as cells (SVG).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RenderOptions {
    pub scale: f64,
    pub raster: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            scale: 1.0,
            raster: false,
        }
    }
}

/// Where the data landed on screen: the plotting area in backend pixels and its data ranges
/// (log axes as log10 values).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub px: (i32, i32, i32, i32),
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub x_log: bool,
    pub y_log: bool,
}

impl Frame {
    /// Data coordinates of backend pixel `(px, py)`, or None outside the plotting area.
    pub fn to_data(&self, px: f64, py: f64) -> Option<(f64, f64)> {
        let (x0, y0, x1, y1) = self.px;
        if px < x0 as f64
            || px > x1 as f64
            || py < y0 as f64
            || py > y1 as f64
            || x1 <= x0
            || y1 <= y0
        {
            return None;
        }
        let fx = (px - x0 as f64) / (x1 - x0) as f64;
        let fy = (y1 as f64 - py) / (y1 - y0) as f64;
        let mut x = self.x_range.0 + fx * (self.x_range.1 - self.x_range.0);
        let mut y = self.y_range.0 + fy * (self.y_range.1 - self.y_range.0);
        if self.x_log {
            x = fm::powf(10f64, x);
        }
        if self.y_log {
            y = fm::powf(10f64, y);
        }
        Some((x, y))
    }
}

fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

fn tx(v: f64, s: Scale) -> f64 {
    match s {
        Scale::Linear => v,
        Scale::Log10 => {
            if v > 0.0 {
                fm::log10(v)
            } else {
                f64::NAN
            }
        }
    }
}

fn sane_range(r: (f64, f64), s: Scale) -> (f64, f64) {
    let (a, b) = (tx(r.0, s), tx(r.1, s));
    if !(a.is_finite() && b.is_finite()) {
        return (0.0, 1.0);
    }
    if a == b {
        return (a - 0.5, b + 0.5);
    }
    if a < b {
        (a, b)
    } else {
        (b, a)
    }
}

/// Caption font size (CSS px) that fits `title` into `width` CSS px (sans-serif glyphs average
/// about 0.55 em), never below 9 px.
fn caption_size(title: &str, width: f64, small: bool) -> f64 {
    let base: f64 = if small { 13.0 } else { 15.0 };
    let n = title.chars().count().max(1) as f64;
    base.min((width - 16.0) / (0.55 * n)).max(9.0)
}

/// Formats a tick value compactly.
/// Heights of the x and y label areas in CSS pixels: tick labels, plus the axis title if any.
fn label_areas(chart: &Chart) -> (f64, f64) {
    let x = if chart.x_label.is_empty() { 22.0 } else { 40.0 };
    let y = match (chart.y_ticks, chart.y_label.is_empty()) {
        (false, true) => 6.0,
        (false, false) => 24.0,
        (true, true) => 40.0,
        (true, false) => 58.0,
    };
    (x, y)
}

/// A tick's label. A log axis (`v` = log10 of the value) spanning `span` ≥ 3 decades labels
/// whole decades only ("1e-3"); a shorter one labels every tick with its value to two
/// significant digits (0.063, 0.1, 0.16, 0.25), so even a part of one decade is readable.
fn tick(v: f64, log: bool, span: f64) -> String {
    if log {
        let r = v.round();
        if span < 3.0 {
            return num_sig(fm::powf(10.0, v), 2);
        }
        return if (v - r).abs() < 1e-9 {
            format!("1e{}", r as i64)
        } else {
            String::new()
        };
    }
    let a = v.abs();
    if a < 1e-12 {
        return "0".into();
    }
    if !(1e-3..1e5).contains(&a) {
        format!("{v:.0e}")
    } else {
        let s = format!("{v:.4}");
        let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
        if s == "-0" {
            "0".into()
        } else {
            s
        }
    }
}

pub(crate) type DrawResult<T, DB> =
    Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Draws `chart` onto `root` (which it first fills white) and returns its [`Frame`]. The
/// legend goes in the corner of the plot with the fewest data under it; when every corner
/// would cover data, the chart is drawn again with the legend below the plot.
pub fn render<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart,
    opts: RenderOptions,
) -> Result<Frame, String> {
    let err = |e| format!("drawing failed: {e:?}");
    let (mut frame, collided) = draw_chart(root, chart, opts, 0).map_err(err)?;
    if collided {
        let rows =
            legend::rows_below(root, &legend::entries(chart), opts.scale.max(0.25)).map_err(err)?;
        frame = draw_chart(root, chart, opts, rows).map_err(err)?.0;
    }
    root.present().map_err(err)?;
    Ok(frame)
}

/// Draws the chart; `below` legend rows are laid out under the plot (0: the legend goes in a
/// corner). Returns the frame and whether a corner legend covers data.
pub(crate) fn draw_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart,
    opts: RenderOptions,
    below: usize,
) -> DrawResult<(Frame, bool), DB> {
    let s = opts.scale.max(0.25);
    let below_px = legend::below_height(below, s);
    let px = |v: f64| (v * s).round() as i32;
    let font = |size: f64| ("sans-serif", (size * s).max(1.0)).into_font();
    root.fill(&WHITE)?;
    let (w, _) = root.dim_in_pixel();
    let x_log = chart.x_scale == Scale::Log10;
    let y_log = chart.y_scale == Scale::Log10;
    let xr = sane_range(chart.x_range, chart.x_scale);
    let yr = sane_range(chart.y_range, chart.y_scale);
    let small = (w as f64) < 420.0 * s;
    // Equal aspect: a data unit has the same length on both axes. A heatmap keeps its ranges
    // and the plotting area shrinks to fit (so it fills its axes, with no white bands); other
    // charts widen their short range. The plotting area is the canvas less the margins,
    // caption and label areas set below.
    let heat = chart.layers.iter().any(|l| matches!(l, Layer::Heatmap(_)));
    let (xr, yr, pad) = if chart.equal_aspect && !x_log && !y_log {
        let (_, hpx) = root.dim_in_pixel();
        let caption = if chart.title.is_empty() {
            0.0
        } else {
            (if small { 13.0 } else { 15.0 }) * 1.6
        };
        let (xl, yl) = if chart.axes {
            label_areas(chart)
        } else {
            (0.0, 0.0)
        };
        let bar = if colorbar::of(chart).is_some() {
            colorbar::WIDTH
        } else {
            0.0
        };
        let pw = w as f64 - s * (8.0 + 14.0 + yl + bar);
        let ph = hpx as f64 - s * (8.0 + 8.0 + xl + caption) - below_px as f64;
        if heat {
            (xr, yr, letterbox(xr, yr, pw, ph))
        } else {
            let (x, y) = equalise(xr, yr, pw, ph);
            (x, y, (0, 0))
        }
    } else {
        (xr, yr, (0, 0))
    };
    let mut builder = ChartBuilder::on(root);
    builder
        .caption(
            &chart.title,
            font(caption_size(&chart.title, w as f64 / s, small)),
        )
        .margin(px(8.0))
        .margin_left(px(8.0) + pad.0)
        .margin_right(px(14.0) + pad.0 + colorbar::of(chart).map_or(0, |_| px(colorbar::WIDTH)))
        .margin_top(px(8.0) + pad.1)
        .margin_bottom(px(8.0) + below_px + pad.1);
    if chart.axes {
        let (xl, yl) = label_areas(chart);
        builder.x_label_area_size(px(xl)).y_label_area_size(px(yl));
    }
    let mut cc = builder.build_cartesian_2d(xr.0..xr.1, yr.0..yr.1)?;
    if chart.axes {
        let (xs, ys) = (xr.1 - xr.0, yr.1 - yr.0);
        let xf = move |v: &f64| tick(*v, x_log, xs);
        let y_ticks = chart.y_ticks;
        let yf = move |v: &f64| {
            if y_ticks {
                tick(*v, y_log, ys)
            } else {
                String::new()
            }
        };
        cc.configure_mesh()
            .x_desc(chart.x_label.as_str())
            .y_desc(chart.y_label.as_str())
            .label_style(font(11.5))
            .axis_desc_style(font(12.5))
            .x_labels(if small { 5 } else { 8 })
            .y_labels(if small { 5 } else { 7 })
            .x_label_formatter(&xf)
            .y_label_formatter(&yf)
            .light_line_style(RGBColor(238, 238, 238))
            .bold_line_style(RGBColor(220, 220, 220))
            .axis_style(RGBColor(90, 90, 90).stroke_width(px(1.0).max(1) as u32))
            .draw()?;
    }
    let (xpx, ypx) = cc.plotting_area().get_pixel_range();
    if let Some(bar) = colorbar::of(chart) {
        colorbar::draw(root, (xpx.start, ypx.start, xpx.end, ypx.end), bar, s)?;
    }
    let frame = Frame {
        px: (xpx.start, ypx.start, xpx.end, ypx.end),
        x_range: xr,
        y_range: yr,
        x_log,
        y_log,
    };
    let to = |x: f64, y: f64| (tx(x, chart.x_scale), tx(y, chart.y_scale));
    let entries = legend::entries(chart);
    // where data landed (backend pixels): the legend avoids these
    let mut occupied: Vec<(i32, i32)> = Vec::new();
    // heatmap cells under the plot (the legend avoids them; labels may sit on them)
    let mut grid_pts: Vec<(i32, i32)> = Vec::new();
    // labels wait until every layer is drawn, then take the free places (see `labels`)
    let mut pending: Vec<labels::Pending> = Vec::new();
    // reference lines' pixels: labels keep off them, the legend may sit over them
    let mut rules: Vec<(i32, i32)> = Vec::new();
    let text_size = |t: &str, size: f64| -> (i32, i32) {
        root.estimate_text_size(t, &TextStyle::from(font(size)))
            .map_or((0, 0), |(w, h)| (w as i32, h as i32))
    };
    let cues = legend::cues(chart);
    for (li, layer) in chart.layers.iter().enumerate() {
        match layer {
            Layer::Heatmap(hm) => {
                // the legend must not hide cells either: mark a grid over the heatmap
                for j in 0..=12 {
                    for i in 0..=12 {
                        let x = hm.x_range.0 + (hm.x_range.1 - hm.x_range.0) * i as f64 / 12.0;
                        let y = hm.y_range.0 + (hm.y_range.1 - hm.y_range.0) * j as f64 / 12.0;
                        let q = to(x, y);
                        if q.0.is_finite() && q.1.is_finite() {
                            grid_pts.push(cc.backend_coord(&q));
                        }
                    }
                }
                if opts.raster {
                    raster::blit_heatmap(root, hm, &frame)?;
                } else {
                    let (nx, ny) = (hm.nx.max(1), hm.ny.max(1));
                    let dx = (hm.x_range.1 - hm.x_range.0) / nx as f64;
                    let dy = (hm.y_range.1 - hm.y_range.0) / ny as f64;
                    let mut rects = Vec::with_capacity(nx * ny);
                    for j in 0..ny {
                        for i in 0..nx {
                            let v = hm.values.get(j * nx + i).copied().unwrap_or(f64::NAN);
                            if let Some(c) = colormap::color_of(&hm.fill, v) {
                                let a =
                                    to(hm.x_range.0 + i as f64 * dx, hm.y_range.0 + j as f64 * dy);
                                let b = to(
                                    hm.x_range.0 + (i + 1) as f64 * dx,
                                    hm.y_range.0 + (j + 1) as f64 * dy,
                                );
                                rects.push(Rectangle::new(
                                    [a, b],
                                    rgb(c).mix(hm.alpha as f64 / 255.0).filled(),
                                ));
                            }
                        }
                    }
                    cc.draw_series(rects)?;
                }
            }
            Layer::Line {
                points,
                color,
                width,
                stroke,
                ..
            } => {
                let style = rgb(*color).stroke_width(px(*width).max(1) as u32);
                // NaN (or non-positive on a log axis) breaks the line into pieces
                let mut pieces: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
                for &(x, y) in points {
                    let p = to(x, y);
                    if p.0.is_finite() && p.1.is_finite() {
                        if let Some(last) = pieces.last_mut() {
                            last.push(p);
                        }
                    } else if pieces.last().is_some_and(|l| !l.is_empty()) {
                        pieces.push(Vec::new());
                    }
                }
                if let Some(shape) = cues.get(li).copied().flatten() {
                    // colour is not the only cue: a few markers along the line
                    let all: Vec<(f64, f64)> = pieces.iter().flatten().copied().collect();
                    let step = (all.len() / 8).max(1);
                    let offset = (li * step / 3) % step;
                    for &q in all.iter().skip(offset).step_by(step) {
                        marker(&mut cc, q, px(3.5).max(1), rgb(*color), shape, px)?;
                    }
                }
                for piece in pieces.into_iter().filter(|p| !p.is_empty()) {
                    let stride = (piece.len() / 2000).max(1);
                    let at: Vec<(i32, i32)> = piece
                        .iter()
                        .step_by(stride)
                        .map(|q| cc.backend_coord(q))
                        .collect();
                    geometry::trace(&at, px(4.0).max(1), &mut occupied);
                    match stroke {
                        Stroke::Solid => cc.draw_series(LineSeries::new(piece, style))?,
                        Stroke::Dashed => {
                            cc.draw_series(DashedLineSeries::new(piece, px(7.0), px(5.0), style))?
                        }
                        Stroke::Dotted => {
                            cc.draw_series(DashedLineSeries::new(piece, px(2.0), px(4.0), style))?
                        }
                    };
                }
            }
            Layer::Markers(ms) => {
                for m in ms {
                    let p = to(m.x, m.y);
                    if !(p.0.is_finite() && p.1.is_finite()) {
                        continue;
                    }
                    let r = px(m.size).max(1);
                    occupied.push(cc.backend_coord(&p));
                    marker(&mut cc, p, r, rgb(m.color), m.shape, px)?;
                    if let Some(l) = &m.label {
                        // beside the marker, on a light backing so lines under it do not run
                        // through the words; first choice: above, on the side with more room
                        let (bx, by) = cc.backend_coord(&p);
                        let (tw, th) = text_size(l, 11.0);
                        let mut candidates = labels::around(bx, by, tw, th, r + px(3.0));
                        if bx > (frame.px.0 + frame.px.2) / 2 + (frame.px.2 - frame.px.0) / 5 {
                            candidates.swap(0, 1);
                        }
                        pending.push(labels::Pending {
                            text: l.clone(),
                            color: Rgb(0, 0, 0),
                            size: 11.0,
                            backing: true,
                            candidates,
                        });
                    }
                }
            }
            Layer::Arrows { arrows, color } => {
                let c = rgb(*color);
                for &(a, b) in arrows {
                    let (pa, pb) = (to(a.0, a.1), to(b.0, b.1));
                    if !(pa.0.is_finite()
                        && pa.1.is_finite()
                        && pb.0.is_finite()
                        && pb.1.is_finite())
                    {
                        continue;
                    }
                    let (ax, ay) = cc.backend_coord(&pa);
                    let (bx, by) = cc.backend_coord(&pb);
                    let (dx, dy) = ((bx - ax) as f64, (by - ay) as f64);
                    let len = (dx * dx + dy * dy).sqrt();
                    if len < 1.0 {
                        continue;
                    }
                    let (ux, uy) = (dx / len, dy / len);
                    let hl = (len * 0.35).min(6.0 * s);
                    let h1 = (
                        bx - (hl * (ux - 0.5 * uy)) as i32,
                        by - (hl * (uy + 0.5 * ux)) as i32,
                    );
                    let h2 = (
                        bx - (hl * (ux + 0.5 * uy)) as i32,
                        by - (hl * (uy - 0.5 * ux)) as i32,
                    );
                    let st = c.stroke_width(px(1.0).max(1) as u32);
                    root.draw(&PathElement::new(vec![(ax, ay), (bx, by)], st))?;
                    root.draw(&Polygon::new(vec![(bx, by), h1, h2], c.filled()))?;
                }
            }
            Layer::Segments(segs) => {
                for &(a, b, col, wd) in segs {
                    let (pa, pb) = (to(a.0, a.1), to(b.0, b.1));
                    cc.draw_series(std::iter::once(PathElement::new(
                        vec![pa, pb],
                        rgb(col).stroke_width(px(wd).max(1) as u32),
                    )))?;
                }
            }
            Layer::VLine {
                x,
                color,
                stroke,
                label,
            } => {
                let xv = tx(*x, chart.x_scale);
                if xv.is_finite() && xv >= xr.0 && xv <= xr.1 {
                    let pts = vec![(xv, yr.0), (xv, yr.1)];
                    let ends = [cc.backend_coord(&pts[0]), cc.backend_coord(&pts[1])];
                    geometry::trace(&ends, px(4.0).max(1), &mut rules);
                    let st = rgb(*color).stroke_width(px(1.5).max(1) as u32);
                    match stroke {
                        Stroke::Solid => cc.draw_series(LineSeries::new(pts, st))?,
                        _ => cc.draw_series(DashedLineSeries::new(pts, px(6.0), px(4.0), st))?,
                    };
                    if !label.is_empty() && chart.labels_along {
                        // upright, left of the line, ending just under the plot's top
                        let (bx, by) = cc.backend_coord(&(xv, yr.1));
                        let style = TextStyle::from(font(11.0));
                        let (tw, th) = root.estimate_text_size(label, &style)?;
                        let (tw, th) = (tw as i32, th as i32);
                        let (x1, y0) = (bx - px(2.0), by + px(4.0));
                        root.draw(&Rectangle::new(
                            [(x1 - th - px(2.0), y0 - px(1.0)), (x1, y0 + tw + px(2.0))],
                            RGBColor(255, 255, 255).mix(0.85).filled(),
                        ))?;
                        root.draw(&Text::new(
                            label.clone(),
                            (x1 - px(1.0), y0),
                            font(11.0)
                                .transform(FontTransform::Rotate270)
                                .color(&rgb(legend::legible(*color)))
                                .pos(Pos::new(HPos::Right, VPos::Bottom)),
                        ))?;
                    } else if !label.is_empty() {
                        // beside the line at the top, then lower rows, then at the bottom:
                        // first on the side facing the plot's centre
                        let (bx, top) = cc.backend_coord(&(xv, yr.1));
                        let (_, bottom) = cc.backend_coord(&(xv, yr.0));
                        let (tw, th) = text_size(label, 11.5);
                        let th = th + px(2.0);
                        let candidates = labels::beside_vline(
                            bx,
                            (top, bottom),
                            (tw, th),
                            xv > 0.5 * (xr.0 + xr.1),
                            px(4.0),
                        );
                        pending.push(labels::Pending::line(label, *color, candidates));
                    }
                }
            }
            Layer::HLine {
                y,
                color,
                stroke,
                label,
            } => {
                let yv = tx(*y, chart.y_scale);
                if yv.is_finite() && yv >= yr.0 && yv <= yr.1 {
                    let pts = vec![(xr.0, yv), (xr.1, yv)];
                    let ends = [cc.backend_coord(&pts[0]), cc.backend_coord(&pts[1])];
                    geometry::trace(&ends, px(4.0).max(1), &mut rules);
                    let st = rgb(*color).stroke_width(px(1.5).max(1) as u32);
                    match stroke {
                        Stroke::Solid => cc.draw_series(LineSeries::new(pts, st))?,
                        _ => cc.draw_series(DashedLineSeries::new(pts, px(6.0), px(4.0), st))?,
                    };
                    if !label.is_empty() {
                        // above the line at its right end, else below it, else at its left end
                        let (x1, by) = cc.backend_coord(&(xr.1, yv));
                        let (x0, _) = cc.backend_coord(&(xr.0, yv));
                        let (tw, th) = text_size(label, 11.5);
                        let candidates = labels::along_hline((x0, x1), by, (tw, th), px(4.0));
                        pending.push(labels::Pending::line(label, *color, candidates));
                    }
                }
            }
            // legend-only: drawn with the legend
            Layer::Key(_) => {}
            Layer::Text { x, y, text, color } => {
                let p = to(*x, *y);
                if p.0.is_finite() && p.1.is_finite() {
                    // centred on its anchor if that hides nothing, else beside it
                    let (bx, by) = cc.backend_coord(&p);
                    let (tw, th) = text_size(text, 11.5);
                    // centred, but shifted inside the plot where the anchor is near an edge
                    let (l, r) = (frame.px.0 + px(2.0), frame.px.2 - px(2.0));
                    let x0 = (bx - tw / 2).min(r - tw).max(l);
                    let mut candidates = vec![(x0, by - th / 2, x0 + tw, by + th - th / 2)];
                    candidates.extend(labels::around(bx, by, tw, th, px(3.0)));
                    pending.push(labels::Pending::line(text, *color, candidates));
                }
            }
        }
    }
    let mut seen = occupied.clone();
    let n = seen.len() + rules.len();
    seen.extend(rules);
    labels::draw_all(root, pending, &mut seen, &mut Vec::new(), frame.px, s)?;
    // the legend avoids the labels' boxes, not the reference lines
    occupied.extend(seen.drain(n..));
    occupied.extend(grid_pts);
    let collided = if below > 0 {
        let (_, h) = root.dim_in_pixel();
        legend::draw_below(root, &entries, (frame.px.0, h as i32 - below_px), s)?;
        false
    } else {
        legend::draw(root, &entries, frame.px, s, chart.legend, &occupied)?
    };
    if let Some(msg) = &chart.message {
        let cx = (frame.px.0 + frame.px.2) / 2;
        let cy = (frame.px.1 + frame.px.3) / 2;
        let pos = Pos::new(HPos::Center, VPos::Center);
        root.draw(&Text::new(
            msg.clone(),
            (cx, cy),
            font(13.0).color(&RGBColor(150, 40, 0)).pos(pos),
        ))?;
    }
    Ok((frame, collided))
}

#[cfg(test)]
mod tests;
