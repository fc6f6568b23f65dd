// Draws the dashboard charts from the JSON the page embeds (no inline script: CSP-friendly).
(function () {
  "use strict";
  var node = document.getElementById("dashboard-data");
  if (!node || typeof Chart === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  var palette = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#d63384", "#6c757d"];
  new Chart(document.getElementById("chart-jenis-kecamatan"), {
    type: "bar",
    data: {
      labels: data.kecamatan,
      datasets: data.series.map(function (series, i) {
        return { label: series.label, data: series.data, backgroundColor: palette[i % palette.length] };
      })
    },
    options: { responsive: true, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } }
  });
  new Chart(document.getElementById("chart-status"), {
    type: "doughnut",
    data: {
      labels: data.status_labels,
      datasets: [{ data: data.status_counts, backgroundColor: ["#198754", "#ffc107", "#fd7e14", "#dc3545"] }]
    },
    options: { responsive: true }
  });
})();
