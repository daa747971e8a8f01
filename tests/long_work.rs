//! Issue 13 (3): a setting that would run for minutes asks before it starts. The RNN's cost
//! model (native single-core seconds of each job) drives the question; these are its shapes
//! and the settings it must and must not stop.

mod common;
use lde::labs::rnn::{config_of, Settings, INFO};
use lde::session::Session;

fn estimate(link: &str, workers: usize) -> f64 {
    Session::from_params(&INFO, common::params(&INFO, link)).estimate(workers)
}

#[test]
fn the_cost_model_scales_with_the_run() {
    let base = config_of(&Settings::from_params(&common::params(&INFO, "sweep=off")));
    let mut c = base.clone();
    c.n *= 2;
    let r = c.seconds() / base.seconds();
    assert!((3.5..=4.0).contains(&r), "N² per step: {r}");
    let mut c = base.clone();
    c.iters *= 2;
    let r = c.seconds() / base.seconds();
    assert!((1.9..=2.0).contains(&r), "linear in iterations: {r}");
    let mut c = base.clone();
    c.floss = true;
    assert!(
        c.seconds() > 1.25 * base.seconds(),
        "flossing costs a pass more"
    );
    // a session's estimate: the longest job, or the work shared out over the cores
    let one = estimate("sweep=rule", 1);
    let two = estimate("sweep=rule", 2);
    let main = base.seconds();
    assert!(one > main && two >= main && two < one, "{one} {two} {main}");
    assert!(
        (estimate("sweep=off", 4) - main).abs() < 1e-12,
        "one job: its own cost"
    );
}

#[test]
fn the_defaults_go_on_and_hours_of_work_ask() {
    // the page asks above 300 s of wasm time, about twice the native estimate
    let ask = |link: &str, w: usize| 2.0 * estimate(link, w) >= 300.0;
    assert!(
        !ask("", 1),
        "the defaults on one core: {} s",
        estimate("", 1)
    );
    assert!(ask("n=256&t=200&iters=3000&siters=1000", 1));
    assert!(
        ask("n=256&t=200&iters=3000&siters=1000", 8),
        "one run alone is long"
    );
    // every preset runs without a question on two cores
    for p in INFO.presets {
        assert!(!ask(p.link, 2), "{}: {} s", p.id, estimate(p.link, 2));
    }
}
