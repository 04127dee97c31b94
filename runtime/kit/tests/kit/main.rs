//! The test kit's tests, one binary, through a generated crate's `mock`
//! module as users meet it: expectations, answers and conformance
//! (`expectations`), and the helpers a test leans on: naming the kit's
//! types, deliveries with ids filled in, late answers, secrets refused where
//! given (`helpers`).

mod expectations;
mod helpers;
