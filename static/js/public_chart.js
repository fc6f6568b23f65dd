// Home page: aktif and registered cooperatives per kecamatan, from the same numbers
// as the table beside it. The legend's words come from the canvas's data
// attributes, rendered in the page's language (the public site loads no JS catalog).
(function () {
  "use strict";
  var canvas = document.getElementById("chart-kecamatan");
  var data = document.getElementById("public-stats");
  if (!canvas || !data || typeof Chart === "undefined") { return; }
  var stats = JSON.parse(data.textContent);
  var rows = stats.per_kecamatan;
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: rows.map(function (r) { return r.kecamatan.replace("Balikpapan ", ""); }),
      datasets: [
        { label: canvas.dataset.labelAktif, data: rows.map(function (r) { return r.aktif; }), backgroundColor: "#198754" },
        { label: canvas.dataset.labelTerdaftar, data: rows.map(function (r) { return r.terdaftar; }), backgroundColor: "#adb5bd" }
      ]
    },
    options: { responsive: true, maintainAspectRatio: false, plugins: { legend: { position: "bottom" } } }
  });
})();
