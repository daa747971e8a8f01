//! The link codec: every valid state round-trips exactly, and nothing a link can hold panics.
// Expected values are computed with the platform's math (a second implementation).
#![allow(clippy::disallowed_methods)]
#![cfg(not(target_arch = "wasm32"))]

use lde::labs;
use lde::params::{Kind, Params, Value};
use lde::session::Session;
use proptest::prelude::*;

/// A random valid parameter set of lab `i` from raw random numbers.
fn random_params(lab: usize, raw: &[f64], seed: u64) -> Params {
    let info = labs::all()[lab % labs::all().len()];
    let mut p = info.defaults();
    for (k, spec) in info.specs.iter().enumerate() {
        let r = raw.get(k).copied().unwrap_or(0.5);
        let v = match spec.kind {
            Kind::Real { min, max, log, .. } => {
                let x = if log {
                    (min.ln() + r * (max.ln() - min.ln())).exp()
                } else {
                    min + r * (max - min)
                };
                Value::Real(x.clamp(min, max))
            }
            Kind::Int { min, max, .. } => Value::Int(
                min + ((max - min + 1) as f64 * r).floor().min((max - min) as f64) as i64,
            ),
            Kind::Choice { options, .. } => {
                Value::Choice(((options.len() as f64 * r) as usize).min(options.len() - 1))
            }
            Kind::Flag { .. } => Value::Flag(r < 0.5),
            Kind::Points { max, x, y, .. } => {
                // up to `max` points on a grid of the box (exact decimals round-trip anyway)
                let n = ((max + 1) as f64 * r) as usize;
                Value::Points(
                    (0..n.min(max))
                        .map(|i| {
                            let f = (i as f64 + r) / (max as f64 + 1.0);
                            (x.0 + f * (x.1 - x.0), y.1 - f * (y.1 - y.0))
                        })
                        .collect(),
                )
            }
        };
        p.values[k] = v;
    }
    p.seed = seed;
    p
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn valid_states_round_trip_exactly(lab in 0usize..8, raw in proptest::collection::vec(0.0f64..1.0, 40), seed in any::<u64>()) {
        let p = random_params(lab, &raw, seed);
        let info = labs::find(p.lab).expect("registered");
        let (q, w) = info.params_from_pairs(&lde::params::split_link(&p.to_link()));
        prop_assert!(w.is_empty(), "{:?}", w);
        prop_assert_eq!(&p, &q);
        // and the page's session reads the same link the same way
        let (lab_of_link, pairs) = (lde::params::Link::parse(&p.to_link()).lab, lde::params::split_link(&p.to_link()));
        prop_assert_eq!(lab_of_link.as_deref(), Some(p.lab));
        prop_assert!(!pairs.is_empty());
    }


    #[test]
    fn hostile_values_for_known_keys_never_panic(key in 0usize..40, v in prop_oneof![
        Just("NaN".to_string()), Just("inf".to_string()), Just("-inf".to_string()), Just("1e999".to_string()),
        Just("".to_string()), Just("%00".to_string()), Just("9223372036854775808".to_string()), Just("-0".to_string()),
        ".{0,30}", any::<f64>().prop_map(|f| f.to_string()), any::<i64>().prop_map(|i| i.to_string())
    ]) {
        for info in labs::all() {
            let spec = &info.specs[key % info.specs.len()];
            let link = format!("lab={}&{}={}", info.id, spec.key, lde::params::encode_component(&v));
            let (p, w) = info.params_from_pairs(&lde::params::split_link(&link));
            // either accepted and in range, or rejected with a warning naming the key
            if let Some(Value::Real(x)) = p.value(spec.key) {
                let x = *x;
                prop_assert!(x.is_finite());
            }
            if let Some(first) = w.first() {
                prop_assert_eq!(&first.key, spec.key);
            }
        }
    }
}

proptest! {
    // hostile links: at least 100,000 cases in `make test`, zero panics
    #![proptest_config(ProptestConfig::with_cases(100_000))]

    #[test]
    fn arbitrary_strings_never_panic(s in ".{0,200}") {
        let pairs = lde::params::split_link(&s);
        for info in labs::all() {
            let (p, _) = info.params_from_pairs(&pairs);
            prop_assert_eq!(p.values.len(), info.specs.len());
        }
        let _ = lde::params::Link::parse(&s);
        let _ = lde::lab::work::JobSpec::parse(&s);
    }

    #[test]
    fn link_shaped_strings_never_panic(pairs in proptest::collection::vec(("[a-z_]{1,8}", "[-0-9.e,;a-z%]{0,12}"), 0..8)) {
        let link: String = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
        for info in labs::all() {
            let (p, _) = info.params_from_pairs(&lde::params::split_link(&link));
            prop_assert_eq!(p.values.len(), info.specs.len());
        }
    }
}

#[test]
fn no_parameter_key_is_a_page_key() {
    for info in labs::all() {
        for s in info.specs {
            assert!(
                !lde::params::PAGE_KEYS.contains(&s.key) && s.key != "seed",
                "{}: parameter '{}' collides with a page key",
                info.id,
                s.key
            );
        }
    }
}

#[test]
fn bad_parts_are_named_and_the_rest_applies() {
    let s = Session::from_link("?lab=hebbian&h=abc&zzz=1&gamma_x=99&net=pair&eps=2&seed=-4");
    let keys: Vec<&str> = s.warnings.iter().map(|w| w.key.as_str()).collect();
    assert_eq!(keys, vec!["h", "zzz", "gamma_x", "seed"]);
    let p = lde::labs::hebbian::Settings::from_params(s.params());
    assert_eq!(p.h, -4.0, "default kept");
    assert_eq!(p.gamma_x, 0.1, "default kept");
    assert_eq!(
        p.net,
        lde::labs::hebbian::model::NetKind::Pair,
        "rest of the link applies"
    );
    assert_eq!(p.eps, 2.0);
    assert_eq!(p.seed, 1);
}

#[test]
fn wrong_lab_name_opens_the_default_lab_with_a_notice() {
    let s = Session::from_link("?lab=nosuchlab&h=-2");
    assert_eq!(s.info.id, labs::default_lab().id);
    assert_eq!(s.warnings.len(), 1);
    assert!(s.warnings[0].message.contains("nosuchlab"));
}

#[test]
fn link_of_a_session_reopens_it() {
    for info in labs::all() {
        let mut p = info.defaults();
        p.seed = 987654321;
        let s = Session::from_params(info, p.clone());
        let t = Session::from_link(&s.link());
        assert!(t.warnings.is_empty(), "{}: {:?}", info.id, t.warnings);
        assert_eq!(t.params(), &p);
    }
}

/// `preset=<id>` in a link is the preset's parameters with the link's other pairs over them,
/// wherever it stands, for every preset of every lab; an unknown preset is a named warning.
#[test]
fn a_preset_in_a_link_opens_the_preset_under_the_other_pairs() {
    for info in labs::all() {
        for pr in info.presets {
            let mut want = info.preset_params(pr.id, 1).expect("listed preset");
            want.seed = 42;
            for link in [
                format!("?lab={}&preset={}&seed=42", info.id, pr.id),
                format!("?lab={}&seed=42&preset={}", info.id, pr.id),
            ] {
                let s = Session::from_link(&link);
                assert!(s.warnings.is_empty(), "{link}: {:?}", s.warnings);
                assert_eq!(s.params(), &want, "{link}");
                // the page writes the canonical link back: it reopens the same numbers
                assert_eq!(Session::from_link(&s.link()).params(), &want);
            }
        }
    }
    // a pair after or before the preset overrides it
    let s = Session::from_link("?lab=curl&m=7&preset=D");
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    assert_eq!(s.params().text("m").as_deref(), Some("7"));
    assert_eq!(s.params().text("horizon").as_deref(), Some("1500"));
    let bad = Session::from_link("?lab=curl&preset=Q&m=7");
    assert_eq!(bad.warnings.len(), 1, "{:?}", bad.warnings);
    assert_eq!(bad.warnings[0].key, "preset");
    assert!(bad.warnings[0].message.contains("presets: A, B, C, D, toy"));
    let mut want = labs::find("curl").expect("curl").defaults();
    want.set("m", "7").expect("valid");
    assert_eq!(
        bad.params(),
        &want,
        "the rest of the link applies over the defaults"
    );
}
