//! A session: one lab built from a link, with the warnings about what the link got wrong,
//! and the exports every front end offers (link, parameters JSON, report, CSV, SVG).

use crate::lab::{Lab, LabInfo};
use crate::labs;
use crate::params::{Link, Params, Warning};

/// One live lab and what was ignored when it was opened.
pub struct Session {
    pub info: &'static LabInfo,
    pub lab: Box<dyn Lab>,
    pub warnings: Vec<Warning>,
    pub embed: bool,
}

impl Session {
    /// Opens the lab a link names (or the first lab, with a warning, for a wrong name), with
    /// the link's values over the defaults. Never fails: bad values become warnings.
    pub fn from_link(link: &str) -> Session {
        let parsed = Link::parse(link);
        let mut warnings = Vec::new();
        let info = match parsed.lab.as_deref() {
            None | Some("") => labs::default_lab(),
            Some(name) => labs::find(name).unwrap_or_else(|| {
                warnings.push(Warning {
                    key: "lab".into(),
                    message: format!(
                        "no lab named '{}'; opened the {} lab",
                        short(name),
                        labs::default_lab().id
                    ),
                });
                labs::default_lab()
            }),
        };
        // A link for another lab's parameters would only produce noise: apply it only to its own lab.
        let pairs: Vec<(String, String)> = if warnings.is_empty() {
            parsed.pairs
        } else {
            Vec::new()
        };
        let (params, w) = info.params_from_pairs(&pairs);
        warnings.extend(w);
        Session {
            info,
            lab: (info.build)(params),
            warnings,
            embed: parsed.embed,
        }
    }

    /// A session of lab `id` from explicit parameters.
    pub fn from_params(info: &'static LabInfo, params: Params) -> Session {
        Session {
            info,
            lab: (info.build)(params),
            warnings: Vec::new(),
            embed: false,
        }
    }

    /// Rebuilds the lab from new parameters (a control moved).
    pub fn rebuild(&mut self, params: Params) {
        self.lab = (self.info.build)(params);
    }

    pub fn params(&self) -> &Params {
        self.lab.params()
    }

    /// The link that reopens this exact state.
    pub fn link(&self) -> String {
        let mut l = self.params().to_link();
        if self.embed {
            l.push_str("&embed=1");
        }
        l
    }

    /// The SVG of one view, drawn by the same code as the canvas.
    pub fn svg(&self, view: &str, width: u32, height: u32) -> Result<String, String> {
        let chart = self
            .lab
            .chart(view)
            .ok_or_else(|| format!("the {} lab has no view '{}'", self.info.id, short(view)))?;
        crate::plot::to_svg(&chart, width, height)
    }

    /// The CSV behind one view.
    pub fn csv(&self, view: &str) -> Result<String, String> {
        self.lab
            .csv(view)
            .ok_or_else(|| format!("the {} lab has no view '{}'", self.info.id, short(view)))
    }
}

fn short(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(40).collect()
}
