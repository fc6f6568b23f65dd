// Health-assessment worksheet: "Centang semua" ticks every item of one indicator and
// lets the live score (htmx, on the form's change event) recompute.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-check-all]");
    if (!button) { return; }
    var boxes = button.closest(".indicator").querySelectorAll("input[type=checkbox]");
    boxes.forEach(function (box) { box.checked = true; });
    button.closest("form").dispatchEvent(new Event("change", { bubbles: true }));
  });
})();
