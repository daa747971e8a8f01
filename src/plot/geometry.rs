//! Plane geometry for charts: clipping paths to a window, equal-aspect plotting areas, and
//! label boxes that must not overprint.

/// Appends the pixels of the polyline `pts` to `out`: every vertex and, along each segment,
/// a point every `step` pixels, so that a box between two far-apart vertices still sees the
/// line (at most 1,000 points per segment).
pub fn trace(pts: &[(i32, i32)], step: i32, out: &mut Vec<(i32, i32)>) {
    let step = step.max(1) as f64;
    out.extend(pts.first().copied());
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let (dx, dy) = ((b.0 - a.0) as f64, (b.1 - a.1) as f64);
        // the longer side, not the length: spacing within √2·step, no square root needed
        let n = ((dx.abs().max(dy.abs()) / step).ceil() as i64).clamp(1, 1000);
        out.extend((1..=n).map(|k| {
            let t = k as f64 / n as f64;
            (a.0 + (t * dx).round() as i32, a.1 + (t * dy).round() as i32)
        }));
    }
}

/// Clips the segment a→b to the box `[lo, hi]²` (Liang–Barsky); None if it misses the box.
pub fn clip_segment(
    a: (f64, f64),
    b: (f64, f64),
    lo: f64,
    hi: f64,
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - lo),
        (dx, hi - a.0),
        (-dy, a.1 - lo),
        (dy, hi - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    (t0 <= t1).then_some((
        (a.0 + t0 * dx, a.1 + t0 * dy),
        (a.0 + t1 * dx, a.1 + t1 * dy),
    ))
}

/// A path clipped to the window `[lo, hi]²`, as pieces separated by a NaN point.
pub fn clipped_path(points: &[(f64, f64)], lo: f64, hi: f64) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for w in points.windows(2) {
        if let Some((a, b)) = clip_segment(w[0], w[1], lo, hi) {
            let continues = out.last().is_some_and(|&l| l == a);
            if !continues {
                if !out.is_empty() {
                    out.push((f64::NAN, f64::NAN));
                }
                out.push(a);
            }
            out.push(b);
        }
    }
    out
}

/// Widens `xr` or `yr` about its centre so that `(xr span)/(yr span) = pw/ph`.
pub fn equalise(xr: (f64, f64), yr: (f64, f64), pw: f64, ph: f64) -> ((f64, f64), (f64, f64)) {
    let (dx, dy) = (xr.1 - xr.0, yr.1 - yr.0);
    if !(pw > 1.0 && ph > 1.0 && dx > 0.0 && dy > 0.0) {
        return (xr, yr);
    }
    let want = pw / ph;
    if dx / dy < want {
        let c = 0.5 * (xr.0 + xr.1);
        let half = 0.5 * dy * want;
        ((c - half, c + half), yr)
    } else {
        let c = 0.5 * (yr.0 + yr.1);
        let half = 0.5 * dx / want;
        (xr, (c - half, c + half))
    }
}

/// The margins (left/right, top/bottom, backend pixels) that shrink a `pw`×`ph` plotting area
/// to the aspect of the ranges, centred.
pub fn letterbox(xr: (f64, f64), yr: (f64, f64), pw: f64, ph: f64) -> (i32, i32) {
    let (dx, dy) = (xr.1 - xr.0, yr.1 - yr.0);
    if !(pw > 1.0 && ph > 1.0 && dx > 0.0 && dy > 0.0) {
        return (0, 0);
    }
    let want = dx / dy;
    if pw / ph > want {
        (((pw - ph * want) / 2.0).floor() as i32, 0)
    } else {
        (0, ((ph - pw / want) / 2.0).floor() as i32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_to_the_box() {
        let s = clip_segment((-2.0, 0.0), (2.0, 0.0), -1.0, 1.0);
        assert_eq!(s, Some(((-1.0, 0.0), (1.0, 0.0))));
        assert_eq!(clip_segment((2.0, 2.0), (3.0, 3.0), -1.0, 1.0), None);
        let p = clipped_path(
            &[(0.0, 0.0), (0.5, 0.0), (5.0, 0.0), (5.0, 0.5), (0.0, 0.5)],
            -1.0,
            1.0,
        );
        assert_eq!(p.len(), 6, "{p:?}");
        assert!(p[3].0.is_nan());
    }
}
