//! The only module that touches the service worker: registers `sw.js`
//! (written into release builds by `scripts/service_worker.py`) so the
//! hosted app opens and works offline after one visit, and tells the user
//! when a new version is ready instead of swapping it under them.
//!
//! Skipped on `file://` (the single-file build), where service workers cannot
//! run, and in debug builds (`trunk serve`), where a cache would hide edits.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// Registers the service worker; sets `update_ready` when a new version is
/// installed and waiting.
pub fn register(update_ready: RwSignal<bool>) {
    if cfg!(debug_assertions) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let protocol = window.location().protocol().unwrap_or_default();
    if protocol != "https:" && protocol != "http:" {
        return;
    }
    let navigator = window.navigator();
    if !js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        return;
    }
    let container = navigator.service_worker();
    // After the user accepts an update, reload once the new worker controls the page.
    let reload = Closure::<dyn Fn()>::new(move || {
        if update_ready.try_get_untracked() == Some(true) {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        }
    });
    container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
    reload.forget();
    let had_controller = container.controller().is_some();
    let promise = container.register("./sw.js");
    leptos::task::spawn_local(async move {
        let Ok(registration) = wasm_bindgen_futures::JsFuture::from(promise).await else {
            return;
        };
        let registration: web_sys::ServiceWorkerRegistration = registration.unchecked_into();
        if had_controller && registration.waiting().is_some() {
            update_ready.set(true);
        }
        let reg = registration.clone();
        let on_update = Closure::<dyn Fn()>::new(move || {
            let Some(installing) = reg.installing() else {
                return;
            };
            let worker = installing.clone();
            let on_state = Closure::<dyn Fn()>::new(move || {
                // Installed while another version controls the page: an update.
                let controlled = web_sys::window()
                    .is_some_and(|w| w.navigator().service_worker().controller().is_some());
                if worker.state() == web_sys::ServiceWorkerState::Installed && controlled {
                    update_ready.try_set(true);
                }
            });
            installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        });
        registration.set_onupdatefound(Some(on_update.as_ref().unchecked_ref()));
        on_update.forget();
    });
}

/// Asks the waiting new version to take over (the page then reloads).
pub fn activate_update() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    let promise = container.get_registration();
    leptos::task::spawn_local(async move {
        let Ok(registration) = wasm_bindgen_futures::JsFuture::from(promise).await else {
            return;
        };
        let Ok(registration) = registration.dyn_into::<web_sys::ServiceWorkerRegistration>() else {
            return;
        };
        match registration.waiting() {
            Some(waiting) => {
                let _ = waiting.post_message(&JsValue::from_str("skip-waiting"));
            }
            None => {
                let _ = web_sys::window().map(|w| w.location().reload());
            }
        }
    });
}
