//! Lab: Hebbian vs anti-Hebbian pairwise plasticity (Gong, Chen & Ching, arXiv 2312.14896).

pub mod model;

use crate::lab::{Lab, LabInfo, OutOfTime, Preset, Progress, View};
use crate::params::{ParamSpec, Params};
use crate::plot::Chart;

pub static SPECS: &[ParamSpec] = &[
    ParamSpec::real("h", "Hebbian strength h", -10.0, 8.0, -4.0, 0.005)
        .help("Plasticity gain: h > 0 Hebbian, h < 0 anti-Hebbian. The authors' C = −h."),
    ParamSpec::log_real("gamma_x", "neuron decay γx", 0.02, 0.5, 0.1).help("Leak rate of the neurons."),
    ParamSpec::log_real("gamma_w", "synapse decay γw", 0.02, 0.5, 0.1)
        .help("Decay rate of the synapses. The critical strength h_c = k_c·γx·γw moves with it."),
    ParamSpec::log_real("eps", "learning timescale ε", 0.05, 5.0, 1.0)
        .help("Multiplies the whole synaptic equation: slow (small ε) or fast learning. Equilibria do not depend on it; basins do."),
    ParamSpec::real("u", "bias u", -0.05, 0.05, 0.0, 0.001).help("External input to the bias target neuron(s)."),
    ParamSpec::choice("bias_on", "bias applies to", &["neuron2", "all"], 0)
        .help("Bias on neuron 2 only (breaks the mirror symmetry: imperfect pitchfork) or on every neuron."),
    ParamSpec::real("w12", "initial weight w12(0)", -5.0, 5.0, 0.0, 0.05).help("Initial weight onto neuron 1 from neuron 2 (basins, trajectories)."),
    ParamSpec::real("w21", "initial weight w21(0)", -5.0, 5.0, 0.0, 0.05).help("Initial weight onto neuron 2 from neuron 1 (basins, trajectories)."),
    ParamSpec::choice("net", "network", &["choke", "pair", "ring"], 0)
        .help("Network of the larger-network views and the report: two 3-cliques sharing a choke neuron, the pair, or the authors' 4×3 ring."),
    ParamSpec::int("attractor", "shown attractor", 0, 63, 0).help("Which stable equilibrium the network drawing colours (0 = first)."),
    ParamSpec::int("grid", "basin grid", 20, 160, 100).help("Starts per side of the basin grid (the full 4-D system is integrated from each)."),
];

// INTERIM (replaced before landing): the lab face while the science is written.
pub static VIEWS: &[View] = &[View {
    id: "pitchfork",
    title: "Pitchfork",
    caption: "",
    clickable: false,
}];
pub static PRESETS: &[Preset] = &[];
pub static INFO: LabInfo = LabInfo {
    id: "hebbian",
    title: "Hebbian vs anti-Hebbian plasticity",
    specs: SPECS,
    views: VIEWS,
    presets: PRESETS,
    build,
};
fn build(p: Params) -> Box<dyn Lab> {
    Box::new(Interim { p })
}
struct Interim {
    p: Params,
}
impl Lab for Interim {
    fn params(&self) -> &Params {
        &self.p
    }
    fn advance(&mut self, _o: OutOfTime) -> Progress {
        Progress::finished()
    }
    fn chart(&self, _v: &str) -> Option<Chart> {
        None
    }
    fn csv(&self, _v: &str) -> Option<String> {
        None
    }
    fn report(&self) -> serde_json::Value {
        serde_json::Value::Null
    }
    fn readouts(&self) -> Vec<(String, String, String)> {
        Vec::new()
    }
}
pub fn kernels() -> Vec<crate::kernels::Kernel> {
    Vec::new()
}
