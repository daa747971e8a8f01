//! The curl lab's report and readouts.

use super::ensemble::{self, THRESHOLD};
use super::experiments::CurlLab;
use super::network::{Act, SIGMA2};
use super::training::final_error;
use crate::lab::face::{json_num as num, num as fmt};
use crate::lab::Readout;
use serde_json::json;

pub fn report(lab: &CurlLab) -> serde_json::Value {
    let (c, ah, ar) = lab.fractions();
    let (Some(cd), Some(gd)) = (lab.cd.as_ref(), lab.gd.as_ref()) else {
        return json!({
            "final_error_cd": null, "final_error_gd": null, "lambda_min_x": null,
            "jacobian_max_eig": null, "q": null, "lyapunov": null,
            "critical_alpha_h": num(lab.crit_h), "critical_alpha_r": num(lab.crit_r),
            "c": c, "alpha_h": ah, "alpha_r": ar, "status": "not started",
        });
    };
    let ecd = if cd.diverged {
        f64::NAN
    } else {
        final_error(&cd.errs)
    };
    let egd = if gd.diverged {
        f64::NAN
    } else {
        final_error(&gd.errs)
    };
    let last = cd.stab.last();
    let pairs = lab.ensemble_pairs();
    let (mg, mc) = ensemble::medians(&pairs);
    let med = |v: f64| {
        if v.is_infinite() {
            json!("censored")
        } else {
            num(v)
        }
    };
    json!({
        "final_error_cd": num(ecd),
        "final_error_gd": num(egd),
        "lambda_min_x": num(last.map_or(f64::NAN, |s| s.lam_min_x)),
        "lambda_min_re_x_projected": num(last.map_or(f64::NAN, |s| s.lam_min_xp)),
        "jacobian_max_eig": num(cd.jacobian_max(lab.cfg.proj)),
        "jacobian_max_eig_unprojected": num(last.map_or(f64::NAN, |s| s.jac)),
        "jacobian_units": "per unit time t = η·epoch: −σx²·eig(X) (σx² = 0.5)",
        "q": num(cd.q_last()),
        "lyapunov": num(cd.lyap),
        "curl_fraction": num(last.map_or(f64::NAN, |s| s.curl)),
        "critical_alpha_h": num(lab.crit_h),
        "critical_alpha_r": num(lab.crit_r),
        "c": c,
        "alpha_h": ah,
        "alpha_r": ar,
        "t_final": lab.time(),
        "epochs": lab.epoch(),
        "diverged_cd": cd.diverged,
        "diverged_gd": gd.diverged,
        "ensemble": {
            "threshold": THRESHOLD,
            "seeds_done": pairs.len(),
            "max_epochs": lab.ens_max_epochs,
            "median_epochs_gd": med(mg),
            "median_epochs_cd": med(mc),
            "cd_faster_seeds": ensemble::cd_faster(&pairs),
            "censored_gd": ensemble::censored(&pairs).0,
            "censored_cd": ensemble::censored(&pairs).1,
            "censored": ensemble::censored(&pairs).0 + ensemble::censored(&pairs).1,
            "pairs": pairs.iter().map(|r| json!([r.0, r.1])).collect::<Vec<_>>(),
        },
        "norm_projection": lab.cfg.proj,
        "nonlinear": lab.cfg.act != Act::Linear,
        "sigma_x2": SIGMA2,
    })
}

pub fn readouts(lab: &CurlLab) -> Vec<Readout> {
    let (c, ah, ar) = lab.fractions();
    let mut r = vec![
        Readout::new(
            "c = M/N",
            fmt(c),
            "Inputs per hidden unit: c < 1 expansive, c > 1 compressive.",
        ),
        Readout::new(
            "α_h = n_h/M",
            fmt(ah),
            "Fraction of rule-flipped input neurons.",
        ),
        Readout::new(
            "α_r = n_r/N",
            fmt(ar),
            "Fraction of rule-flipped hidden neurons.",
        ),
        Readout::new(
            "α_h*(c)",
            fmt(lab.crit_h),
            "Asymptotic critical fraction of flipped inputs at this c (random-matrix theory).",
        ),
        Readout::new(
            "α_r*(c)",
            fmt(lab.crit_r),
            "Asymptotic critical fraction of flipped hidden units at this c.",
        ),
    ];
    let (Some(cd), Some(gd)) = (lab.cd.as_ref(), lab.gd.as_ref()) else {
        return r;
    };
    let last = cd.stab.last();
    let (mg, mc) = ensemble::medians(&lab.ensemble_pairs());
    let never = |v: f64| {
        if v.is_infinite() {
            format!("> {} (censored)", lab.ens_max_epochs)
        } else {
            fmt(v)
        }
    };
    r.extend([
        Readout::new("t", fmt(lab.time()), "Training time t = η·epochs so far."),
        Readout::new("error, curl", fmt(final_error(&cd.errs)), "Test (or population) error of curl descent."),
        Readout::new("error, GD", fmt(final_error(&gd.errs)), "Test (or population) error of gradient descent."),
        Readout::new("λ_min(X)", fmt(last.map_or(f64::NAN, |s| s.lam_min_x)), "Smallest eigenvalue of X = W1ᵀD2W1 + ‖w2‖²D1 at the curl weights; negative means the nearby solutions are unstable (unprojected flow)."),
        Readout::new("Jacobian λ_max", fmt(cd.jacobian_max(lab.cfg.proj)), "Largest nontrivial Jacobian eigenvalue of the flow run (with the projection's correction if on), per unit time."),
        Readout::new("q", fmt(cd.q_last()), "Order parameter of the last window: tiny at a fixed point, O(1) when chaotic."),
        Readout::new("Lyapunov λ₁", fmt(cd.lyap), "Largest Lyapunov exponent of the curl-descent weight dynamics per unit time."),
        Readout::new("curl fraction", fmt(last.map_or(f64::NAN, |s| s.curl)), "‖(I−D)∇L‖/‖∇L‖: 0 for gradient descent, 2 for gradient ascent."),
        Readout::new("median epochs GD / curl", format!("{} / {}", never(mg), never(mc)), "Speed-up ensemble: median epochs to test error 1e-3 over 12 paired seeds; every run goes to the horizon, and a run that has not reached the threshold by then is censored there."),
        Readout::new("censored runs GD / curl", {
            let (g, c) = ensemble::censored(&lab.ensemble_pairs());
            format!("{g} / {c} of {}", lab.ensemble_pairs().len())
        }, "Runs of the speed-up ensemble that had not reached test error 1e-3 at the horizon (drawn as crosses at the horizon)."),
    ]);
    r
}
