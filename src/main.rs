//! Entry point: installs the panic hook (console log + recovery screen),
//! mounts the app and marks when it is ready (for the benchmark). Nothing else.

fn main() {
    article_annotator::perf::mark("aa-main");
    article_annotator::recovery::install();
    article_annotator::perf::start("aa-mount");
    leptos::mount::mount_to_body(article_annotator::App);
    article_annotator::perf::measure("aa-mount");
    article_annotator::perf::mark_ready_after_next_frame();
}
