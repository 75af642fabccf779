//! The staff login form; the staff screens behind it are rendered by the server.

use leptos::prelude::*;

use crate::i18n::{Lang, Text};

/// The login form. `problem` is one message for every wrong combination (or
/// for too many attempts), so the page never tells whether an account exists.
/// `notice` confirms what just happened, such as a password that was set.
#[component]
pub fn LoginForm(
    lang: Lang,
    problem: Option<Text>,
    notice: Option<Text>,
    email: String,
) -> impl IntoView {
    view! {
        <h1>{lang.text(Text::LoginTitle)}</h1>
        <p>{lang.text(Text::LoginLead)}</p>
        {notice.map(|text| view! { <p class="message" role="status" id="login-notice">{lang.text(text)}</p> })}
        {problem.map(|text| view! { <p class="message" role="alert" id="login-problem">{lang.text(text)}</p> })}
        <form method="post" action="/login" class="login-form">
            <label for="email">{lang.text(Text::Email)}</label>
            <input id="email" name="email" type="email" autocomplete="username" required value=email/>
            <label for="password">{lang.text(Text::Password)}</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required/>
            <button type="submit" class="button primary">{lang.text(Text::LogIn)}</button>
        </form>
    }
}
