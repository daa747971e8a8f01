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
    assert_eq!(
        lde::labs::hebbian::Settings::from_params(s.params()).h,
        -2.0
    );
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
fn report_does_not_depend_on_the_number_of_threads() {
    let args = |t: &'static str| vec!["report", "curl", "preset=D", "horizon=300", "--threads", t];
    let (c1, one, e1) = lde(&args("1"));
    let (c3, three, e3) = lde(&args("3"));
    assert_eq!((c1, c3), (0, 0), "{e1}{e3}");
    assert_eq!(one, three, "the report differs between 1 and 3 threads");
    let r: serde_json::Value = serde_json::from_str(&one).expect("JSON");
    assert_eq!(r["ensemble"]["seeds_done"], 12);
}

#[test]
fn a_job_runs_alone_from_its_text() {
    // the stage link of the Hebbian basins at grid 20 (what the page hands a worker)
    let info = &lde::labs::hebbian::INFO;
    let (p, w) = info.params_from_pairs(&lde::params::split_link("net=pair&h=-2&grid=20"));
    assert!(w.is_empty());
    let s = lde::session::Session::from_params(info, p);
    let basins = s
        .pending()
        .into_iter()
        .find(|x| x.stage_id == "basins")
        .expect("a basins stage");
    let spec = s.job_spec(basins.stage, 7).expect("job 7");
    let (code, out, err) = lde(&["job", &spec.to_text()]);
    assert_eq!(code, 0, "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let row = j["output"]["Row"].as_array().cloned().unwrap_or_default();
    assert_eq!(row.len(), 20, "{out}");
    // the same bytes as in this process
    let bytes = lde::session::run_job(&spec).expect("runs");
    assert_eq!(
        j["fnv1a64"],
        format!("{:016x}", lde::lab::work::fnv1a64(&bytes))
    );
    for bad in [
        "lab=hebbian&stage=basins",
        "lab=hebbian&h=99&stage=basins&job=0",
        "lab=hebbian&stage=nope&job=0",
    ] {
        let (code, _, err) = lde(&["job", bad]);
        assert_eq!(code, 2, "{bad}");
        assert!(err.starts_with("lde: "), "{bad}: {err}");
    }
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
        vec!["report", "hebbian", "--threads", "0"],
        vec!["report", "hebbian", "--threads"],
        vec!["job"],
        vec!["frobnicate"],
        vec![],
    ] {
        let (code, _, err) = lde(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.starts_with("lde: "), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}
