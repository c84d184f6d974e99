//! The end-to-end harness, shared by the scenarios in `tests/e2e` and the
//! browser benchmark (`benches/browser.rs`): serves the release build on
//! 127.0.0.1, starts chromedriver and a headless Chromium with a fresh
//! profile, and offers the few helpers scenarios need. A scenario is a plain
//! `#[tokio::test]`:
//!
//! ```ignore
//! use annotator_test_support::{App, Result};
//!
//! let app = App::start().await?;
//! app.open("/").await?;
//! assert_eq!(app.text("h1").await?, "…");
//! app.finish().await?; // fails on any console error
//! ```
//!
//! The build folder comes from `E2E_DIST` (default `target/dist-release` of
//! the workspace, which `scripts/test` fills with `trunk build --release`).
//! The JavaScript the helpers run in the page lives in `js/`. Storage keys
//! are the app's own (`annotator_core::saver`).
#![cfg(not(target_arch = "wasm32"))]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use annotator_core::saver::DATA_KEY;
use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
use fantoccini::elements::Element;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

/// Errors in scenarios are boxed: a failing step reports what it was doing.
pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// A running app: static server + chromedriver + one browser session.
pub struct App {
    /// The WebDriver client, for anything the helpers do not cover.
    pub client: Client,
    /// Base URL of the served build, e.g. `http://127.0.0.1:41234`.
    pub base: String,
    /// Folder where downloads land.
    pub downloads: PathBuf,
    /// While true, the test server drops every connection (the network is off).
    pub offline: Arc<AtomicBool>,
    driver: DriverGuard,
    profile: PathBuf,
}

/// The workspace root (this crate's parent folder).
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("test-support sits inside the workspace")
        .to_path_buf()
}

/// How many articles the test build ships (`seeds/` + `tests/data/seeds/`).
pub fn seed_count() -> usize {
    ["seeds", "tests/data/seeds"]
        .iter()
        .map(|d| {
            std::fs::read_dir(repo_root().join(d))
                .map(|r| {
                    r.flatten()
                        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
                        .count()
                })
                .unwrap_or(0)
        })
        .sum()
}

/// The release build the scenarios drive.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("E2E_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/dist-release"))
}

/// A fresh folder under `.e2e/`.
pub fn scratch_dir(kind: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    let dir = repo_root()
        .join(".e2e")
        .join(format!("{kind}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    dir
}

impl App {
    /// Serves the release build and opens a fresh headless Chromium on it.
    pub async fn start() -> Result<App> {
        App::start_with_args(&[]).await
    }

    /// Like [`App::start`], with extra Chromium flags.
    pub async fn start_with_args(extra: &[&str]) -> Result<App> {
        App::start_serving(dist_dir(), extra).await
    }

    /// Like [`App::start`], serving the build in `dist` (e.g. a copy a test
    /// changes).
    pub async fn start_serving(dist: PathBuf, extra: &[&str]) -> Result<App> {
        if !dist.join("index.html").exists() {
            return Err(format!(
                "no release build at {} — run `trunk build --release --dist {}` (scripts/test does)",
                dist.display(),
                dist.display()
            )
            .into());
        }
        let offline = Arc::new(AtomicBool::new(false));
        let base = serve(dist, offline.clone())?;
        let port = free_port()?;
        let chromedriver =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        // Its own process group, so that the browser it starts can be killed
        // with it even when a scenario fails half-way.
        let driver = Command::new(&chromedriver)
            .process_group(0)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {chromedriver}: {e}"))?;
        let profile = scratch_dir("profile");
        let downloads = scratch_dir("downloads");
        let app_guard = DriverGuard(Some(driver));
        wait_for_port(port, Duration::from_secs(20))?;
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let mut args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", profile.display()),
        ];
        args.extend(extra.iter().map(|a| a.to_string()));
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": args,
                "prefs": {
                    "download.default_directory": downloads.display().to_string(),
                    "download.prompt_for_download": false,
                }
            },
            "goog:loggingPrefs": { "browser": "ALL" }
        });
        let caps = match caps {
            Value::Object(map) => map,
            _ => unreachable!("capabilities literal is an object"),
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await?;
        Ok(App {
            client,
            base,
            downloads,
            offline,
            driver: app_guard,
            profile,
        })
    }

    /// Navigates to `path` on the served build and waits for the app to mount.
    pub async fn open(&self, path: &str) -> Result<()> {
        self.client.goto(&format!("{}{}", self.base, path)).await?;
        self.wait_for(".app").await?;
        Ok(())
    }

    /// Navigates to an absolute URL (e.g. `file:///…`) and waits for the app.
    pub async fn open_url(&self, url: &str) -> Result<()> {
        self.client.goto(url).await?;
        self.wait_for(".app").await?;
        Ok(())
    }

    /// Waits (up to 10 s) for an element matching the CSS selector.
    pub async fn wait_for(&self, css: &str) -> Result<Element> {
        let found = self
            .client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| format!("waiting for {css:?}: {e}"))?;
        Ok(found)
    }

    /// The visible text of the first element matching the CSS selector.
    pub async fn text(&self, css: &str) -> Result<String> {
        Ok(self.wait_for(css).await?.text().await?)
    }

    /// Texts of every element matching the CSS selector.
    pub async fn texts(&self, css: &str) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for el in self.client.find_all(Locator::Css(css)).await? {
            out.push(el.text().await?);
        }
        Ok(out)
    }

    /// Clicks the first element matching the CSS selector.
    pub async fn click(&self, css: &str) -> Result<()> {
        self.wait_for(css).await?.click().await?;
        Ok(())
    }

    /// Runs a script in the page and returns its value.
    pub async fn js(&self, script: &str) -> Result<Value> {
        Ok(self.client.execute(script, vec![]).await?)
    }

    /// Polls `script` (a JS expression) until it is truthy, up to 10 s.
    pub async fn until(&self, what: &str, script: &str) -> Result<Value> {
        self.until_for(what, script, Duration::from_secs(10)).await
    }

    /// Polls `script` (a JS expression) until it is truthy, up to `limit`.
    pub async fn until_for(&self, what: &str, script: &str, limit: Duration) -> Result<Value> {
        let deadline = Instant::now() + limit;
        loop {
            let v = self.js(&format!("return ({script});")).await?;
            let truthy =
                !matches!(v, Value::Null | Value::Bool(false)) && v != json!(0) && v != json!("");
            if truthy {
                return Ok(v);
            }
            if Instant::now() > deadline {
                return Err(format!("timed out waiting for {what}: {script} = {v}").into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Runs `source` in every page of this session before the page's own
    /// scripts (Chromium's DevTools protocol through chromedriver).
    pub async fn before_every_page(&self, source: &str) -> Result<()> {
        self.client
            .issue_cmd(Cdp {
                cmd: "Page.addScriptToEvaluateOnNewDocument",
                params: json!({ "source": source }),
            })
            .await?;
        Ok(())
    }

    /// Runs one DevTools protocol command and returns its result.
    pub async fn cdp(&self, cmd: &'static str, params: Value) -> Result<Value> {
        Ok(self.client.issue_cmd(Cdp { cmd, params }).await?)
    }

    /// Browser console entries at level SEVERE since the last call.
    pub async fn console_errors(&self) -> Result<Vec<String>> {
        let logs = self.client.issue_cmd(BrowserLog).await?;
        Ok(logs
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["level"] == "SEVERE")
            .map(|e| e["message"].as_str().unwrap_or_default().to_string())
            .collect())
    }

    /// Viewport points of the left edge of code point `start` and the right
    /// edge of code point `end - 1` of the open article (scrolled into view).
    async fn char_points(&self, start: usize, end: usize) -> Result<Vec<f64>> {
        let points = self
            .js(&format!("return ({DRAG_POINTS_JS})({start}, {end});"))
            .await?;
        let p: Vec<f64> = points
            .as_array()
            .ok_or_else(|| format!("no points for {start}..{end}: {points}"))?
            .iter()
            .filter_map(Value::as_f64)
            .collect();
        if p.len() != 4 {
            return Err(format!("no points for {start}..{end}: {points}").into());
        }
        Ok(p)
    }

    /// Drags the mouse over code points `start..end` of the open article, as
    /// a person selecting text would (the pointer goes down on the first
    /// character's left edge and up on the last character's right edge).
    pub async fn drag_select(&self, start: usize, end: usize) -> Result<()> {
        let p = self.char_points(start, end).await?;
        let mouse = MouseActions::new("mouse".into())
            .then(PointerAction::MoveTo {
                duration: None,
                x: p[0],
                y: p[1],
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::MoveTo {
                duration: Some(Duration::from_millis(100)),
                x: (p[0] + p[2]) / 2.0,
                y: (p[1] + p[3]) / 2.0,
            })
            .then(PointerAction::MoveTo {
                duration: Some(Duration::from_millis(100)),
                x: p[2],
                y: p[3],
            })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            });
        self.client.perform_actions(mouse).await?;
        self.client.release_actions().await?;
        Ok(())
    }

    /// Clicks at the middle of code point `cp` of the open article.
    pub async fn click_at(&self, cp: usize) -> Result<()> {
        self.clicks_at(cp, 1).await
    }

    /// Double-clicks at the middle of code point `cp` of the open article.
    pub async fn double_click_at(&self, cp: usize) -> Result<()> {
        self.clicks_at(cp, 2).await
    }

    /// Clicks `times` times in quick succession at the middle of code point `cp`.
    async fn clicks_at(&self, cp: usize, times: usize) -> Result<()> {
        let p = self.char_points(cp, cp + 1).await?;
        let mut mouse = MouseActions::new("mouse".into()).then(PointerAction::MoveTo {
            duration: None,
            x: (p[0] + p[2]) / 2.0,
            y: p[1],
        });
        for _ in 0..times {
            mouse = mouse
                .then(PointerAction::Down {
                    button: MOUSE_BUTTON_LEFT,
                })
                .then(PointerAction::Up {
                    button: MOUSE_BUTTON_LEFT,
                });
        }
        self.client.perform_actions(mouse).await?;
        self.client.release_actions().await?;
        Ok(())
    }

    /// Types keys into the element matching `css` (WebDriver key codes, e.g.
    /// [`RIGHT`], [`SHIFT`] … [`RELEASE`]).
    pub async fn keys(&self, css: &str, keys: &str) -> Result<()> {
        self.wait_for(css).await?.send_keys(keys).await?;
        Ok(())
    }

    /// Waits until the app has written its last change (it saves right
    /// after painting it; `data-unsaved` is on `<html>` meanwhile).
    pub async fn saved(&self) -> Result<()> {
        self.until(
            "the last change to be saved",
            "!document.documentElement.hasAttribute('data-unsaved')",
        )
        .await?;
        Ok(())
    }

    /// The value stored under `key` in localStorage (after the app's
    /// pending save, if any).
    pub async fn stored(&self, key: &str) -> Result<Option<String>> {
        self.saved().await?;
        let v = self
            .js(&format!("return localStorage.getItem({});", json!(key)))
            .await?;
        Ok(v.as_str().map(str::to_string))
    }

    /// The saved annotations of an article (from localStorage), as JSON.
    pub async fn saved_annotations(&self, article: &str) -> Result<Vec<Value>> {
        let raw = self.stored(DATA_KEY).await?.ok_or("nothing saved")?;
        let file: Value = serde_json::from_str(&raw)?;
        Ok(file["articles"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|a| a["id"] == article)
            .flat_map(|a| a["annotations"].as_array().cloned().unwrap_or_default())
            .collect())
    }

    /// Reloads the page and waits for the app.
    pub async fn reload(&self) -> Result<()> {
        self.client.refresh().await?;
        self.wait_for(".app").await?;
        Ok(())
    }

    /// Waits (up to 10 s) for a finished download whose name starts with
    /// `prefix` and ends with `.ext`; returns its path.
    pub async fn download(&self, prefix: &str, ext: &str) -> Result<PathBuf> {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut last_size = None;
        loop {
            let mut found = None;
            for entry in std::fs::read_dir(&self.downloads)?.flatten() {
                let name = entry.file_name().to_string_lossy().to_string();
                if name.starts_with(prefix) && name.ends_with(&format!(".{ext}")) {
                    found = Some(entry.path());
                }
            }
            // Chromium reserves the final name with an empty file while the
            // bytes still go to a `.crdownload`: wait until that is gone and
            // the file's size holds still between two looks.
            let pending = std::fs::read_dir(&self.downloads)?
                .flatten()
                .any(|e| e.file_name().to_string_lossy().ends_with(".crdownload"));
            if let Some(path) = found.take() {
                let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                if !pending && size > 0 && last_size == Some(size) {
                    return Ok(path);
                }
                last_size = Some(size);
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "no download starting with {prefix:?} in {}",
                    self.downloads.display()
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Writes `bytes` to a scratch file named `name` and chooses it in the
    /// file input matching `css` (as the file chooser would).
    pub async fn choose_file(&self, css: &str, name: &str, bytes: &[u8]) -> Result<()> {
        let dir = scratch_dir("upload");
        let path = dir.join(name);
        std::fs::write(&path, bytes)?;
        let input = self.client.find(Locator::Css(css)).await?;
        input.send_keys(&path.display().to_string()).await?;
        Ok(())
    }

    /// Makes the page a phone's, 390 × 844 CSS px (an iPhone 12 to 15).
    /// `--window-size` cannot: headless Chromium keeps its windows at least
    /// 500 px wide.
    pub async fn phone(&self) -> Result<()> {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": false}),
        )
        .await?;
        Ok(())
    }

    /// Saves a screenshot under `target/screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let png = self.client.screenshot().await?;
        let dir = repo_root().join("target/screenshots");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
    }

    /// Closes the browser without checking the console (for scenarios that
    /// provoke errors on purpose).
    pub async fn close(self) -> Result<()> {
        let App {
            client,
            driver,
            profile,
            ..
        } = self;
        let _ = client.close().await;
        drop(driver);
        let _ = std::fs::remove_dir_all(profile);
        Ok(())
    }

    /// Fails if the page logged any console error, then closes the browser.
    pub async fn finish(self) -> Result<()> {
        let errors = self.console_errors().await?;
        let App {
            client,
            driver,
            profile,
            ..
        } = self;
        client.close().await?;
        drop(driver);
        let _ = std::fs::remove_dir_all(profile);
        if !errors.is_empty() {
            return Err(format!("console errors: {errors:#?}").into());
        }
        Ok(())
    }
}

/// A JS expression: the saved annotations file re-serialised by the
/// browser (compact, characters unescaped: the app may save non-ASCII
/// characters as `\u` escapes), or '' when there is none. Use it inside
/// `format!`: `format!("{SAVED_JSON}.includes('Koizumi')")`.
pub const SAVED_JSON: SavedJson = SavedJson;

/// See [`SAVED_JSON`]: `js/saved_json.js` called with [`DATA_KEY`].
#[derive(Debug, Clone, Copy)]
pub struct SavedJson;

impl std::fmt::Display for SavedJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "({})({})",
            include_str!("../js/saved_json.js").trim_end(),
            json!(DATA_KEY)
        )
    }
}

/// WebDriver key codes.
pub const RIGHT: &str = "\u{E014}";
/// Left arrow.
pub const LEFT: &str = "\u{E012}";
/// Shift (held until [`RELEASE`]).
pub const SHIFT: &str = "\u{E008}";
/// Releases held modifiers.
pub const RELEASE: &str = "\u{E000}";
/// Escape.
pub const ESCAPE: &str = "\u{E00C}";

/// Viewport points of the left edge of code point `s` and the right edge of
/// code point `e - 1` in the open article, after scrolling them into view
/// (a JS function of `s` and `e`).
const DRAG_POINTS_JS: &str = include_str!("../js/drag_points.js");

/// Kills chromedriver when a scenario ends, even by panic.
struct DriverGuard(Option<Child>);

impl Drop for DriverGuard {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            // The whole group: chromedriver and the Chromium it started.
            let pid = child.id();
            if pid > 1 {
                let _ = Command::new("kill")
                    .args(["-s", "KILL", "--", &format!("-{pid}")])
                    .stderr(Stdio::null())
                    .status();
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// chromedriver's log endpoint (`POST /session/{id}/se/log`).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> std::result::Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _url: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(r#"{"type":"browser"}"#.to_string()),
        )
    }
}

/// chromedriver's DevTools passthrough (`POST /session/{id}/goog/cdp/execute`).
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> std::result::Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _url: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "cmd": self.cmd, "params": self.params }).to_string()),
        )
    }
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn wait_for_port(port: u16, limit: Duration) -> Result<()> {
    let deadline = Instant::now() + limit;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return Err(format!("chromedriver did not listen on port {port}").into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

/// Serves `root` on 127.0.0.1 (a free port) from a background thread; returns
/// the base URL. GET only; `/` is `index.html`.
pub fn serve(root: PathBuf, offline: Arc<AtomicBool>) -> Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let base = format!("http://{}", listener.local_addr()?);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            if offline.load(Ordering::SeqCst) {
                let _ = stream.shutdown(std::net::Shutdown::Both);
                continue;
            }
            let root = root.clone();
            std::thread::spawn(move || {
                let _ = respond(&root, stream);
            });
        }
    });
    Ok(base)
}

fn respond(root: &Path, mut stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let rel = path.trim_start_matches('/');
    let rel = if rel.is_empty() { "index.html" } else { rel };
    let file = root.join(rel);
    let safe = !rel.split('/').any(|part| part == "..");
    let (status, body, kind) = match (safe, std::fs::read(&file)) {
        (true, Ok(body)) => ("200 OK", body, content_type(&file)),
        _ => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)?;
    stream.flush()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript",
        "webmanifest" => "application/manifest+json",
        "wasm" => "application/wasm",
        "css" => "text/css",
        "json" => "application/json",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    }
}
