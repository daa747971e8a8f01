//! No heap allocation inside the labs' iteration loops (issue 10): a counting allocator
//! around the benchmark kernels that are one step of an iterative method, and around Newton's
//! method, whose allocations must not grow with its number of steps.
//!
//! One `#[test]` only: the counter is global, and tests in parallel threads would add to it.
#![cfg(not(target_arch = "wasm32"))]

use lde::dynamics::newton;
use lde::labs::hebbian::bifurcation;
use lde::labs::hebbian::model::{Model, NetKind, Network};
use nalgebra::DMatrix;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static COUNT: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        COUNT.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        COUNT.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(p, l, n) }
    }
}

#[global_allocator]
static COUNTER: Counting = Counting;

fn allocations(f: impl FnOnce()) -> usize {
    let c0 = COUNT.load(Ordering::Relaxed);
    f();
    COUNT.load(Ordering::Relaxed) - c0
}

/// Kernels that are one step of an iterative method: (name, allocations allowed over 64 steps).
/// e-prop appends each step's loss to the run's history, a Vec that grows by doubling.
const STEPS: &[(&str, usize)] = &[
    ("curl_linear_step", 0),
    ("curl_tanh_epoch_regime_d", 0),
    ("rnn_eprop_iteration", 8),
    ("rnn_lambda_max_500", 0),
    ("fixed_points/rule1_euclidean_n50", 0),
    ("fixed_points/rule2_reparam_n50", 0),
    ("fixed_points/rule3_linearized_n50", 0),
    ("fixed_points/rule1_euclidean_n100", 0),
    ("fixed_points/rule2_reparam_n100", 0),
    ("fixed_points/rule3_linearized_n100", 0),
];

#[test]
fn iteration_loops_do_not_allocate() {
    let kernels: Vec<_> = lde::labs::all()
        .iter()
        .flat_map(|l| (l.kernels)())
        .collect();
    for &(name, allowed) in STEPS {
        let k = kernels
            .iter()
            .find(|k| k.name == name)
            .unwrap_or_else(|| panic!("no kernel {name}"));
        let mut step = (k.setup)();
        step(); // buffers sized on the first step
        let n = allocations(|| {
            for _ in 0..64 {
                std::hint::black_box(step());
            }
        });
        assert!(
            n <= allowed,
            "{name}: {n} allocations in 64 steps (allowed {allowed})"
        );
    }

    // Newton: the count is the same whether it takes 1 step or 40 (a capped step length
    // makes it walk from x = 40 to the root of x³ − 8 at 2 in 1-unit steps).
    let f = |x: &[f64], y: &mut [f64]| {
        y[0] = x[0] * x[0] * x[0] - 8.0;
        y[1] = x[1] - 1.0;
    };
    let j = |x: &[f64], j: &mut DMatrix<f64>| {
        j.copy_from_slice(&[3.0 * x[0] * x[0], 0.0, 0.0, 1.0]);
    };
    let mut steps = [0usize; 2];
    let counts: Vec<usize> = [1usize, 200]
        .iter()
        .zip(steps.iter_mut())
        .map(|(&max_iter, it)| {
            allocations(|| {
                let s = newton::solve(f, j, &[40.0, 0.0], 1e-12, 1.0, max_iter);
                *it = s.iterations;
                std::hint::black_box(s);
            })
        })
        .collect();
    assert!(steps[1] > 38, "the long solve took {} steps", steps[1]);
    assert_eq!(
        counts[0], counts[1],
        "allocations after 1 and {} Newton steps",
        steps[1]
    );
    // a workspace kept between solves of one size: none at all after the first
    let mut w = newton::Workspace::default();
    w.solve(f, j, &[40.0, 0.0], 1e-12, 1.0, 200);
    let n = allocations(|| {
        let (_, it, ok) = w.solve(f, j, &[30.0, 0.5], 1e-12, 1.0, 200);
        assert!(ok && it > 20, "{it} steps");
    });
    assert_eq!(n, 0, "allocations in a solve with a reused workspace");

    // The Hebbian continuation: 4× the h steps (and about 4× the Newton solves and stability
    // tests) cost only the branches' own growth, a few doublings each.
    let pair = Model {
        net: Network::new(NetKind::Pair),
        gx: 0.1,
        gw: 0.1,
        eps: 1.0,
        h: 0.0,
        u: vec![0.0, 0.0],
    };
    let mut branches = [0usize; 2];
    let counts: Vec<usize> = [240usize, 960]
        .iter()
        .zip(branches.iter_mut())
        .map(|(&steps, nb)| {
            allocations(|| {
                let b = bifurcation::pair_branches(&pair, -3.1, 1.0, steps);
                *nb = b.len();
                std::hint::black_box(b);
            })
        })
        .collect();
    assert_eq!(
        branches[0], branches[1],
        "the same branches at both resolutions"
    );
    assert!(
        counts[1] <= counts[0] + 4 * branches[0],
        "continuation allocations: {counts:?} for 240 and 960 h steps, {} branches",
        branches[0]
    );
}
