//! Entry point: installs the panic hook, mounts the app and marks when it is
//! ready (for the benchmark). Nothing else.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(article_annotator::App);
    article_annotator::perf::mark_ready_after_next_frame();
}
