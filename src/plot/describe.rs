//! Words for a chart: the text alternative a screen reader hears (what the view shows now,
//! generated from its data) and the value under a pointer (the hover read-out).

use super::chart::{Chart, Fill, Heatmap, Layer};
use crate::dynamics::fm;
use crate::lab::face::num;

/// One or two sentences from the chart's data: what is plotted against what, over which
/// ranges, and each labelled curve's last value (or a heatmap's value range).
pub fn describe(chart: &Chart) -> String {
    if let Some(m) = &chart.message {
        return format!("{}: {m}", chart.title);
    }
    let mut parts = Vec::new();
    if chart.axes {
        parts.push(format!(
            "{}: {} ({} to {}) against {} ({} to {})",
            chart.title,
            chart.y_label,
            num(chart.y_range.0),
            num(chart.y_range.1),
            chart.x_label,
            num(chart.x_range.0),
            num(chart.x_range.1)
        ));
    } else {
        parts.push(chart.title.clone());
    }
    let mut curves = Vec::new();
    let mut markers = 0;
    for l in &chart.layers {
        match l {
            Layer::Line {
                points,
                label: Some(label),
                ..
            } => {
                if let Some(&(x, y)) = points
                    .iter()
                    .rev()
                    .find(|p| p.0.is_finite() && p.1.is_finite())
                {
                    curves.push(format!("{label} ends at {} (at {})", num(y), num(x)));
                } else {
                    curves.push(format!("{label}: no data yet"));
                }
            }
            Layer::Heatmap(h) => parts.push(heatmap_words(h)),
            Layer::Markers(m) => markers += m.len(),
            _ => {}
        }
    }
    if !curves.is_empty() {
        parts.push(curves.join("; "));
    }
    if markers > 0 {
        parts.push(format!("{markers} marked points"));
    }
    let mut s = parts.join(". ");
    s.push('.');
    s
}

fn heatmap_words(h: &Heatmap) -> String {
    let finite = h.values.iter().copied().filter(|v| v.is_finite());
    let (lo, hi, n) = finite.fold(
        (f64::INFINITY, f64::NEG_INFINITY, 0usize),
        |(a, b, n), v| (a.min(v), b.max(v), n + 1),
    );
    let total = h.nx * h.ny;
    let what = match h.fill {
        Fill::Scalar { .. } => format!("values from {} to {}", num(lo), num(hi)),
        Fill::Classes { .. } => format!("classes {} to {}", num(lo), num(hi)),
    };
    if n == 0 {
        format!("a {}×{} map, not computed yet", h.nx, h.ny)
    } else if n < total {
        format!(
            "a {}×{} map, {n} of {total} cells computed, {what}",
            h.nx, h.ny
        )
    } else {
        format!("a {}×{} map of {what}", h.nx, h.ny)
    }
}

/// The value under data point `(x, y)`: the cell of the topmost heatmap there, and the
/// labelled curve nearest in screen-relative distance (with its value), as short text.
pub fn probe(chart: &Chart, x: f64, y: f64) -> String {
    let mut out = format!("{} {}, {} {}", chart.x_label, num(x), chart.y_label, num(y));
    if let Some(v) = chart.layers.iter().rev().find_map(|l| match l {
        Layer::Heatmap(h) => cell(h, x, y),
        _ => None,
    }) {
        out.push_str(&format!("; cell value {}", num(v)));
    }
    let (sx, sy) = (
        span(chart.x_range, chart.x_scale),
        span(chart.y_range, chart.y_scale),
    );
    let tx = |v: f64, log: bool| {
        if log {
            fm::log10(v.max(f64::MIN_POSITIVE))
        } else {
            v
        }
    };
    let (xl, yl) = (
        chart.x_scale == super::chart::Scale::Log10,
        chart.y_scale == super::chart::Scale::Log10,
    );
    let mut best: Option<(f64, &str, (f64, f64))> = None;
    for l in &chart.layers {
        if let Layer::Line {
            points,
            label: Some(label),
            ..
        } = l
        {
            for &(px, py) in points {
                if !(px.is_finite() && py.is_finite()) {
                    continue;
                }
                let dx = (tx(px, xl) - tx(x, xl)) / sx;
                let dy = (tx(py, yl) - tx(y, yl)) / sy;
                let d = dx * dx + dy * dy;
                if best.is_none_or(|b| d < b.0) {
                    best = Some((d, label, (px, py)));
                }
            }
        }
    }
    if let Some((_, label, (px, py))) = best {
        out.push_str(&format!("; nearest: {label} {} at {}", num(py), num(px)));
    }
    out
}

fn span(r: (f64, f64), s: super::chart::Scale) -> f64 {
    let (a, b) = match s {
        super::chart::Scale::Linear => r,
        super::chart::Scale::Log10 => (
            fm::log10(r.0.max(f64::MIN_POSITIVE)),
            fm::log10(r.1.max(f64::MIN_POSITIVE)),
        ),
    };
    let d = (b - a).abs();
    if d > 0.0 {
        d
    } else {
        1.0
    }
}

/// The value of the heatmap cell containing `(x, y)` (None outside it or not computed).
fn cell(h: &Heatmap, x: f64, y: f64) -> Option<f64> {
    let fx = (x - h.x_range.0) / (h.x_range.1 - h.x_range.0);
    let fy = (y - h.y_range.0) / (h.y_range.1 - h.y_range.0);
    if !(0.0..1.0).contains(&fx) || !(0.0..1.0).contains(&fy) {
        return None;
    }
    let i = ((fx * h.nx as f64) as usize).min(h.nx.saturating_sub(1));
    let j = ((fy * h.ny as f64) as usize).min(h.ny.saturating_sub(1));
    h.values
        .get(j * h.nx + i)
        .copied()
        .filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::chart::{ColorMap, Rgb};

    fn chart() -> Chart {
        Chart::new("loss", "epoch", "error")
            .x_range(0.0, 10.0)
            .y_range(0.0, 2.0)
            .layer(Chart::line(
                vec![(0.0, 2.0), (5.0, 1.0), (10.0, 0.5)],
                Rgb(0, 0, 0),
                "GD",
            ))
            .layer(Chart::line(
                vec![(0.0, 0.0), (10.0, 0.25)],
                Rgb(0, 0, 0),
                "curl",
            ))
    }

    #[test]
    fn the_text_follows_the_data() {
        let d = describe(&chart());
        assert!(
            d.starts_with("loss: error (0 to 2) against epoch (0 to 10)"),
            "{d}"
        );
        assert!(
            d.contains("GD ends at 0.5 (at 10)") && d.contains("curl ends at 0.25"),
            "{d}"
        );
    }

    #[test]
    fn the_probe_finds_the_nearest_curve_and_the_cell() {
        let p = probe(&chart(), 5.2, 1.1);
        assert!(p.ends_with("nearest: GD 1 at 5"), "{p}");
        let h = Heatmap {
            nx: 2,
            ny: 2,
            x_range: (0.0, 2.0),
            y_range: (0.0, 2.0),
            values: vec![1.0, 2.0, 3.0, f64::NAN],
            fill: Fill::Scalar {
                map: ColorMap::Viridis,
                vmin: 0.0,
                vmax: 4.0,
            },
            alpha: 255,
        };
        let c = Chart::new("map", "a", "b").layer(Layer::Heatmap(h));
        assert!(probe(&c, 0.5, 1.5).contains("cell value 3"));
        assert!(
            !probe(&c, 1.5, 1.5).contains("cell value"),
            "a cell not computed has no value"
        );
        assert!(
            describe(&c).contains("3 of 4 cells computed, values from 1 to 3"),
            "{}",
            describe(&c)
        );
    }
}
