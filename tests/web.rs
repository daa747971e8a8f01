//! The wasm layer in a real browser (headless Chromium through wasm-bindgen-test):
//! a link opens the lab, the same numbers come out as natively, charts draw pixels.
#![cfg(target_arch = "wasm32")]

use lde::web::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

fn canvas(w: u32, h: u32) -> HtmlCanvasElement {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let c: HtmlCanvasElement = doc
        .create_element("canvas")
        .expect("canvas")
        .dyn_into()
        .expect("a canvas");
    c.set_width(w);
    c.set_height(h);
    c
}

/// The canvas's pixels that are not grey (white, black and the greys of axes and text).
fn coloured_pixels(c: &HtmlCanvasElement) -> usize {
    let ctx: CanvasRenderingContext2d = c
        .get_context("2d")
        .ok()
        .flatten()
        .expect("2d")
        .dyn_into()
        .expect("ctx");
    ctx.get_image_data(0.0, 0.0, c.width() as f64, c.height() as f64)
        .expect("pixels")
        .data()
        .chunks(4)
        .filter(|p| !(p[0] == p[1] && p[1] == p[2]))
        .count()
}

fn finish(app: &mut App) {
    for _ in 0..10_000 {
        let p: serde_json::Value = serde_json::from_str(&app.advance(50.0)).expect("progress JSON");
        if p["done"] == true {
            return;
        }
    }
    panic!("did not finish");
}

#[wasm_bindgen_test]
fn link_opens_the_lab_with_its_values_and_the_native_numbers() {
    let mut app = App::new("?lab=hebbian&net=pair&h=-2&grid=20&seed=9");
    assert_eq!(app.lab(), "hebbian");
    assert_eq!(app.warnings(), "[]");
    let v: serde_json::Value = serde_json::from_str(&app.values()).expect("values");
    assert_eq!(v["h"], "-2");
    assert_eq!(v["seed"], "9");
    finish(&mut app);
    let r: serde_json::Value = serde_json::from_str(&app.report_json()).expect("report");
    assert_eq!(r["stable_count"], 2);
    let x = r["equilibria"][0]["x"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let lo = x
        .iter()
        .filter_map(|v| v.as_f64())
        .fold(f64::INFINITY, f64::min);
    assert!((lo - -2.316).abs() < 1e-3, "{x:?}");
    assert!((r["critical_k"].as_f64().unwrap_or(0.0) - -123.7215).abs() < 1e-3);
}

#[wasm_bindgen_test]
fn hostile_link_names_what_it_ignored() {
    let app = App::new("?lab=hebbian&h=abc&zzz=1&gamma_w=1e9&net=ring");
    let w: Vec<String> = serde_json::from_str(&app.warnings()).expect("warnings");
    assert_eq!(w.len(), 3, "{w:?}");
    assert!(w[0].starts_with("h:") && w[1].starts_with("zzz:") && w[2].starts_with("gamma_w:"));
    assert!(
        app.link().contains("net=ring"),
        "the rest of the link applies"
    );
}

#[wasm_bindgen_test]
fn charts_draw_onto_a_canvas_and_clicks_map_to_data() {
    let mut app = App::new("?lab=hebbian&net=pair&h=-2&grid=20");
    finish(&mut app);
    let c = canvas(600, 420);
    for view in [
        "pitchfork",
        "landscape",
        "basins",
        "graph",
        "count",
        "spread",
        "hc_gamma",
        "eps_share",
    ] {
        let ms = app.draw(view, c.clone(), 1.0).expect("draw");
        assert!(ms >= 0.0);
        let coloured = coloured_pixels(&c);
        assert!(coloured > 200, "{view}: only {coloured} coloured pixels");
    }
    // the landscape is a heatmap: most of its plotting area is coloured
    app.draw("landscape", c.clone(), 1.0).expect("draw");
    let at: serde_json::Value =
        serde_json::from_str(&app.data_at("landscape", 300.0, 200.0)).expect("json");
    let (x, y) = (
        at[0].as_f64().unwrap_or(f64::NAN),
        at[1].as_f64().unwrap_or(f64::NAN),
    );
    assert!((-4.0..2.0).contains(&x) && (-4.0..2.0).contains(&y), "{at}");
    assert!(app.click("landscape", 300.0, 200.0));
    let p: serde_json::Value = serde_json::from_str(&app.advance(5.0)).expect("progress");
    assert_eq!(p["animating"], true);
    assert!(!app.click("landscape", -10.0, -10.0), "outside the plot");
}

#[wasm_bindgen_test]
fn exports_and_unknown_views() {
    let mut app = App::new("?lab=hebbian&net=pair&h=-2&grid=20");
    finish(&mut app);
    assert!(app
        .svg("pitchfork", 640, 400)
        .expect("svg")
        .starts_with("<svg"));
    assert!(app.csv("count").expect("csv").starts_with("h,stable,total"));
    assert!(app.svg("nope", 640, 400).is_err());
    assert!(app.csv("nope").is_err());
    assert!(app.draw("nope", canvas(100, 100), 1.0).is_err());
    assert!(!app.set("h", "banana").is_empty());
    assert_eq!(app.set("h", "-1"), "");
    assert!(app.link().contains("h=-1&"));
}

/// The SIMD128 product (this suite is built with `+simd128`) has the bits of the naive
/// k-ordered loop, on every edge case of the 4×4 tiling and every transpose.
#[wasm_bindgen_test]
fn the_simd_product_has_the_bits_of_the_naive_loop() {
    // the same check the native tests run on the scalar build
    assert_eq!(lde::dynamics::gemm::self_check(), Ok(()));
}

#[wasm_bindgen_test]
fn the_start_up_warm_up_draws_a_heatmap() {
    let c = canvas(560, 420);
    let ms = lde::web::warm_heatmap(c.clone(), 1.0).expect("warm-up draw");
    assert!(ms >= 0.0);
    // viridis runs from dark blue to yellow: most of the plotting area is coloured
    let coloured = coloured_pixels(&c);
    assert!(coloured > 560 * 420 / 3, "only {coloured} coloured pixels");
}

#[wasm_bindgen_test]
fn the_wasm_generator_gives_rand_chachas_stream() {
    // in wasm the explorer draws from its own SIMD128 ChaCha8 (`dynamics::chacha`); it must be
    // the stream `rand_chacha` gives (natively the explorer uses that crate itself)
    use rand::{RngCore, SeedableRng};
    for (seed, stream) in [(0, 0), (7, 1), (12345, 5), (u64::MAX, 1 << 40)] {
        let mut ours = lde::dynamics::rng::seeded(seed, stream);
        let mut theirs = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        theirs.set_stream(stream);
        for i in 0..2000 {
            if i % 3 == 0 {
                assert_eq!(ours.next_u32(), theirs.next_u32(), "draw {i}");
            } else {
                assert_eq!(ours.next_u64(), theirs.next_u64(), "draw {i}");
            }
        }
    }
}

#[wasm_bindgen_test]
fn the_simd_exponentials_have_the_scalar_bits() {
    // exp, the logistic function and tanh two lanes per v128 (the basins, the curl epoch)
    assert_eq!(lde::dynamics::fm::lanes::self_check(), Ok(()));
}
