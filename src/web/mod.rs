//! The wasm-bindgen layer (written next).
