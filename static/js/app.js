// Small behaviours shared by every page. No framework beyond htmx.
(function () {
  "use strict";
  // Forms marked data-once submit once: the button is disabled after the first
  // click, so a double click cannot send the same form twice.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-once]")) { return; }
    if (form.dataset.submitted === "true") { event.preventDefault(); return; }
    form.dataset.submitted = "true";
    form.querySelectorAll("[type=submit]").forEach(function (button) {
      button.disabled = true;
    });
  });
})();
