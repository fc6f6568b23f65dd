// Every visible control of a page that is less than 44 px tall or wide (WCAG
// 2.5.5), as a finger reaches it: a checkbox or radio with its label, a stretched
// link by the box it covers. Exempt, as WCAG 2.5.5 exempts them: a link inside a
// sentence or a line of text ("inline"), and what is hidden until focused.
// Read by tests/test_browser_phone.py.
() => {
  const area = (rects) => {
    const box = {top: Infinity, left: Infinity, bottom: -Infinity, right: -Infinity};
    rects.forEach(r => { box.top = Math.min(box.top, r.top);
      box.left = Math.min(box.left, r.left); box.bottom = Math.max(box.bottom, r.bottom);
      box.right = Math.max(box.right, r.right); });
    return {height: box.bottom - box.top, width: box.right - box.left};
  };
  const inline = e => {
    if (e.tagName !== "A" || e.classList.contains("btn") || e.classList.contains("stretched-link")) return false;
    const line = e.parentElement.closest("p, li, td, th, dd, dt, div, span, small, label, h1, h2, h3, h4, h5, h6");
    if (!line) return false;
    return line.textContent.replace(e.textContent, "").replace(/[\s\u00b7|,.:;()]/g, "").length > 0;
  };
  const target = e => {
    if (e.classList.contains("stretched-link")) {
      let box = e.parentElement;
      while (box && getComputedStyle(box).position === "static") box = box.parentElement;
      return area([e.getBoundingClientRect(), box.getBoundingClientRect()]);
    }
    if (e.matches("input[type=checkbox], input[type=radio]")) {
      const label = e.labels && e.labels[0];
      return area([e.getBoundingClientRect()].concat(label ? [label.getBoundingClientRect()] : []));
    }
    return area([e.getBoundingClientRect()]);
  };
  return Array.from(document.querySelectorAll(
      "a[href], button, select, textarea, summary, input:not([type=hidden])"))
    .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== "hidden")
    .filter(e => !e.closest(".hp, .visually-hidden-focusable"))
    .filter(e => !inline(e))
    .map(e => [e, target(e)])
    .filter(([e, t]) => t.height < 44 || t.width < 44)
    .map(([e, t]) => `${e.tagName} "${(e.textContent || e.name || e.id).trim().slice(0, 40)}" ${Math.round(t.width)}x${Math.round(t.height)}`);
}
