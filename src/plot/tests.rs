//! Tests of the chart renderer (frames, ticks, aspect, SVG).
use super::*;

#[test]
fn frame_maps_pixels_back_to_data() {
    let f = Frame {
        px: (100, 50, 500, 450),
        x_range: (-4.0, 1.0),
        y_range: (-2.0, 2.0),
        x_log: false,
        y_log: true,
    };
    let (x, y) = f.to_data(300.0, 250.0).unwrap_or((f64::NAN, f64::NAN));
    assert!((x + 1.5).abs() < 1e-12);
    assert!((y - 1.0).abs() < 1e-12, "log axis mid = 10^0");
    assert!(f.to_data(50.0, 250.0).is_none());
}

#[test]
fn svg_has_title_and_line() {
    let c = Chart::new("A title", "x", "y").layer(Chart::line(
        vec![(0.0, 0.0), (1.0, 1.0)],
        palette::BLUE,
        "diag",
    ));
    let svg = to_svg(&c, 400, 300).unwrap_or_default();
    assert!(svg.contains("A title"));
    assert!(svg.contains("<polyline"));
    assert!(svg.contains("diag"));
}

#[test]
fn equal_aspect_widens_the_short_side() {
    let (x, y) = equalise((-1.0, 1.0), (-1.0, 1.0), 400.0, 200.0);
    assert_eq!(x, (-2.0, 2.0));
    assert_eq!(y, (-1.0, 1.0));
    let (x, y) = equalise((0.0, 4.0), (0.0, 1.0), 100.0, 100.0);
    assert_eq!(x, (0.0, 4.0));
    assert_eq!(y, (-1.5, 2.5));
}

/// Renders `c` as a `w`×`h` SVG: its frame and the SVG text.
fn svg_frame(c: &Chart, w: u32, h: u32) -> (Frame, String) {
    let mut out = String::new();
    let frame = {
        let root = plotters_svg::SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
        render(&root, c, RenderOptions::default())
    };
    match frame {
        Ok(f) => (f, out),
        Err(e) => panic!("render failed: {e}"),
    }
}

#[test]
fn equal_aspect_chart_has_square_data_units_on_screen() {
    for (w, h) in [(800u32, 500u32), (390, 600), (1200, 400)] {
        let mut c = Chart::new("title", "x", "y")
            .x_range(-1.0, 1.0)
            .y_range(-1.0, 1.0);
        c.equal_aspect = true;
        let (f, _) = svg_frame(&c, w, h);
        let ux = (f.px.2 - f.px.0) as f64 / (f.x_range.1 - f.x_range.0);
        let uy = (f.px.3 - f.px.1) as f64 / (f.y_range.1 - f.y_range.0);
        assert!(
            (ux / uy - 1.0).abs() < 0.04,
            "{w}x{h}: {ux} vs {uy} px per unit"
        );
    }
}

#[test]
fn an_equal_aspect_heatmap_fills_its_axes() {
    for (w, h) in [(800u32, 500u32), (390, 600)] {
        let mut c = Chart::new("map", "x", "y")
            .x_range(-3.0, 3.0)
            .y_range(-3.0, 3.0)
            .colour_bar("z");
        c.equal_aspect = true;
        c.push(Layer::Heatmap(Heatmap {
            nx: 2,
            ny: 2,
            x_range: (-3.0, 3.0),
            y_range: (-3.0, 3.0),
            values: vec![0.0, 1.0, 2.0, 3.0],
            fill: Fill::Scalar {
                map: ColorMap::Viridis,
                vmin: 0.0,
                vmax: 3.0,
            },
            alpha: 255,
        }));
        let (f, out) = svg_frame(&c, w, h);
        assert_eq!(
            (f.x_range, f.y_range),
            ((-3.0, 3.0), (-3.0, 3.0)),
            "{w}x{h}: no white bands"
        );
        let (pw, ph) = (f.px.2 - f.px.0, f.px.3 - f.px.1);
        assert!((pw - ph).abs() <= 2, "{w}x{h}: square plot {pw}×{ph}");
        assert!(
            out.contains("rotate(270") && out.contains("\nz\n"),
            "{w}x{h}: the colour bar label"
        );
    }
}

#[test]
fn colour_bar_ticks_are_round() {
    use super::colorbar::nice_ticks;
    assert_eq!(nice_ticks(-6.41, 2.22), vec![-6.0, -4.0, -2.0, 0.0, 2.0]);
    assert_eq!(nice_ticks(-4.54, 2.96), vec![-4.0, -2.0, 0.0, 2.0]);
    assert_eq!(nice_ticks(0.0, 1.0), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
    assert_eq!(nice_ticks(3.0, 3.0), vec![3.0]);
    assert!(nice_ticks(f64::NAN, 1.0).is_empty());
    for (lo, hi) in [(1e-9, 3e-9), (-0.013, 0.7), (12.0, 97_000.0)] {
        let t = nice_ticks(lo, hi);
        assert!((2..=6).contains(&t.len()), "{lo}..{hi}: {t:?}");
        assert!(t.iter().all(|v| (lo..=hi).contains(v)), "{lo}..{hi}: {t:?}");
    }
}

#[test]
fn ticks_are_compact() {
    assert_eq!(tick(0.5, false, 1.0), "0.5");
    assert_eq!(tick(120000.0, false, 1.0), "1e5");
    // a log axis over many decades labels decades only
    assert_eq!(tick(-3.0, true, 30.0), "1e-3");
    assert_eq!(tick(-2.5, true, 30.0), "");
    // over fewer than three, every tick gets its value (10^0.2 = 1.585, 10^-1.2 = 0.0631)
    assert_eq!(tick(0.2, true, 1.5), "1.6");
    assert_eq!(tick(-1.2, true, 1.5), "0.063");
    assert_eq!(tick(-1.0, true, 1.5), "0.1");
    assert_eq!(tick(2.0, true, 2.9), "100");
}

#[test]
fn line_labels_avoid_the_data_and_each_other() {
    // two marked x values side by side under a curve that runs along the top of the plot
    let mut c = Chart::new("t", "x", "y")
        .x_range(0.0, 1.0)
        .y_range(0.0, 1.0);
    let top: Vec<(f64, f64)> = (0..=100).map(|i| (i as f64 / 100.0, 0.96)).collect();
    c.push(Layer::line(top, Rgb(0, 0, 0), 1.0, Stroke::Solid, ""));
    for (x, l) in [(0.40, "alpha"), (0.41, "beta")] {
        c.push(Layer::VLine {
            x,
            color: Rgb(0, 0, 0),
            stroke: Stroke::Dashed,
            label: l.into(),
        });
    }
    let svg = to_svg(&c, 400, 300).unwrap_or_default();
    let at = |label: &str, attr: &str| -> f64 {
        let end = svg.find(&format!("{label}\n</text>")).unwrap_or(0);
        let start = svg[..end].rfind("<text").unwrap_or(0);
        let tag = &svg[start..end];
        tag.split(&format!(" {attr}=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    };
    let y_of = |label: &str| at(label, "y");
    let (a, b) = (y_of("alpha"), y_of("beta"));
    assert!(a.is_finite() && b.is_finite(), "both drawn");
    // the curve's pixel row (the longest polyline); neither label's text (y is its top,
    // about 9 px tall) sits on it
    let line_y: f64 = svg
        .split("points=\"")
        .skip(1)
        .max_by_key(|p| p.split('"').next().map_or(0, str::len))
        .and_then(|p| p.split(&[',', ' ']).nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN);
    for y in [a, b] {
        assert!(
            !(line_y - 11.0..=line_y + 1.0).contains(&y),
            "{y} on {line_y}"
        );
    }
    // the text boxes (about 0.6 em per letter wide, 1 em tall) do not overlap
    let em = at("alpha", "font-size");
    let (xa, xb) = (at("alpha", "x"), at("beta", "x"));
    let apart_x = xa + 5.0 * 0.6 * em <= xb || xb + 4.0 * 0.6 * em <= xa;
    assert!(
        apart_x || (a - b).abs() >= em,
        "the labels overprint: {xa},{a} {xb},{b}"
    );
}

#[test]
fn annotation_colours_reach_aa_contrast_and_keep_their_hue() {
    use super::legend::{contrast, legible, luminance};
    let white = Rgb(255, 255, 255);
    // WCAG's own reference points
    assert!((contrast(Rgb(0, 0, 0), white) - 21.0).abs() < 1e-9);
    assert!((contrast(Rgb(118, 118, 118), white) - 4.54).abs() < 0.01);
    for r in (0..=255).step_by(15) {
        for g in (0..=255).step_by(15) {
            for b in (0..=255).step_by(15) {
                let c = Rgb(r as u8, g as u8, b as u8);
                let d = legible(c);
                if luminance(c) >= 0.6 {
                    assert_eq!(d, c, "light text for dark heatmaps is kept");
                    continue;
                }
                assert!(contrast(d, white) >= 4.5, "{c:?} → {d:?}");
                assert!(d.0 <= c.0 && d.1 <= c.1 && d.2 <= c.2, "only darker");
                if contrast(c, white) >= 4.5 {
                    assert_eq!(d, c, "a legible colour is kept");
                }
            }
        }
    }
    // the series palette's orange and sky blue are darkened, its blue is kept
    assert_ne!(legible(palette::ORANGE), palette::ORANGE);
    assert_ne!(legible(palette::SKY), palette::SKY);
    assert_eq!(legible(palette::BLUE), palette::BLUE);
}

#[test]
fn legend_samples_look_like_their_series() {
    use super::legend::{entries, Sample};
    let pts = vec![(0.0, 1.0), (1.0, 2.0)];
    let line = |c, st, label| Layer::line(pts.clone(), c, 1.0, st, label);
    let c = Chart::new("t", "x", "y")
        .layer(line(palette::GREY, Stroke::Solid, "before"))
        .layer(Layer::markers(&pts, palette::GREY, Shape::Hollow, 4.0))
        .layer(line(palette::BLUE, Stroke::Dashed, "after"))
        .layer(Layer::markers(&pts, palette::VERMILION, Shape::Filled, 4.0))
        .layer(line(palette::WHITE, Stroke::Solid, "singular"));
    let samples: Vec<Sample> = entries(&c).into_iter().map(|e| e.sample).collect();
    assert_eq!(
        samples,
        vec![
            Sample::LineMarker(Stroke::Solid, Shape::Hollow),
            // markers of another colour belong to another series
            Sample::Line(Stroke::Dashed),
            Sample::Line(Stroke::Solid),
        ]
    );
    // the white line's sample is drawn on a dark swatch: dark pixels appear in the legend
    let svg = to_svg(&c, 400, 300).unwrap_or_default();
    assert!(
        svg.contains("#3C3C3C") || svg.contains("rgb(60,60,60)"),
        "swatch missing"
    );
}

#[test]
fn an_svg_with_its_legend_below_is_one_document() {
    // a legend that covers data in every corner goes below the plot
    let pts: Vec<(f64, f64)> = (0..=40)
        .flat_map(|i| {
            let t = i as f64 / 40.0;
            [(t, 0.02), (t, 0.98), (0.02, t), (0.98, t)]
        })
        .collect();
    let c = Chart::new("t", "x", "y")
        .layer(Layer::markers(&pts, palette::BLUE, Shape::Filled, 3.0))
        .layer(Layer::line(
            vec![(0.0, 0.5), (1.0, 0.5)],
            palette::BLUE,
            1.0,
            Stroke::Solid,
            "a long label that needs room",
        ))
        .layer(Layer::line(
            vec![(0.0, 0.4), (1.0, 0.4)],
            palette::VERMILION,
            1.0,
            Stroke::Dashed,
            "another long label here",
        ));
    // drawn directly, the chart needs two passes (corner, then below): the case under test
    let mut twice = String::new();
    {
        let root = svg::MeasuredSvg::with_string(&mut twice, (300, 220)).into_drawing_area();
        assert!(render(&root, &c, RenderOptions::default()).is_ok());
    }
    let fills = |s: &str| {
        s.matches(r#"<rect x="0" y="0" width="300" height="220""#)
            .count()
    };
    assert_eq!(fills(&twice), 2, "the legend went below");
    let svg = to_svg(&c, 300, 220).unwrap_or_default();
    assert_eq!(fills(&svg), 1, "the export holds the final drawing only");
    assert_eq!(svg.matches("<svg").count(), 1, "one document");
    assert_eq!(svg.matches("</svg>").count(), 1);
    assert!(svg.trim_end().ends_with("</svg>"));
}

#[test]
fn heatmap_classes_differ_by_texture_too() {
    use super::colormap::{ink, texture_ink};
    use super::raster::heatmap_pixels;
    let f = Frame {
        px: (0, 0, 96, 48),
        x_range: (0.0, 2.0),
        y_range: (0.0, 1.0),
        x_log: false,
        y_log: false,
    };
    let (blue, orange) = (Rgb(86, 180, 233), Rgb(230, 159, 0));
    let hm = Heatmap {
        nx: 2,
        ny: 1,
        x_range: (0.0, 2.0),
        y_range: (0.0, 1.0),
        values: vec![0.0, 1.0],
        fill: Fill::Classes {
            colors: vec![blue, orange],
            none: Rgb(200, 200, 200),
        },
        alpha: 255,
    };
    let (w, h, rgb) = heatmap_pixels(&hm, &f);
    assert_eq!((w, h), (96, 48));
    let px = |x: u32, y: u32| {
        let k = ((y * w + x) * 3) as usize;
        Rgb(rgb[k], rgb[k + 1], rgb[k + 2])
    };
    let half = |x0: u32| {
        let mut seen: Vec<Rgb> = Vec::new();
        for y in 0..h {
            for x in x0..x0 + 48 {
                if !seen.contains(&px(x, y)) {
                    seen.push(px(x, y));
                }
            }
        }
        seen
    };
    // class 0 is plain; class 1 is its colour with stripes of the darkened colour
    assert_eq!(half(0), vec![blue]);
    let mut right = half(48);
    right.sort_by_key(|c| (c.0, c.1, c.2));
    let mut want = vec![orange, ink(orange)];
    want.sort_by_key(|c| (c.0, c.1, c.2));
    assert_eq!(right, want);
    // the four textures are four different patterns, and class k + 4 repeats class k
    let pattern =
        |k: usize| -> Vec<bool> { (0..64).map(|i| texture_ink(k, i % 8, i / 8, 8)).collect() };
    for a in 0..4 {
        for b in a + 1..4 {
            assert_ne!(pattern(a), pattern(b), "textures {a} and {b}");
        }
        assert_eq!(pattern(a), pattern(a + 4));
    }
}

#[test]
fn heatmap_pixels_equal_the_per_pixel_map() {
    use super::colormap::color_of;
    use super::raster::heatmap_pixels;
    // a log y axis, a heatmap smaller than the frame, odd sizes, NaN cells
    let f = Frame {
        px: (13, 7, 13 + 157, 7 + 101),
        x_range: (-1.0, 2.0),
        y_range: (-2.0, 1.0),
        x_log: false,
        y_log: true,
    };
    let (nx, ny) = (7, 5);
    let values: Vec<f64> = (0..nx * ny)
        .map(|k| {
            if k % 11 == 3 {
                f64::NAN
            } else {
                crate::dynamics::fm::sin(k as f64 * 0.37)
            }
        })
        .collect();
    let hm = Heatmap {
        nx,
        ny,
        x_range: (-0.5, 1.5),
        y_range: (0.05, 5.0),
        values,
        fill: Fill::Scalar {
            map: ColorMap::Viridis,
            vmin: -1.0,
            vmax: 1.0,
        },
        alpha: 200,
    };
    let (w, h, rgb) = heatmap_pixels(&hm, &f);
    let a = 200.0 / 255.0;
    for py in 0..h {
        for px in 0..w {
            let k = ((py * w + px) * 3) as usize;
            let mut want = [255u8; 3];
            let at = f.to_data(13.0 + px as f64 + 0.5, 7.0 + py as f64 + 0.5);
            if let Some((x, y)) = at {
                let fx = (x - hm.x_range.0) / (hm.x_range.1 - hm.x_range.0);
                let fy = (y - hm.y_range.0) / (hm.y_range.1 - hm.y_range.0);
                if (0.0..1.0).contains(&fx) && (0.0..1.0).contains(&fy) {
                    let i = ((fx * nx as f64) as usize).min(nx - 1);
                    let j = ((fy * ny as f64) as usize).min(ny - 1);
                    if let Some(c) = color_of(&hm.fill, hm.values[j * nx + i]) {
                        let b = |ch: u8| (255.0 + a * (ch as f64 - 255.0)).round() as u8;
                        want = [b(c.0), b(c.1), b(c.2)];
                    }
                }
            }
            assert_eq!(&rgb[k..k + 3], &want, "pixel ({px}, {py})");
        }
    }
}

#[test]
fn a_traced_line_is_seen_between_its_vertices() {
    let mut out = Vec::new();
    geometry::trace(&[(0, 0), (40, 0), (40, 10)], 4, &mut out);
    assert_eq!(out.first(), Some(&(0, 0)));
    assert_eq!(out.last(), Some(&(40, 10)));
    assert_eq!(out.len(), 1 + 10 + 3);
    // a label box over the middle of the first segment, with no vertex inside, sees it
    assert!(out.iter().any(|p| (15..=25).contains(&p.0) && p.1 == 0));
}

#[test]
fn an_svg_heatmap_is_one_png_of_the_canvas_pixels() {
    use base64::Engine;
    let hm = Heatmap {
        nx: 40,
        ny: 30,
        x_range: (0.0, 4.0),
        y_range: (0.0, 3.0),
        values: (0..1200).map(|k| (k % 37) as f64).collect(),
        fill: Fill::Scalar {
            map: ColorMap::Viridis,
            vmin: 0.0,
            vmax: 36.0,
        },
        alpha: 255,
    };
    let mut c = Chart::new("map", "x", "y")
        .x_range(0.0, 4.0)
        .y_range(0.0, 3.0)
        .colour_bar("z");
    c.push(Layer::Heatmap(hm.clone()));
    let svg = to_svg(&c, 500, 360).unwrap_or_default();
    assert_eq!(svg.matches("<image ").count(), 1, "one image");
    assert!(!svg.contains("#010203"), "no placeholder left");
    assert!(
        svg.matches("<rect").count() < 150,
        "not a rectangle per cell"
    );
    assert!(svg.contains(r#"xmlns:xlink="http://www.w3.org/1999/xlink""#));
    // the image holds exactly the pixels the canvas blits, on the same frame
    let mut again = String::new();
    let frame = {
        let root = svg::MeasuredSvg::with_string(&mut again, (500, 360)).into_drawing_area();
        let r = RenderOptions {
            raster: true,
            ..RenderOptions::default()
        };
        render(&root, &c, r)
    };
    let Ok(frame) = frame else {
        panic!("render failed")
    };
    let (w, h, rgb) = raster::heatmap_pixels(&hm, &frame);
    let b64 = svg
        .split("base64,")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or("");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap_or_default();
    let mut dec = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("a PNG");
    let mut buf = vec![0; dec.output_buffer_size().unwrap_or(0)];
    let info = dec.next_frame(&mut buf).expect("its pixels");
    assert_eq!((info.width, info.height), (w, h));
    assert_eq!(&buf[..info.buffer_size()], &rgb[..]);
    let tag = svg.split("<image ").nth(1).unwrap_or("");
    assert!(
        tag.starts_with(&format!(
            r#"x="{}" y="{}" width="{w}" height="{h}""#,
            frame.px.0, frame.px.1
        )),
        "placed on the plotting area: {}",
        &tag[..tag.len().min(80)]
    );
}

#[test]
fn round_channel_is_round_on_channels() {
    use super::colormap::round_channel;
    // every tie, its neighbours one ulp away, and a fine grid over [0, 255]
    let mut xs: Vec<f64> = (0..=2550).map(|k| k as f64 / 10.0).collect();
    for k in 0..255 {
        let tie = k as f64 + 0.5;
        xs.extend([
            tie,
            tie.next_down(),
            tie.next_up(),
            k as f64,
            (k as f64).next_up(),
        ]);
    }
    for x in xs {
        assert_eq!(round_channel(x), x.round() as u8, "x = {x:e}");
    }
}
