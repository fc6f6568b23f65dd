// RAT report form: says as the officer types whether aset equals kewajiban +
// ekuitas and whether the SHU distribution adds up. The server checks the same on
// save; this only saves a round trip.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  var hint = document.getElementById("balance-hint");
  if (!form || !hint) { return; }

  function amount(name) {
    var input = form.querySelector("[name=" + name + "]");
    if (!input) { return null; }
    var text = input.value.replace(/Rp|\s|,-$/g, "");
    if (!text) { return null; }
    text = text.replace(/\./g, "").replace(",", ".");
    var value = Number(text);
    return isFinite(value) ? value : null;
  }
  function rupiah(value) {
    return "Rp " + Math.round(Math.abs(value)).toLocaleString("id-ID");
  }
  function check() {
    var lines = [];
    var aset = amount("aset"), kewajiban = amount("kewajiban"), ekuitas = amount("ekuitas");
    if (aset !== null && kewajiban !== null && ekuitas !== null) {
      var gap = aset - (kewajiban + ekuitas);
      lines.push(gap === 0
        ? ["text-success", "Aset = kewajiban + ekuitas."]
        : ["text-danger", "Aset belum sama dengan kewajiban + ekuitas (selisih " + rupiah(gap) + ")."]);
    }
    var shu = amount("shu");
    var parts = ["shu_cadangan", "shu_anggota", "shu_lainnya"].map(amount);
    if (shu !== null && shu > 0 && parts.some(function (p) { return p !== null; })) {
      var sum = parts.reduce(function (a, p) { return a + (p || 0); }, 0);
      lines.push(sum === shu
        ? ["text-success", "Pembagian SHU sudah sama dengan SHU."]
        : ["text-danger", "Pembagian SHU belum sama dengan SHU (selisih " + rupiah(shu - sum) + ")."]);
    }
    hint.replaceChildren.apply(hint, lines.map(function (line) {
      var p = document.createElement("div");
      p.className = line[0];
      p.textContent = line[1];
      return p;
    }));
  }
  form.addEventListener("input", check);
  check();
})();
