//! A sweep's results file in the stable-count view (`lde sweep plan hebbian h=-8:0:33
//! gamma_w=0.05,0.1,0.2 net=choke`): each cell's report gives the number of stable equilibria
//! at its (h, γw) and the onset of multistability at its γw. Drawn as the count against h, one
//! step line per γw (colour, stroke and marker differ), with each onset marked on the line
//! count = 1.5; replicate seeds at one point are averaged (the count is seed-free up to the
//! multistart's coverage).

use super::experiments::Hebbian;
use crate::lab::Table;
use crate::plot::{palette, Chart, Layer, Marker, Shape, Stroke};
use crate::row;
use crate::sweep::view::{from_order_key as unkey, order_key as key, Sweep};
use std::collections::BTreeMap;

const SHAPES: [Shape; 5] = [
    Shape::Filled,
    Shape::Hollow,
    Shape::Square,
    Shape::Triangle,
    Shape::Cross,
];
const STROKES: [Stroke; 3] = [Stroke::Solid, Stroke::Dashed, Stroke::Dotted];

/// Per γw (ordered), per h (ordered): (sum of stable counts, cells); and the onset per γw.
type Grid = BTreeMap<u64, (BTreeMap<u64, (f64, usize)>, Option<f64>)>;

fn grid(file: &Sweep) -> Result<(Grid, String), String> {
    file.require_lab("hebbian")?;
    let mut g = Grid::new();
    let mut nets: Vec<String> = Vec::new();
    for (i, r) in file.ran() {
        let net = r["report"]["net"].as_str().unwrap_or("").to_string();
        if !nets.contains(&net) {
            nets.push(net);
        }
        let h = Sweep::number(i, r, "h")?;
        let gw = Sweep::number(i, r, "params.gamma_w")?;
        let count = Sweep::number(i, r, "stable_count")?;
        let onset = r["report"]["onset_of_multistability"].as_f64();
        let e = g.entry(key(gw)).or_default();
        let c = e.0.entry(key(h)).or_insert((0.0, 0));
        c.0 += count;
        c.1 += 1;
        e.1 = e.1.or(onset);
    }
    if g.is_empty() {
        return Err("no cell of the file ran (every record is an error)".into());
    }
    if nets.len() > 1 {
        return Err(format!(
            "the file mixes networks ({}): give one network per file",
            nets.join(", ")
        ));
    }
    Ok((g, nets.pop().unwrap_or_default()))
}

/// The stable count against h from a results file of the Hebbian lab.
pub fn count_from_results(_lab: &Hebbian, file: &Sweep) -> Result<(Chart, Table), String> {
    let (g, net) = grid(file)?;
    let hs: Vec<f64> = g
        .values()
        .flat_map(|(by_h, _)| by_h.keys().map(|&k| unkey(k)))
        .collect();
    let lo = hs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = hs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let pad = 0.02 * (hi - lo).max(1e-9);
    let mut c = Chart::new(
        format!("Stable equilibria ({net}): {}", file.label()),
        "h",
        "count",
    )
    .x_range(lo - pad, hi + pad);
    let mut t = Table::new(&["gamma_w", "h", "stable_count", "cells", "onset"]);
    let mut top: f64 = 2.0;
    let mut onsets = Vec::new();
    for (n, (&gk, (by_h, onset))) in g.iter().enumerate() {
        let gw = unkey(gk);
        let col = palette::SERIES[n % palette::SERIES.len()];
        let shape = SHAPES[n % SHAPES.len()];
        let mut step: Vec<(f64, f64)> = Vec::new();
        let mut pts = Vec::new();
        for (&hk, &(sum, cells)) in by_h {
            let (h, y) = (unkey(hk), sum / cells as f64);
            if let Some(&(_, prev)) = step.last() {
                step.push((h, prev));
            }
            step.push((h, y));
            pts.push((h, y));
            top = top.max(y);
            t.push(row![gw, h, y, cells, onset.unwrap_or(f64::NAN)]);
        }
        c.push(Layer::markers(&pts, col, shape, 3.5));
        c.push(Layer::line(
            step,
            col,
            2.0,
            STROKES[n % STROKES.len()],
            &format!("γw = {gw}"),
        ));
        if let Some(h) = onset.filter(|h| h.is_finite() && (lo..=hi).contains(h)) {
            onsets.push(Marker::new(h, 1.5, col, Shape::Cross, 6.0));
        }
    }
    c.push(Layer::hline(1.5, palette::LIGHT, Stroke::Dotted, ""));
    c.push(Layer::Markers(onsets));
    c.push(Layer::Key(vec![(
        "onset of multistability (report)".into(),
        palette::BLACK,
        Shape::Cross,
    )]));
    c.y_range = (0.0, top + 1.0);
    Ok((c, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sort_key_orders_like_the_number_and_comes_back() {
        let xs = [-3.5, -0.0, 0.0, 0.25, 7.0];
        for w in xs.windows(2) {
            assert!(key(w[0]) <= key(w[1]));
        }
        for x in xs {
            assert_eq!(unkey(key(x)).to_bits(), x.to_bits());
        }
    }
}
