//! The labs, one module per paper, and the registry that names them.

use crate::kernels::Kernel;
use crate::lab::LabInfo;

pub mod curl;
pub mod fixed_points;
pub mod hebbian;
pub mod rnn;

/// Every lab, in page order.
pub fn all() -> &'static [&'static LabInfo] {
    static ALL: [&LabInfo; 4] = [&hebbian::INFO, &curl::INFO, &rnn::INFO, &fixed_points::INFO];
    &ALL
}

/// The lab named `id`.
pub fn find(id: &str) -> Option<&'static LabInfo> {
    all().iter().copied().find(|l| l.id == id)
}

/// The lab a link without `lab=` opens.
pub fn default_lab() -> &'static LabInfo {
    &hebbian::INFO
}

/// Every lab's benchmark kernels, in lab order.
pub fn kernels() -> Vec<Kernel> {
    all().iter().flat_map(|l| (l.kernels)()).collect()
}
