//! Annotations placed from the data. Each label (a line's name, a marker's label, a text layer)
//! offers candidate boxes in the order its view prefers; after every layer is drawn, so that
//! all the data is known, the first box that covers no data point and no earlier label is taken,
//! else the one that covers the fewest. A rule alone ("top right of the line") would put the
//! words over whatever data happens to be there.

use super::chart::Rgb;
use super::legend;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A box in backend pixels: (x0, y0, x1, y1), y downwards.
pub type Rect = (i32, i32, i32, i32);

/// A label waiting for its place.
pub struct Pending {
    pub text: String,
    pub color: Rgb,
    /// Font size in CSS pixels.
    pub size: f64,
    /// A light backing under the words, so lines under them do not run through them.
    pub backing: bool,
    /// Boxes of the text's size, most preferred first.
    pub candidates: Vec<Rect>,
}

impl Pending {
    /// A line's label: 11.5 px, no backing.
    pub fn line(text: &str, color: Rgb, candidates: Vec<Rect>) -> Pending {
        Pending {
            text: text.to_string(),
            color,
            size: 11.5,
            backing: false,
            candidates,
        }
    }
}

fn overlaps(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// What box `b` would hide: data points inside it or less than `pad` pixels from it (a marker
/// is drawn around its point; a candidate's own line, `gap ≥ pad` away, is not counted), 1000
/// per earlier label it overlaps, and 10,000 if it leaves the plotting area (it would be
/// clipped or cover the axes).
pub fn cost(b: Rect, pad: i32, points: &[(i32, i32)], taken: &[Rect], area: Rect) -> usize {
    let near = |v: i32, lo: i32, hi: i32| (lo..=hi).contains(&v) || (v > lo - pad && v < hi + pad);
    let inside = points
        .iter()
        .filter(|p| near(p.0, b.0, b.2) && near(p.1, b.1, b.3))
        .count();
    let hits = taken.iter().filter(|t| overlaps(b, **t)).count();
    let out = b.0 < area.0 || b.1 < area.1 || b.2 > area.2 || b.3 > area.3;
    inside + 1000 * hits + if out { 10_000 } else { 0 }
}

/// The candidate of least cost (the earliest among equals).
pub fn choose(
    candidates: &[Rect],
    pad: i32,
    points: &[(i32, i32)],
    taken: &[Rect],
    area: Rect,
) -> Option<Rect> {
    candidates
        .iter()
        .copied()
        .enumerate()
        .min_by_key(|&(i, b)| (cost(b, pad, points, taken, area), i))
        .map(|(_, b)| b)
}

/// Candidates of a `w`×`h` box around anchor `(x, y)` at distance `gap`: above-right,
/// above-left, below-right, below-left, right, left, then centred above and below.
pub fn around(x: i32, y: i32, w: i32, h: i32, gap: i32) -> Vec<Rect> {
    let at = |x0: i32, y0: i32| (x0, y0, x0 + w, y0 + h);
    vec![
        at(x + gap, y - gap - h),
        at(x - gap - w, y - gap - h),
        at(x + gap, y + gap),
        at(x - gap - w, y + gap),
        at(x + gap, y - h / 2),
        at(x - gap - w, y - h / 2),
        at(x - w / 2, y - gap - h),
        at(x - w / 2, y + gap),
    ]
}

/// Candidates of a `w`×`h` label of a vertical line at `x` spanning pixel rows `top..bottom`:
/// beside it at the top, then a row lower (three times), then at the bottom; first on the side
/// facing the plot's centre (left when the line is in the right half).
pub fn beside_vline(
    x: i32,
    (top, bottom): (i32, i32),
    (w, h): (i32, i32),
    right_half: bool,
    gap: i32,
) -> Vec<Rect> {
    let sides = if right_half {
        [x - gap - w, x + gap]
    } else {
        [x + gap, x - gap - w]
    };
    (0..4)
        .map(|row| top + gap + row * h)
        .chain([bottom - gap - h])
        .flat_map(|y0| sides.map(|x0| (x0, y0, x0 + w, y0 + h)))
        .collect()
}

/// Candidates of a `w`×`h` label of a horizontal line at pixel row `y` from `x0` to `x1`:
/// above its right end, below it, the same at its left end, then above and below its middle
/// and its quarters (a curve may cross the line near both ends); then the same places one
/// row further from the line, for a line that runs through the data everywhere (the
/// label's value names the line, so a row's distance does not lose it).
pub fn along_hline((x0, x1): (i32, i32), y: i32, (w, h): (i32, i32), gap: i32) -> Vec<Rect> {
    let (r, l) = (x1 - gap - w, x0 + gap);
    let at = |f: i32| x0 + (x1 - x0) * f / 4 - w / 2;
    (0..2)
        .flat_map(|row| {
            let (up, down) = (y - gap - h - row * h, y + gap + row * h);
            [r, l, at(2), at(1), at(3)]
                .into_iter()
                .flat_map(move |x| [(x, up), (x, down)])
        })
        .map(|(x, y)| (x, y, x + w, y + h))
        .collect()
}

/// Places and draws every pending label at pixel scale `s`; the boxes taken are added to
/// `taken`, and their corners to `points`, so the legend avoids the labels too.
pub fn draw_all<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    pending: Vec<Pending>,
    points: &mut Vec<(i32, i32)>,
    taken: &mut Vec<Rect>,
    area: Rect,
    s: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    // a line's markers are drawn with radius 3.5 CSS px around their points; candidates sit
    // 3–4 px from their anchor or line, which the strict margin leaves out
    let pad = (3.5 * s).round() as i32;
    for p in pending {
        let Some(b) = choose(&p.candidates, pad, points, taken, area) else {
            continue;
        };
        if p.backing {
            let m = (s).round().max(1.0) as i32;
            root.draw(&Rectangle::new(
                [(b.0 - m, b.1 - m), (b.2 + m, b.3 + m)],
                RGBColor(255, 255, 255).mix(0.85).filled(),
            ))?;
        }
        let c = legend::legible(p.color);
        let font = ("sans-serif", (p.size * s).max(1.0)).into_font();
        root.draw(&Text::new(
            p.text,
            (b.0, b.1),
            font.color(&RGBColor(c.0, c.1, c.2))
                .pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
        taken.push(b);
        points.extend([(b.0, b.1), (b.2, b.1), (b.0, b.3), (b.2, b.3)]);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_goes_where_the_data_is_not() {
        let area = (0, 0, 200, 100);
        let c = around(100, 50, 40, 10, 4);
        // nothing there: the preferred place, above right
        assert_eq!(choose(&c, 0, &[], &[], area), Some(c[0]));
        // a line along the top half: the label goes below the anchor
        let line: Vec<(i32, i32)> = (0..200).step_by(5).map(|x| (x, 40)).collect();
        let b = choose(&c, 0, &line, &[], area).unwrap_or(c[0]);
        assert!(b.1 > 50, "below the line: {b:?}");
        // an earlier label in the first place: the next free one
        assert_eq!(choose(&c, 0, &[], &[c[0]], area), Some(c[1]));
        // off the plot is worse than on it
        let edge = around(198, 50, 40, 10, 4);
        let b = choose(&edge, 0, &[], &[], area).unwrap_or(edge[0]);
        assert!(b.2 <= 200, "inside: {b:?}");
    }

    #[test]
    fn a_label_keeps_a_markers_radius_clear() {
        let area = (0, 0, 200, 100);
        let c = along_hline((0, 200), 50, (40, 10), 4);
        // a marker centred 2 px right of the first candidate (above the right end) would be
        // half under the words: with a 4 px pad the label moves; without it, it stays
        let marker = [(c[0].2 + 2, c[0].1 + 5)];
        assert_eq!(choose(&c, 0, &marker, &[], area), Some(c[0]));
        assert_ne!(choose(&c, 4, &marker, &[], area), Some(c[0]));
        // the label's own line, exactly `gap` = pad below the box, does not count
        let line: Vec<(i32, i32)> = (0..=200).step_by(4).map(|x| (x, 50)).collect();
        assert_eq!(cost(c[0], 4, &line, &[], area), 0);
        assert_eq!(choose(&c, 4, &line, &[], area), Some(c[0]));
    }

    #[test]
    fn a_label_leaves_its_line_by_a_row_when_data_hug_it() {
        let area = (0, 0, 200, 100);
        let c = along_hline((0, 200), 50, (40, 10), 4);
        // curves 5 px above and below the line along its whole length: every first-row place
        // hides them, so the label takes a second-row place, clear of both and still inside
        let hug: Vec<(i32, i32)> = (0..=200)
            .step_by(4)
            .flat_map(|x| [(x, 45), (x, 55)])
            .collect();
        assert!(c[..10].iter().all(|&b| cost(b, 4, &hug, &[], area) > 0));
        let b = choose(&c, 4, &hug, &[], area).unwrap_or(c[0]);
        assert_eq!(cost(b, 4, &hug, &[], area), 0, "{b:?}");
        assert!(b.1 >= 55 + 4 || b.3 <= 45 - 4, "a row away: {b:?}");
        // with nothing near, the first place is unchanged
        assert_eq!(choose(&c, 4, &[], &[], area), Some(c[0]));
    }
}
