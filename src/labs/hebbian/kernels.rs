//! The Hebbian lab's benchmark kernels (`make bench`, `lde bench`).

use super::basins::BasinGrid;
use super::bifurcation;
use super::experiments::{search, Hebbian};
use super::model::PairFlow;
use crate::lab::Lab;

/// Benchmark kernels of this lab.
pub fn kernels() -> Vec<crate::kernels::Kernel> {
    use crate::kernels::Kernel;
    fn lab(link: &str) -> Hebbian {
        let mut p = super::INFO.defaults();
        p.apply(&crate::params::split_link(link));
        Hebbian::new(p)
    }
    vec![
        Kernel {
            name: "hebbian/bifurcation_diagram",
            what: "pair bifurcation diagram for a slider move (241 h values, continuation); budget 5 ms in wasm",
            setup: || {
                let m = lab("").pair;
                Box::new(move || bifurcation::pair_branches(&m, -3.1, 1.0, 240).len() as f64)
            },
        },
        Kernel {
            name: "hebbian/basins_100x100",
            what: "basins of the full 4-D pair dynamics on a 100×100 grid at h = −2; budget 2 s in Chromium",
            setup: || {
                let lab = lab("h=-2&net=pair");
                let flow = PairFlow::from_model(&lab.pair);
                let (stable, all) = lab.basin_targets();
                let vr = lab.view_range;
                Box::new(move || {
                    let mut g = BasinGrid::new(100, vr, vr, [0.0, 0.0]);
                    g.fill(&flow, &stable, &all);
                    g.classes.iter().sum::<f64>()
                })
            },
        },
        Kernel {
            name: "hebbian/choke_equilibria",
            what: "all equilibria of the choke network at h = −4 (300 multistart Newton solves + classification)",
            setup: || {
                let m = lab("h=-4").net;
                Box::new(move || search(&m, 1).len() as f64)
            },
        },
    ]
}
