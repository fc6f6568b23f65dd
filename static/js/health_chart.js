// A cooperative's final health scores across the years, with the predikat bands.
(function () {
  "use strict";
  var node = document.getElementById("health-data");
  if (!node || typeof Chart === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  new Chart(document.getElementById("chart-health"), {
    type: "line",
    data: {
      labels: data.years,
      datasets: [{ label: node.dataset.label || "Skor akhir", data: data.scores, borderColor: "#0d6efd", tension: 0.2 }]
    },
    options: {
      responsive: true,
      scales: { y: { min: 0, max: 100 } },
      plugins: { tooltip: { callbacks: { afterLabel: function (item) { return data.labels[item.dataIndex]; } } } }
    }
  });
})();
