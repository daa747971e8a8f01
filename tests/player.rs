//! Issue 13 (3): the player. Every lab's animation can be shown at any tick; the finished
//! state (what `lde` and a page at rest show) is its last tick, and going back to it redraws
//! the same pictures; the report never depends on the tick. The RNN's training is replayed
//! from snapshots taken at each evaluation of the test trials.

mod common;
use lde::lab::LabInfo;
use lde::labs::rnn::RnnLab;
use lde::session::Session;

/// Every animated view of the session as SVG.
fn pictures(s: &Session) -> Vec<(String, String)> {
    s.views()
        .iter()
        .filter(|v| v.animated)
        .map(|v| (v.id.to_string(), s.svg(v.id, 480, 320).unwrap_or_default()))
        .collect()
}

const CASES: &[(&LabInfo, &str)] = &[
    (
        &lde::labs::hebbian::INFO,
        "net=pair&h=-2&grid=20&launch=0.4,-0.3",
    ),
    (&lde::labs::curl::INFO, "m=10&n=40&horizon=50&toy=0.3,1.6"),
    (&lde::labs::fixed_points::INFO, "n=10&m=10&iters=60&grid=21"),
    (&lde::labs::rnn::INFO, "n=16&t=30&iters=40&sweep=off&k=4"),
];

#[test]
fn every_animation_rests_at_its_end_and_comes_back_to_the_same_pictures() {
    for &(info, link) in CASES {
        let mut s = common::session(info, link);
        let n = s.ticks();
        assert!(n > 1, "{}: {n} ticks", info.id);
        assert_eq!(s.tick(), n, "{}: a finished run rests at its end", info.id);
        let end = pictures(&s);
        let report = s.report();
        assert!(!end.is_empty(), "{} has animated views", info.id);
        s.set_tick(0);
        assert_eq!(s.tick(), 0);
        let start = pictures(&s);
        let changed = start.iter().zip(&end).filter(|(a, b)| a.1 != b.1).count();
        assert!(changed > 0, "{}: tick 0 shows the start", info.id);
        assert_eq!(
            s.report(),
            report,
            "{}: the report does not follow the player",
            info.id
        );
        assert_ne!(s.lab().tick_label(0), s.lab().tick_label(n), "{}", info.id);
        s.set_tick(n / 2);
        s.set_tick(n + 5);
        assert_eq!(s.tick(), n, "{}: clamped to the end", info.id);
        assert_eq!(
            pictures(&s),
            end,
            "{}: back at the end, the same pictures",
            info.id
        );
    }
}

#[test]
fn the_rnn_replays_its_training_from_one_snapshot_per_evaluation() {
    let (info, link) = CASES[3];
    let mut s = common::session(info, link);
    assert!(
        !s.lab().autoplay(),
        "training is watched live, replayed on request"
    );
    let lab: &RnnLab = common::lab(&s);
    let Some(m) = lab.main.clone() else {
        panic!("the main run is done")
    };
    let evals: Vec<usize> = (0..m.history.len())
        .filter(|&i| m.history[i].test_loss.is_finite())
        .collect();
    assert_eq!(evals.len(), 4, "40 iterations, tested every 10");
    assert_eq!(
        m.snapshots.len(),
        evals.len() + 1,
        "the untrained network first"
    );
    assert_eq!(s.ticks(), evals.len());
    let first = &m.snapshots[0];
    assert_eq!((first.hist, first.iter), (0, 0));
    assert_eq!((first.test_loss, first.test_acc), m.initial);
    for (snap, &i) in m.snapshots[1..].iter().zip(&evals) {
        let p = &m.history[i];
        assert_eq!(snap.hist, i + 1);
        assert_eq!(
            (snap.iter, snap.test_loss, snap.test_acc),
            (p.iter, p.test_loss, p.test_acc)
        );
    }
    let last = m.snapshots.last().map(|x| x.out.clone());
    assert_eq!(
        last,
        Some(m.traces.out.clone()),
        "the last is the final state"
    );
    assert_ne!(first.out, m.traces.out, "training changed the outputs");
    // at tick 1 every view shows the run after its first evaluation
    s.set_tick(1);
    assert_eq!(
        s.lab().tick_label(1),
        format!("iteration {}", m.history[evals[0]].iter)
    );
    let csv = s.csv("loss").unwrap_or_default();
    assert_eq!(
        csv.lines().count(),
        2 + evals[0] + 1,
        "header, untrained, history so far"
    );
    let ro = s.lab().readouts();
    let acc = ro
        .iter()
        .find(|r| r.label == "test accuracy")
        .map(|r| r.value.clone());
    assert_eq!(acc, Some(lde::lab::face::num(m.snapshots[1].test_acc)));
    let shown: &RnnLab = common::lab(&s);
    assert!(lde::labs::rnn::views::main(shown).lambda_after.is_nan());
    assert!(lde::labs::rnn::views::whole(shown).lambda_after.is_finite());
}
