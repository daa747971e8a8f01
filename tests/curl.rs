//! The curl-descent lab: its analytic results, the note's regimes and the lab face.
//! Every expected number is derived here (closed forms, finite differences, sampling), not pasted,
//! except where a test compares with the authors' published theory arrays (named as such).
// Expected values are computed with the platform's math (a second implementation).
#![allow(clippy::disallowed_methods)]

use lde::dynamics::linalg::numeric_jacobian;
use lde::dynamics::rng::{self, seeded};
mod common;

use lde::lab::AnyLab;
use lde::labs::curl::config::Config;
use lde::labs::curl::ensemble::{self, Chase};
use lde::labs::curl::network::{self, Data, Net, Problem, SIGMA2};
use lde::labs::curl::run::{population_field, Run};
use lde::labs::curl::stability::{self, eig_ascending, lambda_min, x_matrix, x_projected};
use lde::labs::curl::toy;
use lde::labs::curl::training::{final_error, CdTraining, GdTraining};
use lde::labs::curl::{Settings, INFO};
use lde::params::split_link;
use lde::plot::{Layer, Marker};
use lde::session::Session;
use nalgebra::DMatrix;

/// Random weights (W1 ~ N(0, 1/M), w2 ~ N(0, 1/N)) and the target w* = w2 W1 that puts them on S.
fn point_on_manifold(m: usize, n: usize, seed: u64) -> (Net, Vec<f64>) {
    let mut r = seeded(seed, 99);
    let w1 = (0..n * m)
        .map(|_| rng::normal(&mut r) / (m as f64).sqrt())
        .collect();
    let w2 = (0..n)
        .map(|_| rng::normal(&mut r) / (n as f64).sqrt())
        .collect();
    let net = Net { m, n, w1, w2 };
    let mut w = vec![0.0; m];
    net.product(&mut w);
    (net, w)
}

/// The M eigenvalues of largest modulus of the finite-difference Jacobian of the population field.
fn nontrivial_jacobian_eigs(
    net: &Net,
    wstar: &[f64],
    d_in: &[f64],
    d_hid: &[f64],
    eta: f64,
    proj: bool,
) -> (
    Vec<nalgebra::Complex<f64>>,
    DMatrix<f64>,
    Vec<nalgebra::Complex<f64>>,
) {
    let (m, n) = (net.m, net.n);
    let f = |th: &[f64], out: &mut [f64]| {
        population_field(m, n, wstar, d_in, d_hid, eta, proj, th, out)
    };
    let j = numeric_jacobian(f, &net.theta(), 1e-6);
    let mut ev = eig_ascending(&j);
    assert_eq!(ev.len(), n * m + n, "Schur iteration failed");
    ev.sort_by(|a, b| b.re.hypot(b.im).partial_cmp(&a.re.hypot(a.im)).unwrap());
    let rest = ev.split_off(m);
    ev.sort_by(|a, b| a.re.partial_cmp(&b.re).unwrap());
    (ev, j, rest)
}

#[test]
fn jacobian_on_the_manifold_is_minus_eta_sigma2_eig_x_and_real() {
    let (m, n, eta) = (5, 8, 0.7);
    let (net, wstar) = point_on_manifold(m, n, 3);
    let (d_in, d_hid) = network::flips(m, n, 2, 3);
    let (ev, j, rest) = nontrivial_jacobian_eigs(&net, &wstar, &d_in, &d_hid, eta, false);
    // J is not symmetric (the curl) …
    let asym = (&j - j.transpose()).abs().max();
    assert!(
        asym > 1e-2,
        "J should not be symmetric, ‖J − Jᵀ‖_max = {asym}"
    );
    // … yet its M nontrivial eigenvalues are real and equal −η σx² eig(X)
    let x = x_matrix(&net, &d_in, &d_hid);
    let mut want: Vec<f64> = lde::dynamics::linalg::symmetric_eigenvalues(&x)
        .iter()
        .map(|l| -eta * SIGMA2 * l)
        .collect();
    want.sort_by(|a, b| a.partial_cmp(b).unwrap());
    for (got, w) in ev.iter().zip(&want) {
        assert!(got.im.abs() < 1e-6, "eigenvalue {got} is not real");
        assert!((got.re - w).abs() < 1e-6, "{} vs −ησ²eig(X) = {w}", got.re);
    }
    // the other NM + N − M eigenvalues are zero (tangent to S)
    for z in rest {
        assert!(z.re.hypot(z.im) < 1e-6, "tangent eigenvalue {z}");
    }
}

#[test]
fn projected_jacobian_matches_the_derived_corrected_matrix() {
    // With the per-layer norm projection the stability matrix is X_p = G P D Gᵀ (derived in
    // stability.rs); it differs from X by a rank-two, non-symmetric term.
    let (m, n, eta) = (4, 6, 1.0);
    let (net, wstar) = point_on_manifold(m, n, 11);
    let (d_in, d_hid) = network::flips(m, n, 1, 2);
    let (ev, _, rest) = nontrivial_jacobian_eigs(&net, &wstar, &d_in, &d_hid, eta, true);
    let xp = x_projected(&net, &d_in, &d_hid);
    let want = eig_ascending(&xp);
    assert_eq!(want.len(), m);
    let mut jw: Vec<nalgebra::Complex<f64>> = want.iter().map(|w| -eta * SIGMA2 * w).collect();
    jw.sort_by(|a, b| a.re.partial_cmp(&b.re).unwrap());
    for (got, w) in ev.iter().zip(&jw) {
        assert!(
            {
                let d = got - w;
                d.re.hypot(d.im)
            } < 1e-5,
            "{got} vs −ησ²eig(X_p) = {w}"
        );
    }
    for z in rest {
        assert!(z.re.hypot(z.im) < 1e-6, "tangent eigenvalue {z}");
    }
    // and the correction matters: X alone predicts different eigenvalues
    let x = x_matrix(&net, &d_in, &d_hid);
    let plain = lde::dynamics::linalg::symmetric_eigenvalues(&x);
    let diff: f64 = plain
        .iter()
        .zip(&want)
        .map(|(a, b)| (a - b.re).abs())
        .fold(0.0, f64::max);
    assert!(diff > 1e-2, "X and X_p agree too closely ({diff})");
}

#[test]
fn no_flips_every_solution_stable_some_flips_not() {
    let mut unstable_with_flips = 0;
    for (k, &(m, n)) in [(3, 10), (10, 10), (20, 8), (40, 5), (6, 60)]
        .iter()
        .enumerate()
    {
        for s in 0..20 {
            let (net, _) = point_on_manifold(m, n, 100 * k as u64 + s);
            let (d_in, d_hid) = network::flips(m, n, 0, 0);
            let l = lambda_min(&x_matrix(&net, &d_in, &d_hid));
            assert!(l > 0.0, "GD point of S with λ_min(X) = {l} (M={m}, N={n})");
            // the projected GD matrix G P Gᵀ is positive semi-definite
            let lp = eig_ascending(&x_projected(&net, &d_in, &d_hid))[0].re;
            assert!(lp > -1e-9, "projected GD matrix eigenvalue {lp}");
            let (f_in, f_hid) = network::flips(m, n, m, 0);
            if lambda_min(&x_matrix(&net, &f_in, &f_hid)) < 0.0 {
                unstable_with_flips += 1;
            }
        }
    }
    assert!(
        unstable_with_flips > 20,
        "all-inputs-flipped points should often be unstable ({unstable_with_flips})"
    );
}

#[test]
fn all_weights_flipped_is_gradient_ascent() {
    let (m, n) = (6, 9);
    let (net, _) = point_on_manifold(m, n, 5);
    let mut r = seeded(5, 7);
    let wstar: Vec<f64> = (0..m).map(|_| rng::normal(&mut r)).collect(); // off the manifold
    let th = net.theta();
    let (g_in, g_hid) = network::flips(m, n, 0, 0);
    let (a_in, a_hid) = network::flips(m, n, m, n);
    let mut fg = vec![0.0; th.len()];
    let mut fa = vec![0.0; th.len()];
    population_field(m, n, &wstar, &g_in, &g_hid, 1.0, false, &th, &mut fg);
    population_field(m, n, &wstar, &a_in, &a_hid, 1.0, false, &th, &mut fa);
    for (a, g) in fa.iter().zip(&fg) {
        assert_eq!(*a, -*g);
    }
    assert!(fg.iter().any(|v| v.abs() > 1e-3));
    // and training with every weight flipped raises the loss at every step
    let prob = Problem {
        m,
        n,
        act: network::Act::Linear,
        eta: 0.01,
        teacher: net.clone(),
        data: Data::Population { wstar },
    };
    let mut run = Run::new(net, a_in, a_hid, false, 1, 1);
    let mut last = run.train_error(&prob);
    for _ in 0..50 {
        run.epoch(&prob);
        let l = run.train_error(&prob);
        assert!(l > last, "loss fell under gradient ascent: {last} → {l}");
        last = l;
    }
}

#[test]
fn toy_with_one_flipped_weight_conserves_the_circle() {
    let steps = toy::ToyTrajectory::total_steps();
    for &(a, b) in &[(1.8, 0.35), (0.45, 0.9), (-1.0, -2.0), (2.0, 2.0)] {
        let drift = toy::circle_drift(a, b, toy::DT, steps);
        assert!(drift < 1e-8, "w1² + w2² drifted by {drift} from ({a}, {b})");
    }
    // the lab's animated trajectories: circle kept by the flipped rule, w1² − w2² by GD
    let t = toy::run(1.8, 0.35);
    let r0 = 1.8f64 * 1.8 + 0.35 * 0.35;
    let h0 = 1.8f64 * 1.8 - 0.35 * 0.35;
    for &(x, y) in &t.cd {
        assert!((x * x + y * y - r0).abs() < 1e-8);
    }
    for &(x, y) in &t.gd {
        assert!((x * x - y * y - h0).abs() < 1e-8);
    }
    // the flipped run ends on the stable branch |w2| > |w1| of w1 w2 = 1 (r² = 3.36 > 2) …
    let &(x, y) = t.cd.last().unwrap();
    assert!(
        (x * y - 1.0).abs() < 1e-6 && y.abs() > x.abs(),
        "ended at ({x}, {y})"
    );
    // … while r² < 2 misses the solutions and keeps cycling
    let c = toy::run(0.45, 0.9);
    let worst =
        c.cd.iter()
            .map(|p| (p.0 * p.1 - 1.0).abs())
            .fold(f64::INFINITY, f64::min);
    assert!(
        worst > 0.4,
        "a circle with r² < 2 came within {worst} of a solution"
    );
}

#[test]
fn asymptotic_boundaries_closed_forms_and_published_theory() {
    // all inputs flipped: X = WᵀW − I, stable iff c < 1/4
    for c in [0.1f64, 0.2, 0.3, 0.5] {
        let want = (1.0 - c.sqrt()).powi(2) / c - 1.0;
        let got = stability::hidden_lambda_min(c, 1.0);
        assert!((got - want).abs() < 1e-6, "c = {c}: {got} vs {want}");
    }
    assert_eq!(stability::critical_alpha_h(0.24), 1.0);
    assert!(stability::critical_alpha_h(0.26) < 1.0);
    // one flipped input: the outlier crosses 0 at c = 2/3 (λ → −1 + 2/(3c))
    for c in [0.4, 0.6, 0.7, 1.0] {
        let want = -1.0 + 2.0 / (3.0 * c);
        let got = stability::hidden_lambda_min(c, 1e-7);
        assert!((got - want).abs() < 2e-3, "c = {c}: {got} vs {want}");
    }
    // readout flips, c ≪ 1: α_r* ≈ (1 − √c)²/2
    let c = 1e-3;
    assert!((stability::critical_alpha_r(c) - stability::alpha_r_small_c(c)).abs() < 0.003);
    // the authors' theory arrays (Data_analysis/Fig2): α_h*(0.3, 0.4, 0.5) and α_r*(0.01, 0.1, 1, 2)
    for (c, a) in [(0.3, 0.562), (0.4, 0.176), (0.5, 0.048)] {
        let got = stability::critical_alpha_h(c);
        assert!((got - a).abs() < 0.006, "α_h*({c}) = {got}, table {a}");
    }
    for (c, a) in [(0.01, 0.406), (0.1, 0.244), (1.0, 0.056), (2.0, 0.028)] {
        let got = stability::critical_alpha_r(c);
        assert!((got - a).abs() < 0.003, "α_r*({c}) = {got}, table {a}");
    }
}

/// λ_min of X = W1ᵀW1 + D1 for sampled W1 (N×M, var 1/M) and ‖w2‖² = 1 with the first nh inputs flipped.
fn sampled_hidden_lambda_min(m: usize, c: f64, nh: usize, seed: u64) -> f64 {
    let n = (m as f64 / c).round() as usize;
    let w1 = stability::sample_w1(m, n, &mut seeded(seed, 21));
    let mut x = w1.transpose() * &w1;
    for k in 0..m {
        x[(k, k)] += if k < nh { -1.0 } else { 1.0 };
    }
    lambda_min(&x)
}

#[test]
fn large_sizes_hidden_flips_thresholds() {
    // all inputs flipped: stable at c = 0.2, unstable at c = 0.3 (M = 400)
    let a = sampled_hidden_lambda_min(400, 0.2, 400, 1);
    let b = sampled_hidden_lambda_min(400, 0.3, 400, 1);
    assert!(a > 0.0 && b < 0.0, "λ_min = {a} at c = 0.2, {b} at c = 0.3");
    // and close to the asymptotic edges (0.528, −0.318)
    assert!(
        (a - stability::hidden_lambda_min(0.2, 1.0)).abs() < 0.1,
        "{a}"
    );
    assert!(
        (b - stability::hidden_lambda_min(0.3, 1.0)).abs() < 0.1,
        "{b}"
    );
    // one flipped input: stable at c = 0.6, unstable at c = 0.75 (M = 500)
    let a = sampled_hidden_lambda_min(500, 0.6, 1, 2);
    let b = sampled_hidden_lambda_min(500, 0.75, 1, 2);
    assert!(
        a > 0.0 && b < 0.0,
        "λ_min = {a} at c = 0.6, {b} at c = 0.75"
    );
}

#[test]
fn large_sizes_readout_threshold_matches_the_asymptotic_curve() {
    for (m, c) in [(400usize, 0.1), (300, 0.01)] {
        let n = (m as f64 / c).round() as usize;
        let theory = stability::critical_alpha_r(c);
        let mut sum = 0.0;
        for s in 0..2 {
            let w1 = stability::sample_w1(m, n, &mut seeded(40 + s, 22));
            sum += stability::readout_threshold_large(&w1, 50);
        }
        let emp = sum / 2.0;
        assert!(
            (emp - theory).abs() < 0.02,
            "c = {c}: sampled α_r* = {emp}, asymptotic {theory}"
        );
    }
}

fn config(preset: &str, seed: u64) -> Config {
    let p = INFO.preset_params(preset, seed).expect("preset");
    Config::from_settings(&Settings::from_params(&p)).0
}

/// Curl descent and gradient descent of a preset, each run to the end.
fn training(preset: &str, seed: u64) -> (CdTraining, GdTraining) {
    let cfg = config(preset, seed);
    let mut cd = CdTraining::new(&cfg, seed);
    while cd.unit() {}
    let mut gd = GdTraining::new(&cfg, seed);
    while gd.unit() {}
    (cd, gd)
}

#[test]
fn regime_a_stable_and_gd_like() {
    for seed in 1..=3 {
        let (t, _) = training("A", seed);
        let at_300 = t
            .view
            .errs
            .iter()
            .rev()
            .find(|r| r.t <= 300.0 + 1e-9)
            .expect("records");
        assert!(at_300.test < 1e-20, "seed {seed}: error {}", at_300.test);
        let jm = t.view.jacobian_max(t.cfg.proj);
        assert!(jm < 0.0, "seed {seed}: λ_max {jm}");
    }
}

#[test]
fn regime_b_chaotic_learning_destroyed() {
    for seed in 1..=3 {
        let (t, g) = training("B", seed);
        let (ecd, egd) = (final_error(&t.view.errs), final_error(&g.view.errs));
        assert!((t.time() - 300.0).abs() < 1e-6);
        assert!(ecd > 0.1, "seed {seed}: curl error {ecd} at t = 300");
        // the second half never comes close to learning
        let worst = t
            .view
            .errs
            .iter()
            .filter(|r| r.t >= 150.0)
            .map(|r| r.test)
            .fold(f64::INFINITY, f64::min);
        assert!(worst > 0.03, "seed {seed}: error fell to {worst}");
        assert!(egd < 1e-20, "seed {seed}: GD should learn ({egd})");
        let jm = t.view.jacobian_max(t.cfg.proj);
        assert!(jm > 0.0, "seed {seed}: λ_max {jm}");
        assert!(
            t.lyap.exponent() > 0.0,
            "seed {seed}: λ₁ {}",
            t.lyap.exponent()
        );
        assert!(t.q.last() > 1e-3, "seed {seed}: q {}", t.q.last());
    }
}

#[test]
fn regime_c_unstable_start_but_learns() {
    for seed in 1..=3 {
        let (t, _) = training("C", seed);
        let first = t.view.stab.first().expect("stability records");
        assert!(
            first.jac > 0.0,
            "seed {seed}: the teacher should be unstable ({})",
            first.jac
        );
        let peak = t.view.errs.iter().map(|r| r.test).fold(0.0, f64::max);
        assert!(peak > 1e-3, "seed {seed}: the error never climbed ({peak})");
        // learnt: down by at least eight decades from the peak (seed 1 ends at 1.3e-11 at
        // the horizon with the draws of the ziggurat sampler), on a stable manifold
        let ecd = final_error(&t.view.errs);
        assert!(
            ecd < 1e-10 && ecd < 1e-8 * peak,
            "seed {seed}: final error {ecd}"
        );
        let jm = t.view.jacobian_max(t.cfg.proj);
        assert!(jm < 0.0, "seed {seed}: final λ_max {jm}");
    }
}

#[test]
fn regime_d_curl_descent_faster_over_12_seeds() {
    let cfg = config("D", 1);
    let pairs: Vec<(Option<usize>, Option<usize>)> = (0..ensemble::SEEDS as u64)
        .map(|s| {
            (
                Chase::new(&cfg, 1 + s, false).finish(),
                Chase::new(&cfg, 1 + s, true).finish(),
            )
        })
        .collect();
    let (gd, cd) = ensemble::medians(&pairs);
    assert!(cd < gd, "median epochs: curl {cd}, GD {gd}");
    let faster = ensemble::cd_faster(&pairs);
    assert!(faster >= 7, "curl faster in {faster} of 12");
    // the lab's ensemble stage gives the same pairs
    let s = common::session(&INFO, "m=30&n=3&act=tanh&nh=0&nr=1&data=full&p=300&eta=1&r=2&teacher=uniform&teacher_start=0&proj=1&horizon=1500");
    let lab: &lde::labs::curl::CurlLab = common::lab(&s);
    assert_eq!(lab.ensemble_pairs(), pairs);
}

#[test]
fn presets_parse_without_warnings() {
    for pr in INFO.presets {
        let (_, w) = INFO.params_from_pairs(&split_link(pr.link));
        assert!(w.is_empty(), "preset {}: {w:?}", pr.id);
        assert!(INFO.preset_params(pr.id, 3).is_some());
    }
    for s in INFO.specs {
        assert!(!s.help.is_empty(), "{} has no help", s.key);
    }
}

fn check_chart_data(lab: &dyn AnyLab) {
    for v in (INFO.views)() {
        let c = lab.chart(v.id).expect("view");
        for l in &c.layers {
            let finite_markers =
                |ms: &[Marker]| ms.iter().all(|m| m.x.is_finite() && m.y.is_finite());
            match l {
                Layer::Line { points, .. } => assert!(
                    points.iter().all(|p| p.0.is_finite() && p.1.is_finite()),
                    "NaN in a line of {}",
                    v.id
                ),
                Layer::Markers(ms) => assert!(finite_markers(ms), "NaN marker in {}", v.id),
                Layer::Text { x, y, .. } => assert!(x.is_finite() && y.is_finite()),
                _ => {}
            }
        }
        let svg = lde::plot::to_svg(&c, 640, 400).expect("svg");
        assert!(svg.contains("<svg"));
        let csv = lab.table(v.id).expect("csv").to_csv();
        assert!(csv.lines().next().is_some_and(|h| h.contains(',')));
    }
}

#[test]
fn report_keys_and_every_view_renders() {
    let mut s = Session::from_params(&INFO, INFO.defaults());
    // partial state first (before any work), then the finished state
    check_chart_data(s.lab());
    s.run_all(2);
    assert!(s.click("toy", 0.5, -1.5));
    assert_eq!(Settings::from_params(s.params()).toy.len(), 3);
    s.run_all(2);
    check_chart_data(s.lab());
    let r = s.report();
    for k in [
        "final_error_cd",
        "final_error_gd",
        "lambda_min_x",
        "jacobian_max_eig",
        "q",
        "lyapunov",
        "critical_alpha_h",
        "critical_alpha_r",
    ] {
        assert!(
            r.get(k).is_some_and(|v| v.is_number()),
            "report key {k}: {r}"
        );
    }
    // the default is regime A: c = 0.2 < 1/4, so α_h* = 1
    assert_eq!(r["critical_alpha_h"].as_f64(), Some(1.0));
    assert!(!s.lab().readouts().is_empty());
    // same seed, same numbers
    let again = common::session(&INFO, "");
    assert_eq!(again.report()["final_error_cd"], r["final_error_cd"]);
    assert_eq!(again.report()["lyapunov"], r["lyapunov"]);
}

#[test]
fn hostile_parameters_give_notices_not_panics() {
    let links = [
        "eta=10&r=100&proj=0&m=50&n=60&nh=50&horizon=5000",
        "eta=10&r=100&act=tanh&data=minibatch&batch=2000&p=10&nr=400&nh=150",
        "eta=0.001&horizon=5000&m=150&n=400&act=relu&data=full&p=2000",
        "m=1&n=1&nh=1&nr=1&proj=1&teacher_start=1",
    ];
    for link in links {
        let (p, w) = INFO.params_from_pairs(&split_link(link));
        assert!(w.is_empty(), "{link}: {w:?}");
        let mut s = Session::from_params(&INFO, p);
        // a few slices are enough to hit the explosion of the first link
        for _ in 0..20 {
            let mut n = 0;
            let mut budget = || {
                n += 1;
                n > 200
            };
            s.advance(&mut budget);
        }
        assert!(!s.lab().notices().is_empty(), "{link}: no notice");
        check_chart_data(s.lab());
        let _ = s.report();
    }
    // the exploding run says so
    let (p, _) = INFO.params_from_pairs(&split_link(links[0]));
    let mut s = Session::from_params(&INFO, p);
    let mut n = 0;
    let mut budget = || {
        n += 1;
        n > 2000
    };
    s.advance(&mut budget);
    assert!(
        s.lab().notices().iter().any(|s| s.contains("diverged")),
        "{:?}",
        s.lab().notices()
    );
    assert!(s.report()["final_error_cd"].is_null());
}

/// Issue 12 (5): every seed of the ensemble runs to the horizon (the old per-run cap stopped
/// regime D at 1,116 of its 1,500 epochs), and runs that have not reached the threshold by then
/// are counted as censored in the report and the readout.
#[test]
fn ensemble_runs_every_seed_to_the_horizon_and_counts_the_censored() {
    let report = |link: &str| {
        let mut p = INFO.preset_params("D", 1).expect("preset D");
        p.apply(&split_link(link));
        let mut s = Session::from_params(&INFO, p);
        s.run_all(2);
        let readouts = s.lab().readouts();
        (s.report(), readouts)
    };
    let (r, _) = report("");
    let e = &r["ensemble"];
    assert_eq!(
        e["max_epochs"], r["epochs"],
        "the ensemble's horizon is the run's"
    );
    assert_eq!(e["max_epochs"], 1500);
    let pairs = e["pairs"].as_array().cloned().unwrap_or_default();
    assert_eq!(pairs.len(), ensemble::SEEDS);
    let hits: Vec<u64> = pairs
        .iter()
        .flat_map(|p| p.as_array().cloned().unwrap_or_default())
        .filter_map(|v| v.as_u64())
        .collect();
    assert!(hits.iter().all(|&h| h <= 1500));
    assert!(
        hits.iter().any(|&h| h > 1116),
        "a run past the old cap reaches the threshold: {hits:?}"
    );
    // a short horizon (t = 10) censors the slow runs, and says so
    let (r, readouts) = report("horizon=10");
    let e = &r["ensemble"];
    let pairs = e["pairs"].as_array().cloned().unwrap_or_default();
    let nulls = pairs
        .iter()
        .flat_map(|p| p.as_array().cloned().unwrap_or_default())
        .filter(|v| v.is_null())
        .count();
    assert!(nulls > 0, "{pairs:?}");
    assert_eq!(e["censored"].as_u64(), Some(nulls as u64));
    let line = readouts
        .iter()
        .find(|x| x.label.starts_with("censored"))
        .map(|x| x.value.clone())
        .unwrap_or_default();
    assert!(line.ends_with(&format!("of {}", ensemble::SEEDS)), "{line}");
}
