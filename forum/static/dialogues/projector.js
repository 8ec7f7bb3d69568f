// The projector's live updates. Progressive enhancement: without JS the page reloads itself
// (a <noscript> refresh). User text is only ever inserted with textContent.
(function () {
  "use strict";
  var root = document.getElementById("projector");
  if (!root || !("WebSocket" in window)) return;
  var delay = 1000;
  var live = document.getElementById("live-state");

  function votesText(n) {
    return n === 1 ? root.dataset.votesOne : root.dataset.votesMany.replace("N", String(n));
  }

  function render(data) {
    document.getElementById("stat-attendance").textContent = String(data.attendance);
    document.getElementById("stat-voters").textContent = String(data.voters);
    document.getElementById("stat-votes").textContent = String(data.votes);
    var list = document.getElementById("ranking");
    list.replaceChildren();
    (data.ranking || []).forEach(function (row) {
      var li = document.createElement("li");
      var title = document.createElement("span");
      title.className = "ranking-title";
      title.textContent = row.title;
      var votes = document.createElement("span");
      votes.className = "ranking-votes";
      votes.textContent = votesText(row.votes);
      li.append(title, " ", votes);
      list.append(li);
    });
    var cloud = document.getElementById("cloud");
    cloud.replaceChildren();
    (data.words || []).forEach(function (w) {
      var span = document.createElement("span");
      span.className = "cloud-word cloud-" + String(parseInt(w.size, 10) || 1);
      span.title = String(w.count);
      span.textContent = w.word;
      cloud.append(span, " ");
    });
  }

  function connect() {
    var proto = window.location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(proto + window.location.host + root.dataset.wsPath);
    ws.onopen = function () { delay = 1000; if (live) live.hidden = false; };
    ws.onmessage = function (msg) {
      var data;
      try { data = JSON.parse(msg.data); } catch (e) { return; }
      if (data.type === "snapshot") render(data);
    };
    ws.onclose = function (ev) {
      if (live) live.hidden = true;
      if (ev.code === 4404) return;
      // Reconnect with backoff; the server sends the whole state again on connect.
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15000);
    };
  }
  connect();
})();
