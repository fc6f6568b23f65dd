// The public site's own behaviours (app.js, loaded too, gives data-once and the
// filters that apply when chosen): the poster's print button. Everything works
// without JavaScript too (noscript buttons).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
})();
