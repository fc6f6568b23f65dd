// Home page: aktif and registered cooperatives per kecamatan, from the same numbers
// as the table beside it.
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
        { label: "Aktif", data: rows.map(function (r) { return r.aktif; }), backgroundColor: "#198754" },
        { label: "Terdaftar", data: rows.map(function (r) { return r.terdaftar; }), backgroundColor: "#adb5bd" }
      ]
    },
    options: { responsive: true, maintainAspectRatio: false, plugins: { legend: { position: "bottom" } } }
  });
})();
