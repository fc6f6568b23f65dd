// The campaign page's chart: proposed classes per kecamatan, from the JSON the page
// embeds (no inline script).
(function () {
  "use strict";
  var node = document.getElementById("campaign-data");
  var canvas = document.getElementById("chart-campaign");
  if (!node || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  var colours = { A: "#198754", B: "#20c997", C: "#ffc107", D: "#fd7e14", E: "#6c757d", F: "#dc3545" };
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.kecamatan,
      datasets: data.series.map(function (series) {
        return { label: series.label, data: series.data, backgroundColor: colours[series.label] };
      })
    },
    options: { responsive: true, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } }
  });
})();
