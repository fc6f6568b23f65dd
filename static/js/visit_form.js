// The field visit form on a phone: sends with fetch; when the network fails it
// keeps what was typed (also across a reload, in localStorage) and sends it again
// when the connection returns. The hidden client_key makes a resend harmless.
(function () {
  "use strict";
  var form = document.getElementById("visit-form");
  if (!form) { return; }
  var status = document.getElementById("visit-status");
  var key = form.dataset.draftKey;
  var fields = ["on", "notes", "new_address", "latitude", "longitude", "client_key"];
  var pending = null;
  var timer = null;

  function say(text, kind) {
    status.className = "alert alert-" + kind;
    status.textContent = text;
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return String(Date.now()) + String(Math.random()).slice(2);
  }
  function saveDraft(unsent) {
    var draft = {};
    fields.forEach(function (name) { draft[name] = form.elements[name].value; });
    var checked = form.querySelector("input[name=result]:checked");
    draft.result = checked ? checked.value : "";
    // Sent and not yet received: said again if the page is opened anew.
    draft.unsent = unsent === true || readDraft().unsent === true;
    try { localStorage.setItem(key, JSON.stringify(draft)); } catch (e) { /* private mode */ }
  }
  function readDraft() {
    try { return JSON.parse(localStorage.getItem(key) || "null") || {}; } catch (e) { return {}; }
  }
  function restoreDraft() {
    var draft = readDraft();
    if (!Object.keys(draft).length) { return; }
    fields.forEach(function (name) { if (draft[name]) { form.elements[name].value = draft[name]; } });
    var radio = form.querySelector("input[name=result][value='" + draft.result + "']");
    if (radio) { radio.checked = true; }
    // A visit sent without signal, its page then closed, was refilled without a
    // word: it looked saved, and its photos (which no page can keep) were gone.
    if (draft.unsent) { say(form.dataset.unsentMessage, "warning"); }
  }

  restoreDraft();
  if (!form.elements.client_key.value) { form.elements.client_key.value = newKey(); }
  form.addEventListener("input", function () { saveDraft(); });
  form.addEventListener("change", function () { saveDraft(); });

  function send() {
    if (!pending) { return; }
    var body = pending;
    fetch(window.location.href, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (result.ok && result.data.ok) {
        pending = null;
        clearInterval(timer);
        try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
        say(result.data.message, "success");
        window.location.href = result.data.next;
      } else {
        pending = null;
        clearInterval(timer);
        say((result.data.errors || []).join(" "), "danger");
        document.getElementById("visit-send").disabled = false;
      }
    }).catch(function () {
      say(form.dataset.offlineMessage, "warning");
      document.getElementById("visit-send").disabled = false;
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    saveDraft(true);
    pending = new FormData(form);
    say(form.dataset.sendingMessage, "info");
    document.getElementById("visit-send").disabled = true;
    clearInterval(timer);
    timer = setInterval(function () {
      if (pending && navigator.onLine !== false) { say(form.dataset.retryMessage, "info"); send(); }
    }, 5000);
    send();
  });
  window.addEventListener("online", send);

  var geo = document.getElementById("geo-button");
  geo.addEventListener("click", function () {
    var text = document.getElementById("geo-text");
    if (!navigator.geolocation) { text.textContent = geo.dataset.failed; return; }
    navigator.geolocation.getCurrentPosition(function (position) {
      form.elements.latitude.value = position.coords.latitude.toFixed(6);
      form.elements.longitude.value = position.coords.longitude.toFixed(6);
      text.textContent = geo.dataset.found + ": " + form.elements.latitude.value + ", " + form.elements.longitude.value;
      saveDraft();
    }, function () { text.textContent = geo.dataset.failed; }, { enableHighAccuracy: true, timeout: 15000 });
  });
})();
