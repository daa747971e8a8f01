//! Lab: Hebbian vs anti-Hebbian pairwise plasticity (Gong, Chen & Ching, arXiv 2312.14896).
//!
//! Views: the pair's pitchfork, its effective-energy landscape with flow and equilibria, the
//! basins of the full 4-D dynamics, the larger networks (graph, stable count against h,
//! per-neuron spread), and the two readings of "learning rate" (h_c against γw; basin share
//! against ε).

pub mod basins;
pub mod bifurcation;
pub mod equilibria;
pub mod model;
pub mod pitchfork;
mod views;

use crate::dynamics::rng::{seeded, Rng};
use crate::lab::{Lab, LabInfo, OutOfTime, Preset, Progress, View};
use crate::params::{ParamSpec, Params};
use crate::plot::Chart;
use basins::BasinGrid;
use bifurcation::Branch;
use equilibria::{Equilibrium, Search};
use model::{Model, NetKind, Network, PairFlow};

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

pub static VIEWS: &[View] = &[
    View {
        id: "pitchfork",
        title: "Pitchfork bifurcation of the pair",
        caption: "Order parameter x1 − x2 of every equilibrium of the 2-neuron motif against h: stable solid, unstable dashed. Past h_c the symmetric state turns into a saddle and two mirror-image winner-take-all states appear; a bias u unfolds the pitchfork.",
        clickable: false,
    },
    View {
        id: "landscape",
        title: "Attractor landscape",
        caption: "Effective energy E_eff over (x1, x2) with the weights eliminated, the slaved flow (arrows), and the equilibria (filled: stable, hollow: saddle). Click to launch a trajectory of the full 4-D system from that point.",
        clickable: true,
    },
    View {
        id: "basins",
        title: "Basins of the full 4-D dynamics",
        caption: "Each start (x1, x2) with weights w12(0), w21(0) is integrated to the attractor it reaches; colour = which stable equilibrium (grey: saddle/undecided). Unequal initial weights with slow learning tilt the boundary off the diagonal. Click to launch a trajectory.",
        clickable: true,
    },
    View {
        id: "graph",
        title: "Network: one attractor",
        caption: "The chosen network, node colour = rate σ(x) in the selected stable equilibrium; plastic synapses blue (inhibitory) or red (excitatory), width ∝ |w|; fixed inter-cluster links grey. Ringed nodes are junctions (the choke neuron; interconnection neurons).",
        clickable: false,
    },
    View {
        id: "count",
        title: "Number of stable equilibria against h",
        caption: "Multistart Newton with continuation along h, each equilibrium classified by the full Jacobian. One stable state means a convex landscape; more means it has been lost.",
        clickable: false,
    },
    View {
        id: "spread",
        title: "Per-neuron spread across attractors",
        caption: "max − min of each neuron's x over the coexisting stable equilibria at the current h. Junction neurons (orange) are where attractors differ most: the 'choke points'.",
        clickable: false,
    },
    View {
        id: "hc_gamma",
        title: "Critical strength against synaptic decay",
        caption: "Reading 1 of 'learning rate': h_c = k_c·γx·γw (line) and h_c found numerically where the symmetric state's largest eigenvalue crosses 0 (dots). Slower synapses bifurcate at weaker anti-Hebbian gain.",
        clickable: false,
    },
    View {
        id: "eps_share",
        title: "Basin share against learning timescale ε",
        caption: "Reading 2: fraction of starts in [−4, 2]² (41×41) where neuron 1 wins, with the initial weights w12(0), w21(0). Slow learning lets unequal initial weights decide; fast learning approaches the symmetric 0.5.",
        clickable: false,
    },
];

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

pub static INFO: LabInfo = LabInfo {
    id: "hebbian",
    title: "Hebbian vs anti-Hebbian plasticity",
    specs: SPECS,
    views: VIEWS,
    presets: PRESETS,
    build,
};

fn build(p: Params) -> Box<dyn Lab> {
    Box::new(Hebbian::new(p))
}

/// The ε values of the basin-share sweep.
pub const EPS_SWEEP: [f64; 7] = [0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0];
/// Grid per side of each ε run of the basin-share sweep.
pub const SHARE_GRID: usize = 41;
/// Number of h values of the stable-count sweep.
pub const COUNT_STEPS: usize = 90;

/// The h range of the stable-count sweep for each network.
pub fn count_range(kind: NetKind) -> (f64, f64) {
    match kind {
        NetKind::Pair => (-3.0, 1.0),
        NetKind::Choke => (-6.0, 1.0),
        NetKind::Ring => (-10.0, 8.0),
    }
}

/// Generated starts of the multistart search for each network (plus warm starts).
pub fn search_starts(kind: NetKind) -> usize {
    match kind {
        NetKind::Pair => 40,
        NetKind::Choke => 300,
        NetKind::Ring => 800,
    }
}

/// Builds the pair model or the chosen network's model from the parameters.
pub fn model_of(p: &Params, kind: NetKind) -> Model {
    let net = Network::new(kind);
    let n = net.n;
    let u = p.real("u");
    let u: Vec<f64> = if p.choice("bias_on") == "all" {
        vec![u; n]
    } else {
        (0..n).map(|i| if i == 1 { u } else { 0.0 }).collect()
    };
    Model {
        net,
        gx: p.real("gamma_x"),
        gw: p.real("gamma_w"),
        eps: p.real("eps"),
        h: p.real("h"),
        u,
    }
}

/// A clicked trajectory of the pair's full dynamics, animated.
#[derive(Debug, Clone)]
pub struct Trajectory {
    pub points: Vec<[f64; 4]>,
    pub running: bool,
}

/// The stable-count sweep along h (continuation: each h starts from the previous equilibria).
#[derive(Debug, Clone)]
pub struct CountSweep {
    pub hs: Vec<f64>,
    /// (stable, total) per computed h.
    pub counts: Vec<(usize, usize)>,
    search: Option<Search>,
    pending_starts: usize,
    warm: Vec<Vec<f64>>,
    rng: Rng,
}

/// The basin-share sweep over ε.
#[derive(Debug, Clone)]
pub struct ShareSweep {
    pub shares: Vec<(f64, f64)>,
    grid: Option<BasinGrid>,
}

/// The Hebbian lab's state.
pub struct Hebbian {
    p: Params,
    pub pair: Model,
    pub net: Model,
    pub branches: Vec<Branch>,
    pub branch_range: (f64, f64),
    pub pair_eq: Vec<Equilibrium>,
    pub view_range: (f64, f64),
    net_search: Search,
    net_pending: usize,
    net_rng: Rng,
    pub net_eq: Option<Vec<Equilibrium>>,
    pub basins: BasinGrid,
    pub count: CountSweep,
    pub share: ShareSweep,
    pub hc_points: Vec<(f64, f64)>,
    pub traj: Option<Trajectory>,
    /// The E_eff heatmap of the landscape view (depends only on the parameters: computed once,
    /// not on every redraw of an animated trajectory).
    pub energy: crate::plot::Heatmap,
}

impl Hebbian {
    pub fn new(p: Params) -> Hebbian {
        let pair = model_of(&p, NetKind::Pair);
        let kind = NetKind::from_name(p.choice("net"));
        let net = model_of(&p, kind);
        let hc = pitchfork::critical_k() * pair.gx * pair.gw;
        let (hmin, hmax) = (-10.0, 8.0);
        let lo = (2.5 * hc).min(pair.h - 0.25 * hc.abs()).max(hmin);
        let hi = (0.8 * hc.abs()).max(pair.h + 0.25 * hc.abs()).min(hmax);
        let branches = bifurcation::pair_branches(&pair, lo, hi, 240);
        let mut rng = seeded(p.seed, 0);
        let mut warm: Vec<Vec<f64>> = Vec::new();
        let k = pair.k();
        let xs = pitchfork::symmetric_x(k);
        warm.push(vec![xs, xs]);
        if let Some((a, b)) = pitchfork::asymmetric_at(k) {
            warm.push(vec![a, b]);
            warm.push(vec![b, a]);
        }
        let pair_eq = equilibria::find_all(&pair, &mut rng, &warm, search_starts(NetKind::Pair));
        let maxx = pair_eq
            .iter()
            .flat_map(|e| e.x.iter().copied())
            .fold(2.0f64, f64::max);
        let view_range = (-4.0, if maxx > 2.0 { 1.1 * maxx + 1.0 } else { 2.0 });
        let grid = p.int("grid").clamp(2, 400) as usize;
        let basins = BasinGrid::new(grid, view_range, view_range, [p.real("w12"), p.real("w21")]);
        let (clo, chi) = count_range(kind);
        let hs: Vec<f64> = (0..=COUNT_STEPS)
            .map(|i| clo + (chi - clo) * i as f64 / COUNT_STEPS as f64)
            .collect();
        let hc_points = Self::hc_numeric(&pair);
        let net_search = Search::new(&net);
        let energy = views::energy_grid(&pair, view_range, 120);
        Hebbian {
            net_pending: search_starts(kind),
            net_rng: seeded(p.seed, 1),
            count: CountSweep {
                hs,
                counts: Vec::new(),
                search: None,
                pending_starts: 0,
                warm: Vec::new(),
                rng: seeded(p.seed, 2),
            },
            share: ShareSweep {
                shares: Vec::new(),
                grid: None,
            },
            p,
            pair,
            net,
            branches,
            branch_range: (lo, hi),
            pair_eq,
            view_range,
            net_search,
            net_eq: None,
            basins,
            hc_points,
            traj: None,
            energy,
        }
    }

    /// h_c found numerically for several γw: where the largest real eigenvalue of the full
    /// Jacobian at the symmetric equilibrium crosses zero (bisection in h).
    fn hc_numeric(pair: &Model) -> Vec<(f64, f64)> {
        let mut out = Vec::new();
        for gw in [0.02, 0.05, 0.1, 0.2, 0.3, 0.5] {
            let mut m = pair.clone();
            m.gw = gw;
            m.u = vec![0.0, 0.0];
            let lead = |h: f64| {
                let mut mm = m.clone();
                mm.h = h;
                let xs = pitchfork::symmetric_x(mm.k());
                equilibria::classify(&mm, &[xs, xs]).max_real_eig
            };
            let guess = pitchfork::critical_k() * m.gx * gw;
            if let Some(h) = crate::dynamics::newton::bisect(lead, 3.0 * guess, 0.3 * guess, 1e-10)
            {
                out.push((gw, h));
            }
        }
        out
    }

    /// Stable equilibria of the pair (as basin targets).
    pub fn pair_stable(&self) -> Vec<Equilibrium> {
        self.pair_eq.iter().filter(|e| e.stable).cloned().collect()
    }

    fn basin_targets(&self) -> (Vec<[f64; 4]>, Vec<[f64; 4]>) {
        (
            basins::states(&self.pair_stable()),
            basins::states(&self.pair_eq),
        )
    }

    /// The stable equilibria of the chosen network (once found).
    pub fn net_stable(&self) -> Vec<Equilibrium> {
        self.net_eq
            .as_ref()
            .map(|e| e.iter().filter(|q| q.stable).cloned().collect())
            .unwrap_or_default()
    }

    fn work_net(&mut self, out: OutOfTime) -> bool {
        while self.net_pending > 0 {
            let chunk = self.net_pending.min(10);
            self.net_search
                .random_starts(&self.net, &mut self.net_rng, chunk);
            self.net_pending -= chunk;
            if out() {
                return false;
            }
        }
        if self.net_eq.is_none() {
            self.net_eq = Some(self.net_search.equilibria(&self.net));
        }
        true
    }

    fn work_count(&mut self, out: OutOfTime) -> bool {
        let kind = self.net.net.kind;
        while self.count.counts.len() < self.count.hs.len() {
            let h = self.count.hs[self.count.counts.len()];
            let mut m = self.net.clone();
            m.h = h;
            if self.count.search.is_none() {
                let mut s = Search::new(&m);
                for w in &self.count.warm {
                    s.try_start(&m, w);
                }
                self.count.search = Some(s);
                self.count.pending_starts = search_starts(kind) / 4;
            }
            let Some(search) = self.count.search.as_mut() else {
                break;
            };
            let chunk = self.count.pending_starts.min(10);
            search.random_starts(&m, &mut self.count.rng, chunk);
            self.count.pending_starts -= chunk;
            if self.count.pending_starts == 0 {
                let eq = search.equilibria(&m);
                self.count
                    .counts
                    .push((eq.iter().filter(|e| e.stable).count(), eq.len()));
                self.count.warm = eq.into_iter().map(|e| e.x).collect();
                self.count.search = None;
            }
            if out() {
                return false;
            }
        }
        true
    }

    fn work_basins(&mut self, out: OutOfTime) -> bool {
        let flow = PairFlow::from_model(&self.pair);
        let (stable, all) = self.basin_targets();
        while !self.basins.done() {
            self.basins.work(&flow, &stable, &all, 4000);
            if out() {
                return false;
            }
        }
        true
    }

    fn work_share(&mut self, out: OutOfTime) -> bool {
        let (stable, all) = self.basin_targets();
        while self.share.shares.len() < EPS_SWEEP.len() {
            let eps = EPS_SWEEP[self.share.shares.len()];
            let grid = self.share.grid.get_or_insert_with(|| {
                BasinGrid::new(
                    SHARE_GRID,
                    (-4.0, 2.0),
                    (-4.0, 2.0),
                    [self.p.real("w12"), self.p.real("w21")],
                )
            });
            let mut flow = PairFlow::from_model(&self.pair);
            flow.eps = eps;
            grid.work(&flow, &stable, &all, 4000);
            if grid.done() {
                let s = grid.share_neuron1(&stable);
                self.share.shares.push((eps, s));
                self.share.grid = None;
            }
            if out() {
                return false;
            }
        }
        true
    }

    fn work_traj(&mut self, out: OutOfTime) {
        let flow = PairFlow::from_model(&self.pair);
        let Some(t) = self.traj.as_mut() else { return };
        if !t.running {
            return;
        }
        // an animation frame: a fixed slice of model time
        for _ in 0..25 {
            let Some(&last) = t.points.last() else { break };
            let next = flow.rk4(flow.rk4(last, basins::DT), basins::DT);
            let speed = flow.eval(next).iter().fold(0.0f64, |a, v| a.max(v.abs()));
            t.points.push(next);
            if !speed.is_finite() || speed < 1e-6 || t.points.len() > 6000 {
                t.running = false;
                break;
            }
        }
        let _ = out();
    }

    /// Number of stable equilibria of the pair.
    pub fn pair_stable_count(&self) -> usize {
        self.pair_eq.iter().filter(|e| e.stable).count()
    }
}

impl Lab for Hebbian {
    fn params(&self) -> &Params {
        &self.p
    }

    fn advance(&mut self, out: OutOfTime) -> Progress {
        self.work_traj(out);
        if !self.work_net(out) {
            return Progress::working(0.05, "equilibria of the network");
        }
        if !self.work_basins(out) {
            return Progress::working(
                0.1 + 0.4 * self.basins.fraction(),
                format!("basins {}/{}", self.basins.next, self.basins.classes.len()),
            );
        }
        if !self.work_count(out) {
            let f = self.count.counts.len() as f64 / self.count.hs.len() as f64;
            return Progress::working(
                0.5 + 0.25 * f,
                format!(
                    "stable count vs h {}/{}",
                    self.count.counts.len(),
                    self.count.hs.len()
                ),
            );
        }
        if !self.work_share(out) {
            let f = self.share.shares.len() as f64 / EPS_SWEEP.len() as f64;
            return Progress::working(
                0.75 + 0.25 * f,
                format!(
                    "basin share vs ε {}/{}",
                    self.share.shares.len(),
                    EPS_SWEEP.len()
                ),
            );
        }
        Progress::finished()
    }

    fn animating(&self) -> bool {
        self.traj.as_ref().is_some_and(|t| t.running)
    }

    fn chart(&self, view: &str) -> Option<Chart> {
        views::chart(self, view)
    }

    fn csv(&self, view: &str) -> Option<String> {
        views::csv(self, view)
    }

    fn report(&self) -> serde_json::Value {
        views::report(self)
    }

    fn readouts(&self) -> Vec<(String, String, String)> {
        views::readouts(self)
    }

    fn click(&mut self, view: &str, x: f64, y: f64) -> bool {
        if view != "landscape" && view != "basins" {
            return false;
        }
        if !(x.is_finite() && y.is_finite()) {
            return false;
        }
        self.traj = Some(Trajectory {
            points: vec![[x, y, self.p.real("w12"), self.p.real("w21")]],
            running: true,
        });
        true
    }

    fn notices(&self) -> Vec<String> {
        let mut n = Vec::new();
        if self.net.net.kind == NetKind::Ring && self.net.h > 0.0 {
            n.push("Caveat (note §5): this ring is multistable on the Hebbian side too — neurons with inhibitory inter-cluster input become on/off switches under strong Hebbian self-excitation. 'Hebbian ⇒ convex' holds for the isolated, unbiased motif.".into());
        }
        if self.p.real("u") != 0.0 {
            n.push("With a bias u ≠ 0 the pitchfork is imperfect: the diagram is traced by continuation, and the symmetric-state readouts (λ_anti, curvature) refer to the unbiased pair.".into());
        }
        n
    }
}

/// Benchmark kernels of this lab.
pub fn kernels() -> Vec<crate::kernels::Kernel> {
    use crate::kernels::Kernel;
    vec![
        Kernel {
            name: "hebbian/bifurcation_diagram",
            what: "pair bifurcation diagram for a slider move (241 h values, continuation); budget 5 ms in wasm",
            setup: || {
                let p = INFO.defaults();
                let m = model_of(&p, NetKind::Pair);
                Box::new(move || bifurcation::pair_branches(&m, -3.1, 1.0, 240).len() as f64)
            },
        },
        Kernel {
            name: "hebbian/basins_100x100",
            what: "basins of the full 4-D pair dynamics on a 100×100 grid at h = −2; budget 2 s in Chromium",
            setup: || {
                let mut p = INFO.defaults();
                let _ = p.set("h", "-2");
                let _ = p.set("net", "pair");
                let lab = Hebbian::new(p);
                let flow = PairFlow::from_model(&lab.pair);
                let (stable, all) = lab.basin_targets();
                let vr = lab.view_range;
                Box::new(move || {
                    let mut g = BasinGrid::new(100, vr, vr, [0.0, 0.0]);
                    g.work(&flow, &stable, &all, usize::MAX);
                    g.classes.iter().sum::<f64>()
                })
            },
        },
        Kernel {
            name: "hebbian/choke_equilibria",
            what: "all equilibria of the choke network at h = −4 (300 multistart Newton solves + classification)",
            setup: || {
                let mut p = INFO.defaults();
                let _ = p.set("h", "-4");
                let m = model_of(&p, NetKind::Choke);
                Box::new(move || {
                    let mut rng = seeded(1, 1);
                    equilibria::find_all(&m, &mut rng, &[], 300).len() as f64
                })
            },
        },
    ]
}
