//! Compare and adjudicate (issue 18), the app's side: the sides chosen in
//! the Compare dialog, the report, and the article being adjudicated.
//! Everything worth testing is in the core (`annotator_core::comparison`,
//! `annotator_core::adjudication`, `Session::adjudicate_*`); this module
//! only holds the signals and calls the core.

use annotator_core::adjudication::{Adjudication, Decision};
use annotator_core::comparison::{Comparing, Comparison, Side, Unplaced};
use annotator_core::session::{ArticleId, Timestamp};
use leptos::prelude::*;

use crate::state::{now, AppState, View};

/// What the "current work" side is called when the user gave no name.
pub const MY_WORK: &str = "My work";

/// The article being adjudicated.
#[derive(Debug, Clone)]
pub struct Adjudicating {
    /// Its id.
    pub article: String,
    /// The annotators' sets of it, cut into units.
    pub adj: Adjudication,
    /// The unit the keys act on.
    pub current: Option<usize>,
    /// The comparison it comes from (`Compare::generation`).
    pub generation: u64,
}

/// Compare's signals (a `Copy` bundle, part of `AppState`).
#[derive(Clone, Copy)]
pub struct Compare {
    /// Whether the dialog is open.
    pub open: RwSignal<bool>,
    /// Files read so far, as sides.
    pub files: RwSignal<Vec<Side>>,
    /// Files that could not be read: (file name, why).
    pub refused: RwSignal<Vec<(String, String)>>,
    /// Whether the current work is a side.
    pub include_mine: RwSignal<bool>,
    /// The last comparison.
    pub report: RwSignal<Option<Comparison>>,
    /// A comparison under way.
    pub busy: RwSignal<bool>,
    /// Counts comparisons and changes of the sides: a comparison under
    /// way whose generation is no longer current is not shown, and an
    /// adjudication is taken up again only from the report it came from.
    pub generation: StoredValue<u64>,
    /// The article being adjudicated, if any.
    pub adjudicating: RwSignal<Option<Adjudicating>>,
    /// An article whose Adjudicate asks first (it holds annotations of
    /// the user's that are not among the sides).
    pub confirm: RwSignal<Option<String>>,
}

impl Compare {
    /// Nothing chosen, dialog closed.
    pub fn new() -> Compare {
        Compare {
            open: RwSignal::new(false),
            files: RwSignal::new(Vec::new()),
            refused: RwSignal::new(Vec::new()),
            include_mine: RwSignal::new(false),
            report: RwSignal::new(None),
            busy: RwSignal::new(false),
            generation: StoredValue::new(0),
            adjudicating: RwSignal::new(None),
            confirm: RwSignal::new(None),
        }
    }
}

impl Default for Compare {
    fn default() -> Self {
        Compare::new()
    }
}

impl AppState {
    /// The name the current work goes by: the user's name, else "My work".
    pub fn my_name(&self) -> String {
        self.session
            .with_untracked(|s| s.annotator().map(str::to_string))
            .unwrap_or_else(|| MY_WORK.to_string())
    }

    /// Sets the user's name (exports carry it) and remembers it.
    pub fn set_annotator(&self, name: &str) {
        self.session
            .update_untracked(|s| s.set_annotator(name.trim()));
        self.save_prefs();
    }

    /// Reads a file chosen in the Compare dialog as a side: read, then (in
    /// a later task, so a long file does not hold the page) placed.
    pub async fn add_compare_file(&self, file_name: &str, bytes: &[u8]) {
        crate::perf::start("aa-compare-read");
        let read = Unplaced::read(file_name, bytes);
        crate::perf::measure("aa-compare-read");
        match read {
            Ok(unplaced) => {
                crate::schedule::next_task().await;
                let catalog = self.catalog();
                crate::perf::start("aa-compare-place");
                let side = unplaced.place(&catalog);
                crate::perf::measure("aa-compare-place");
                self.compare.files.update(|f| f.push(side));
                self.sides_changed();
            }
            Err(e) => self
                .compare
                .refused
                .update(|r| r.push((file_name.to_string(), e.to_string()))),
        }
    }

    /// The sides changed: the report no longer holds, and a comparison
    /// under way is not shown.
    pub fn sides_changed(&self) {
        self.compare.generation.update_value(|g| *g += 1);
        self.compare.report.set(None);
    }

    /// Compares the chosen sides (the current work first when included),
    /// one article's figures or units per task; the report shows when all
    /// are done.
    pub fn run_compare(&self) {
        let state = *self;
        leptos::task::spawn_local(async move { state.compare_in_steps().await });
    }

    async fn compare_in_steps(&self) {
        let catalog = self.catalog();
        let mut sides = Vec::new();
        if self.compare.include_mine.get_untracked() {
            let name = self.my_name();
            sides.push(self.with_workspace_untracked(|ws| Side::from_workspace(&name, ws)));
        }
        // A file that placed nothing here (no article of this browser) is
        // left out: counted, it would look like an annotator who marked
        // nothing.
        let mut empty = Vec::new();
        self.compare.files.with_untracked(|f| {
            for side in f {
                if side.sets.is_empty() {
                    empty.push(side.name.clone());
                } else {
                    sides.push(side.clone());
                }
            }
        });
        if !empty.is_empty() {
            self.status.set(format!(
                "Left out (no article of this browser in the file): {}.",
                empty.join(", ")
            ));
        }
        if sides.len() < 2 {
            self.status
                .set("Choose at least two annotators' files (or one and your work).".into());
            return;
        }
        self.compare.generation.update_value(|g| *g += 1);
        let generation = self.compare.generation.get_value();
        self.compare.busy.set(true);
        crate::perf::start("aa-compare");
        let mut comparing = Comparing::new(sides, &catalog);
        loop {
            crate::schedule::next_task().await;
            crate::perf::start("aa-compare-step");
            let more = comparing.step();
            crate::perf::measure("aa-compare-step");
            if !more {
                break;
            }
        }
        crate::schedule::next_task().await;
        let report = comparing.finish();
        crate::perf::measure("aa-compare");
        self.compare.busy.set(false);
        if self.compare.generation.get_value() == generation {
            self.compare.report.set(Some(report));
        }
    }

    /// How many annotations the user has on an article (the current work).
    pub fn own_annotations(&self, article: &str) -> usize {
        self.with_workspace_untracked(|ws| ws.set(article).map_or(0, |s| s.len()))
    }

    /// Starts adjudicating an article of the report: opens it, makes its
    /// annotations what every annotator agrees on (one edit, undoable) and
    /// shows the adjudication view on its first disagreement. The article
    /// being adjudicated already is taken up again where it stands. When
    /// the article holds annotations of the user's that are not a side,
    /// the report asks first (`confirmed` is the answer).
    pub fn start_adjudication(&self, article: &str, confirmed: bool) {
        let generation = self.compare.generation.get_value();
        let resuming = self.compare.adjudicating.with_untracked(|a| {
            a.as_ref()
                .is_some_and(|a| a.article == article && a.generation == generation)
        });
        let own = self.own_annotations(article);
        if !resuming && !confirmed && own > 0 && !self.compare.include_mine.get_untracked() {
            self.compare.confirm.set(Some(article.to_string()));
            // The question shows under the button, maybe below the fold:
            // bring it into view, focus on the safe answer.
            request_animation_frame(|| {
                if let Some(el) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| {
                        d.query_selector(".confirm-adjudicate button.keep-mine")
                            .ok()
                            .flatten()
                    })
                    .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok())
                {
                    el.scroll_into_view_with_bool(false);
                    let _ = el.focus();
                }
            });
            return;
        }
        self.compare.confirm.set(None);
        if resuming {
            // The same adjudication, kept as it is (its record of places
            // taken empty included).
            self.open(article);
            let left = self.compare.adjudicating.with_untracked(|a| {
                a.as_ref().map_or(0, |a| {
                    self.session.with_untracked(|s| {
                        s.workspace()
                            .set(article)
                            .map_or(0, |set| a.adj.remaining(&a.adj.decisions(set, s.history())))
                    })
                })
            });
            self.status.set(format!(
                "Back to adjudicating: {left} disagreement(s) left."
            ));
            self.compare.open.set(false);
            self.view.set(View::Adjudicate);
            // The view may be shown already (its own focus ran then): focus
            // goes back into it, not to the header's button.
            crate::components::adjudicate::focus_heading_soon();
            return;
        }
        let Some(adj) = self.compare.report.with_untracked(|r| {
            r.as_ref()?
                .articles
                .iter()
                .find(|a| a.id == article)
                .map(|a| a.units.clone())
        }) else {
            return;
        };
        let mut adj = adj;
        self.open(article);
        let id = ArticleId::from(article);
        let result = self.run(|s| s.adjudicate_start(&id, &mut adj, &Timestamp(now())));
        if let Err(message) = result {
            self.status.set(message);
            return;
        }
        let mut state = Adjudicating {
            article: article.to_string(),
            adj,
            current: None,
            generation,
        };
        state.current = self.next_disagreement(&state, None, true);
        self.compare.adjudicating.set(Some(state));
        self.compare.open.set(false);
        self.view.set(View::Adjudicate);
    }

    /// The decisions the curated set holds now (tracks the session).
    pub fn decisions(&self, a: &Adjudicating) -> Vec<Decision> {
        self.session.with(|s| {
            s.workspace()
                .set(&a.article)
                .map(|set| a.adj.decisions(set, s.history()))
                .unwrap_or_else(|| vec![Decision::Open; a.adj.units().len()])
        })
    }

    /// The next (or previous) disagreement after `from`, open ones first,
    /// wrapping; `None` when there is no disagreement at all.
    pub fn next_disagreement(
        &self,
        a: &Adjudicating,
        from: Option<usize>,
        forward: bool,
    ) -> Option<usize> {
        let decisions = self.session.with_untracked(|s| {
            s.workspace()
                .set(&a.article)
                .map(|set| a.adj.decisions(set, s.history()))
                .unwrap_or_default()
        });
        let units = a.adj.units();
        let n = units.len();
        if n == 0 {
            return None;
        }
        let disagree = |u: usize| units[u].kind != annotator_core::adjudication::Kind::Agree;
        let open = |u: usize| disagree(u) && decisions.get(u) == Some(&Decision::Open);
        let order: Vec<usize> = (1..=n)
            .map(|i| match (from, forward) {
                (None, true) => i - 1,
                (None, false) => n - i,
                (Some(f), true) => (f + i) % n,
                (Some(f), false) => (f + n - i % n) % n,
            })
            .collect();
        order
            .iter()
            .copied()
            .find(|&u| open(u))
            .or_else(|| order.iter().copied().find(|&u| disagree(u)))
    }

    /// Moves the adjudication's current unit to the next (or previous)
    /// disagreement.
    pub fn step_disagreement(&self, forward: bool) {
        let Some(next) = self.compare.adjudicating.with_untracked(|a| {
            a.as_ref()
                .map(|a| self.next_disagreement(a, a.current, forward))
        }) else {
            return;
        };
        self.compare.adjudicating.update(|a| {
            if let Some(a) = a {
                a.current = next;
            }
        });
        if next.is_none() {
            self.status.set("No disagreements in this article.".into());
        }
    }

    /// Takes annotator `k`'s version of the current unit (one edit), then,
    /// if `advance` (the keys), moves on to the next open disagreement; a
    /// click stays (a double click must not decide the next place too).
    pub fn take_version(&self, k: usize, advance: bool) {
        let adjudicating = self.compare.adjudicating;
        let Some((unit, annotators, article)) = adjudicating.with_untracked(|a| {
            a.as_ref()
                .map(|a| (a.current, a.adj.names().len(), a.article.clone()))
        }) else {
            return;
        };
        let Some(unit) = unit else {
            self.status.set("No disagreement is current.".into());
            return;
        };
        if k >= annotators {
            self.status.set(format!(
                "There are {annotators} annotators; key {} takes none.",
                k + 1
            ));
            return;
        }
        let id = ArticleId::from(article.as_str());
        let result = adjudicating
            .try_update_untracked(|a| {
                a.as_mut().map(|a| {
                    self.run(|s| s.adjudicate_take(&id, &mut a.adj, unit, k, &Timestamp(now())))
                })
            })
            .flatten();
        if let Some(Err(message)) = result {
            self.status.set(message);
            return;
        }
        let next = if advance {
            adjudicating.with_untracked(|a| {
                a.as_ref()
                    .and_then(|a| self.next_disagreement(a, Some(unit), true))
            })
        } else {
            Some(unit)
        };
        adjudicating.update(|a| {
            if let Some(a) = a {
                a.current = next.or(Some(unit));
            }
        });
    }

    /// Downloads the curated article as a native file with `annotator`
    /// "adjudicated".
    pub fn export_adjudicated(&self) {
        let Some(article) = self
            .compare
            .adjudicating
            .with_untracked(|a| a.as_ref().map(|a| a.article.clone()))
        else {
            return;
        };
        let file = self.session.with_untracked(|s| {
            s.export_adjudicated(&ArticleId::from(article.as_str()), &Timestamp(now()))
        });
        match file {
            Some((name, mime, bytes)) => match crate::download::download_bytes(&name, mime, &bytes)
            {
                Ok(()) => self.status.set(format!("Exported {name}.")),
                Err(e) => self.status.set(e),
            },
            None => self.status.set("That article is no longer here.".into()),
        }
    }

    /// Leaves the adjudication view for the article (the curated
    /// annotations stay: they are the article's annotations).
    pub fn leave_adjudication(&self) {
        let article = self
            .compare
            .adjudicating
            .with_untracked(|a| a.as_ref().map(|a| a.article.clone()));
        self.view.set(View::Article);
        if let Some(id) = article {
            self.open(&id);
        }
    }
}
