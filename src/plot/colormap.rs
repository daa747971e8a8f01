//! Colour maps: value → colour.

use super::chart::{ColorMap, Fill, Rgb};

/// A colour channel x ∈ [0, 255] rounded half away from zero, as `f64::round` does for x ≥ 0,
/// but with `floor`, which is one wasm instruction (`round` is a library call there, and a
/// heatmap rounds a few channels per cell).
pub fn round_channel(x: f64) -> u8 {
    let r = x.floor();
    (if x - r >= 0.5 { r + 1.0 } else { r }) as u8
}
/// Viridis anchors at 0, 1/8, …, 1.
const VIRIDIS: [(u8, u8, u8); 9] = [
    (68, 1, 84),
    (71, 44, 122),
    (59, 81, 139),
    (44, 113, 142),
    (33, 144, 141),
    (39, 173, 129),
    (92, 200, 99),
    (170, 220, 50),
    (253, 231, 37),
];

const DIVERGING: [(u8, u8, u8); 5] = [
    (33, 102, 172),
    (146, 197, 222),
    (247, 247, 247),
    (244, 165, 130),
    (178, 24, 43),
];

const GREYS: [(u8, u8, u8); 2] = [(250, 250, 250), (150, 150, 150)];

fn interp(table: &[(u8, u8, u8)], t: f64) -> Rgb {
    let t = t.clamp(0.0, 1.0) * (table.len() - 1) as f64;
    let i = (t.floor() as usize).min(table.len() - 2);
    let f = t - i as f64;
    let (a, b) = (table[i], table[i + 1]);
    let mix = |p: u8, q: u8| round_channel(p as f64 + f * (q as f64 - p as f64));
    Rgb(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The colour of `t ∈ [0, 1]` in `map`.
pub fn sample(map: ColorMap, t: f64) -> Rgb {
    match map {
        ColorMap::Viridis => interp(&VIRIDIS, t),
        ColorMap::Diverging => interp(&DIVERGING, t),
        ColorMap::Greys => interp(&GREYS, t),
    }
}

/// The colour of value `v` under `fill`, or None for a cell to leave empty (NaN, class < 0).
pub fn color_of(fill: &Fill, v: f64) -> Option<Rgb> {
    if !v.is_finite() {
        return None;
    }
    match fill {
        Fill::Scalar { map, vmin, vmax } => {
            let span = vmax - vmin;
            let t = if span.abs() > 0.0 {
                (v - vmin) / span
            } else {
                0.5
            };
            Some(sample(*map, t))
        }
        Fill::Classes { colors, none } => {
            let k = v.round();
            if k < 0.0 || colors.is_empty() {
                Some(*none)
            } else {
                Some(colors[(k as usize) % colors.len()])
            }
        }
    }
}

/// Whether pixel (x, y) is ink of class k's texture with period `p` pixels: class 0 plain,
/// 1 rising stripes, 2 falling stripes, 3 dots, then again. The ink is the class colour
/// darkened by [`INK`], so classes of similar colour (or seen in grey) still differ.
pub fn texture_ink(k: usize, x: u32, y: u32, p: u32) -> bool {
    let p = p.max(4);
    let band = (p / 4).max(1);
    match k % 4 {
        1 => (x + y) % p < band,
        2 => (x + p - y % p) % p < band,
        3 => x % p < 2 * band && y % p < 2 * band,
        _ => false,
    }
}

/// How far texture ink darkens its class colour (0: not at all, 1: black).
pub const INK: f64 = 0.4;

/// `c` darkened by [`INK`].
pub fn ink(c: Rgb) -> Rgb {
    let d = |v: u8| round_channel(f64::from(v) * (1.0 - INK));
    Rgb(d(c.0), d(c.1), d(c.2))
}

/// Robust colour limits: the `q` and `1 − q` quantiles of the finite values.
pub fn robust_limits(values: &[f64], q: f64) -> (f64, f64) {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return (0.0, 1.0);
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let at = |p: f64| v[((p * (v.len() - 1) as f64).round() as usize).min(v.len() - 1)];
    let (lo, hi) = (at(q), at(1.0 - q));
    if hi > lo {
        (lo, hi)
    } else {
        (lo - 0.5, lo + 0.5)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_of_viridis() {
        assert_eq!(sample(ColorMap::Viridis, 0.0), Rgb(68, 1, 84));
        assert_eq!(sample(ColorMap::Viridis, 1.0), Rgb(253, 231, 37));
        assert_eq!(sample(ColorMap::Viridis, 7.0), Rgb(253, 231, 37));
    }
}
