//! Helpers shared by the integration tests.
#![allow(dead_code)]

use lde::lab::{Lab, LabInfo};
use lde::params::{split_link, Params};
use lde::session::Session;

/// The parameters of `link` over the lab's defaults (every part must be valid).
pub fn params(info: &'static LabInfo, link: &str) -> Params {
    let (p, w) = info.params_from_pairs(&split_link(link));
    assert!(w.is_empty(), "{link}: {w:?}");
    p
}

/// A session of `link` with every job run to the end.
pub fn session(info: &'static LabInfo, link: &str) -> Session {
    let mut s = Session::from_params(info, params(info, link));
    s.run_all(1);
    s
}

/// The typed lab of a session.
pub fn lab<L: Lab>(s: &Session) -> &L {
    match s.lab().as_any().downcast_ref::<L>() {
        Some(l) => l,
        None => panic!("the session holds another lab"),
    }
}
