//! Pages rendered on the server as complete HTML documents without any script:
//! the student survey and the staff login. They work on any device with
//! JavaScript off and weigh a few kilobytes.

#[cfg(feature = "ssr")]
use leptos::prelude::*;

/// Renders `body` inside a plain, script-free HTML document.
#[cfg(feature = "ssr")]
pub fn render<V>(
    lang: &'static str,
    dir: &'static str,
    title: &str,
    body_class: &'static str,
    body: impl FnOnce() -> V,
) -> String
where
    V: IntoView + 'static,
{
    use leptos::tachys::view::RenderHtml;
    let owner = Owner::new();
    owner.with(|| {
        let title = format!("{title} · Peiling");
        let page = view! {
            <html lang=lang dir=dir>
                <head>
                    <meta charset="utf-8"/>
                    <meta name="viewport" content="width=device-width, initial-scale=1"/>
                    <meta name="robots" content="noindex"/>
                    <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                    <link rel="stylesheet" href="/pkg/peiling.css"/>
                    <title>{title}</title>
                </head>
                <body class=body_class>
                    <header class="survey-header">
                        <a class="wordmark" href="/">"Peiling"</a>
                    </header>
                    <main id="main" class="page narrow">{body()}</main>
                </body>
            </html>
        };
        format!("<!DOCTYPE html>{}", page.to_html())
    })
}
