// The check-in QR code changes every period: reload the page once the current one has expired.
// A file rather than an inline script, so that the Content-Security-Policy needs no exception.
(function () {
  var note = document.querySelector("[data-refresh-in]");
  if (!note) { return; }
  var seconds = parseInt(note.getAttribute("data-refresh-in"), 10) || 60;
  window.setTimeout(function () { window.location.reload(); }, (seconds + 1) * 1000);
})();
