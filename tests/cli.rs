//! The `lde` command line: same core and parameters as the page; clear errors, no panics.

use std::process::Command;

fn lde(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lde"))
        .args(args)
        .output()
        .expect("run lde");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn report_of_the_choke_network() {
    let (code, out, err) = lde(&["report", "hebbian", "net=choke", "h=-4", "grid=20"]);
    assert_eq!(code, 0, "{err}");
    let r: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(r["stable_count"], 5);
    assert!((r["critical_k"].as_f64().unwrap_or(0.0) - -123.7215).abs() < 1e-3);
    assert!((r["critical_h"].as_f64().unwrap_or(0.0) - -1.237215).abs() < 1e-5);
    let eq = r["equilibria"].as_array().cloned().unwrap_or_default();
    assert_eq!(eq.len(), 9);
    assert_eq!(r["params"]["h"], -4.0);
}

#[test]
fn link_matches_the_page_codec() {
    let (code, out, _) = lde(&["link", "hebbian", "h=-2", "net=pair", "seed=7"]);
    assert_eq!(code, 0);
    let link = out.trim();
    assert!(link.starts_with("lab=hebbian&h=-2&"), "{link}");
    assert!(link.ends_with("&seed=7"));
    let s = lde::session::Session::from_link(link);
    assert!(s.warnings.is_empty());
    assert_eq!(s.params().real("h"), -2.0);
}

#[test]
fn svg_and_csv_of_a_view() {
    let (code, out, err) = lde(&[
        "svg",
        "hebbian",
        "pitchfork",
        "h=-2",
        "grid=20",
        "--size",
        "640x400",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("<svg") && out.contains("Pitchfork"));
    let (code, out, _) = lde(&["csv", "hebbian", "pitchfork", "h=-2", "grid=20"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("branch,h,x1,x2,stable"));
    assert!(out.lines().count() > 100);
}

#[test]
fn presets_apply() {
    let (code, out, err) = lde(&["report", "hebbian", "preset=bistable", "grid=20"]);
    assert_eq!(code, 0, "{err}");
    let r: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(r["net"], "pair");
    assert_eq!(r["stable_count"], 2);
}

#[test]
fn bad_arguments_fail_cleanly() {
    for args in [
        vec!["report", "nolab"],
        vec!["report", "hebbian", "h=abc"],
        vec!["report", "hebbian", "h=99"],
        vec!["report", "hebbian", "zzz=1"],
        vec!["report", "hebbian", "noequals"],
        vec!["svg", "hebbian", "noview"],
        vec!["svg", "hebbian", "pitchfork", "--size", "5x5"],
        vec!["csv", "hebbian"],
        vec!["report", "hebbian", "preset=nope"],
        vec!["frobnicate"],
        vec![],
    ] {
        let (code, _, err) = lde(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.starts_with("lde: "), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}
