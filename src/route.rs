//! The only module that touches the URL: the open article lives in the
//! fragment as `#/article/<id>`, the digest as `#/digest?<query>` and an
//! actor's page as `#/digest/actor/<name>`, so a reload, the back button
//! and a bookmark land on the same view.

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

/// Where the URL's fragment points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `#/article/<id>`.
    Article(String),
    /// `#/digest` and its query (what follows `?`, maybe empty).
    Digest(String),
    /// `#/digest/actor/<name>`.
    Actor(String),
}

/// The route the URL names, if any.
pub fn route() -> Option<Route> {
    let hash = web_sys::window()?.location().hash().ok()?;
    parse(&hash)
}

/// The route of a fragment (`#/…`).
pub fn parse(hash: &str) -> Option<Route> {
    let decode = |s: &str| js_sys::decode_uri_component(s).ok()?.as_string();
    if let Some(id) = hash.strip_prefix("#/article/") {
        let id = decode(id)?;
        return (!id.is_empty()).then_some(Route::Article(id));
    }
    if let Some(name) = hash.strip_prefix("#/digest/actor/") {
        return Some(Route::Actor(decode(name)?));
    }
    let rest = hash.strip_prefix("#/digest")?;
    match rest.strip_prefix('?') {
        Some(query) => Some(Route::Digest(query.to_string())),
        None if rest.is_empty() || rest == "/" => Some(Route::Digest(String::new())),
        None => None,
    }
}

/// The fragment of the digest with `query` (`#/digest` or `#/digest?…`).
pub fn digest_href(query: &str) -> String {
    if query.is_empty() {
        "#/digest".to_string()
    } else {
        format!("#/digest?{query}")
    }
}

/// The fragment of an actor's page.
pub fn actor_href(name: &str) -> String {
    let encoded: String = js_sys::encode_uri_component(name).into();
    format!("#/digest/actor/{encoded}")
}

/// Goes to `href` (a fragment; a new history entry).
pub fn go(href: &str) {
    if let Some(location) = web_sys::window().map(|w| w.location()) {
        let _ = location.set_hash(href.trim_start_matches('#'));
    }
}

/// Puts the digest with `query` in the URL in place of the current entry
/// (changing a filter does not add a step to Back).
pub fn replace_digest(query: &str) {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return;
    };
    let Ok(href) = location.href() else {
        return;
    };
    let base = href.split('#').next().unwrap_or(&href);
    let _ = location.replace(&format!("{base}{}", digest_href(query)));
}
