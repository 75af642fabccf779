// Peiling's survey script: the questionnaire on one page.
//
// Without this script the survey is a series of plain forms. With it, paging
// is instant, answers are checked as they are given, the answers stay in the
// tab until the server confirms them (also across a reload), and the submission
// is sent with one random id until the server answers, so a retry or a double
// click is stored once. Every text shown comes from the page (data attributes
// written by the server in the student's language); nothing is written as HTML.
(function () {
  "use strict";

  // The intro page: lead to the one-page questionnaire instead of the forms.
  document.querySelectorAll("a[data-scripted]").forEach(function (link) {
    link.setAttribute("href", link.getAttribute("data-scripted"));
  });

  var form = document.getElementById("survey");
  if (!form) {
    return;
  }
  var texts = form.dataset;
  var STORE = "peiling-survey";
  var pages = Array.prototype.slice.call(form.querySelectorAll("section.page[data-section]"));
  var review = form.querySelector("[data-review]");
  var summary = form.querySelector("[data-errors]");
  var progress = form.querySelector("[data-progress-line]");
  var status = form.querySelector("[data-submit-status]");
  var items = Array.prototype.slice.call(form.querySelectorAll(".item[data-item]"));

  // Which item each answer key (an item, or a statement of a matrix) belongs to.
  var owner = {};
  items.forEach(function (item) {
    answerKeys(item).forEach(function (key) {
      owner[key] = item;
    });
  });

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (hole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : hole;
    });
  }

  function answerKeys(item) {
    if (item.dataset.kind !== "matrix") {
      return [item.dataset.item];
    }
    var keys = [];
    item.querySelectorAll("input[type=radio]").forEach(function (input) {
      if (keys.indexOf(input.name) < 0) {
        keys.push(input.name);
      }
    });
    return keys;
  }

  function field(key) {
    return form.elements.namedItem(key);
  }

  // The answer to `key` as the page holds it, or null when skipped.
  function valueOf(key) {
    var input = field(key);
    if (!input) {
      return null;
    }
    var value = String(input.value || "").trim();
    return value === "" ? null : value;
  }

  // Routes: an element with data-if is shown when that earlier answer passes.
  function holds(element) {
    var key = element.dataset.if;
    if (!key) {
      return true;
    }
    if (!isShown(key)) {
      return false;
    }
    var value = valueOf(key);
    if (element.dataset.anyOf !== undefined) {
      return value !== null && element.dataset.anyOf.split(" ").indexOf(value) >= 0;
    }
    return value === null || element.dataset.noneOf.split(" ").indexOf(value) < 0;
  }

  function isShown(key) {
    var item = owner[key];
    return Boolean(item) && holds(item.closest("section")) && holds(item);
  }

  function shownItems(page) {
    if (!holds(page)) {
      return [];
    }
    return items.filter(function (item) {
      return item.closest("section") === page && holds(item);
    });
  }

  function shownPages() {
    return pages.filter(function (page) {
      return shownItems(page).length > 0;
    });
  }

  // The answers to send: those the student gave to questions they were shown.
  function answers() {
    var result = {};
    Object.keys(owner).forEach(function (key) {
      var value = valueOf(key);
      if (value !== null && isShown(key) && /^-?\d+$/.test(value)) {
        result[key] = Number(value);
      }
    });
    return result;
  }

  // --- Keeping answers in the tab ------------------------------------------

  function newId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  function load() {
    try {
      var kept = JSON.parse(window.sessionStorage.getItem(STORE) || "null");
      return kept && kept.draft === texts.draft ? kept : null;
    } catch (error) {
      return null;
    }
  }

  var kept = load();
  var submissionId = kept ? kept.id : newId();

  function keep() {
    try {
      window.sessionStorage.setItem(
        STORE,
        JSON.stringify({ draft: texts.draft, id: submissionId, answers: answers() })
      );
    } catch (error) {
      // A full or blocked storage only costs the reload safety net.
    }
  }

  function restore(values) {
    Object.keys(values).forEach(function (key) {
      var input = field(key);
      var value = String(values[key]);
      if (!input) {
        return;
      }
      if (input instanceof RadioNodeList || input.type === "radio") {
        form.querySelectorAll("input[type=radio]").forEach(function (radio) {
          if (radio.name === key) {
            radio.checked = radio.value === value;
          }
        });
      } else {
        input.value = value;
      }
    });
  }

  if (kept) {
    restore(kept.answers || {});
  }

  // --- Checking answers ------------------------------------------------------

  function problemOf(item) {
    var kind = item.dataset.kind;
    if (kind === "number") {
      var input = item.querySelector("input");
      var raw = input.value.trim();
      if ((input.validity && input.validity.badInput) || (raw !== "" && !/^-?\d+$/.test(raw))) {
        return fill(texts.numberRange, { min: input.min, max: input.max });
      }
      if (raw !== "" && (Number(raw) < Number(input.min) || Number(raw) > Number(input.max))) {
        return fill(texts.numberRange, { min: input.min, max: input.max });
      }
    }
    if (item.dataset.required === "true") {
      var missing = answerKeys(item).some(function (key) {
        return valueOf(key) === null;
      });
      if (missing) {
        return texts.required;
      }
    }
    return null;
  }

  function questionText(item) {
    var label = item.querySelector("legend, label, .matrix-question");
    return label ? label.textContent.trim() : "";
  }

  function showProblem(item, message) {
    var key = item.dataset.item;
    var id = "e-" + key;
    var target = item.querySelector(".question") || item;
    var control = item.dataset.kind === "number" || item.dataset.kind === "select"
      ? item.querySelector("input, select")
      : target;
    var note = item.querySelector(".field-error");
    if (!message) {
      if (note) {
        note.remove();
      }
      control.removeAttribute("aria-invalid");
      control.removeAttribute("aria-describedby");
      return;
    }
    if (!note) {
      note = document.createElement("p");
      note.className = "field-error";
      note.id = id;
      var heading = target.querySelector("legend, label, .matrix-question");
      heading.insertAdjacentElement("afterend", note);
    }
    note.textContent = message;
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", id);
  }

  // Checks the shown questions of a page; shows what is wrong, returns whether all is well.
  function check(page) {
    var list = summary.querySelector("ul");
    list.textContent = "";
    var wrong = 0;
    shownItems(page).forEach(function (item) {
      var message = problemOf(item);
      showProblem(item, message);
      if (message) {
        wrong += 1;
        var entry = document.createElement("li");
        var link = document.createElement("a");
        link.href = "#q-" + item.dataset.item;
        link.textContent = questionText(item) + ": " + message;
        entry.appendChild(link);
        list.appendChild(entry);
      }
    });
    summary.hidden = wrong === 0;
    if (wrong > 0) {
      summary.focus();
    }
    return wrong === 0;
  }

  // --- Paging ------------------------------------------------------------------

  var current = null;

  function updateRoutes() {
    items.forEach(function (item) {
      item.hidden = !holds(item);
    });
  }

  function show(target, remember) {
    summary.hidden = true;
    pages.concat([review]).forEach(function (page) {
      page.hidden = page !== target;
    });
    current = target;
    var visible = shownPages();
    var position = visible.indexOf(target);
    progress.hidden = position < 0;
    if (position >= 0) {
      progress.querySelector("span").textContent = fill(texts.progress, {
        n: position + 1,
        total: visible.length,
      });
      var bar = progress.querySelector("progress");
      bar.max = visible.length;
      bar.value = position + 1;
      var next = target.querySelector("[data-nav=next]");
      next.textContent = position === visible.length - 1 ? next.dataset.last : next.dataset.label;
    }
    if (target === review) {
      buildReview();
    }
    updateRoutes();
    var key = target === review ? "review" : target.dataset.section;
    if (remember) {
      window.history.pushState({ page: key }, "", "#" + key);
    }
    window.scrollTo(0, 0);
    target.querySelector("h1").focus();
  }

  function pageNamed(key) {
    if (key === "review") {
      return review;
    }
    return pages.filter(function (page) {
      return page.dataset.section === key;
    })[0] || null;
  }

  function forward() {
    if (!check(current)) {
      return;
    }
    var visible = shownPages();
    var after = pages.slice(pages.indexOf(current) + 1).filter(function (page) {
      return visible.indexOf(page) >= 0;
    });
    show(after[0] || review, true);
  }

  function backward() {
    var visible = shownPages();
    if (current === review) {
      show(visible[visible.length - 1], true);
      return;
    }
    var before = pages.slice(0, pages.indexOf(current)).filter(function (page) {
      return visible.indexOf(page) >= 0;
    });
    if (before.length === 0) {
      window.location.assign("/survey/intro");
      return;
    }
    show(before[before.length - 1], true);
  }

  pages.forEach(function (page) {
    var next = page.querySelector("[data-nav=next]");
    next.dataset.label = next.textContent;
  });

  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-nav], [data-go]");
    if (!button) {
      return;
    }
    event.preventDefault();
    if (button.dataset.go) {
      show(pageNamed(button.dataset.go), true);
    } else if (button.dataset.nav === "next") {
      forward();
    } else {
      backward();
    }
  });

  form.addEventListener("change", function (event) {
    updateRoutes();
    var item = event.target.closest(".item");
    // A corrected answer loses its message at once; a new problem waits for "next".
    if (item && item.querySelector(".field-error") && !problemOf(item)) {
      showProblem(item, null);
    }
    keep();
  });

  window.addEventListener("popstate", function (event) {
    var page = event.state && pageNamed(event.state.page);
    if (page) {
      show(page, false);
    }
  });

  // --- Review ------------------------------------------------------------------

  function answerWords(item, key) {
    var input = field(key);
    var value = valueOf(key);
    if (value === null) {
      return null;
    }
    if (item.dataset.kind === "number") {
      return value;
    }
    if (item.dataset.kind === "select") {
      return input.options[input.selectedIndex].textContent;
    }
    var chosen = item.querySelector("input[type=radio][name='" + key + "']:checked");
    var label = chosen && item.querySelector("label[for='" + chosen.id + "']");
    return label ? label.textContent : value;
  }

  function buildReview() {
    var list = review.querySelector("[data-review-list]");
    list.textContent = "";
    var answered = 0;
    var total = 0;
    shownPages().forEach(function (page) {
      var part = document.createElement("section");
      part.className = "review-section";
      var heading = document.createElement("h2");
      heading.textContent = page.querySelector("h1").textContent;
      part.appendChild(heading);
      var lines = document.createElement("dl");
      shownItems(page).forEach(function (item) {
        answerKeys(item).forEach(function (key) {
          var question = questionText(item);
          if (item.dataset.kind === "matrix") {
            var statement = field(key)[0].closest("fieldset").querySelector("legend");
            question += " — " + statement.textContent.trim();
          }
          var words = answerWords(item, key);
          total += 1;
          var term = document.createElement("dt");
          term.textContent = question;
          var detail = document.createElement("dd");
          detail.className = words === null ? "answer skipped" : "answer";
          detail.textContent = words === null ? texts.skipped : words;
          if (words !== null) {
            answered += 1;
          }
          lines.appendChild(term);
          lines.appendChild(detail);
        });
      });
      part.appendChild(lines);
      var change = document.createElement("button");
      change.type = "button";
      change.className = "button link";
      change.dataset.go = page.dataset.section;
      change.textContent = texts.change + ": " + heading.textContent;
      part.appendChild(change);
      list.appendChild(part);
    });
    review.querySelector("[data-answered-line]").textContent = fill(texts.answered, {
      n: answered,
      total: total,
    });
  }

  // --- Sending -------------------------------------------------------------------

  var sending = false;
  var attempt = 0;
  var retry = null;

  function send() {
    window.clearTimeout(retry);
    retry = null;
    status.textContent = texts.sending;
    var body = JSON.stringify({ submission_id: submissionId, lang: texts.lang, answers: answers() });
    window
      .fetch("/survey/api/submissions", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: body,
      })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (reply) {
            return { status: response.status, reply: reply };
          });
      })
      .then(function (result) {
        if (result.status === 200 || result.status === 201) {
          try {
            window.sessionStorage.removeItem(STORE);
          } catch (error) {
            // Nothing kept, nothing to remove.
          }
          window.location.assign(result.reply.thanks || "/survey/thanks");
        } else if (result.status >= 500 || result.status === 429 || result.status === 408) {
          later();
        } else {
          refused(result.status, result.reply);
        }
      })
      .catch(later);
  }

  // No answer, or the server could not take it now: the answers stay here and
  // the same submission goes again, sooner when the browser is back online.
  function later() {
    status.textContent = texts.offline;
    attempt += 1;
    var wait = Math.min(1000 * Math.pow(2, attempt - 1), 15000);
    retry = window.setTimeout(send, wait);
  }

  window.addEventListener("online", function () {
    if (sending && retry !== null) {
      send();
    }
  });

  function refused(code, reply) {
    sending = false;
    var errors = (reply && reply.errors) || [];
    if (code === 422 && errors.length > 0 && errors[0].item && owner[errors[0].item]) {
      status.textContent = "";
      var item = owner[errors[0].item];
      show(item.closest("section"), true);
      check(current);
      return;
    }
    var messages = {
      "draft.expired": texts.expired,
      "class_code.class_full": texts.classFull,
      "wave.closed": texts.waveClosed,
    };
    status.textContent = messages[reply && reply.error] || texts.badRequest;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sending) {
      return;
    }
    sending = true;
    attempt = 0;
    keep();
    send();
  });

  // --- Start ---------------------------------------------------------------------

  updateRoutes();
  var start = pageNamed((window.location.hash || "").slice(1));
  if (!start || (start !== review && shownPages().indexOf(start) < 0)) {
    start = shownPages()[0] || review;
  }
  window.history.replaceState({ page: start === review ? "review" : start.dataset.section }, "");
  show(start, false);
})();
