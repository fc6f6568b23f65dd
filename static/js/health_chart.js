// A cooperative's final health scores across the years, with the predikat bands.
// Its one word goes through Django's JavaScript catalog (gettext: the name
// makemessages -d djangojs looks for).
(function () {
  "use strict";
  var gettext = window.gettext || function (s) { return s; };
  var node = document.getElementById("health-data");
  if (!node || typeof Chart === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  new Chart(document.getElementById("chart-health"), {
    type: "line",
    data: {
      labels: data.years,
      datasets: [{ label: gettext("Skor akhir"), data: data.scores, borderColor: "#0d6efd", tension: 0.2 }]
    },
    options: {
      responsive: true,
      // offset: a single year's point stands in the middle, not half cut off
      // against the axis.
      scales: { x: { offset: true }, y: { min: 0, max: 100 } },
      plugins: { tooltip: { callbacks: { afterLabel: function (item) { return data.labels[item.dataIndex]; } } } }
    }
  });
})();
