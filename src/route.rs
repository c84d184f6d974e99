//! The only module that touches the URL: the open article lives in the
//! fragment as `#/article/<id>`, so a reload, the back button and a bookmark
//! land on the same article.

/// The article id the URL names, if any.
pub fn current() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let id = hash.strip_prefix("#/article/")?;
    let id = js_sys::decode_uri_component(id).ok()?.as_string()?;
    (!id.is_empty()).then_some(id)
}

/// Puts article `id` in the URL (a new history entry) unless it is there.
pub fn set(id: &str) {
    if current().as_deref() == Some(id) {
        return;
    }
    if let Some(location) = web_sys::window().map(|w| w.location()) {
        let encoded: String = js_sys::encode_uri_component(id).into();
        let _ = location.set_hash(&format!("/article/{encoded}"));
    }
}
