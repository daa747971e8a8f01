//! The legend: labelled lines and markers in a box, placed in the corner of the plotting area
//! that covers the fewest data points (ties go to the chart's preferred corner). Text is
//! measured through the backend (on the canvas: `measureText`), never through the DOM.

use super::chart::{Chart, Corner, Layer, Rgb, Shape, Stroke};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One legend row.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub label: String,
    pub color: Rgb,
    pub sample: Sample,
}

/// What a row's sample shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sample {
    Line(Stroke),
    Marker(Shape),
    /// A line with markers on it (a series drawn both ways).
    LineMarker(Stroke, Shape),
}

/// The marker shape next to labelled line `i` of the same colour (the series is drawn both
/// ways), if any.
fn marker_of(layers: &[Layer], i: usize, color: Rgb) -> Option<Shape> {
    [i.wrapping_sub(1), i + 1]
        .iter()
        .find_map(|&j| match layers.get(j) {
            Some(Layer::Markers(ms)) if !ms.is_empty() && ms.iter().all(|m| m.color == color) => {
                Some(ms[0].shape)
            }
            _ => None,
        })
}

fn labelled_line(l: &Layer) -> Option<(&str, Rgb, Stroke)> {
    match l {
        Layer::Line {
            points,
            color,
            stroke,
            label: Some(label),
            ..
        } if points.iter().any(|p| p.0.is_finite() && p.1.is_finite()) => {
            Some((label.as_str(), *color, *stroke))
        }
        _ => None,
    }
}

/// Colour is never the only cue: for each layer, the marker shape the renderer adds along a
/// labelled line whose legend sample (stroke, and marker if any) would equal an earlier
/// line's, so each series also differs in shape (None: the line is drawn as declared).
pub fn cues(chart: &Chart) -> Vec<Option<Shape>> {
    let layers = &chart.layers;
    let mut used: Vec<Sample> = Vec::new();
    let mut out = vec![None; layers.len()];
    for (i, l) in layers.iter().enumerate() {
        let Some((_, color, stroke)) = labelled_line(l) else {
            continue;
        };
        let mut sample = match marker_of(layers, i, color) {
            Some(shape) => Sample::LineMarker(stroke, shape),
            None => Sample::Line(stroke),
        };
        if used.contains(&sample) && matches!(sample, Sample::Line(_)) {
            for shape in [Shape::Hollow, Shape::Cross, Shape::Filled] {
                if !used.contains(&Sample::LineMarker(stroke, shape)) {
                    sample = Sample::LineMarker(stroke, shape);
                    out[i] = Some(shape);
                    break;
                }
            }
        }
        used.push(sample);
    }
    out
}

/// The legend rows of a chart: its labelled lines, each sample drawn as the series is (its
/// stroke, with the markers next to it or added by [`cues`]), then its keys.
pub fn entries(chart: &Chart) -> Vec<Entry> {
    let layers = &chart.layers;
    let cue = cues(chart);
    layers
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let (label, color, stroke) = labelled_line(l)?;
            let sample = match cue[i].or_else(|| marker_of(layers, i, color)) {
                Some(shape) => Sample::LineMarker(stroke, shape),
                None => Sample::Line(stroke),
            };
            Some(Entry {
                label: label.to_string(),
                color,
                sample,
            })
        })
        .chain(layers.iter().flat_map(|l| {
            match l {
                Layer::Key(rows) => rows
                    .iter()
                    .map(|(label, color, shape)| Entry {
                        label: label.clone(),
                        color: *color,
                        sample: Sample::Marker(*shape),
                    })
                    .collect(),
                _ => Vec::new(),
            }
        }))
        .collect()
}

/// The corners in the order tried after the preferred one.
const ORDER: [Corner; 4] = [
    Corner::UpperRight,
    Corner::UpperLeft,
    Corner::LowerRight,
    Corner::LowerLeft,
];

/// The box's top-left corner and size for `corner` inside the plotting area `px`.
fn place(corner: Corner, px: (i32, i32, i32, i32), w: i32, h: i32, m: i32) -> (i32, i32) {
    let (x0, y0, x1, y1) = px;
    match corner {
        Corner::UpperRight => (x1 - m - w, y0 + m),
        Corner::UpperLeft => (x0 + m, y0 + m),
        Corner::LowerRight => (x1 - m - w, y1 - m - h),
        Corner::LowerLeft => (x0 + m, y1 - m - h),
    }
}

/// The corner whose box covers the fewest of `points` (backend pixels; `preferred` first on a
/// tie), and how many it covers.
pub fn best_corner(
    preferred: Corner,
    px: (i32, i32, i32, i32),
    size: (i32, i32),
    margin: i32,
    points: &[(i32, i32)],
) -> (Corner, usize) {
    let mut order = vec![preferred];
    order.extend(ORDER.iter().copied().filter(|c| *c != preferred));
    let covered = |c: Corner| {
        let (bx, by) = place(c, px, size.0, size.1, margin);
        // a few pixels of slack: a line just outside the box still collides visually
        let pad = margin;
        points
            .iter()
            .filter(|p| {
                p.0 >= bx - pad
                    && p.0 <= bx + size.0 + pad
                    && p.1 >= by - pad
                    && p.1 <= by + size.1 + pad
            })
            .count()
    };
    let mut best = (preferred, usize::MAX);
    for c in order {
        let n = covered(c);
        if n < best.1 {
            best = (c, n);
        }
    }
    best
}

type Res<T, DB> = Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn font(s: f64) -> FontDesc<'static> {
    ("sans-serif", (11.5 * s).max(1.0)).into_font()
}

/// Row height of the legend at scale `s`.
fn row_height(s: f64) -> i32 {
    ((11.5 + 5.0) * s).round() as i32
}

/// Backend pixels under the plot for `rows` legend rows (0 for none).
pub fn below_height(rows: usize, s: f64) -> i32 {
    if rows == 0 {
        0
    } else {
        rows as i32 * row_height(s) + (6.0 * s).round() as i32
    }
}

/// Widths of each entry laid out in a row (sample, gap, text, spacing).
fn widths<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    s: f64,
) -> Res<Vec<i32>, DB> {
    let measure = TextStyle::from(font(s));
    let p = |v: f64| (v * s).round() as i32;
    entries
        .iter()
        .map(|e| {
            root.estimate_text_size(&e.label, &measure)
                .map(|(w, _)| p(20.0) + p(6.0) + w as i32 + p(16.0))
        })
        .collect()
}

/// How many rows the entries fill when laid out under the plot, across the drawing's width.
pub fn rows_below<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    s: f64,
) -> Res<usize, DB> {
    let (w, _) = root.dim_in_pixel();
    let avail = w as i32 - (16.0 * s).round() as i32;
    let mut rows = 1usize;
    let mut x = 0;
    for ew in widths(root, entries, s)? {
        if x > 0 && x + ew > avail {
            rows += 1;
            x = 0;
        }
        x += ew;
    }
    Ok(rows)
}

/// Draws a row's sample (a line in its stroke, a marker, or a line through a marker, as the
/// series is drawn) centred vertically at `cy`. A very light colour (a white curve drawn over
/// a heatmap) gets a dark swatch behind it, so the sample is visible on the white legend.
fn sample<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    e: &Entry,
    x0: i32,
    cy: i32,
    s: f64,
) -> Res<(), DB> {
    let p = |v: f64| (v * s).round() as i32;
    let (sx0, sx1) = (x0, x0 + p(20.0));
    let c = RGBColor(e.color.0, e.color.1, e.color.2);
    if luminance(e.color) > 0.8 {
        root.draw(&Rectangle::new(
            [(sx0 - p(2.0), cy - p(6.0)), (sx1 + p(2.0), cy + p(6.0))],
            RGBColor(60, 60, 60).filled(),
        ))?;
    }
    let line = |st: Stroke| -> Res<(), DB> {
        let width = p(if st == Stroke::Solid { 2.0 } else { 1.5 }).max(1) as u32;
        let segs: Vec<(i32, i32)> = match st {
            Stroke::Solid => vec![(sx0, sx1)],
            Stroke::Dashed => vec![(sx0, sx0 + p(7.0)), (sx0 + p(11.0), sx1)],
            Stroke::Dotted => (0..5)
                .map(|k| (sx0 + k * p(4.0), sx0 + k * p(4.0) + p(2.0)))
                .collect(),
        };
        for (a, b) in segs {
            root.draw(&PathElement::new(
                vec![(a, cy), (b, cy)],
                c.stroke_width(width),
            ))?;
        }
        Ok(())
    };
    let marker = |shape: Shape| -> Res<(), DB> {
        let mid = ((sx0 + sx1) / 2, cy);
        let r = p(4.0).max(1);
        let w = p(2.0).max(1) as u32;
        match shape {
            Shape::Filled => root.draw(&Circle::new(mid, r, c.filled())),
            Shape::Hollow => {
                root.draw(&Circle::new(mid, r, WHITE.filled()))?;
                root.draw(&Circle::new(mid, r, c.stroke_width(w)))
            }
            Shape::Cross => root.draw(&Cross::new(mid, r, c.stroke_width(w))),
            Shape::Square => root.draw(&Rectangle::new(
                [(mid.0 - r, mid.1 - r), (mid.0 + r, mid.1 + r)],
                c.filled(),
            )),
            Shape::Triangle => root.draw(&TriangleMarker::new(mid, r + r / 4, c.filled())),
            Shape::Swatch(k) => {
                // the class's texture, pixel by pixel, at the heatmap's own period
                let r = p(6.0).max(2);
                let (x0, y0) = (mid.0 - r, mid.1 - r);
                let dark = super::colormap::ink(e.color);
                let dc = RGBColor(dark.0, dark.1, dark.2);
                root.draw(&Rectangle::new(
                    [(x0, y0), (x0 + 2 * r, y0 + 2 * r)],
                    c.filled(),
                ))?;
                let period = p(7.0).max(4) as u32;
                for y in 0..2 * r {
                    for x in 0..2 * r {
                        if super::colormap::texture_ink(k as usize, x as u32, y as u32, period) {
                            root.draw_pixel((x0 + x, y0 + y), &dc)?;
                        }
                    }
                }
                root.draw(&Rectangle::new(
                    [(x0, y0), (x0 + 2 * r, y0 + 2 * r)],
                    RGBColor(90, 90, 90).stroke_width(1),
                ))
            }
        }
    };
    match e.sample {
        Sample::Line(st) => line(st),
        Sample::Marker(shape) => marker(shape),
        Sample::LineMarker(st, shape) => {
            line(st)?;
            marker(shape)
        }
    }
}

/// Relative luminance of an sRGB colour (WCAG 2), 0 (black) to 1 (white).
pub fn luminance(c: Rgb) -> f64 {
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            crate::dynamics::fm::powf((v + 0.055) / 1.055, 2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

/// The colour annotation text is drawn in: `c` itself if it reaches 4.5:1 (WCAG AA) against
/// the white figure, else `c` darkened (its hue kept) until it does. A light colour (luminance
/// ≥ 0.6) is text meant for a dark heatmap and is kept.
pub fn legible(c: Rgb) -> Rgb {
    let white = Rgb(255, 255, 255);
    if luminance(c) >= 0.6 || contrast(c, white) >= 4.5 {
        return c;
    }
    let mut k = 1.0;
    loop {
        k *= 0.9;
        let d = Rgb(
            (f64::from(c.0) * k) as u8,
            (f64::from(c.1) * k) as u8,
            (f64::from(c.2) * k) as u8,
        );
        if contrast(d, white) >= 4.5 || k < 0.05 {
            return d;
        }
    }
}

/// WCAG contrast ratio of two colours, 1 to 21.
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Draws the entries in rows under the plot, starting at `at` (backend pixels).
pub fn draw_below<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    at: (i32, i32),
    s: f64,
) -> Res<(), DB> {
    let p = |v: f64| (v * s).round() as i32;
    let (w, _) = root.dim_in_pixel();
    let avail = w as i32 - p(8.0);
    let row = row_height(s);
    // rows start at the left margin, as `rows_below` counted them (from the plot's left edge
    // a long legend needs a row more than was reserved, and its last row is cut off)
    let (x0, mut y) = (p(8.0), at.1 + p(2.0));
    let mut x = x0;
    for (e, ew) in entries.iter().zip(widths(root, entries, s)?) {
        if x > x0 && x + ew > avail {
            x = x0;
            y += row;
        }
        let cy = y + row / 2;
        sample(root, e, x, cy, s)?;
        root.draw(&Text::new(
            e.label.clone(),
            (x + p(26.0), cy),
            font(s)
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        x += ew;
    }
    Ok(())
}

/// Draws the legend of `entries` on `root` inside the plotting area `px` (backend pixels), at
/// pixel scale `s`, in the corner covering the fewest `points`; true if even that corner
/// covers some.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    px: (i32, i32, i32, i32),
    s: f64,
    preferred: Corner,
    points: &[(i32, i32)],
) -> Res<bool, DB> {
    if entries.is_empty() {
        return Ok(false);
    }
    let p = |v: f64| (v * s).round() as i32;
    let measure = TextStyle::from(font(s));
    let mut tw = 0i32;
    for e in entries {
        let (w, _) = root.estimate_text_size(&e.label, &measure)?;
        tw = tw.max(w as i32);
    }
    let row = row_height(s);
    let w = p(8.0) + p(20.0) + p(6.0) + tw + p(8.0);
    let h = p(6.0) + row * entries.len() as i32 + p(2.0);
    let margin = p(6.0);
    let (corner, covered) = best_corner(preferred, px, (w, h), margin, points);
    if covered > 0 {
        return Ok(true);
    }
    let (bx, by) = place(corner, px, w, h, margin);
    root.draw(&Rectangle::new(
        [(bx, by), (bx + w, by + h)],
        WHITE.mix(0.88).filled(),
    ))?;
    root.draw(&Rectangle::new(
        [(bx, by), (bx + w, by + h)],
        RGBColor(180, 180, 180).stroke_width(1),
    ))?;
    for (i, e) in entries.iter().enumerate() {
        let cy = by + p(6.0) + row * i as i32 + row / 2 - p(2.0);
        sample(root, e, bx + p(8.0), cy, s)?;
        root.draw(&Text::new(
            e.label.clone(),
            (bx + p(8.0) + p(26.0), cy),
            font(s)
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_legend_avoids_the_data() {
        let px = (0, 0, 400, 300);
        // data crowding the upper right: the legend goes elsewhere
        let pts: Vec<(i32, i32)> = (0..50).map(|i| (300 + i, 10 + i)).collect();
        let c = best_corner(Corner::UpperRight, px, (100, 60), 6, &pts);
        assert_eq!(c, (Corner::UpperLeft, 0));
        // nothing anywhere: the preferred corner
        let none = best_corner(Corner::LowerLeft, px, (100, 60), 6, &[]);
        assert_eq!(none, (Corner::LowerLeft, 0));
        // a line across the top and the bottom of the plot: every corner is covered
        let across: Vec<(i32, i32)> = (0..400).flat_map(|x| [(x, 20), (x, 280)]).collect();
        assert!(best_corner(Corner::UpperRight, px, (100, 60), 6, &across).1 > 0);
    }
}
