//! The Hebbian lab's report and readouts.

use super::basins;
use super::equilibria::Equilibrium;
use super::experiments::Hebbian;
use super::network_views::{shares, spread};
use super::pitchfork;
use crate::lab::face::num;
use crate::lab::Readout;
use serde_json::json;

fn eq_json(e: &Equilibrium) -> serde_json::Value {
    json!({
        "x": e.x,
        "w": e.w,
        "rates": e.rates(),
        "stable": e.stable,
        "max_real_eig": e.max_real_eig,
        "residual": e.residual,
    })
}

pub fn report(lab: &Hebbian) -> serde_json::Value {
    let kc = pitchfork::critical_k();
    let k = lab.pair.k();
    let xs = pitchfork::symmetric_x(k);
    let eqs: Vec<serde_json::Value> = lab.net_eq.iter().flatten().map(eq_json).collect();
    let stable = lab.net_stable().len();
    let (cs, ca) = pitchfork::curvatures(k, xs);
    json!({
        "net": lab.s.net.label(),
        "h": lab.pair.h,
        "C": -lab.pair.h,
        "k": k,
        "critical_k": kc,
        "critical_h": kc * lab.pair.gx * lab.pair.gw,
        "x_star": pitchfork::x_star(),
        "lambda_anti": pitchfork::lambda_anti(lab.pair.gx, k, xs),
        "curvature_symmetric": cs,
        "curvature_antisymmetric": ca,
        "stable_count": stable,
        "onset_of_multistability": match lab.onset() {
            Some(Some(h)) => json!(h),
            Some(None) => json!("none"),
            None => json!(null),
        },
        "onsets_by_motif": super::experiments::COMPARED
            .iter()
            .zip(&lab.onsets)
            .map(|(k, o)| (k.name().to_string(), match o {
                Some(Some(h)) => json!(h),
                Some(None) => json!("none"),
                None => json!(null),
            }))
            .collect::<serde_json::Map<_, _>>(),
        "equilibrium_count": eqs.len(),
        "equilibria": eqs,
        "pair_equilibria": lab.pair_eq.iter().map(eq_json).collect::<Vec<_>>(),
        "basin_share_vs_eps": shares(lab).iter().map(|&(e, s)| json!({"eps": e, "share": s})).collect::<Vec<_>>(),
        "spread": spread(lab),
    })
}

pub fn readouts(lab: &Hebbian) -> Vec<Readout> {
    let kc = pitchfork::critical_k();
    let k = lab.pair.k();
    let xs = pitchfork::symmetric_x(k);
    let (_, ca) = pitchfork::curvatures(k, xs);
    let mut r = vec![
        Readout::new("k = h/(γx γw)", num(k), "The dimensionless plasticity strength; every equilibrium depends on h, γx, γw only through k."),
        Readout::new("C = −h", num(-lab.pair.h), "The authors' sign convention: C > 0 is anti-Hebbian."),
        Readout::new("h_c", num(kc * lab.pair.gx * lab.pair.gw), format!("Critical strength of the pair's pitchfork, k_c·γx·γw with k_c = {}.", num(kc))),
        Readout::new("onset of multistability", match lab.onset() {
            Some(Some(h)) => num(h),
            Some(None) => "none in range".into(),
            None => "computing…".into(),
        }, format!("The h where the {} network's stable count first exceeds 1, sweeping h down from 0 (bisection to 5e-5; marked on the stable-count view).", lab.s.net.label())),
        Readout::new("λ_anti", num(pitchfork::lambda_anti(lab.pair.gx, k, xs)), "Antisymmetric eigenvalue −γx(1 + kσ²σ') of the symmetric state: it crosses 0 at h_c."),
        Readout::new("antisymmetric curvature", num(ca), "Curvature of E_eff at the symmetric state along V1 = −V2 (units of γx): convexity is lost where it turns negative."),
        Readout::new("stable states, 2-neuron motif", lab.pair_stable_count().to_string(), "Stable equilibria of the 2-neuron motif."),
    ];
    let ns = match &lab.net_eq {
        Some(e) => format!("{} of {}", e.iter().filter(|q| q.stable).count(), e.len()),
        None => "…".into(),
    };
    r.push(Readout::new(
        format!("stable states, {} network", lab.s.net.label()),
        ns,
        "Stable equilibria of the chosen network, of all equilibria found.",
    ));
    if let Some(e) = lab.pair_eq.iter().find(|e| e.stable) {
        r.push(Readout::new(
            "w at a stable state",
            num(e.w[0]),
            "Weight w12 at the first stable equilibrium of the pair: (h/γw)σ1σ2.",
        ));
    }
    if lab.basins.done() {
        let st = basins::states(&lab.pair_stable());
        r.push(Readout::new(
            "basin share, neuron 1",
            num(lab.basins.share_neuron1(&st)),
            "Fraction of the basin grid where neuron 1 wins.",
        ));
    }
    r
}
