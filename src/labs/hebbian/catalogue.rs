//! The Hebbian lab's catalogue: its parameters, presets and views, each declared once.

use super::experiments::Hebbian;
use super::model::NetKind;
use super::{network_views as nv, views as pv};
use crate::lab::{build, view_list, LabInfo, Launch, Preset, ViewDef};
use crate::params::ParamSpec;
use crate::{choice, choice_enum, settings};

choice_enum! {
    /// Which neurons the bias u drives.
    pub enum BiasOn {
        /// Neuron 2 only: breaks the mirror symmetry (imperfect pitchfork).
        Neuron2 = "neuron2",
        /// Every neuron.
        All = "all",
    }
}

/// The window of the landscape and basin views always contains this box.
pub const LAUNCH_BOX: (f64, f64) = (-200.0, 200.0);

settings! {
    /// The Hebbian lab's parameters (keys are the field names).
    pub struct Settings in SPECS {
        h: f64 = ParamSpec::real("Hebbian strength h", -40.0, 8.0, -4.0, 0.005)
            .help("Plasticity gain: h > 0 Hebbian, h < 0 anti-Hebbian. The authors' C = −h. The range reaches past h_c = k_c·γx·γw for every decay (−30.9 at γx = γw = 0.5)."),
        gamma_x: f64 = ParamSpec::log_real("neuron decay γx", 0.02, 0.5, 0.1).help("Leak rate of the neurons."),
        gamma_w: f64 = ParamSpec::log_real("synapse decay γw", 0.02, 0.5, 0.1)
            .help("Decay rate of the synapses. The critical strength h_c = k_c·γx·γw moves with it."),
        eps: f64 = ParamSpec::log_real("learning timescale ε", 0.05, 5.0, 1.0)
            .help("Multiplies the whole synaptic equation: slow (small ε) or fast learning. Equilibria do not depend on it; basins do."),
        u: f64 = ParamSpec::real("bias u", -0.05, 0.05, 0.0, 0.001).help("External input to the bias target neuron(s)."),
        bias_on: BiasOn = choice!("bias applies to", BiasOn::Neuron2)
            .help("Bias on neuron 2 only (breaks the mirror symmetry: imperfect pitchfork) or on every neuron."),
        w12: f64 = ParamSpec::real("initial weight w12(0)", -5.0, 5.0, 0.0, 0.05).help("Initial weight onto neuron 1 from neuron 2 (basins, trajectories)."),
        w21: f64 = ParamSpec::real("initial weight w21(0)", -5.0, 5.0, 0.0, 0.05).help("Initial weight onto neuron 2 from neuron 1 (basins, trajectories)."),
        net: NetKind = choice!("network", NetKind::Choke)
            .help("Network of the larger-network views and the report: two 3-cliques sharing a choke neuron, the pair, the authors' 4×3 ring, a 3- or 4-clique, a chain of 3 or 4 plastic pairs, or two 3-cliques joined by one plastic bridge pair."),
        attractor: usize = ParamSpec::int("shown attractor", 0, 63, 0).help("Which stable equilibrium the network drawing colours (0 = first)."),
        grid: usize = ParamSpec::int("basin grid", 20, 160, 100).help("Starts per side of the basin grid (the full 4-D system is integrated from each)."),
        launch: Vec<(f64, f64)> = ParamSpec::points("launched start (x1, x2)", 1, LAUNCH_BOX, LAUNCH_BOX, &[])
            .help("Start of the trajectory of the full 4-D pair dynamics drawn on the landscape and the basins (set by a click or the Launch button; empty: none)."),
    }
}

pub static PRESETS: &[Preset] = &[
    Preset {
        id: "pitchfork",
        label: "Before the pitchfork",
        link: "net=pair&h=-0.8",
        note: "Anti-Hebbian but weaker than h_c = −1.237: one stable state. Drag h past h_c to see it split.",
    },
    Preset {
        id: "bistable",
        label: "Bistable pair (h = −2)",
        link: "net=pair&h=-2",
        note: "Stable (−2.316, −0.579) and its mirror, saddle (−1.432, −1.432), w = −0.645 at the stable states.",
    },
    Preset {
        id: "hebbian",
        label: "Hebbian pair (h = 0.5)",
        link: "net=pair&h=0.5",
        note: "Hebbian learning: a unique equilibrium (50, 50) with w = 5; the landscape is convex.",
    },
    Preset {
        id: "imperfect",
        label: "Imperfect pitchfork (u2 = 0.02)",
        link: "net=pair&h=-2&u=0.02",
        note: "A small bias on neuron 2 unfolds the pitchfork: one branch stays continuous, the other appears at a fold.",
    },
    Preset {
        id: "choke",
        label: "Choke point (h = −4)",
        link: "net=choke&h=-4",
        note: "Two 3-cliques sharing neuron 3: five stable equilibria; the shared neuron is the most suppressed.",
    },
    Preset {
        id: "clique",
        label: "3-clique past its fold (h = −10)",
        link: "net=clique3&h=-10",
        note: "A dense 3-clique has no pitchfork; it turns multistable only at a fold near h = −8.26: 7 equilibria, 4 stable (the uniform state and three one-winner states).",
    },
    Preset {
        id: "ring",
        label: "Authors' 4×3 ring (C = 3)",
        link: "net=ring&h=-3",
        note: "The authors' ring with the note's fixed inter-cluster weights. Caveat: this ring is multistable on the Hebbian side too (h > 0), unlike the isolated motif.",
    },
    Preset {
        id: "slow_learning",
        label: "Slow learning, unequal w(0)",
        link: "net=pair&h=-2&w12=-2&w21=0&eps=0.05",
        note: "w12(0) = −2, w21(0) = 0 and ε = 0.05: the initial weights persist and neuron 2 wins from almost every start.",
    },
    Preset {
        id: "fast_learning",
        label: "Fast learning, unequal w(0)",
        link: "net=pair&h=-2&w12=-2&w21=0&eps=5",
        note: "The same initial weights with ε = 5: the weights equilibrate before activity commits, and the basins approach the symmetric split.",
    },
    Preset {
        id: "slow_synapses",
        label: "Slow synapses (γw = 0.05)",
        link: "net=pair&h=-0.8&gamma_w=0.05",
        note: "Halving γw halves h_c (−0.619): the same h = −0.8 is now past the pitchfork.",
    },
];

/// Where the keyboard "Launch" of the pair's views starts: near the saddle, below the diagonal.
const LAUNCH: Launch = Launch {
    labels: ("x1(0)", "x2(0)"),
    start: (-1.0, -2.5),
    prompt: "Start at",
    button: "Launch",
};

/// Every view, in page order.
pub const VIEWS: &[ViewDef<Hebbian>] = &[
    ViewDef::new(
        "pitchfork",
        "Pitchfork bifurcation of the pair",
        "Order parameter x1 − x2 of every equilibrium of the 2-neuron motif against h: stable solid, unstable dashed. Past h_c = k_c·γx·γw (dashed) the symmetric state turns into a saddle and two mirror-image winner-take-all states appear; a bias u unfolds the pitchfork.",
        pv::pitchfork_chart,
        pv::pitchfork_table,
    )
    .click(
        pv::set_h,
        Launch {
            labels: ("h", ""),
            start: (-2.0, 0.0),
            prompt: "Move to",
            button: "Set h",
        },
    )
    .point(pv::h_point),
    ViewDef::new(
        "landscape",
        "Attractor landscape",
        "Effective energy E_eff over (x1, x2) with the weights eliminated, the slaved flow (arrows), and the equilibria (filled: stable, hollow: saddle). Click to launch a trajectory of the full 4-D system from that point.",
        pv::landscape_chart,
        pv::landscape_table,
    )
    .shows(&["trajectory"])
    .animated()
    .click(pv::launch_at, LAUNCH)
    .point(pv::launch_point),
    ViewDef::new(
        "basins",
        "Basins of the full 4-D dynamics",
        "Each start (x1, x2) with weights w12(0), w21(0) is integrated to the attractor it reaches; colour and texture = which stable equilibrium (plain, rising stripes, falling stripes, dots; grey: saddle/undecided). Unequal initial weights with slow learning tilt the boundary off the diagonal. Click to launch a trajectory.",
        pv::basins_chart,
        pv::basins_table,
    )
    .shows(&["basins", "trajectory"])
    .animated()
    .click(pv::launch_at, LAUNCH)
    .point(pv::launch_point),
    ViewDef::new(
        "graph",
        "Network: one attractor",
        "The chosen network, node colour = rate σ(x) in the selected stable equilibrium; plastic synapses blue (inhibitory) or red (excitatory), width ∝ |w|; fixed inter-cluster links grey. Ringed nodes are junctions (the choke neuron; interconnection neurons).",
        nv::graph_chart,
        nv::graph_table,
    )
    .shows(&["net"]),
    ViewDef::new(
        "count",
        "Number of stable equilibria against h",
        "Multistart Newton at each h with the same start families as the report, each equilibrium classified by the full Jacobian. One stable state means a convex landscape; more means it has been lost. The dotted line marks the onset of multistability (bisection from the downward sweep).",
        nv::count_chart,
        nv::count_table,
    )
    .shows(&["count", "onset", "compare"]),
    ViewDef::new(
        "compare",
        "Which motifs lose convexity first",
        "The onset of multistability of each all-plastic motif (the h where its stable count first exceeds 1, sweeping h down from 0; bisection to 5e-5), as a bar from h = 0. The pair bifurcates at its h_c; a choke neuron shared by two cliques, or a chain of 4, follows soon after, while dense cliques hold out several times longer: convexity is lost first at choke points. Stability is read from the full Jacobian, whose weight rows scale with ε: with slow learning the fold-born states stay unstable for longer and every fold onset moves down (the 4-clique's from −17.5 to −19.2 at ε = 0.05). The chosen network is drawn in vermilion.",
        nv::compare_chart,
        nv::compare_table,
    )
    .shows(&["compare"]),
    ViewDef::new(
        "spread",
        "Per-neuron spread across attractors",
        "max − min of each neuron's x over the coexisting stable equilibria at the current h. Junction neurons (orange) are where attractors differ most: the 'choke points'.",
        nv::spread_chart,
        nv::spread_table,
    )
    .shows(&["net"]),
    ViewDef::new(
        "hc_gamma",
        "Critical strength against synaptic decay",
        "Reading 1 of 'learning rate': h_c = k_c·γx·γw (line) and h_c found numerically where the symmetric state's largest eigenvalue crosses 0 (dots). Slower synapses bifurcate at weaker anti-Hebbian gain.",
        nv::hc_chart,
        nv::hc_table,
    ),
    ViewDef::new(
        "eps_share",
        "Basin share against learning timescale ε",
        "Reading 2: fraction of starts in [−4, 2]² (41×41) where neuron 1 wins, with the initial weights w12(0), w21(0). Slow learning lets unequal initial weights decide; fast learning approaches the symmetric 0.5.",
        nv::share_chart,
        nv::share_table,
    )
    .shows(&["share"]),
];

pub static INFO: LabInfo = LabInfo {
    id: "hebbian",
    title: "Hebbian vs anti-Hebbian plasticity",
    short: "Hebbian",
    hero: "pitchfork",
    key: &["h", "gamma_w", "net"],
    cite: "Gong, Chen & Ching, Strong anti-Hebbian plasticity alters the convexity of network attractor landscapes, arXiv:2312.14896",
    specs: SPECS,
    presets: PRESETS,
    views: view_list::<Hebbian>,
    build: build::<Hebbian>,
    kernels: super::kernels::kernels,
};
