//! The Hebbian lab against the note's derived and published numbers (issue 2).

use lde::dynamics::ode::{relax, VectorField};
use lde::dynamics::rng::{normal, seeded};
mod common;
use lde::lab::Lab;
use lde::labs::hebbian::basins::BasinGrid;
use lde::labs::hebbian::equilibria::{find_all, Equilibrium};
use lde::labs::hebbian::model::{sigma, Model, NetKind, Network, PairFlow};
use lde::labs::hebbian::{model_of, pitchfork, Hebbian, Settings, INFO};
use lde::params::Params;
use lde::plot::Layer;

fn params(link: &str) -> Params {
    common::params(&INFO, link)
}

fn model(kind: NetKind, h: f64, g: f64) -> Model {
    let net = Network::new(kind);
    let n = net.n;
    Model {
        net,
        gx: g,
        gw: g,
        eps: 1.0,
        h,
        u: vec![0.0; n],
    }
}

fn equilibria(kind: NetKind, h: f64, seed: u64, starts: usize) -> Vec<Equilibrium> {
    let m = model(kind, h, 0.1);
    let mut rng = seeded(seed, 1);
    find_all(&m, &mut rng, &[], starts)
}

#[test]
fn critical_values() {
    assert!(
        (pitchfork::critical_k() - -123.7215).abs() < 1e-3,
        "k_c = {}",
        pitchfork::critical_k()
    );
    assert!(
        (pitchfork::x_star() - -1.278465).abs() < 1e-6,
        "x* = {}",
        pitchfork::x_star()
    );
    // h_c = k_c γx γw: the pair's leading eigenvalue at the symmetric state crosses zero there
    for (gx, gw) in [(0.1, 0.1), (0.1, 0.05), (0.2, 0.3), (0.05, 0.5)] {
        let hc = pitchfork::critical_k() * gx * gw;
        for (dh, expect_stable) in [(0.02, true), (-0.02, false)] {
            let h = hc * (1.0 - dh);
            let mut m = model(NetKind::Pair, h, 0.1);
            m.gx = gx;
            m.gw = gw;
            let xs = pitchfork::symmetric_x(m.k());
            let e = lde::labs::hebbian::equilibria::classify(&m, &[xs, xs]);
            assert_eq!(
                e.stable, expect_stable,
                "γx={gx} γw={gw} h={h}: max Re λ = {}",
                e.max_real_eig
            );
        }
    }
}

#[test]
fn anti_hebbian_pair_at_h_minus_2() {
    let eq = equilibria(NetKind::Pair, -2.0, 3, 60);
    assert_eq!(eq.len(), 3, "{eq:?}");
    let stable: Vec<&Equilibrium> = eq.iter().filter(|e| e.stable).collect();
    assert_eq!(stable.len(), 2);
    for e in &stable {
        let (lo, hi) = (e.x[0].min(e.x[1]), e.x[0].max(e.x[1]));
        assert!(
            (lo - -2.316).abs() < 1e-3 && (hi - -0.579).abs() < 1e-3,
            "{:?}",
            e.x
        );
        assert!(
            (e.w[0] - -0.645).abs() < 1e-3 && (e.w[1] - -0.645).abs() < 1e-3,
            "{:?}",
            e.w
        );
    }
    // mirror images
    assert!((stable[0].x[0] - stable[1].x[1]).abs() < 1e-9);
    let saddle: Vec<&Equilibrium> = eq.iter().filter(|e| !e.stable).collect();
    assert!((saddle[0].x[0] - -1.432).abs() < 1e-3 && (saddle[0].x[1] - -1.432).abs() < 1e-3);
}

#[test]
fn hebbian_pair_is_unique() {
    let eq = equilibria(NetKind::Pair, 0.5, 4, 80);
    assert_eq!(eq.len(), 1, "{eq:?}");
    assert!(eq[0].stable);
    assert!(
        (eq[0].x[0] - 50.0).abs() < 1e-3 && (eq[0].x[1] - 50.0).abs() < 1e-3,
        "{:?}",
        eq[0].x
    );
    assert!((eq[0].w[0] - 5.0).abs() < 1e-3);
}

#[test]
fn choke_network_has_five_stable_states_and_the_choke_is_most_suppressed() {
    for seed in [1, 2, 3] {
        let eq = equilibria(NetKind::Choke, -4.0, seed, 300);
        let stable: Vec<&Equilibrium> = eq.iter().filter(|e| e.stable).collect();
        assert_eq!(
            stable.len(),
            5,
            "seed {seed}: {} stable of {}",
            stable.len(),
            eq.len()
        );
        assert_eq!(eq.len(), 9, "seed {seed}: the note's 9 equilibria");
        for e in &stable {
            let r = e.rates();
            let choke = r[2];
            assert!(
                r.iter().enumerate().all(|(i, &v)| i == 2 || v > choke),
                "choke not most suppressed: {r:?}"
            );
        }
    }
}

#[test]
fn three_clique_at_h_minus_10() {
    // The note: 7 equilibria, 4 stable (uniform + 3 one-winner states).
    let net = Network {
        kind: NetKind::Pair,
        n: 3,
        synapses: vec![(0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1)],
        fixed: vec![],
        pos: vec![(0.0, 0.0); 3],
        junction: vec![false; 3],
    };
    let m = Model {
        net,
        gx: 0.1,
        gw: 0.1,
        eps: 1.0,
        h: -10.0,
        u: vec![0.0; 3],
    };
    let eq = find_all(&m, &mut seeded(5, 1), &[], 300);
    assert_eq!(eq.len(), 7);
    assert_eq!(eq.iter().filter(|e| e.stable).count(), 4);
}

struct Full<'a>(&'a Model);
impl VectorField for Full<'_> {
    fn dim(&self) -> usize {
        self.0.dim()
    }
    fn eval(&self, x: &[f64], dx: &mut [f64]) {
        self.0.field(x, dx);
    }
}

#[test]
fn equilibria_are_zeros_and_stability_agrees_with_integration() {
    for (kind, h) in [
        (NetKind::Pair, -2.0),
        (NetKind::Pair, 0.5),
        (NetKind::Choke, -4.0),
        (NetKind::Ring, -3.0),
    ] {
        let m = model(kind, h, 0.1);
        let eq = find_all(
            &m,
            &mut seeded(7, 1),
            &[],
            if kind == NetKind::Ring { 400 } else { 150 },
        );
        assert!(!eq.is_empty());
        let mut rng = seeded(11, 3);
        for e in &eq {
            assert!(e.residual < 1e-9, "{kind:?}: residual {}", e.residual);
            // integrate the full system from a perturbed start
            let s0: Vec<f64> = e.x.iter().chain(&e.w).copied().collect();
            let mut s: Vec<f64> = s0.iter().map(|v| v + 1e-4 * normal(&mut rng)).collect();
            let t_end = 20.0 / e.max_real_eig.abs().max(0.02);
            relax(&Full(&m), &mut s, 0.1, (t_end / 0.1) as usize, 0.0);
            let d = s
                .iter()
                .zip(&s0)
                .fold(0.0f64, |a, (p, q)| a.max((p - q).abs()));
            if e.stable {
                assert!(d < 1e-4, "{kind:?} stable {:?} drifted {d}", e.x);
            } else {
                assert!(d > 1e-2, "{kind:?} saddle {:?} did not leave ({d})", e.x);
            }
        }
    }
}

#[test]
fn ring_counts_match_the_note() {
    // C = 3 (h = −3): 5 equilibria, 3 stable; C = −2 (h = 2, Hebbian): 9 equilibria, 4 stable.
    for (h, total, stable) in [(-3.0, 5, 3), (2.0, 9, 4)] {
        let eq = equilibria(NetKind::Ring, h, 2, 800);
        assert_eq!(eq.iter().filter(|e| e.stable).count(), stable, "h = {h}");
        assert_eq!(eq.len(), total, "h = {h}");
    }
}

#[test]
fn basin_share_against_eps() {
    // w12(0) = −2, w21(0) = 0, h = −2, γ = 0.1, x ∈ [−4, 2]² on 61×61 starts.
    let m = model(NetKind::Pair, -2.0, 0.1);
    let eq = find_all(&m, &mut seeded(1, 1), &[], 40);
    let stable = lde::labs::hebbian::basins::states(
        &eq.iter().filter(|e| e.stable).cloned().collect::<Vec<_>>(),
    );
    let all = lde::labs::hebbian::basins::states(&eq);
    for (eps, expect) in [(0.2, 0.0), (1.0, 0.107), (5.0, 0.388)] {
        let mut flow = PairFlow::from_model(&m);
        flow.eps = eps;
        let mut g = BasinGrid::new(61, (-4.0, 2.0), (-4.0, 2.0), [-2.0, 0.0]);
        g.fill(&flow, &stable, &all);
        let share = g.share_neuron1(&stable);
        assert!(
            (share - expect).abs() < 0.01,
            "ε = {eps}: share {share}, note {expect}"
        );
    }
}

#[test]
fn symmetric_initial_weights_split_the_basins_on_the_diagonal() {
    let s = common::session(&INFO, "net=pair&h=-2&grid=30");
    let lab: &Hebbian = common::lab(&s);
    let st = lde::labs::hebbian::basins::states(&lab.pair_stable());
    // every start with x1(0) > x2(0) ends with neuron 1 winning
    let g = &lab.basins;
    for c in 0..g.classes.len() {
        let s = g.start(c);
        let k = g.classes[c];
        if (s[0] - s[1]).abs() > 1e-9 {
            assert!(k >= 0.0, "start {s:?} undecided");
            let win1 = sigma(st[k as usize][0]) > sigma(st[k as usize][1]);
            assert_eq!(win1, s[0] > s[1], "start {s:?}");
        }
    }
}

#[test]
fn report_has_the_promised_keys() {
    for link in ["net=choke&h=-4", "net=pair&h=-2", "net=ring&h=-3"] {
        let s = common::session(&INFO, link);
        let r = s.report();
        for key in ["critical_h", "critical_k", "stable_count", "equilibria"] {
            assert!(r.get(key).is_some(), "{link}: {key}");
        }
        let eqs = r["equilibria"].as_array().cloned().unwrap_or_default();
        assert!(!eqs.is_empty());
        for e in eqs {
            for key in ["x", "w", "stable", "max_real_eig"] {
                assert!(e.get(key).is_some(), "{link}: equilibrium {key}");
            }
        }
    }
    let s = common::session(&INFO, "net=choke&h=-4");
    assert_eq!(s.report()["stable_count"], 5);
}

#[test]
fn every_view_renders_and_every_preset_parses() {
    for pr in INFO.presets {
        let (_, w) = INFO.params_from_pairs(&lde::params::split_link(pr.link));
        assert!(w.is_empty(), "preset {}: {w:?}", pr.id);
    }
    let mut s = common::session(&INFO, "net=choke&h=-4&grid=20");
    assert!(s.click("landscape", -1.0, -2.5));
    assert_eq!(Settings::from_params(s.params()).launch, vec![(-1.0, -2.5)]);
    s.run_all(1);
    let lab: &Hebbian = common::lab(&s);
    assert!(
        lab.traj.as_ref().is_some_and(|t| t.len() > 10),
        "the launched trajectory"
    );
    for v in (INFO.views)() {
        let svg = s.svg(v.id, 640, 420).unwrap_or_default();
        assert!(svg.starts_with("<svg"), "{}", v.id);
        let csv = s.csv(v.id).unwrap_or_default();
        assert!(csv.lines().count() >= 2, "{} csv: {csv}", v.id);
    }
}

#[test]
fn bifurcation_diagram_has_pitchfork_at_hc() {
    let lab = Hebbian::new(params("net=pair&h=-2"));
    let hc = pitchfork::critical_k() * 0.01;
    // the branches are three just past h_c and one just before it
    let near = |h: f64| -> usize {
        lab.branches
            .iter()
            .filter(|b| {
                b.iter().any(|p| {
                    (p.h - h).abs() < (lab.branch_range.1 - lab.branch_range.0) / 240.0 * 0.51
                })
            })
            .count()
    };
    assert_eq!(near(hc + 0.05), 1);
    assert_eq!(near(hc - 0.05), 3);
    // amplitude grows like √(k_c − k): ratio of amplitudes at two depths
    let amp = |k: f64| pitchfork::asymmetric_at(k).map_or(f64::NAN, |(a, b)| (a - b).abs());
    let kc = pitchfork::critical_k();
    let r = amp(kc - 4.0) / amp(kc - 1.0);
    assert!((r - 2.0).abs() < 0.1, "√ scaling ratio {r}");
}

#[test]
fn model_of_applies_bias_to_neuron_two() {
    let m = model_of(
        &Settings::from_params(&params("u=0.02&net=pair")),
        NetKind::Pair,
    );
    assert_eq!(m.u, vec![0.0, 0.02]);
    let m = model_of(
        &Settings::from_params(&params("u=0.02&bias_on=all&net=choke")),
        NetKind::Choke,
    );
    assert_eq!(m.u, vec![0.02; 5]);
}

/// Issue 12 (2): the onset of multistability, by bisection from the downward sweep: the
/// pair's is its pitchfork h_c = k_c γx γw (exact), the choke network's the note's −3.40
/// (indicative), and the stable-count view marks it.
#[test]
fn onset_of_multistability_by_bisection() {
    for (net, want, tol) in [("pair", -1.237_215, 1e-4), ("choke", -3.40, 0.05)] {
        let s = common::session(&INFO, &format!("net={net}&grid=20"));
        let r = s.report();
        let h = r["onset_of_multistability"].as_f64().unwrap_or(f64::NAN);
        assert!((h - want).abs() < tol, "{net}: onset {h}, want {want}");
        if net == "pair" {
            let hc = r["critical_h"].as_f64().unwrap_or(f64::NAN);
            assert!((h - hc).abs() < 1e-4, "pair onset {h} vs h_c {hc}");
        }
        // the count just above the onset is 1 and just below it more than 1
        let lab: &Hebbian = common::lab(&s);
        let count = |h: f64| {
            let mut m = lab.net.clone();
            m.h = h;
            lde::labs::hebbian::experiments::search(&m, 1)
                .iter()
                .filter(|e| e.stable)
                .count()
        };
        assert_eq!(count(h + 2e-3), 1, "{net} above the onset");
        assert!(count(h - 2e-3) > 1, "{net} below the onset");
        let c = s.lab().chart("count").expect("count view");
        assert!(
            c.layers
                .iter()
                .any(|l| matches!(l, Layer::VLine { label, .. } if label.starts_with("onset"))),
            "{net}: the view marks the onset"
        );
        assert!(s
            .lab()
            .readouts()
            .iter()
            .any(|x| x.label == "onset of multistability"
                && x.value
                    .contains(if net == "pair" { "1.237" } else { "3.39" })));
    }
}

#[test]
fn the_pitchfork_follows_h_c_past_the_old_slider_range() {
    // γx = γw = 0.3: h_c = k_c·0.09 ≈ −11.13, beyond the old h axis [−10, …]
    let s = common::session(&INFO, "net=pair&gamma_x=0.3&gamma_w=0.3&h=-12&grid=20");
    let lab = common::lab::<Hebbian>(&s);
    let hc = pitchfork::critical_k() * 0.09;
    assert!((hc + 11.135).abs() < 0.01, "{hc}");
    let (lo, hi) = lab.branch_range;
    assert!(
        lo <= 2.0 * hc && hi > hc,
        "the axis [{lo}, {hi}] shows the bifurcation"
    );
    // the branches split there: an asymmetric stable state left of h_c, none right of it
    let split = |h: f64| {
        lab.branches
            .iter()
            .flatten()
            .any(|p| p.stable && (p.h - h).abs() < 0.2 && (p.x1 - p.x2).abs() > 0.5)
    };
    assert!(split(1.5 * hc), "two winner-take-all states below h_c");
    assert!(!split(0.5 * hc), "one symmetric state above h_c");
    // and h itself reaches past h_c at the largest decays
    let hspec = INFO.specs.iter().find(|p| p.key == "h").map(|p| p.kind);
    let Some(lde::params::Kind::Real { min, .. }) = hspec else {
        panic!("h is a real parameter")
    };
    assert!(min < pitchfork::critical_k() * 0.25);
}
