//! UI components, one per file. Each reads [`AppState`](crate::state::AppState)
//! from context and calls the core; none holds logic worth testing natively.

pub mod app;
pub mod article_list;
pub mod article_view;
