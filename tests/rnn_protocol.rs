//! Issue 12 (8): the note's full training protocol (batch 32, 500 iterations, 256 test
//! trials), flossing's rescue of e-prop at g = 0.5 seed by seed, and the per-seed view.

mod common;
use lde::labs::rnn::sweep_views::replicates;
use lde::labs::rnn::{RnnLab, INFO};

const PROTOCOL: &str = "rule=eprop_sym&g=0.5&batch=32&iters=500&tests=256&reps=2&sweep=off";

#[test]
fn flossing_rescues_e_prop_at_small_gain_seed_by_seed() {
    let on = common::session(&INFO, &format!("{PROTOCOL}&floss=1"));
    let off = common::session(&INFO, &format!("{PROTOCOL}&floss=0"));
    let (lab_on, lab_off): (&RnnLab, &RnnLab) = (common::lab(&on), common::lab(&off));
    assert_eq!(lab_on.cfg.test_trials, 256);
    assert_eq!((lab_on.cfg.batch, lab_on.cfg.iters), (32, 500));
    let (r_on, r_off) = (replicates(lab_on), replicates(lab_off));
    assert_eq!(
        (r_on.len(), r_off.len()),
        (3, 3),
        "the link's seed and 2 replicates"
    );
    // the same seeds, the same untrained networks
    for (a, b) in r_on.iter().zip(&r_off) {
        assert_eq!(a.seed, b.seed);
        assert_eq!(a.res.lambda_before, b.res.lambda_before);
        assert!(a.res.lambda_before < -0.1, "g = 0.5 starts contracting");
    }
    let solved =
        |r: &[lde::labs::rnn::sweep_views::Replicate]| r.iter().filter(|x| x.solved()).count();
    assert!(solved(&r_on) >= 2, "flossing solves most seeds: {r_on:?}");
    assert!(
        solved(&r_off) <= 1,
        "without it most stay near chance: {r_off:?}"
    );
    // local flossing lifts λ_max towards 0 on every seed; without it λ_max stays put
    for (a, b) in r_on.iter().zip(&r_off) {
        assert!(a.res.lambda_after > a.res.lambda_before + 0.05, "{a:?}");
        assert!(
            a.res.lambda_after > b.res.lambda_after + 0.05,
            "{a:?} vs {b:?}"
        );
        assert!(a.res.lambda_after < 0.05, "towards 0, not past it: {a:?}");
    }
    // the per-seed view names every seed that stays contracting, and its table has them all
    let title = off.lab().chart("seeds").expect("seeds view").title;
    for r in r_off.iter().filter(|r| r.contracting()) {
        assert!(title.contains(&r.seed.to_string()), "{title}");
    }
    let csv = on.csv("seeds").unwrap_or_default();
    assert_eq!(csv.lines().count(), 4, "{csv}");
    let report = on.report();
    assert_eq!(report["replicates"].as_array().map(Vec::len), Some(3));
    assert_eq!(report["test_trials"], 256);
}
