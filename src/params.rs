//! Parameter specs and the link codec.
//!
//! A lab is a pure function of its parameters, and the parameters are the link:
//! `lab=hebbian&h=-2&gamma_x=0.1&seed=7`. The same text is the page's query string, the
//! CLI's `key=value` arguments and what the tests speak. Decoding never fails: a bad value
//! becomes the default for just that key and a [`Warning`] that names it.
//!
//! Labs never read a [`Params`] by string key: each declares its parameters once with
//! [`crate::settings!`], which generates the spec list and a typed struct read positionally.

use std::fmt;

/// The kind and range of one parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// A real number in `[min, max]`; `log` asks the page for a logarithmic slider.
    Real {
        min: f64,
        max: f64,
        default: f64,
        step: f64,
        log: bool,
    },
    /// An integer in `[min, max]`.
    Int { min: i64, max: i64, default: i64 },
    /// One of a fixed list of named options.
    Choice {
        options: &'static [&'static str],
        default: usize,
    },
    /// On or off (`1`/`0` in a link; `true`/`false`/`on`/`off` are accepted too).
    Flag { default: bool },
    /// Up to `max` points `(x, y)` inside `[x.0, x.1] × [y.0, y.1]`, written `x,y;x,y` (empty:
    /// none). Set by clicks and the keyboard "Launch" route, never by a slider.
    Points {
        max: usize,
        x: (f64, f64),
        y: (f64, f64),
        default: &'static [(f64, f64)],
    },
}

/// One parameter: its link key, its label, range, unit and help text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamSpec {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    pub unit: &'static str,
    pub help: &'static str,
}

/// Spec builders. The key is filled in by [`crate::settings!`] from the field name.
impl ParamSpec {
    const fn of(label: &'static str, kind: Kind) -> Self {
        ParamSpec {
            key: "",
            label,
            kind,
            unit: "",
            help: "",
        }
    }
    /// A real in `[min, max]` with a linear slider of the given step.
    pub const fn real(label: &'static str, min: f64, max: f64, default: f64, step: f64) -> Self {
        Self::of(
            label,
            Kind::Real {
                min,
                max,
                default,
                step,
                log: false,
            },
        )
    }
    /// A positive real in `[min, max]` with a logarithmic slider.
    pub const fn log_real(label: &'static str, min: f64, max: f64, default: f64) -> Self {
        Self::of(
            label,
            Kind::Real {
                min,
                max,
                default,
                step: 0.0,
                log: true,
            },
        )
    }
    /// An integer in `[min, max]`.
    pub const fn int(label: &'static str, min: i64, max: i64, default: i64) -> Self {
        Self::of(label, Kind::Int { min, max, default })
    }
    /// One of `options` (use [`crate::choice_enum!`]'s `OPTIONS` and `as usize` of the default).
    pub const fn choice(
        label: &'static str,
        options: &'static [&'static str],
        default: usize,
    ) -> Self {
        Self::of(label, Kind::Choice { options, default })
    }
    /// On or off.
    pub const fn flag(label: &'static str, default: bool) -> Self {
        Self::of(label, Kind::Flag { default })
    }
    /// Up to `max` points in a box.
    pub const fn points(
        label: &'static str,
        max: usize,
        x: (f64, f64),
        y: (f64, f64),
        default: &'static [(f64, f64)],
    ) -> Self {
        Self::of(label, Kind::Points { max, x, y, default })
    }
    /// Sets the link key.
    pub const fn key(mut self, key: &'static str) -> Self {
        self.key = key;
        self
    }
    /// Sets the help text (shown on hover and to screen readers).
    pub const fn help(mut self, help: &'static str) -> Self {
        self.help = help;
        self
    }
    /// Sets the unit shown after the value.
    pub const fn unit(mut self, unit: &'static str) -> Self {
        self.unit = unit;
        self
    }

    /// The spec's default value.
    pub fn default_value(&self) -> Value {
        match self.kind {
            Kind::Real { default, .. } => Value::Real(default),
            Kind::Int { default, .. } => Value::Int(default),
            Kind::Choice { default, .. } => Value::Choice(default),
            Kind::Flag { default } => Value::Flag(default),
            Kind::Points { default, .. } => Value::Points(default.to_vec()),
        }
    }

    /// Parses `text` as a value of this parameter, or says why it cannot.
    pub fn parse_value(&self, text: &str) -> Result<Value, String> {
        let t = text.trim();
        match self.kind {
            Kind::Real { min, max, .. } => {
                let v = parse_real(t)?;
                if v < min || v > max {
                    return Err(format!("{v} is outside [{min}, {max}]"));
                }
                // −0 is 0: a link never carries "-0"
                Ok(Value::Real(if v == 0.0 { 0.0 } else { v }))
            }
            Kind::Int { min, max, .. } => {
                let v: i64 = t
                    .parse()
                    .map_err(|_| format!("'{}' is not a whole number", short(t)))?;
                if v < min || v > max {
                    return Err(format!("{v} is outside [{min}, {max}]"));
                }
                Ok(Value::Int(v))
            }
            Kind::Choice { options, .. } => options
                .iter()
                .position(|o| *o == t)
                .map(Value::Choice)
                .ok_or_else(|| format!("'{}' is not one of {}", short(t), options.join(", "))),
            Kind::Flag { .. } => match t {
                "1" | "true" | "on" | "yes" => Ok(Value::Flag(true)),
                "0" | "false" | "off" | "no" => Ok(Value::Flag(false)),
                _ => Err(format!("'{}' is not 0 or 1", short(t))),
            },
            Kind::Points { max, x, y, .. } => {
                let mut pts = Vec::new();
                for piece in t.split(';').filter(|s| !s.trim().is_empty()) {
                    let (a, b) = piece
                        .split_once(',')
                        .ok_or_else(|| format!("'{}' is not a point x,y", short(piece)))?;
                    let (px, py) = (parse_real(a.trim())?, parse_real(b.trim())?);
                    if px < x.0 || px > x.1 || py < y.0 || py > y.1 {
                        return Err(format!(
                            "({px}, {py}) is outside [{}, {}] × [{}, {}]",
                            x.0, x.1, y.0, y.1
                        ));
                    }
                    pts.push((px + 0.0, py + 0.0));
                }
                if pts.len() > max {
                    return Err(format!("{} points given, at most {max} allowed", pts.len()));
                }
                Ok(Value::Points(pts))
            }
        }
    }

    /// Formats a value so that [`ParamSpec::parse_value`] gives it back exactly.
    pub fn format_value(&self, value: &Value) -> String {
        match (self.kind, value) {
            (_, Value::Real(v)) => fmt_real(*v),
            (_, Value::Int(v)) => format!("{v}"),
            (Kind::Choice { options, .. }, Value::Choice(i)) => {
                options.get(*i).copied().unwrap_or("").to_string()
            }
            (_, Value::Choice(i)) => format!("{i}"),
            (_, Value::Flag(b)) => (if *b { "1" } else { "0" }).to_string(),
            (_, Value::Points(p)) => p
                .iter()
                .map(|(x, y)| format!("{},{}", fmt_real(*x), fmt_real(*y)))
                .collect::<Vec<_>>()
                .join(";"),
        }
    }

    /// True when `value` is a valid value of this spec (kind and range).
    pub fn accepts(&self, value: &Value) -> bool {
        self.parse_value(&self.format_value(value)).as_ref() == Ok(value)
    }
}

fn parse_real(t: &str) -> Result<f64, String> {
    let v: f64 = t
        .parse()
        .map_err(|_| format!("'{}' is not a number", short(t)))?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(format!("'{}' is not a finite number", short(t)))
    }
}

/// Shortest text that parses back to `v` exactly; never "-0".
fn fmt_real(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else {
        format!("{v}")
    }
}

/// A parameter's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Real(f64),
    Int(i64),
    Choice(usize),
    Flag(bool),
    Points(Vec<(f64, f64)>),
}

/// Something in a link that was ignored, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub key: String,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

/// The default seed of every lab.
pub const DEFAULT_SEED: u64 = 1;

/// Keys a link may carry besides a lab's own parameters and the seed. They change no number:
/// `embed` and `view` shape the page, `workers` sizes the worker pool, `wasm=scalar` picks
/// the scalar build (the same bits as the SIMD one), `results` names a
/// results file to overlay (not `data`: the curl lab has a `data` parameter), and
/// `stage`/`job` name one job of the link (see [`crate::lab::work`]).
pub const PAGE_KEYS: &[&str] = &[
    "lab", "embed", "view", "workers", "wasm", "results", "stage", "job",
];

/// A full, valid parameter set of one lab: a value for every spec, and the seed.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub lab: &'static str,
    pub specs: &'static [ParamSpec],
    pub values: Vec<Value>,
    pub seed: u64,
}

impl Params {
    /// Every parameter at its default.
    pub fn defaults(lab: &'static str, specs: &'static [ParamSpec]) -> Self {
        Params {
            lab,
            specs,
            values: specs.iter().map(ParamSpec::default_value).collect(),
            seed: DEFAULT_SEED,
        }
    }

    fn index(&self, key: &str) -> Option<usize> {
        self.specs.iter().position(|s| s.key == key)
    }

    /// The value of `key` (None for a key the lab does not have).
    pub fn value(&self, key: &str) -> Option<&Value> {
        self.index(key).and_then(|i| self.values.get(i))
    }

    /// The value of `key` as link text (None for a key the lab does not have).
    pub fn text(&self, key: &str) -> Option<String> {
        if key == "seed" {
            return Some(self.seed.to_string());
        }
        let i = self.index(key)?;
        Some(self.specs[i].format_value(&self.values[i]))
    }

    /// Sets `key` from text, validating it; the parameter keeps its value on error.
    pub fn set(&mut self, key: &str, text: &str) -> Result<(), Warning> {
        if key == "seed" {
            return match text.trim().parse::<u64>() {
                Ok(s) => {
                    self.seed = s;
                    Ok(())
                }
                Err(_) => Err(Warning {
                    key: key.into(),
                    message: format!("'{}' is not a seed (a whole number ≥ 0)", short(text)),
                }),
            };
        }
        let Some(i) = self.index(key) else {
            return Err(Warning {
                key: short(key),
                message: format!("unknown parameter for the {} lab", self.lab),
            });
        };
        let spec = self.specs[i];
        let v = spec.parse_value(text).map_err(|m| Warning {
            key: key.into(),
            message: format!(
                "{}; using the default {}",
                short(&m),
                spec.format_value(&spec.default_value())
            ),
        })?;
        self.values[i] = v;
        Ok(())
    }

    /// Sets the parameter at position `i` of the specs to `v`, validating it.
    pub fn set_index(&mut self, i: usize, v: Value) -> Result<(), Warning> {
        let Some(spec) = self.specs.get(i) else {
            return Err(Warning {
                key: format!("#{i}"),
                message: "no such parameter".into(),
            });
        };
        if !spec.accepts(&v) {
            return Err(Warning {
                key: spec.key.into(),
                message: format!("{} is not a valid value", spec.format_value(&v)),
            });
        }
        self.values[i] = v;
        Ok(())
    }

    /// Applies `key=value&…` pairs over the current values; page keys are skipped. A key given
    /// twice is applied once (the last) and named in a warning.
    pub fn apply(&mut self, pairs: &[(String, String)]) -> Vec<Warning> {
        let mut warnings = Vec::new();
        for (n, (k, v)) in pairs.iter().enumerate() {
            if PAGE_KEYS.contains(&k.as_str()) {
                continue;
            }
            if pairs[n + 1..].iter().any(|(k2, _)| k2 == k) {
                warnings.push(Warning {
                    key: short(k),
                    message: "given more than once; the last value is used".into(),
                });
                continue;
            }
            if let Err(w) = self.set(k, v) {
                warnings.push(w);
            }
        }
        warnings
    }

    /// The link of this state: `lab=…&<every parameter>&seed=…`.
    pub fn to_link(&self) -> String {
        self.link_of(|_| true)
    }

    /// The link with only the parameters `keep` accepts (and the seed): what one stage's jobs
    /// read (see [`crate::lab::work::Deps`]).
    pub fn link_of(&self, keep: impl Fn(&str) -> bool) -> String {
        let mut out = format!("lab={}", self.lab);
        for (spec, v) in self.specs.iter().zip(&self.values) {
            if keep(spec.key) {
                out.push('&');
                out.push_str(spec.key);
                out.push('=');
                out.push_str(&encode_component(&spec.format_value(v)));
            }
        }
        out.push_str(&format!("&seed={}", self.seed));
        out
    }

    /// The parameters as a JSON object (what "export parameters" writes).
    pub fn to_json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        m.insert("lab".into(), self.lab.into());
        for (spec, v) in self.specs.iter().zip(&self.values) {
            let j: serde_json::Value = match v {
                Value::Real(x) => (*x).into(),
                Value::Int(x) => (*x).into(),
                Value::Flag(b) => (*b).into(),
                Value::Choice(_) | Value::Points(_) => spec.format_value(v).into(),
            };
            m.insert(spec.key.into(), j);
        }
        m.insert("seed".into(), self.seed.into());
        serde_json::Value::Object(m)
    }
}

/// Shortens user text for a message (hostile links can be long).
pub fn short(s: &str) -> String {
    let s: String = s.chars().filter(|c| !c.is_control()).collect();
    if s.chars().count() > 40 {
        let t: String = s.chars().take(40).collect();
        format!("{t}…")
    } else {
        s
    }
}

/// Splits a link (`?a=1&b=2`, `#a=1`, or `a=1&b=2`) into decoded key/value pairs.
/// A piece without `=` becomes a key with an empty value.
pub fn split_link(link: &str) -> Vec<(String, String)> {
    let s = link.trim();
    let s = s
        .strip_prefix('?')
        .or_else(|| s.strip_prefix('#'))
        .unwrap_or(s);
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode_component(k), decode_component(v))
        })
        .collect()
}

/// Percent-encodes what a link value cannot hold literally (`,` and `;` separate points).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'~'
            | b'+'
            | b','
            | b';' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Decodes `%XX` escapes (invalid escapes are kept literally; invalid UTF-8 is replaced).
pub fn decode_component(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(a), Some(b)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((a * 16 + b) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A page-level view of a link: which lab, embed mode, and the pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub lab: Option<String>,
    pub embed: bool,
    pub pairs: Vec<(String, String)>,
}

impl Link {
    pub fn parse(link: &str) -> Link {
        let pairs = split_link(link);
        let lab = pairs
            .iter()
            .rev()
            .find(|(k, _)| k == "lab")
            .map(|(_, v)| v.clone());
        let embed = pairs
            .iter()
            .any(|(k, v)| k == "embed" && (v == "1" || v == "true"));
        Link { lab, embed, pairs }
    }

    /// The last value of a page key.
    pub fn page_value(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static SPECS: &[ParamSpec] = &[
        ParamSpec::real("h", -3.0, 1.0, -0.8, 0.005).key("h"),
        ParamSpec::log_real("ε", 0.05, 5.0, 1.0).key("eps"),
        ParamSpec::int("n", 1, 10, 3).key("n"),
        ParamSpec::choice("network", &["pair", "choke", "ring"], 0).key("net"),
        ParamSpec::flag("projection", true).key("proj"),
        ParamSpec::points("start", 2, (-4.0, 4.0), (-1.0, 1.0), &[]).key("start"),
    ];

    #[test]
    fn roundtrip_defaults() {
        let p = Params::defaults("t", SPECS);
        let mut q = Params::defaults("t", SPECS);
        q.values[0] = Value::Real(0.5);
        let w = q.apply(&split_link(&p.to_link()));
        assert!(w.is_empty());
        assert_eq!(p, q);
    }

    #[test]
    fn bad_values_warn_and_keep_default() {
        let mut p = Params::defaults("t", SPECS);
        let w = p.apply(&split_link(
            "h=abc&eps=100&n=2&net=torus&zzz=1&proj=0&start=9,0",
        ));
        assert_eq!(w.len(), 5, "{w:?}");
        assert_eq!(p.values[0], Value::Real(-0.8));
        assert_eq!(p.values[1], Value::Real(1.0));
        assert_eq!(p.values[2], Value::Int(2));
        assert_eq!(p.values[3], Value::Choice(0));
        assert_eq!(p.values[4], Value::Flag(false));
        assert_eq!(p.values[5], Value::Points(vec![]));
    }

    #[test]
    fn points_roundtrip_and_negative_zero() {
        let mut p = Params::defaults("t", SPECS);
        assert!(p.apply(&split_link("start=-1.5,0.25;3,-0&h=-0")).is_empty());
        assert_eq!(p.values[5], Value::Points(vec![(-1.5, 0.25), (3.0, 0.0)]));
        let link = p.to_link();
        assert!(link.contains("start=-1.5,0.25;3,0"), "{link}");
        assert!(link.contains("h=0&"), "{link}");
        assert!(!link.contains("-0&"), "{link}");
        let mut q = Params::defaults("t", SPECS);
        assert!(q.apply(&split_link(&link)).is_empty());
        assert_eq!(p, q);
        assert!(!p.apply(&split_link("start=1,0;1,0;1,0")).is_empty());
    }

    #[test]
    fn duplicate_keys_are_named() {
        let mut p = Params::defaults("t", SPECS);
        let w = p.apply(&split_link("h=-2&h=0.5"));
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].message.contains("more than once"));
        assert_eq!(p.values[0], Value::Real(0.5));
    }

    #[test]
    fn decode_escapes() {
        assert_eq!(decode_component("a%20b"), "a b");
        assert_eq!(decode_component("%"), "%");
        assert_eq!(decode_component("%4"), "%4");
        assert_eq!(decode_component("%zz"), "%zz");
        assert_eq!(encode_component("-1.5e-3"), "-1.5e-3");
    }
}
