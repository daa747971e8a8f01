//! `lde sweep plan`: the cells of a parameter sweep, one link per cell.
//!
//! An axis is `key=START:STOP:COUNT` (linear), `key=log:START:STOP:COUNT` (geometric) or
//! `key=a,b,c` (a list), or `key=of:OTHER:START:STOP:COUNT` (a fraction of another key, per
//! cell); any other `key=value` is fixed for every cell. `seeds=K` gives each
//! point K replicates whose seeds are derived from the base seed and the point's own link, so a
//! cell's seed never depends on which other cells the sweep has. Every value is checked against
//! the lab's spec before a single cell is printed.
//!
//! Order: coarse to fine. Each axis's values are ranked by [`interleave`] (ends and middle
//! first, then the quarters, ...), the replicates by their index, and the cells are sorted by
//! their largest rank, then by the ranks themselves: the first cells of the list span every
//! axis end to end, so a sweep cut short still covers the whole range.

use crate::lab::work::{fnv1a64, interleave};
use crate::lab::LabInfo;
use crate::params::{Kind, Params};

/// The most cells a plan may have.
pub const MAX_CELLS: usize = 1_000_000;

/// One swept or fixed parameter: its key and its values as link text.
#[derive(Debug, Clone, PartialEq)]
struct Axis {
    key: String,
    values: Vec<String>,
    /// `Some(other)`: the values are fractions of the cell's `other` (`key=of:other:…`).
    of: Option<String>,
}

/// The cells of `lab` for the plan arguments (see the module doc), as links
/// `lab=…&key=value&…&seed=S`. Errors name the argument at fault.
pub fn plan(info: &'static LabInfo, args: &[String]) -> Result<Vec<String>, String> {
    let mut axes: Vec<Axis> = Vec::new();
    let mut base = info.defaults();
    let mut seeds: Option<u64> = None;
    let mut preset: Option<String> = None;
    for a in args {
        let (k, v) = a
            .split_once('=')
            .ok_or_else(|| format!("'{a}' is not key=value"))?;
        match k {
            "seeds" => {
                let n: u64 = v
                    .parse()
                    .ok()
                    .filter(|n| (1..=100_000).contains(n))
                    .ok_or_else(|| format!("seeds={v}: give a whole number from 1 to 100000"))?;
                seeds = Some(n);
            }
            "seed" => {
                base.seed = v
                    .parse()
                    .map_err(|_| format!("seed={v}: a seed is a whole number ≥ 0"))?;
            }
            "preset" => preset = Some(v.to_string()),
            _ => {
                if axes.iter().any(|x| x.key == k) {
                    return Err(format!("{k} is given twice"));
                }
                axes.push(axis(info, k, v)?);
            }
        }
    }
    if let Some(p) = preset {
        base = info
            .preset_params(&p, base.seed)
            .ok_or_else(|| info.no_preset(&p))?;
    }
    let mut total: usize = seeds.unwrap_or(1) as usize;
    for x in &axes {
        total = total.saturating_mul(x.values.len());
    }
    if total > MAX_CELLS {
        return Err(format!(
            "the plan has {total} cells; at most {MAX_CELLS} are allowed"
        ));
    }
    // keys in spec order: the preset's own changes, then every key given
    let defaults = info.defaults();
    let keys: Vec<&'static str> = info
        .specs
        .iter()
        .map(|s| s.key)
        .filter(|k| axes.iter().any(|x| x.key == *k) || base.text(k) != defaults.text(k))
        .collect();
    let ranks: Vec<Vec<usize>> = axes.iter().map(|x| rank_of(x.values.len())).collect();
    let mut cells: Vec<(Vec<usize>, String)> = Vec::with_capacity(total);
    let reps = seeds.unwrap_or(1) as usize;
    for flat in 0..total / reps {
        // the point's value index on each axis (last axis fastest)
        let mut idx = vec![0usize; axes.len()];
        let mut rest = flat;
        for (i, x) in axes.iter().enumerate().rev() {
            idx[i] = rest % x.values.len();
            rest /= x.values.len();
        }
        let mut p = base.clone();
        for (x, &i) in axes.iter().zip(&idx).filter(|(x, _)| x.of.is_none()) {
            p.set(&x.key, &x.values[i]).map_err(|w| w.to_string())?;
        }
        for (x, &i) in axes.iter().zip(&idx) {
            if let Some(other) = &x.of {
                set_fraction(info, &mut p, &x.key, other, &x.values[i])?;
            }
        }
        let point = point_link(&p, &keys);
        for r in 0..reps {
            let seed = match seeds {
                Some(_) => replicate_seed(base.seed, &point, r as u64),
                None => base.seed,
            };
            let mut key: Vec<usize> = idx.iter().zip(&ranks).map(|(&i, rk)| rk[i]).collect();
            key.push(r);
            key.insert(0, key.iter().copied().max().unwrap_or(0));
            cells.push((key, format!("{point}&seed={seed}")));
        }
    }
    cells.sort();
    // a fraction axis can round two points to one cell: keep its first (coarsest) place
    let mut seen = std::collections::HashSet::new();
    Ok(cells
        .into_iter()
        .map(|(_, c)| c)
        .filter(|c| seen.insert(c.clone()))
        .collect())
}

/// Sets `key` to `fraction`·(the cell's `other`), rounded for an integer key.
fn set_fraction(
    info: &LabInfo,
    p: &mut Params,
    key: &str,
    other: &str,
    fraction: &str,
) -> Result<(), String> {
    let base: f64 = p
        .text(other)
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| format!("{key}=of:{other}: {other} has no numeric value"))?;
    let f: f64 = fraction
        .parse()
        .map_err(|_| format!("{key}: bad fraction {fraction}"))?;
    let int = info
        .specs
        .iter()
        .any(|s| s.key == key && matches!(s.kind, Kind::Int { .. }));
    let v = f * base;
    let text = if int {
        format!("{}", v.round() as i64)
    } else {
        format!("{v}")
    };
    p.set(key, &text)
        .map_err(|w| format!("{key}={text} (= {f}·{other}): {w}"))
}

/// Rank of each index 0..n in the coarse-to-fine order.
fn rank_of(n: usize) -> Vec<usize> {
    let mut rank = vec![0; n];
    for (r, i) in interleave(n).into_iter().enumerate() {
        rank[i] = r;
    }
    rank
}

/// `lab=…&key=value&…` for the given keys (no seed).
fn point_link(p: &Params, keys: &[&str]) -> String {
    let mut s = format!("lab={}", p.lab);
    for k in keys {
        if let Some(v) = p.text(k) {
            s.push_str(&format!("&{k}={}", crate::params::encode_component(&v)));
        }
    }
    s
}

/// The seed of replicate `r` of a point: a hash of the base seed, the point's link and r,
/// in [1, 2³¹) so that it reads well in a link and in any tool.
pub fn replicate_seed(base: u64, point: &str, r: u64) -> u64 {
    let h = fnv1a64(format!("{base}|{point}|{r}").as_bytes());
    // splitmix64 finaliser: FNV's low bits are weak
    let mut z = h.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    1 + z % ((1 << 31) - 1)
}

/// Parses one `key=…` argument into its values (validated by the lab's spec).
fn axis(info: &'static LabInfo, key: &str, text: &str) -> Result<Axis, String> {
    let spec = info.specs.iter().find(|s| s.key == key).ok_or_else(|| {
        let keys: Vec<&str> = info.specs.iter().map(|s| s.key).collect();
        format!(
            "the {} lab has no parameter '{key}' (parameters: {}, seed, seeds)",
            info.id,
            keys.join(", ")
        )
    })?;
    let is_points = matches!(spec.kind, Kind::Points { .. });
    if let Some(rest) = text.strip_prefix("of:") {
        return fraction_axis(info, key, text, rest);
    }
    let values: Vec<String> = if let (false, Some((log, range))) = (is_points, range_of(text)) {
        let spaced = spaced(key, text, log, range)?;
        let n = spaced.len();
        let mut out = Vec::with_capacity(n);
        for v in spaced {
            out.push(match spec.kind {
                Kind::Int { .. } => format!("{}", v.round() as i64),
                // 12 significant digits: 0.1·3 is written 0.3, the value the cell then uses
                _ => format!("{:.11e}", v)
                    .parse::<f64>()
                    .map_or(String::new(), |x| {
                        if x == 0.0 {
                            "0".into()
                        } else {
                            format!("{x}")
                        }
                    }),
            });
        }
        let mut seen = out.clone();
        seen.sort();
        seen.dedup();
        if seen.len() != out.len() {
            return Err(format!(
                "{key}={text}: the integer range has fewer than {n} distinct values"
            ));
        }
        out
    } else if !is_points && text.contains(',') {
        text.split(',').map(|s| s.trim().to_string()).collect()
    } else {
        vec![text.to_string()]
    };
    let mut checked = Vec::with_capacity(values.len());
    for v in values {
        let parsed = spec
            .parse_value(&v)
            .map_err(|m| format!("{key}={v}: {m}"))?;
        checked.push(spec.format_value(&parsed));
    }
    Ok(Axis {
        key: key.to_string(),
        values: checked,
        of: None,
    })
}

/// `COUNT` values from START to STOP (geometric if `log`), both ends exact.
fn spaced(key: &str, text: &str, log: bool, range: &str) -> Result<Vec<f64>, String> {
    let parts: Vec<&str> = range.split(':').collect();
    let [a, b, n] = parts[..] else {
        return Err(format!("{key}={text}: a range is START:STOP:COUNT"));
    };
    let num = |t: &str| -> Result<f64, String> {
        t.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("{key}={text}: '{t}' is not a number"))
    };
    let (a, b) = (num(a)?, num(b)?);
    let n: usize = n
        .trim()
        .parse()
        .ok()
        .filter(|&n| (1..=MAX_CELLS).contains(&n))
        .ok_or_else(|| {
            format!("{key}={text}: COUNT must be a whole number from 1 to {MAX_CELLS}")
        })?;
    if log && (a <= 0.0 || b <= 0.0) {
        return Err(format!(
            "{key}={text}: a log: range needs START and STOP above 0"
        ));
    }
    Ok((0..n)
        .map(|i| {
            let t = if n == 1 {
                0.0
            } else {
                i as f64 / (n - 1) as f64
            };
            if i + 1 == n {
                b
            } else if log {
                crate::dynamics::fm::powf(b / a, t) * a
            } else {
                a + (b - a) * t
            }
        })
        .collect())
}

/// `key=of:OTHER:START:STOP:COUNT`: the key is a fraction f of another numeric key, set per cell
/// to f·OTHER (rounded for an integer key), e.g. `nh=of:m:0:1:21` flips a share α_h = n_h/M of
/// the inputs whatever M the cell has. Values are checked against the spec cell by cell.
fn fraction_axis(
    info: &'static LabInfo,
    key: &str,
    text: &str,
    rest: &str,
) -> Result<Axis, String> {
    let numeric = |k: &str| {
        info.specs
            .iter()
            .find(|s| s.key == k)
            .is_some_and(|s| matches!(s.kind, Kind::Int { .. } | Kind::Real { .. }))
    };
    let (other, range) = rest
        .split_once(':')
        .ok_or_else(|| format!("{key}={text}: write of:OTHER:START:STOP:COUNT"))?;
    if !numeric(key) || !numeric(other) || other == key {
        return Err(format!(
            "{key}={text}: of: needs two different numeric parameters of the {} lab",
            info.id
        ));
    }
    let values = spaced(key, text, false, range)?
        .into_iter()
        .map(|f| format!("{f}"))
        .collect();
    Ok(Axis {
        key: key.to_string(),
        values,
        of: Some(other.to_string()),
    })
}

/// `Some((log, "START:STOP:COUNT"))` when the text is a range.
fn range_of(text: &str) -> Option<(bool, &str)> {
    let (log, rest) = match text.strip_prefix("log:") {
        Some(r) => (true, r),
        None => (false, text),
    };
    rest.contains(':').then_some((log, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn ranges_lists_and_seeds() {
        let info = crate::labs::find("hebbian").expect("lab");
        let cells = plan(info, &args("h=-3:1:5 net=pair,choke seeds=2 seed=7")).expect("plan");
        assert_eq!(cells.len(), 20);
        // coarse to fine: the first cells hold both ends of h and both networks
        let first: Vec<&String> = cells.iter().take(8).collect();
        assert!(
            first.iter().any(|c| c.contains("h=-3&")) && first.iter().any(|c| c.contains("h=1&"))
        );
        let mut sorted = cells.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 20, "distinct cells");
        // the seed of a cell is a function of the point and the base seed only
        let alone = plan(info, &args("h=-1 net=choke seeds=2 seed=7")).expect("plan");
        for c in &alone {
            assert!(cells.contains(c), "{c} is the same cell in both plans");
        }
        assert!(plan(info, &args("h=-3:1:5 seed=7")).expect("plan")[0].ends_with("&seed=7"));
    }

    #[test]
    fn bad_plans_are_errors() {
        let info = crate::labs::find("hebbian").expect("lab");
        for bad in [
            "hh=1",
            "h=-300:1:3",
            "h=0:1:x",
            "h=log:-1:1:3",
            "net=pair,nonet",
            "h=1 h=2",
        ] {
            assert!(plan(info, &args(bad)).is_err(), "{bad}");
        }
        let big = plan(info, &args("h=-1:1:1001 gamma_x=0.02:0.5:1000"));
        assert!(big.is_err_and(|e| e.contains("1001000 cells")));
    }

    #[test]
    fn fractions_follow_the_other_key() {
        let info = crate::labs::find("curl").expect("lab");
        let cells = plan(info, &args("m=10,40 nh=of:m:0:1:5 n=100")).expect("plan");
        let pairs: Vec<(String, String)> = cells
            .iter()
            .map(|c| {
                let get = |k: &str| {
                    c.split('&')
                        .find_map(|p| p.strip_prefix(k))
                        .unwrap_or("")
                        .to_string()
                };
                (get("m="), get("nh="))
            })
            .collect();
        // M = 10: nh = 0, 3 (2.5 rounds away from 0), 5, 8, 10; M = 40: 0, 10, 20, 30, 40
        for want in [
            ("10", "3"),
            ("10", "8"),
            ("40", "10"),
            ("40", "40"),
            ("10", "0"),
        ] {
            let want = (want.0.to_string(), want.1.to_string());
            assert!(pairs.contains(&want), "{want:?} in {pairs:?}");
        }
        assert_eq!(cells.len(), 10);
        // two fractions that round to one n_h give one cell
        assert_eq!(
            plan(info, &args("m=2 nh=of:m:0:0.1:3"))
                .expect("plan")
                .len(),
            1
        );
        for bad in [
            "nh=of:act:0:1:3",
            "nh=of:nh:0:1:3",
            "nh=of:m",
            "nh=of:m:0:9:2",
        ] {
            assert!(plan(info, &args(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn log_spacing_hits_both_ends() {
        let info = crate::labs::find("curl").expect("lab");
        let cells = plan(info, &args("eta=log:0.001:0.1:3")).expect("plan");
        let lrs: Vec<&str> = cells
            .iter()
            .filter_map(|c| c.split('&').find(|p| p.starts_with("eta=")))
            .collect();
        let mut lrs = lrs;
        lrs.sort();
        assert_eq!(lrs, vec!["eta=0.001", "eta=0.01", "eta=0.1"]);
    }
}
