// The public site's own behaviours (app.js, loaded too, gives data-once): a filter
// applies as soon as it changes, and the poster's print button. Everything works
// without JavaScript too (noscript buttons).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) { event.target.form.submit(); }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
})();
