//! Parameter specs and the link codec.
//!
//! A lab is a pure function of its parameters, and the parameters are the link:
//! `lab=hebbian&h=-2&gamma_x=0.1&seed=7`. The same text is the page's query string, the
//! CLI's `key=value` arguments and what the tests speak. Decoding never fails: a bad value
//! becomes the default for just that key and a [`Warning`] that names it.

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

impl ParamSpec {
    pub const fn real(
        key: &'static str,
        label: &'static str,
        min: f64,
        max: f64,
        default: f64,
        step: f64,
    ) -> Self {
        ParamSpec {
            key,
            label,
            kind: Kind::Real {
                min,
                max,
                default,
                step,
                log: false,
            },
            unit: "",
            help: "",
        }
    }
    pub const fn log_real(
        key: &'static str,
        label: &'static str,
        min: f64,
        max: f64,
        default: f64,
    ) -> Self {
        ParamSpec {
            key,
            label,
            kind: Kind::Real {
                min,
                max,
                default,
                step: 0.0,
                log: true,
            },
            unit: "",
            help: "",
        }
    }
    pub const fn int(
        key: &'static str,
        label: &'static str,
        min: i64,
        max: i64,
        default: i64,
    ) -> Self {
        ParamSpec {
            key,
            label,
            kind: Kind::Int { min, max, default },
            unit: "",
            help: "",
        }
    }
    pub const fn choice(
        key: &'static str,
        label: &'static str,
        options: &'static [&'static str],
        default: usize,
    ) -> Self {
        ParamSpec {
            key,
            label,
            kind: Kind::Choice { options, default },
            unit: "",
            help: "",
        }
    }
    pub const fn flag(key: &'static str, label: &'static str, default: bool) -> Self {
        ParamSpec {
            key,
            label,
            kind: Kind::Flag { default },
            unit: "",
            help: "",
        }
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
        }
    }

    /// Parses `text` as a value of this parameter, or says why it cannot.
    pub fn parse_value(&self, text: &str) -> Result<Value, String> {
        let t = text.trim();
        match self.kind {
            Kind::Real { min, max, .. } => {
                let v: f64 = t.parse().map_err(|_| format!("'{t}' is not a number"))?;
                if !v.is_finite() {
                    return Err(format!("'{t}' is not a finite number"));
                }
                if v < min || v > max {
                    return Err(format!("{v} is outside [{min}, {max}]"));
                }
                Ok(Value::Real(v))
            }
            Kind::Int { min, max, .. } => {
                let v: i64 = t
                    .parse()
                    .map_err(|_| format!("'{t}' is not a whole number"))?;
                if v < min || v > max {
                    return Err(format!("{v} is outside [{min}, {max}]"));
                }
                Ok(Value::Int(v))
            }
            Kind::Choice { options, .. } => options
                .iter()
                .position(|o| *o == t)
                .map(Value::Choice)
                .ok_or_else(|| format!("'{t}' is not one of {}", options.join(", "))),
            Kind::Flag { .. } => match t {
                "1" | "true" | "on" | "yes" => Ok(Value::Flag(true)),
                "0" | "false" | "off" | "no" => Ok(Value::Flag(false)),
                _ => Err(format!("'{t}' is not 0 or 1")),
            },
        }
    }

    /// Formats a value so that [`ParamSpec::parse_value`] gives it back exactly.
    pub fn format_value(&self, value: &Value) -> String {
        match (self.kind, value) {
            (_, Value::Real(v)) => format!("{v}"),
            (_, Value::Int(v)) => format!("{v}"),
            (Kind::Choice { options, .. }, Value::Choice(i)) => {
                options.get(*i).copied().unwrap_or("").to_string()
            }
            (_, Value::Choice(i)) => format!("{i}"),
            (_, Value::Flag(b)) => (if *b { "1" } else { "0" }).to_string(),
        }
    }
}

/// A parameter's value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Real(f64),
    Int(i64),
    Choice(usize),
    Flag(bool),
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

/// Keys every link may carry besides a lab's own parameters.
pub const PAGE_KEYS: &[&str] = &["lab", "seed", "embed", "view"];

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
    pub fn value(&self, key: &str) -> Option<Value> {
        self.index(key).and_then(|i| self.values.get(i).copied())
    }

    /// A real (or integer) parameter as f64; 0 for a key the lab does not have (a programming error).
    pub fn real(&self, key: &str) -> f64 {
        match self.value(key) {
            Some(Value::Real(v)) => v,
            Some(Value::Int(v)) => v as f64,
            Some(Value::Choice(i)) => i as f64,
            Some(Value::Flag(b)) => f64::from(u8::from(b)),
            None => {
                debug_assert!(false, "unknown parameter {key}");
                0.0
            }
        }
    }

    /// An integer parameter.
    pub fn int(&self, key: &str) -> i64 {
        match self.value(key) {
            Some(Value::Int(v)) => v,
            Some(Value::Real(v)) => v.round() as i64,
            _ => {
                debug_assert!(false, "not an integer parameter {key}");
                0
            }
        }
    }

    /// The name of the chosen option of a choice parameter ("" for a key the lab does not have).
    pub fn choice(&self, key: &str) -> &'static str {
        match (self.index(key), self.value(key)) {
            (Some(i), Some(Value::Choice(c))) => match self.specs[i].kind {
                Kind::Choice { options, .. } => options.get(c).copied().unwrap_or(""),
                _ => "",
            },
            _ => {
                debug_assert!(false, "not a choice parameter {key}");
                ""
            }
        }
    }

    /// A flag parameter.
    pub fn flag(&self, key: &str) -> bool {
        matches!(self.value(key), Some(Value::Flag(true)))
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

    /// Sets `key` to a value directly (used by the page's controls and the tests).
    pub fn set_value(&mut self, key: &str, v: Value) -> Result<(), Warning> {
        let Some(i) = self.index(key) else {
            return Err(Warning {
                key: short(key),
                message: "unknown parameter".into(),
            });
        };
        let text = self.specs[i].format_value(&v);
        self.set(key, &text)
    }

    /// Applies `key=value&…` pairs over the current values; page keys are skipped.
    pub fn apply(&mut self, pairs: &[(String, String)]) -> Vec<Warning> {
        let mut warnings = Vec::new();
        for (k, v) in pairs {
            if k == "lab" || k == "embed" || k == "view" {
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
        let mut out = format!("lab={}", self.lab);
        for (spec, v) in self.specs.iter().zip(&self.values) {
            out.push('&');
            out.push_str(spec.key);
            out.push('=');
            out.push_str(&encode_component(&spec.format_value(v)));
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
                Value::Choice(_) => spec.format_value(v).into(),
                Value::Flag(b) => (*b).into(),
            };
            m.insert(spec.key.into(), j);
        }
        m.insert("seed".into(), self.seed.into());
        serde_json::Value::Object(m)
    }
}

/// Shortens user text for a message (hostile links can be long).
fn short(s: &str) -> String {
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

/// Percent-encodes what a link value cannot hold literally.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'+' => {
                out.push(b as char)
            }
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
}

#[cfg(test)]
mod tests {
    use super::*;

    static SPECS: &[ParamSpec] = &[
        ParamSpec::real("h", "h", -3.0, 1.0, -0.8, 0.005),
        ParamSpec::log_real("eps", "ε", 0.05, 5.0, 1.0),
        ParamSpec::int("n", "n", 1, 10, 3),
        ParamSpec::choice("net", "network", &["pair", "choke", "ring"], 0),
        ParamSpec::flag("proj", "projection", true),
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
        let w = p.apply(&split_link("h=abc&eps=100&n=2&net=torus&zzz=1&proj=0"));
        assert_eq!(w.len(), 4, "{w:?}");
        assert_eq!(p.real("h"), -0.8);
        assert_eq!(p.real("eps"), 1.0);
        assert_eq!(p.int("n"), 2);
        assert_eq!(p.choice("net"), "pair");
        assert!(!p.flag("proj"));
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
