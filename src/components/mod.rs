//! UI components, one per file. Each reads [`AppState`](crate::state::AppState)
//! from context and calls the state's actions; none holds logic worth testing
//! natively.

pub mod add_article;
pub mod adjudicate;
pub mod annotation_list;
pub mod app;
pub mod article_list;
pub mod article_view;
pub mod attribution;
pub mod compare;
pub mod digest;
pub mod files;
pub mod search_box;
pub mod selected;
pub mod storage_alert;
pub mod suggestions;
pub mod toolbar;
