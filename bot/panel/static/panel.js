// Refreshes the SLA board's rows in place every minute (the page's own URL with parca=1); no library.
(function () {
  var board = document.getElementById("pano");
  if (!board || !window.fetch) return;
  var seconds = parseInt(board.getAttribute("data-refresh"), 10) || 60;
  setInterval(function () {
    var url = new URL(window.location.href);
    url.searchParams.set("parca", "1");
    fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (response.ok) return response.text();
      throw new Error(response.status);
    }).then(function (html) { board.innerHTML = html; }).catch(function () {});
  }, seconds * 1000);
})();
