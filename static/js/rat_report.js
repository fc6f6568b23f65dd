// RAT report form, on the officer's phone:
// - says as the officer types whether aset equals kewajiban + ekuitas and whether
//   the SHU distribution adds up (the server checks the same on save);
// - groups the digits of Rupiah amounts while they are typed (1.250.000);
// - gives each file chosen at once a "Dokumen" select, preselected as the server
//   would assign it (its name's words, else the next required document missing);
// - saves what was typed before a document is uploaded or removed.
// Strings go through Django's JavaScript catalog: called by the names gettext and
// interpolate, which makemessages -d djangojs looks for.
(function () {
  "use strict";
  var gettext = window.gettext || function (s) { return s; };
  var interpolate = window.interpolate || function (s, o) {
    return s.replace(/%\((\w+)\)s/g, function (_, k) { return o[k]; });
  };
  var form = document.getElementById("report-form");
  // Each check is said under the figures it is about.
  var hint = document.getElementById("balance-hint");
  var shuHint = document.getElementById("shu-hint");

  // An amount read as the server reads it (lib/money.py): 1.250.000,50 with dots
  // grouping, 1,250,000.50 with commas grouping, or 1250000,50 / 1250000.50. One
  // that cannot be read is NaN: the check says so rather than falling silent.
  function amount(name) {
    var input = form.querySelector("[name=" + name + "]");
    if (!input) { return null; }
    var text = input.value.replace(/Rp|\s|,-$/g, "");
    if (!text) { return null; }
    var sign = text.charAt(0) === "-" ? -1 : 1;
    text = text.replace(/^-/, "");
    if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(text)) {
      text = text.replace(/\./g, "").replace(",", ".");
    } else if (/^\d{1,3}(,\d{3})+(\.\d{1,2})?$/.test(text)) {
      text = text.replace(/,/g, "");
    } else if (/^\d+([.,]\d{1,2})?$/.test(text)) {
      text = text.replace(",", ".");
    } else {
      return NaN;
    }
    return sign * Number(text);
  }
  function unread(values) {
    return values.some(function (value) { return value !== null && isNaN(value); });
  }
  function rupiah(value) {
    return "Rp\u00a0" + Math.round(Math.abs(value)).toLocaleString("id-ID");
  }
  function show(box, lines) {
    if (!box) { return; }
    // Rebuilt only when what it says changes: the box is a live region, and a
    // screen reader may read it again on every rebuild (every key typed in any
    // field of the form, a name included).
    var said = JSON.stringify(lines);
    if (box.dataset.said === said) { return; }
    box.dataset.said = said;
    box.replaceChildren.apply(box, lines.map(function (line) {
      var p = document.createElement("div");
      p.className = line[0];
      p.textContent = line[1];
      return p;
    }));
  }
  function check() {
    var lines = [], shuLines = [];
    var aset = amount("aset"), kewajiban = amount("kewajiban"), ekuitas = amount("ekuitas");
    var shu = amount("shu");
    var parts = ["shu_cadangan", "shu_anggota", "shu_lainnya"].map(amount);
    var notRead = ["text-danger", gettext(
      "Ada jumlah yang belum terbaca sebagai angka; tulis misalnya 1.250.000 atau 1.250.000,50.")];
    if (unread([aset, kewajiban, ekuitas])) {
      lines.push(notRead);
    } else if (aset !== null && kewajiban !== null && ekuitas !== null) {
      var gap = aset - (kewajiban + ekuitas);
      lines.push(Math.abs(gap) < 0.005
        ? ["text-success", gettext("Aset = kewajiban + ekuitas.")]
        : ["text-danger", interpolate(gettext("Aset belum sama dengan kewajiban + ekuitas (selisih %(gap)s)."),
                               {gap: rupiah(gap)}, true)]);
    }
    if (unread([shu].concat(parts))) {
      shuLines.push(notRead);
    } else if (shu !== null && shu > 0 &&
        parts.some(function (p) { return p !== null; })) {
      var sum = parts.reduce(function (a, p) { return a + (p || 0); }, 0);
      shuLines.push(Math.abs(shu - sum) < 0.005
        ? ["text-success", gettext("Pembagian SHU sudah sama dengan SHU.")]
        : ["text-danger", interpolate(gettext("Pembagian SHU belum sama dengan SHU (selisih %(gap)s)."),
                               {gap: rupiah(shu - sum)}, true)]);
    }
    show(hint, lines);
    show(shuHint, shuLines);
  }

  // 1250000 -> 1.250.000 as it is typed, the caret kept after the same digit.
  function group(input, typing) {
    var value = input.value;
    if (value.indexOf(",") !== -1) { return; }  // sen typed: left as they are
    // A dot typed with fewer than three digits after it is not yet a group of
    // thousands: "1." on the way to "1.250", or a decimal point ("1250000.50").
    // Regrouped, it was dropped and the amount grew a hundredfold ("125.000.050");
    // left as typed, the server reads it or refuses it on its field.
    if (typing && /\.(?!\d{3})/.test(value)) { return; }
    // Anything but digits, dots and a sign ("dua miliar", "2 M", "900 juta") is
    // left as typed: the server refuses it on its field, never a number made of
    // what was left after the letters.
    if (/[^\d.-]/.test(value)) { return; }
    var sign = /^\s*-/.test(value) ? "-" : "";
    var digits = value.replace(/\D/g, "").replace(/^0+(?=\d)/, "");
    var caret = input.selectionStart === null ? value.length : input.selectionStart;
    var right = value.slice(caret).replace(/\D/g, "").length;
    var grouped = sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    if (grouped === value) { return; }
    input.value = grouped;
    var position = grouped.length;
    for (var seen = 0; position > 0 && seen < right; position--) {
      if (/\d/.test(grouped.charAt(position - 1))) { seen++; }
    }
    if (document.activeElement === input) { input.setSelectionRange(position, position); }
  }

  if (form && hint) {
    form.addEventListener("input", function (event) {
      if (event.target.hasAttribute && event.target.hasAttribute("data-rupiah")) {
        group(event.target, !/^delete/.test(event.inputType || ""));
      }
      check();
    });
    check();
  }

  // What the officer typed is never lost silently: uploading or removing a
  // document (another form, another page load) first saves the draft; leaving
  // the page otherwise with unsaved values asks first.
  if (form) {
    var snapshot = function () { return new URLSearchParams(new FormData(form)).toString(); };
    // Values given back after a login (app.js) are not saved: leaving asks
    // first, and an upload saves them first, until the form is sent.
    var clean = form.dataset.restored ? "" : snapshot();
    var leaving = false;
    var dirty = function () { return !leaving && snapshot() !== clean; };
    form.addEventListener("submit", function () { leaving = true; });
    document.addEventListener("submit", function (event) {
      var other = event.target;
      if (other === form || !dirty()) { return; }
      event.preventDefault();
      event.stopImmediatePropagation();
      // The form's own question ("Hapus lampiran …?") would not be asked: this
      // runs first and sends the form by itself. Asked here, once.
      if (other.dataset.confirm && !window.confirm(other.dataset.confirm)) { return; }
      var buttons = other.querySelectorAll("[type=submit]");
      buttons.forEach(function (b) { b.disabled = true; });
      var data = new FormData(form);
      data.set("action", "save");
      // getAttribute and the prototype's submit: the form's fields named
      // "action" and "submit" shadow the form's own properties.
      fetch(form.getAttribute("action"), {method: "POST", body: data, credentials: "same-origin"})
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          leaving = true;
          var send = HTMLFormElement.prototype.submit;
          // The report's form sent with one more field that says why.
          var sendWith = function (name) {
            var field = document.createElement("input");
            field.type = "hidden";
            field.name = name;
            field.value = "1";
            form.append(field);
            send.call(form);
          };
          var here = new URL(form.getAttribute("action") || location.href, location.href);
          if (response.redirected && new URL(response.url).pathname !== here.pathname) {
            // Not saved but sent elsewhere: to the login (the session ended),
            // or to the report (submitted meanwhile). The report's values go
            // as the form itself, whose answer says what happened: the login
            // keeps them for after it (the upload sent now would have been
            // kept instead, and the report's values lost).
            // The documents chosen go nowhere: the login says to choose them
            // again (ExpiredSessionMiddleware), as it does for an upload.
            var files = other.querySelectorAll("input[type=file]");
            if (Array.prototype.some.call(files, function (f) { return f.files.length; })) {
              sendWith("_files_chosen");
              return;
            }
            send.call(form);
            return;
          }
          if (response.redirected) {
            send.call(other);  // saved: on to the upload or removal
            return;
          }
          // A value refused: the form again, showing it with the rest kept, and
          // saying that the upload or removal did not happen.
          sendWith("held_back");
        })
        .catch(function () {
          buttons.forEach(function (b) { b.disabled = false; });
          window.alert(gettext('Isian laporan belum tersimpan. Tekan "Simpan draf" dulu, lalu coba lagi.'));
        });
    }, true);
    window.addEventListener("beforeunload", function (event) {
      if (dirty()) { event.preventDefault(); event.returnValue = ""; }
    });
  }

  var upload = document.getElementById("upload-form");
  var hints = document.getElementById("kind-hints");
  if (!upload || !hints) { return; }
  var files = upload.querySelector("input[type=file]");
  // Files chosen for upload but not uploaded are not in the report: saving or
  // submitting it asks first, naming them ("Simpan dan ajukan" locked the report
  // without them, saying nothing).
  if (form && files) {
    form.addEventListener("submit", function (event) {
      if (!files.files.length) { return; }
      var names = Array.prototype.map.call(files.files, function (f) { return f.name; });
      var question = interpolate(
        gettext('Berkas yang dipilih belum diunggah: %(names)s. Tekan "Batal", lalu "Unggah" di bagian Lampiran; atau "OK" untuk melanjutkan tanpa berkas itu.'),
        {names: names.join(", ")}, true);
      if (!window.confirm(question)) {
        event.preventDefault();
        leaving = false;
        files.focus();
      }
    });
  }
  var shared = upload.querySelector("select[name=kind]");
  var list = document.getElementById("chosen-files");
  var data = JSON.parse(hints.textContent);
  // Each chosen file's "Dokumen untuk …" comes before the Unggah button, not
  // after it (read top to bottom on a phone, the button came first).
  var send = upload.querySelector("[type=submit]");
  if (send && list) {
    var row = send.closest(".mb-3") || send;
    row.parentNode.insertBefore(list, row);
  }

  function guess(name) {
    name = name.toLowerCase();
    for (var kind in data.keywords) {
      if (data.keywords[kind].some(function (w) { return name.indexOf(w) !== -1; })) {
        return kind;
      }
    }
    return "";
  }
  // On the window, before the listener above that saves the draft first and
  // then sends the upload by itself. (A file over the limit never gets here:
  // app.js marks it invalid when chosen, data-max-mb.)
  window.addEventListener("submit", function (event) {
    if (event.target !== upload) { return; }
    // The button is an <input>: its value is what it shows.
    if (send) { send.value = gettext("Mengunggah…"); }
  }, true);
  files.addEventListener("change", function () {
    var chosen = Array.prototype.map.call(files.files, function (f) { return f.name; });
    // One file with its kind already chosen keeps it; others are guessed.
    var kinds = chosen.length === 1 && shared.value ? [shared.value] : chosen.map(guess);
    var left = data.missing.filter(function (k) { return kinds.indexOf(k) === -1; });
    kinds = kinds.map(function (k) { return k || left.shift() || ""; });
    list.replaceChildren();
    shared.disabled = chosen.length > 0;
    shared.closest(".mb-3").hidden = chosen.length > 0;
    chosen.forEach(function (name, i) {
      var item = document.createElement("li");
      item.className = "mb-2";
      var label = document.createElement("label");
      label.className = "form-label d-block text-break";
      label.textContent = interpolate(gettext("Dokumen untuk %(name)s"), {name: name}, true);
      var select = shared.cloneNode(true);
      select.disabled = false;
      select.removeAttribute("id");
      select.id = "kind-" + i;
      label.htmlFor = select.id;
      select.value = kinds[i];
      item.append(label, select);
      list.append(item);
    });
  });
})();
