//! The Hebbian lab's state and its long work, as stages of independent jobs:
//! - `net`: the chosen network's equilibria, a block of Newton starts per job (the starts are
//!   drawn once, in order, from the seed; the roots merge in start order);
//! - `basins`: the basin grid of the pair's full 4-D dynamics, a row per job, coarse to fine;
//! - `count`: the stable count against h, one h per job, each by the report's own search;
//! - `share`: the basin share against ε, a block of rows of one ε run per job;
//! - `trajectory`: the launched trajectory of the full pair dynamics (one job, then animated);
//! - `onset`: the ring's onset of multistability (a job only when the ring is chosen);
//! - `compare`: the onset of each all-plastic motif of [`COMPARED`], one per job (the chosen
//!   network's onset is read from it, so switching between them recomputes nothing).
//!
//! The pair's pitchfork, its equilibria, the landscape and h_c(γw) are cheap and built with
//! the lab.

use super::basins::{self, BasinGrid};
use super::bifurcation::{self, Branch};
use super::catalogue::{BiasOn, Settings, VIEWS};
use super::equilibria::{self, Equilibrium, Search};
use super::landscape;
use super::model::{Model, NetKind, Network, PairFlow};
use super::pitchfork;
use crate::dynamics::rng::{seeded, Rng};
use crate::lab::work::{once, Work};
use crate::lab::{Lab, Readout, Stage, Table, ViewDef};
use crate::params::Params;
use crate::plot::{Chart, Heatmap};
use crate::sweep::view::Sweep;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, OnceLock};

crate::choice_enum! {
    /// The lab's stages, in priority order.
    pub enum StageId {
        Net = "net",
        Basins = "basins",
        Count = "count",
        Share = "share",
        Trajectory = "trajectory",
        Onset = "onset",
        Compare = "compare",
    }
}

/// The all-plastic motifs whose onsets the comparison view sets side by side (the note's
/// §4.4 table, in its order; the ring with its fixed weights is not one of them).
pub const COMPARED: [NetKind; 7] = [
    NetKind::Pair,
    NetKind::Chain4,
    NetKind::Choke,
    NetKind::Bridge,
    NetKind::Clique3,
    NetKind::Chain3,
    NetKind::Clique4,
];

/// The jobs of [`COMPARED`], costliest first. Measured at the defaults with `lde job`: bridge
/// 1.07 s, clique4 0.54, choke 0.42, chain4 0.35, chain3 0.17, clique3 0.16, pair 0.02. In
/// index order two workers took 2.7 s and 0.9 s; costliest first, the last jobs are the short
/// ones and the two finish together.
const COMPARED_COSTLIEST: &[usize] = &[3, 6, 2, 1, 5, 4, 0];

/// The ε values of the basin-share sweep.
pub const EPS_SWEEP: [f64; 7] = [0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0];
/// Grid per side of each ε run of the basin-share sweep.
pub const SHARE_GRID: usize = 41;
/// Rows of one ε run per job of the share stage.
const SHARE_ROWS: usize = 6;
/// Number of h steps of the stable-count sweep (COUNT_STEPS + 1 values).
pub const COUNT_STEPS: usize = 90;
/// Newton starts per job of the network search.
const NET_BLOCK: usize = 40;
/// Trajectory points revealed per animation tick.
pub const TRAJ_PER_TICK: usize = 25;

/// The h range of the stable-count sweep for each network.
pub fn count_range(kind: NetKind) -> (f64, f64) {
    match kind {
        NetKind::Pair => (-3.0, 1.0),
        NetKind::Choke => (-6.0, 1.0),
        NetKind::Ring => (-10.0, 8.0),
        NetKind::Chain4 => (-4.0, 1.0),
        NetKind::Bridge => (-9.0, 1.0),
        NetKind::Clique3 | NetKind::Chain3 => (-11.0, 1.0),
        NetKind::Clique4 => (-20.0, 1.0),
    }
}

/// Generated starts of the multistart search for each network.
pub fn search_starts(kind: NetKind) -> usize {
    match kind {
        NetKind::Pair => 40,
        NetKind::Choke => 300,
        NetKind::Ring => 800,
        NetKind::Chain3 | NetKind::Clique3 => 150,
        NetKind::Chain4 | NetKind::Clique4 => 300,
        NetKind::Bridge => 400,
    }
}

/// The pair model or the chosen network's model of these settings.
pub fn model_of(s: &Settings, kind: NetKind) -> Model {
    let net = Network::new(kind);
    let n = net.n;
    let u: Vec<f64> = match s.bias_on {
        BiasOn::All => vec![s.u; n],
        BiasOn::Neuron2 => (0..n).map(|i| if i == 1 { s.u } else { 0.0 }).collect(),
    };
    Model {
        net,
        gx: s.gamma_x,
        gw: s.gamma_w,
        eps: s.eps,
        h: s.h,
        u,
    }
}

/// The seed stream of the network search (the report's and each h of the count sweep).
const NET_STREAM: u64 = 1;

/// Every equilibrium of `m` by the lab's network search at `seed`: what the `net` stage
/// computes in blocks, and what each h of the `count` stage computes whole.
pub fn search(m: &Model, seed: u64) -> Vec<Equilibrium> {
    let mut rng: Rng = seeded(seed, NET_STREAM);
    equilibria::network_equilibria(m, &mut rng, search_starts(m.net.kind))
}

/// The output of one job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Out {
    /// Newton roots of a block of starts, in start order (not yet deduplicated).
    Roots(Vec<Vec<f64>>),
    /// Classes of one basin row (−1: no stable equilibrium reached).
    Row(Vec<i32>),
    /// (stable, total) equilibria at one h.
    Count(usize, usize),
    /// Classes of a block of rows of one ε run.
    Block(Vec<i32>),
    /// The launched trajectory (x1, x2, w12, w21).
    Path(Vec<[f64; 4]>),
    /// The onset of multistability (None: none down to the sweep's lower end).
    Onset(Option<f64>),
}

/// The stable-count sweep along h.
#[derive(Debug, Clone)]
pub struct CountSweep {
    pub hs: Vec<f64>,
    /// (stable, total) per h, once computed.
    pub counts: Vec<Option<(usize, usize)>>,
}

/// The Hebbian lab's state.
pub struct Hebbian {
    p: Params,
    pub s: Settings,
    pub pair: Model,
    pub net: Model,
    pub branches: Vec<Branch>,
    pub branch_range: (f64, f64),
    pub pair_eq: Vec<Equilibrium>,
    pub view_range: (f64, f64),
    pub hc_points: Vec<(f64, f64)>,
    /// The E_eff heatmap of the landscape view (depends only on the parameters).
    pub energy: Heatmap,
    /// The network search's starts, drawn on first use (only jobs need them).
    starts: Arc<OnceLock<Vec<Vec<f64>>>>,
    net_blocks: Vec<Option<Vec<Vec<f64>>>>,
    /// The network's equilibria once every block is in, merged in start order.
    pub net_eq: Option<Vec<Equilibrium>>,
    pub basins: BasinGrid,
    pub count: CountSweep,
    share_blocks: Vec<Option<Vec<i32>>>,
    /// Share of starts where neuron 1 wins, per ε of [`EPS_SWEEP`], once its run is complete.
    pub shares: Vec<Option<f64>>,
    /// The launched trajectory and how much of it the animation shows.
    pub traj: Option<Vec<[f64; 4]>>,
    pub traj_shown: usize,
    /// The onset of multistability of each network of [`COMPARED`], once computed
    /// (inner None: none down to the network's count range).
    pub onsets: Vec<Option<Option<f64>>>,
    /// The ring's onset, once computed (only when the ring is chosen).
    pub ring_onset: Option<Option<f64>>,
}

impl Hebbian {
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

    /// The basin targets: stable equilibria and all equilibria of the pair, as full states.
    pub fn basin_targets(&self) -> (Vec<[f64; 4]>, Vec<[f64; 4]>) {
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

    /// The onset search of network `kind` at these settings, down to its count range.
    fn onset_job(&self, kind: NetKind) -> Box<dyn Work<Out>> {
        let m = model_of(&self.s, kind);
        let lo = count_range(kind).0;
        Box::new(super::onset::OnsetJob::new(m, lo, self.s.seed))
    }

    /// The chosen network's onset of multistability, once computed.
    pub fn onset(&self) -> Option<Option<f64>> {
        if self.s.net == NetKind::Ring {
            return self.ring_onset;
        }
        let i = COMPARED.iter().position(|&k| k == self.s.net)?;
        self.onsets.get(i).copied().flatten()
    }

    /// Number of stable equilibria of the pair.
    pub fn pair_stable_count(&self) -> usize {
        self.pair_eq.iter().filter(|e| e.stable).count()
    }

    fn net_jobs(&self) -> usize {
        search_starts(self.net.net.kind).div_ceil(NET_BLOCK)
    }

    fn share_blocks_per_eps() -> usize {
        SHARE_GRID.div_ceil(SHARE_ROWS)
    }

    /// A fresh grid of one ε run of the share sweep.
    fn share_grid(&self) -> BasinGrid {
        BasinGrid::new(
            SHARE_GRID,
            (-4.0, 2.0),
            (-4.0, 2.0),
            [self.s.w12, self.s.w21],
        )
    }

    /// The trajectory of the full pair dynamics from `start` (double RK4 steps of
    /// [`basins::DT`] until the flow stops, diverges, or 6000 points).
    pub fn trajectory(flow: &PairFlow, start: [f64; 4]) -> Vec<[f64; 4]> {
        let mut points = vec![start];
        while let Some(&last) = points.last() {
            let next = flow.rk4(flow.rk4(last, basins::DT), basins::DT);
            let speed = flow.eval(next).iter().fold(0.0f64, |a, v| a.max(v.abs()));
            points.push(next);
            if !speed.is_finite() || speed < 1e-6 || points.len() > 6000 {
                break;
            }
        }
        points
    }

    fn merge_net(&mut self) {
        if self.net_blocks.iter().any(Option::is_none) {
            return;
        }
        let mut s = Search::new(&self.net);
        for root in self.net_blocks.iter().flatten().flatten() {
            s.add_root(root.clone());
        }
        self.net_eq = Some(s.equilibria(&self.net));
    }

    fn merge_share(&mut self, e: usize) {
        let per = Self::share_blocks_per_eps();
        let blocks = &self.share_blocks[e * per..(e + 1) * per];
        if blocks.iter().any(Option::is_none) {
            return;
        }
        let (stable, _) = self.basin_targets();
        let classes = blocks.iter().flatten().flatten().copied();
        self.shares[e] = Some(basins::share_neuron1(classes, &stable));
    }
}

impl Lab for Hebbian {
    type Out = Out;
    const VIEWS: &'static [ViewDef<Self>] = VIEWS;

    fn new(p: Params) -> Hebbian {
        let s = Settings::from_params(&p);
        let pair = model_of(&s, NetKind::Pair);
        let net = model_of(&s, s.net);
        let hc = pitchfork::critical_k() * pair.gx * pair.gw;
        // The diagram follows h_c (down to k_c·0.5² ≈ −30.9 at the largest decays), not the
        // slider: it spans [2.5·h_c, 0.8·|h_c|] and always includes the current h.
        let (hmin, hmax) = (2.5 * pitchfork::critical_k() * 0.25, 8.0);
        let lo = (2.5 * hc).min(pair.h - 0.25 * hc.abs()).max(hmin);
        let hi = (0.8 * hc.abs()).max(pair.h + 0.25 * hc.abs()).min(hmax);
        let branches = bifurcation::pair_branches(&pair, lo, hi, 240);
        let mut rng = seeded(s.seed, 0);
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
        let basins = BasinGrid::new(s.grid, view_range, view_range, [s.w12, s.w21]);
        let (clo, chi) = count_range(s.net);
        let hs: Vec<f64> = (0..=COUNT_STEPS)
            .map(|i| clo + (chi - clo) * i as f64 / COUNT_STEPS as f64)
            .collect();
        let hc_points = Self::hc_numeric(&pair);
        let energy = landscape::energy_grid(&pair, view_range, 120);
        let net_jobs = search_starts(s.net).div_ceil(NET_BLOCK);
        Hebbian {
            count: CountSweep {
                counts: vec![None; hs.len()],
                hs,
            },
            share_blocks: vec![None; EPS_SWEEP.len() * Self::share_blocks_per_eps()],
            shares: vec![None; EPS_SWEEP.len()],
            net_blocks: vec![None; net_jobs],
            starts: Arc::new(OnceLock::new()),
            p,
            s,
            pair,
            net,
            branches,
            branch_range: (lo, hi),
            pair_eq,
            view_range,
            net_eq: None,
            basins,
            hc_points,
            traj: None,
            traj_shown: 0,
            onsets: vec![None; COMPARED.len()],
            ring_onset: None,
            energy,
        }
    }

    fn params(&self) -> &Params {
        &self.p
    }

    fn stages(&self) -> Vec<Stage> {
        const NET: &[&str] = &["h", "gamma_x", "gamma_w", "u", "bias_on", "net"];
        vec![
            Stage::new(
                StageId::Net.name(),
                "equilibria of the network",
                "blocks of starts",
                self.net_jobs(),
            )
            .deps(NET),
            Stage::new(StageId::Basins.name(), "basins", "rows", self.basins.ny)
                .deps(&[
                    "h", "gamma_x", "gamma_w", "eps", "u", "bias_on", "w12", "w21", "grid",
                ])
                .interleaved(),
            Stage::new(
                StageId::Count.name(),
                "stable count vs h",
                "values of h",
                self.count.hs.len(),
            )
            .deps(&["gamma_x", "gamma_w", "eps", "u", "bias_on", "net"])
            .interleaved(),
            Stage::new(
                StageId::Share.name(),
                "basin share vs ε",
                "blocks",
                self.share_blocks.len(),
            )
            .deps(&["h", "gamma_x", "gamma_w", "u", "bias_on", "w12", "w21"]),
            Stage::new(
                StageId::Trajectory.name(),
                "launched trajectory",
                "runs",
                usize::from(!self.s.launch.is_empty()),
            )
            .deps(&[
                "h", "gamma_x", "gamma_w", "eps", "u", "bias_on", "w12", "w21", "launch",
            ]),
            Stage::new(
                StageId::Onset.name(),
                "onset of multistability",
                "searches",
                usize::from(self.s.net == NetKind::Ring),
            )
            .deps(&["gamma_x", "gamma_w", "eps", "u", "bias_on", "net"]),
            Stage::new(
                StageId::Compare.name(),
                "onsets of the motifs",
                "networks",
                COMPARED.len(),
            )
            .costliest_first(COMPARED_COSTLIEST)
            // stability is read from the full Jacobian, whose weight rows scale with ε
            .deps(&["gamma_x", "gamma_w", "eps", "u", "bias_on"]),
        ]
    }

    fn job(&self, stage: usize, index: usize) -> Option<Box<dyn Work<Out>>> {
        match *StageId::ALL.get(stage)? {
            StageId::Net => {
                (index < self.net_jobs()).then_some(())?;
                let net = self.net.clone();
                let seed = self.s.seed;
                let starts = self.starts.clone();
                Some(once(move || {
                    let all = starts.get_or_init(|| {
                        let mut rng = seeded(seed, NET_STREAM);
                        equilibria::network_starts(&net, &mut rng, search_starts(net.net.kind))
                    });
                    let search = Search::new(&net);
                    let block = all.iter().skip(index * NET_BLOCK).take(NET_BLOCK);
                    Out::Roots(block.filter_map(|x0| search.polish(&net, x0)).collect())
                }))
            }
            StageId::Basins => {
                (index < self.basins.ny).then_some(())?;
                let grid = self.basins.clone();
                let flow = PairFlow::from_model(&self.pair);
                let (stable, all) = self.basin_targets();
                Some(once(move || {
                    Out::Row(grid.row(index, &flow, &stable, &all))
                }))
            }
            StageId::Count => {
                let h = *self.count.hs.get(index)?;
                let mut m = self.net.clone();
                m.h = h;
                let seed = self.s.seed;
                Some(once(move || {
                    let eq = search(&m, seed);
                    Out::Count(eq.iter().filter(|e| e.stable).count(), eq.len())
                }))
            }
            StageId::Share => {
                (index < self.share_blocks.len()).then_some(())?;
                let per = Self::share_blocks_per_eps();
                let (e, b) = (index / per, index % per);
                let grid = self.share_grid();
                let mut flow = PairFlow::from_model(&self.pair);
                flow.eps = EPS_SWEEP[e];
                let (stable, all) = self.basin_targets();
                Some(once(move || {
                    let rows = b * SHARE_ROWS..((b + 1) * SHARE_ROWS).min(SHARE_GRID);
                    Out::Block(
                        rows.flat_map(|j| grid.row(j, &flow, &stable, &all))
                            .collect(),
                    )
                }))
            }
            StageId::Onset => {
                (self.s.net == NetKind::Ring && index == 0).then_some(())?;
                Some(self.onset_job(NetKind::Ring))
            }
            StageId::Compare => Some(self.onset_job(*COMPARED.get(index)?)),
            StageId::Trajectory => {
                let &(x1, x2) = self.s.launch.get(index)?;
                let flow = PairFlow::from_model(&self.pair);
                let start = [x1, x2, self.s.w12, self.s.w21];
                Some(once(move || Out::Path(Self::trajectory(&flow, start))))
            }
        }
    }

    fn absorb(&mut self, stage: usize, index: usize, out: Out, _finished: bool) {
        let Some(&id) = StageId::ALL.get(stage) else {
            return;
        };
        match (id, out) {
            (StageId::Net, Out::Roots(r)) => {
                if let Some(slot) = self.net_blocks.get_mut(index) {
                    *slot = Some(r);
                    self.merge_net();
                }
            }
            (StageId::Basins, Out::Row(r)) => self.basins.set_row(index, &r),
            (StageId::Count, Out::Count(s, t)) => {
                if let Some(slot) = self.count.counts.get_mut(index) {
                    *slot = Some((s, t));
                }
            }
            (StageId::Share, Out::Block(b)) => {
                if let Some(slot) = self.share_blocks.get_mut(index) {
                    *slot = Some(b);
                    self.merge_share(index / Self::share_blocks_per_eps());
                }
            }
            (StageId::Onset, Out::Onset(h)) => self.ring_onset = Some(h),
            (StageId::Compare, Out::Onset(h)) => {
                if let Some(slot) = self.onsets.get_mut(index) {
                    *slot = Some(h);
                }
            }
            (StageId::Trajectory, Out::Path(p)) => {
                self.traj_shown = self.traj_shown.clamp(1, p.len());
                self.traj = Some(p);
            }
            _ => {}
        }
    }

    fn report(&self) -> serde_json::Value {
        super::report::report(self)
    }

    fn readouts(&self) -> Vec<Readout> {
        super::report::readouts(self)
    }

    fn notices(&self) -> Vec<String> {
        let mut n = Vec::new();
        if self.s.net == NetKind::Ring && self.s.h > 0.0 {
            n.push("Caveat (note §5): this ring is multistable on the Hebbian side too — neurons with inhibitory inter-cluster input become on/off switches under strong Hebbian self-excitation. 'Hebbian ⇒ convex' holds for the isolated, unbiased motif.".into());
        }
        if let (NetKind::Ring, Some(Some(h))) = (self.s.net, self.onset()) {
            if self.s.gamma_x == 0.1 && self.s.gamma_w == 0.1 && self.s.u == 0.0 {
                n.push(format!("Onset of multistability: this search finds h = {} (C = {}); the note's indicative anti-Hebbian onset is C ≈ 1.65 (a search with finite starts, §5). The pair's h_c = −1.2372 and the choke network's onset (−3.39 here, −3.40 in the note) agree with the note.", crate::lab::face::num(h), crate::lab::face::num(-h)));
            }
        }
        if self.onsets.iter().all(Option::is_some) && super::network_views::note_settings(self) {
            let diff = super::network_views::onset_differences(self);
            n.push(if diff.is_empty() {
                "Onsets of the motifs, computed here: all agree with the note's indicative values (§4.4) to within 0.01.".into()
            } else {
                format!("Onsets that differ from the note's indicative values (§4.4, finite-start searches): {}.", diff.join("; "))
            });
        }
        if self.s.u != 0.0 {
            n.push("With a bias u ≠ 0 the pitchfork is imperfect: the diagram is traced by continuation, and the symmetric-state readouts (λ_anti, curvature) refer to the unbiased pair.".into());
        }
        n
    }

    fn ticks(&self) -> usize {
        self.traj
            .as_ref()
            .map_or(0, |t| t.len().div_ceil(TRAJ_PER_TICK))
    }

    fn results_view(&self, view: &str, file: &Sweep) -> Option<Result<(Chart, Table), String>> {
        (view == "count").then(|| super::results::count_from_results(self, file))
    }

    fn set_tick(&mut self, t: usize) {
        let len = self.traj.as_ref().map_or(0, Vec::len);
        self.traj_shown = (1 + TRAJ_PER_TICK * t).min(len);
    }

    /// The launched trajectory's time at tick `t`: each point is two RK4 steps of `DT`.
    fn tick_label(&self, t: usize) -> String {
        let len = self.traj.as_ref().map_or(1, Vec::len).max(1);
        let k = (1 + TRAJ_PER_TICK * t).min(len);
        format!(
            "t = {}",
            crate::lab::face::num((k - 1) as f64 * 2.0 * basins::DT)
        )
    }
}
