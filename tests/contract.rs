//! The lab contract, checked once for every lab in the registry: defaults, every preset and
//! both ends of every parameter's range render without NaN, give rectangular tables and a
//! report in its envelope; a stage's merged result does not depend on the order its jobs
//! arrive in; a job is a pure function of its text, and of its stage's link alone.

mod common;

use lde::lab::work::JobSpec;
use lde::lab::LabInfo;
use lde::labs;
use lde::params::{split_link, Kind, Params, Value};
use lde::plot::{legend, Chart, Layer, Rgb};
use lde::session::{run_job_text, Session};

/// A small setting of each lab: what the range-end and job checks run on (fast, same code).
fn small(id: &str) -> &'static str {
    match id {
        "hebbian" => "grid=20",
        "curl" => "m=10&n=10&horizon=30&p=60",
        "rnn" => "n=16&t=20&iters=8&siters=3&k=4",
        "fixed_points" => "n=6&m=3&iters=30&grid=21",
        _ => "",
    }
}

fn finite(x: f64, y: f64) -> bool {
    x.is_finite() && y.is_finite()
}

fn check_chart(c: &Chart, ctx: &str) {
    for l in &c.layers {
        match l {
            Layer::Line { points, .. } => {
                assert!(
                    points.iter().all(|p| finite(p.0, p.1)),
                    "{ctx}: NaN in a line"
                )
            }
            Layer::Markers(ms) => {
                assert!(
                    ms.iter().all(|m| finite(m.x, m.y) && m.size.is_finite()),
                    "{ctx}: marker"
                )
            }
            Layer::Arrows { arrows, .. } => assert!(
                arrows
                    .iter()
                    .all(|(a, b)| finite(a.0, a.1) && finite(b.0, b.1)),
                "{ctx}: arrow"
            ),
            Layer::Segments(s) => assert!(
                s.iter()
                    .all(|(a, b, _, w)| finite(a.0, a.1) && finite(b.0, b.1) && w.is_finite()),
                "{ctx}: segment"
            ),
            Layer::VLine { x, .. } => assert!(x.is_finite(), "{ctx}: vline"),
            Layer::HLine { y, .. } => assert!(y.is_finite(), "{ctx}: hline"),
            Layer::Text { x, y, .. } => assert!(finite(*x, *y), "{ctx}: text"),
            Layer::Key(rows) => assert!(
                rows.iter().all(|(label, _, _)| !label.is_empty()),
                "{ctx}: a colour key row without words"
            ),
            Layer::Heatmap(h) => {
                assert_eq!(h.values.len(), h.nx * h.ny, "{ctx}: heatmap size");
                assert!(finite(h.x_range.0, h.x_range.1) && finite(h.y_range.0, h.y_range.1));
            }
        }
    }
    assert!(
        finite(c.x_range.0, c.x_range.1) && finite(c.y_range.0, c.y_range.1),
        "{ctx}: range"
    );
    // a scalar heatmap says what its colours mean (a grey map is a quiet background)
    let scalar = c.layers.iter().any(|l| {
        matches!(l, Layer::Heatmap(h)
            if matches!(h.fill, lde::plot::Fill::Scalar { map, .. } if map != lde::plot::ColorMap::Greys))
    });
    assert!(
        !scalar || c.bar.is_some(),
        "{ctx}: a scalar heatmap without a colour bar"
    );
    // colour is never the only cue: legend samples differ in stroke, marker or texture too
    let lines = legend::entries(c);
    for e in &lines {
        assert!(
            typeset(&e.label),
            "{ctx}: '{}' writes a negative number with a hyphen",
            e.label
        );
    }
    for (i, a) in lines.iter().enumerate() {
        for b in &lines[i + 1..] {
            assert!(
                a.sample != b.sample || a.label == b.label,
                "{ctx}: '{}' and '{}' differ only in colour ({:?})",
                a.label,
                b.label,
                a.sample
            );
        }
    }
    // annotation text reaches 4.5:1 on the white figure; light text only over a heatmap
    let white = Rgb(255, 255, 255);
    let heat = c.layers.iter().any(|l| matches!(l, Layer::Heatmap(_)));
    for l in &c.layers {
        let (text, color) = match l {
            Layer::VLine { label, color, .. } | Layer::HLine { label, color, .. } => (label, color),
            Layer::Text { text, color, .. } => (text, color),
            _ => continue,
        };
        if text.is_empty() {
            continue;
        }
        assert!(
            typeset(text),
            "{ctx}: '{text}' writes a negative number with a hyphen"
        );
        let drawn = legend::legible(*color);
        assert!(
            legend::contrast(drawn, white) >= 4.5 || (heat && legend::luminance(drawn) >= 0.6),
            "{ctx}: the annotation '{text}' in {color:?} is not legible"
        );
    }
}

/// A label writes a negative number with the minus sign U+2212, never the hyphen-minus (an
/// exponent's "1e-3" excepted).
fn typeset(text: &str) -> bool {
    let c: Vec<char> = text.chars().collect();
    (0..c.len()).all(|i| {
        c[i] != '-'
            || !c.get(i + 1).is_some_and(|d| d.is_ascii_digit())
            || (i > 0
                && c[i - 1] == 'e'
                && c.get(i.wrapping_sub(2)).is_some_and(|d| d.is_ascii_digit()))
    })
}

/// Every view: a chart without NaN coordinates that renders, and a rectangular table.
fn check_views(s: &Session, ctx: &str) {
    let stages: Vec<&str> = s.stages().iter().map(|(st, _)| st.id).collect();
    for v in s.views() {
        let ctx = format!("{ctx} / {}", v.id);
        for id in v.shows {
            assert!(stages.contains(id), "{ctx}: shows an undeclared stage {id}");
        }
        let c = s
            .lab()
            .chart(v.id)
            .unwrap_or_else(|| panic!("{ctx}: no chart"));
        check_chart(&c, &ctx);
        let svg = lde::plot::to_svg(&c, 640, 420).unwrap_or_else(|e| panic!("{ctx}: {e}"));
        assert!(svg.starts_with("<svg"), "{ctx}");
        let t = s
            .lab()
            .table(v.id)
            .unwrap_or_else(|| panic!("{ctx}: no table"));
        assert!(!t.header.is_empty(), "{ctx}: no header");
        assert!(
            t.rows.iter().all(|r| r.len() == t.header.len()),
            "{ctx}: ragged table"
        );
        let csv = t.to_csv();
        assert_eq!(
            csv.lines().count(),
            t.rows.len() + 1,
            "{ctx}: a CSV line per row"
        );
    }
    assert!(s.lab().chart("no-such-view").is_none());
}

/// The report's envelope, and that its link reopens the same parameters.
fn check_report(s: &Session, ctx: &str) {
    let r = s.report();
    for k in ["lab", "version", "link", "params", "notices"] {
        assert!(r.get(k).is_some(), "{ctx}: report has no '{k}'");
    }
    assert_eq!(r["lab"], s.info.id);
    let link = r["link"].as_str().unwrap_or_default();
    let t = Session::from_link(link);
    assert!(t.warnings.is_empty(), "{ctx}: {:?}", t.warnings);
    assert_eq!(t.params(), s.params(), "{ctx}: the report's link");
    assert!(!s.lab().readouts().is_empty(), "{ctx}: no readouts");
}

/// Everything the page can show of a finished session, as text.
fn face(s: &Session) -> String {
    let mut out = s.report().to_string();
    for v in s.views() {
        out.push_str(&s.csv(v.id).unwrap_or_default());
        out.push_str(&format!("{:?}", s.lab().chart(v.id)));
    }
    out
}

/// A finished session's outputs absorbed again in another order give the same face.
fn check_merge_order(info: &'static LabInfo, p: &Params, s: &Session, ctx: &str) {
    let outs = s.outputs();
    let stages = s.stages();
    let want = face(s);
    let n = outs.len();
    let orders: [Vec<usize>; 3] = [
        (0..n).collect(),
        (0..n).rev().collect(),
        // interleaved: evens then odds
        (0..n).step_by(2).chain((1..n).step_by(2)).collect(),
    ];
    for (k, order) in orders.iter().enumerate() {
        let mut t = Session::from_params(info, p.clone());
        for &i in order {
            let (stage, job, bytes) = &outs[i];
            let (st, link) = &stages[*stage];
            let took = t.absorb(st.id, link, *job, bytes.clone(), true, 1.0);
            assert_eq!(took, Ok(true), "{ctx}: absorb {} {job}", st.id);
        }
        assert!(t.progress().done, "{ctx}: order {k} left work");
        // compared at rest, as run_all leaves a session: the animation at its end
        t.set_tick(t.ticks());
        assert!(
            face(&t) == want,
            "{ctx}: the merged result depends on the job order ({k})"
        );
    }
}

fn links(info: &'static LabInfo) -> Vec<(String, String)> {
    let mut v = vec![("defaults".to_string(), String::new())];
    for pr in info.presets {
        v.push((format!("preset {}", pr.id), pr.link.to_string()));
    }
    v
}

#[test]
fn defaults_and_every_preset() {
    for info in labs::all() {
        for (name, link) in links(info) {
            let ctx = format!("{} {name}", info.id);
            let p = common::params(info, &link);
            let mut s = Session::from_params(info, p.clone());
            s.run_all(2);
            assert!(s.progress().done, "{ctx}: work left after run_all");
            check_views(&s, &ctx);
            check_report(&s, &ctx);
            check_merge_order(info, &p, &s, &ctx);
        }
    }
}

/// The values at both ends of a parameter's range (every option of a choice).
fn ends(kind: Kind) -> Vec<Value> {
    match kind {
        Kind::Real { min, max, .. } => vec![Value::Real(min), Value::Real(max)],
        Kind::Int { min, max, .. } => vec![Value::Int(min), Value::Int(max)],
        Kind::Choice { options, .. } => (0..options.len()).map(Value::Choice).collect(),
        Kind::Flag { .. } => vec![Value::Flag(false), Value::Flag(true)],
        Kind::Points { max, x, y, .. } => vec![
            Value::Points(vec![]),
            Value::Points(
                (0..max)
                    .map(|i| if i % 2 == 0 { (x.0, y.1) } else { (x.1, y.0) })
                    .collect(),
            ),
        ],
    }
}

#[test]
fn both_ends_of_every_range() {
    for info in labs::all() {
        for (i, spec) in info.specs.iter().enumerate() {
            for v in ends(spec.kind) {
                let mut p = common::params(info, small(info.id));
                let ctx = format!("{} {}={}", info.id, spec.key, spec.format_value(&v));
                p.set_index(i, v).unwrap_or_else(|e| panic!("{ctx}: {e}"));
                let mut s = Session::from_params(info, p);
                // before any work, then finished
                check_views(&s, &format!("{ctx} (start)"));
                s.run_all(2);
                check_views(&s, &ctx);
                check_report(&s, &ctx);
            }
        }
    }
}

#[test]
fn jobs_are_functions_of_their_text_and_their_stage_link() {
    for info in labs::all() {
        let mut cases = vec![("small".to_string(), common::params(info, small(info.id)))];
        // each preset, made small where the lab's small setting overrides it
        for pr in info.presets {
            let mut p = info.preset_params(pr.id, 1).expect("preset");
            assert!(p.apply(&split_link(small(info.id))).is_empty());
            cases.push((pr.id.to_string(), p));
        }
        for (link, p) in cases {
            let full = (info.build)(p.clone());
            let s = Session::from_params(info, p);
            for (k, (stage, stage_link)) in s.stages().into_iter().enumerate() {
                for key in match stage.deps {
                    lde::lab::Deps::All => vec![],
                    lde::lab::Deps::Keys(k) => k.to_vec(),
                } {
                    assert!(
                        info.specs.iter().any(|s| s.key == key),
                        "{}: stage {} reads an unknown parameter {key}",
                        info.id,
                        stage.id
                    );
                }
                let mut picks = vec![0, stage.jobs.saturating_sub(1)];
                picks.dedup();
                for j in picks.into_iter().filter(|&j| j < stage.jobs) {
                    let ctx = format!("{} [{link}] {} job {j}", info.id, stage.id);
                    // in process, from the lab built from the full link
                    let mut w = full.start(k, j).unwrap_or_else(|| panic!("{ctx}: no job"));
                    let mut never = || false;
                    while !w.step(&mut never) {}
                    let here = w.output().unwrap_or_else(|| panic!("{ctx}: no output"));
                    // from its text alone: a lab built from the stage's link (the other
                    // parameters at their defaults)
                    let spec = JobSpec {
                        link: stage_link.clone(),
                        stage: stage.id.to_string(),
                        index: j,
                    };
                    let text = spec.to_text();
                    assert_eq!(JobSpec::parse(&text).as_ref(), Ok(&spec), "{ctx}");
                    let there = run_job_text(&text).unwrap_or_else(|e| panic!("{ctx}: {e}"));
                    assert!(
                        here == there,
                        "{ctx}: the job's output depends on a parameter its stage does not declare"
                    );
                }
            }
        }
    }
}

#[test]
fn bad_job_texts_are_errors() {
    for text in [
        "",
        "lab=hebbian",
        "lab=hebbian&stage=basins",
        "lab=hebbian&stage=basins&job=x",
        "lab=hebbian&stage=basins&job=100000",
        "lab=nolab&stage=basins&job=0",
        "lab=hebbian&h=99&stage=basins&job=0",
        "lab=hebbian&stage=nostage&job=0",
    ] {
        assert!(run_job_text(text).is_err(), "{text}");
    }
    // and an output for a job that does not exist, or garbage bytes, change nothing
    let info = labs::find("hebbian").expect("hebbian");
    let mut s = Session::from_params(info, common::params(info, "grid=20"));
    let (st, link) = s.stages()[1].clone();
    assert!(s
        .absorb(st.id, &link, 9999, vec![1, 2, 3], true, 1.0)
        .is_err());
    assert!(s.absorb(st.id, &link, 0, vec![255; 7], true, 1.0).is_err());
    assert_eq!(
        s.absorb(st.id, "lab=hebbian&stale=1", 0, vec![], true, 1.0),
        Ok(false)
    );
    assert_eq!(s.progress().stages[1].done, 0);
}

#[test]
fn every_preset_and_spec_is_described() {
    for info in labs::all() {
        for pr in info.presets {
            let (_, w) = info.params_from_pairs(&split_link(pr.link));
            assert!(w.is_empty(), "{} preset {}: {w:?}", info.id, pr.id);
            assert!(!pr.note.is_empty() && !pr.label.is_empty());
        }
        for s in info.specs {
            assert!(
                !s.help.is_empty() && !s.label.is_empty(),
                "{} {}",
                info.id,
                s.key
            );
        }
        for v in (info.views)() {
            assert!(
                !v.title.is_empty() && !v.caption.is_empty(),
                "{} {}",
                info.id,
                v.id
            );
            assert_eq!(v.clickable, v.launch.is_some(), "{} {}", info.id, v.id);
        }
        assert!(!info.cite.is_empty());
    }
}

#[test]
fn the_first_screen_names_a_real_view_and_real_parameters() {
    for info in labs::all() {
        let views = (info.views)();
        assert!(
            views.iter().any(|v| v.id == info.hero),
            "{}: hero {} is not a view",
            info.id,
            info.hero
        );
        assert!(!info.key.is_empty(), "{}: no key parameters", info.id);
        for k in info.key {
            assert!(
                info.specs.iter().any(|s| s.key == *k),
                "{}: key parameter {k} is not a spec",
                info.id
            );
        }
        assert!(info.short.len() <= 14, "{}: tab label too long", info.id);
    }
}

/// The launch inputs follow the state: after a click at a point inside the view, the view's
/// launch point is that point (to the click's rounding), in every lab and every launchable view.
#[test]
fn a_clicked_point_is_what_the_launch_inputs_show() {
    for info in labs::all() {
        for v in (info.views)() {
            let Some(l) = v.launch else { continue };
            let ctx = format!("{} {}", info.id, v.id);
            let p = common::params(info, small(info.id));
            let mut s = Session::from_params(info, p);
            // a point a little off the default start, inside every view's window
            let (x, y) = (l.start.0 + 0.13, l.start.1 + 0.07);
            assert!(s.click(v.id, x, y), "{ctx}: the click was ignored");
            let (px, py) = s.launch_point(v.id).unwrap_or((f64::NAN, f64::NAN));
            assert!((px - x).abs() < 0.006, "{ctx}: x {px} after a click at {x}");
            if !l.labels.1.is_empty() {
                assert!((py - y).abs() < 0.006, "{ctx}: y {py} after a click at {y}");
            }
        }
    }
}

/// A link's own value is what the launch inputs show: the pitchfork's "Move to h" reads h.
#[test]
fn the_pitchfork_launch_reads_the_links_h() {
    let info = labs::find("hebbian").unwrap_or_else(|| panic!("no hebbian lab"));
    let s = Session::from_params(info, common::params(info, "h=-4&grid=20"));
    assert_eq!(s.launch_point("pitchfork"), Some((-4.0, 0.0)));
    assert_eq!(
        s.launch_point("landscape"),
        Some((-1.0, -2.5)),
        "no launch yet: the default"
    );
    assert_eq!(s.launch_point("graph"), None, "a view without a launch");
}
