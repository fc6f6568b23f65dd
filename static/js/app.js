// Small behaviours shared by every page. No framework beyond htmx.
(function () {
  "use strict";
  // Forms marked data-once submit once: the button is disabled after the first
  // click, so a double click cannot send the same form twice.
  // Disabled buttons drop their own name/value from the form data, so a form with
  // several submit buttons carries the choice in its hidden input name="action":
  // each button says which with data-action.
  // A button with data-confirm asks first (finalising a result, which only a
  // revision can change); "Batal" sends nothing.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    var field = button && button.form && button.form.querySelector("input[name=action]");
    if (field) { field.value = button.dataset.action; }
  });
  // A form whose file is over its limit (below) is not sent, also where the form
  // leaves checking to the server (novalidate, the public objection form):
  // caught before the once-only mark, so the button stays usable.
  document.addEventListener("submit", function (event) {
    var large = event.target.querySelector("input[type=file][data-max-mb]:invalid");
    if (large && large.validity.customError) {
      event.preventDefault();
      large.focus();
    }
  }, true);
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-once]")) { return; }
    // Not sent (a "Batal" to the form's own confirm()): the button stays usable.
    if (event.defaultPrevented) { return; }
    if (form.dataset.submitted === "true") { event.preventDefault(); return; }
    form.dataset.submitted = "true";
    form.querySelectorAll("[type=submit]").forEach(function (button) {
      button.disabled = true;
    });
  });
  // A text box with a length limit says how much of it is used ("120 / 2000"):
  // a paste the browser cuts at the limit is seen, not silently shortened.
  // A screen reader hears the count with the box, and once when the limit is
  // reached (the count itself is not announced at every key).
  document.querySelectorAll("textarea[maxlength]").forEach(function (box, n) {
    var note = document.createElement("div");
    note.className = "form-text text-end";
    note.id = (box.id || "box-" + n) + "-length";
    note.setAttribute("data-length-of", box.name);
    var said = document.createElement("span");
    said.className = "visually-hidden";
    said.setAttribute("aria-live", "polite");
    box.setAttribute("aria-describedby",
      ((box.getAttribute("aria-describedby") || "") + " " + note.id).trim());
    function update() {
      var full = box.value.length >= box.maxLength;
      note.textContent = box.value.length + " / " + box.maxLength;
      note.classList.toggle("text-danger", full);
      var text = full ? note.textContent : "";
      if (said.textContent !== text) { said.textContent = text; }
    }
    box.addEventListener("input", update);
    // Back to a page the browser kept or refilled: the box holds text again
    // that no "input" announced ("0 / 3000" beside 114 characters).
    window.addEventListener("pageshow", update);
    update();
    box.insertAdjacentElement("afterend", note);
    note.insertAdjacentElement("afterend", said);
  });
  // Tables marked table-stack read as one card per row on a phone (CSS in
  // app.css/public.css): each cell is labelled with its column's heading.
  function label(root) {
    root.querySelectorAll("table.table-stack").forEach(function (table) {
      // A heading said to screen readers only ("Tindakan") labels no card.
      var heads = Array.prototype.map.call(
        table.querySelectorAll("thead th"), function (th) {
          var hidden = th.querySelector(".visually-hidden");
          var text = th.textContent.trim();
          return hidden && hidden.textContent.trim() === text ? "" : text;
        });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          // A cell across several columns ("nothing here yet") has no one heading.
          if (heads[i] && !cell.hasAttribute("data-label") && !(cell.colSpan > 1)) {
            cell.setAttribute("data-label", heads[i]);
          }
        });
      });
    });
  }
  label(document);
  document.addEventListener("htmx:afterSwap", function (event) { label(event.target); });
  // A select marked data-narrowed-by="kecamatan" offers only the options of the
  // chosen kecamatan (each option's data-kecamatan); a choice of another one is
  // cleared. In the capture phase, before htmx sends the form on the same change.
  document.querySelectorAll("select[data-narrowed-by]").forEach(function (select) {
    var form = select.form;
    var by = form && form.elements[select.dataset.narrowedBy];
    if (!by) { return; }
    function narrow() {
      Array.prototype.forEach.call(select.options, function (option) {
        var other = by.value && option.dataset.kecamatan &&
          option.dataset.kecamatan !== by.value;
        option.hidden = !!other;
        option.disabled = !!other;
        if (other && option.selected) { select.value = ""; }
      });
    }
    form.addEventListener("change", function (event) {
      if (event.target === by) { narrow(); }
    }, true);
    narrow();
  });
  // A select marked data-autosubmit (a filter, the language) applies as soon as
  // it is chosen with a finger or the mouse. With the keyboard, where each arrow
  // key is a "change", it applies on Enter or when the focus moves on: every
  // arrow key had reloaded the page and dropped the focus (WCAG 3.2.2). After
  // the reload the focus is where it was going.
  var keyed = null;
  function apply(select, next) {
    try {
      sessionStorage.setItem("refocus", (next && next.id) || select.id);
    } catch (e) { /* private mode: the page reloads without it */ }
    select.form.submit();
  }
  document.addEventListener("pointerdown", function () { keyed = null; });
  document.addEventListener("keydown", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-autosubmit]")) { return; }
    if (event.key === "Enter") {
      if (select.dataset.pending) { event.preventDefault(); apply(select); }
    } else if (event.key !== "Tab" && event.key !== "Shift") {
      keyed = select;
    }
  });
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches("select[data-autosubmit]")) { return; }
    if (keyed === select) { select.dataset.pending = "true"; return; }
    apply(select);
  });
  document.addEventListener("focusout", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") &&
        select.dataset.pending) {
      apply(select, event.relatedTarget);
    }
  });
  try {
    var refocus = sessionStorage.getItem("refocus");
    sessionStorage.removeItem("refocus");
    var back = refocus && document.getElementById(refocus);
    if (back) { back.focus(); }
  } catch (e) { /* private mode */ }
  // A page that comes back with a form's problems puts the keyboard and a screen
  // reader on them: the summary where the page has one, else the first field
  // marked, else the form's own message (a login refused). Focus had stayed at
  // the top, and nothing was read out.
  // A field marked by a check shown on every opening of a draft (data-problem)
  // takes no focus: only what a sending just refused does.
  var problem = document.querySelector("main [data-error-summary]") ||
    document.querySelector("main form [aria-invalid=true]:not([data-problem])") ||
    document.querySelector("main form .is-invalid") ||
    document.querySelector("main form .alert-danger");
  if (problem) {
    if (!problem.matches("input, select, textarea, button, a[href]") &&
        !problem.hasAttribute("tabindex")) {
      problem.setAttribute("tabindex", "-1");
    }
    problem.focus();
  }
  // A file over its field's limit (data-max-mb) is said when chosen, and the
  // form is not sent with it: refused by the server only after the whole
  // upload, 20 MB took 220 s over 3G.
  document.querySelectorAll("input[type=file][data-max-mb]").forEach(function (input) {
    var limit = Number(input.dataset.maxMb) * 1048576;
    var said = document.createElement("div");
    said.className = "text-danger small mt-1";
    said.setAttribute("data-too-large", "");
    said.setAttribute("role", "alert");
    said.hidden = true;
    // Read with the field too: the form sent again stops on it, and the alert
    // had been said once, when the file was chosen.
    said.id = (input.id || input.name) + "-too-large";
    input.setAttribute("aria-describedby",
      ((input.getAttribute("aria-describedby") || "") + " " + said.id).trim());
    input.after(said);
    input.addEventListener("change", function () {
      var large = Array.prototype.filter.call(input.files, function (f) { return f.size > limit; });
      // The sentence comes with the field, in the page's language (public
      // pages load no translation catalogue).
      var text = large.map(function (f) {
        // Rounded up: 10 MB and a byte is not "10,0 MB, over 10 MB".
        var size = (Math.ceil(f.size / 104857.6) / 10).toFixed(1);
        if (document.documentElement.lang === "id") { size = size.replace(".", ","); }
        // Functions, not strings: a name with "$&" is not a replacement pattern.
        return input.dataset.tooLargeText.replace("%(name)s", function () { return f.name; })
          .replace("%(size)s", size).replace("%(limit)s", input.dataset.maxMb);
      }).join(" ");
      said.textContent = text;
      said.hidden = !text;
      input.setCustomValidity(text);
      if (text) { input.setAttribute("aria-invalid", "true"); }
      else { input.removeAttribute("aria-invalid"); }
    });
  });
  // A form sent after its session ended: the server kept what was typed over
  // the login (koperasi_registry.middleware.ExpiredSessionMiddleware) and this
  // page gives it back, by field name, into the form that has those fields.
  // Hidden fields are the page's own; chosen files cannot be given back.
  var unsent = document.getElementById("unsent-values");
  if (unsent) {
    var kept = JSON.parse(unsent.textContent);
    var values = kept.values;
    document.querySelectorAll("form[method=post]").forEach(function (form) {
      // Only the form that was sent, where the page has several with the same
      // fields (return and accept, one answer per objection).
      // The attribute: form.action is the field of that name where the form
      // has one (the RAT form's name="action").
      var to = new URL(form.getAttribute("action") || location.href, location.href);
      if (kept.action && to.pathname !== kept.action) { return; }
      var fields = Array.prototype.filter.call(form.elements, function (field) {
        return field.name && !/^(hidden|file|submit|button|reset)$/.test(field.type);
      });
      if (!fields.some(function (field) { return field.name in values; })) { return; }
      // Not saved yet: a page that asks before leaving with unsaved values
      // counts these as unsaved (rat_report.js), not as what it opened with.
      form.dataset.restored = "true";
      fields.forEach(function (field) {
        var typed = values[field.name] || [];
        if (field.type === "checkbox" || field.type === "radio") {
          field.checked = typed.indexOf(field.value) >= 0;
        } else if (field.name in values) {
          field.value = typed[0];
        } else {
          return;
        }
        field.dispatchEvent(new Event("input", { bubbles: true }));
      });
    });
  }
})();
