//! A `<textarea>` whose content is any text a person typed.
//!
//! The view renderer writes the children of `<textarea>` (and `<noscript>`,
//! `<script>`, `<style>`) without HTML escaping, as it must for scripts and
//! styles. A textarea's content is still parsed for `</textarea>` and
//! character references, so text typed by a person is escaped here first:
//! `</textarea><img …>` stays text in the field instead of becoming markup.

use leptos::prelude::*;

/// `text` made safe for the content of a textarea: `&` and `<` (and `>` for
/// good measure) as character references, which the browser turns back into
/// the same characters in the field.
pub fn escape_raw_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// A textarea showing `text`, escaped.
#[component]
pub fn TextArea(
    id: String,
    name: &'static str,
    rows: u32,
    maxlength: u32,
    text: String,
) -> impl IntoView {
    view! {
        <textarea id=id name=name rows=rows maxlength=maxlength>{escape_raw_text(&text)}</textarea>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_closes_the_field_stays_text() {
        let hostile = "</textarea><img src=x onerror=alert(1)> & more";
        let html = view! {
            <TextArea id="help".into() name="value" rows=3 maxlength=2000 text=hostile.into()/>
        }
        .to_html();
        assert_eq!(
            html.matches("</textarea>").count(),
            1,
            "only the field's own end tag: {html}"
        );
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("&lt;/textarea&gt;&lt;img src=x onerror=alert(1)&gt; &amp; more"),
            "{html}"
        );
    }

    #[test]
    fn the_renderer_still_leaves_raw_text_unescaped() {
        // If the renderer starts escaping textarea content itself, this
        // component would escape twice; this test says so.
        let html = view! { <textarea>{"a<b"}</textarea> }.to_html();
        assert!(html.contains("a<b"), "{html}");
    }
}
