// Live updates for the moderators' queue. Progressive enhancement: without JS the page works
// and is reloaded by hand. User text is never inserted (only counts, via textContent).
(function () {
  "use strict";
  var banner = document.getElementById("live-banner");
  if (!banner || !("WebSocket" in window)) return;
  var countEl = document.getElementById("live-count");
  var lastId = parseInt(banner.dataset.lastId || "0", 10) || 0;
  var seen = {};
  var fresh = 0;
  var delay = 1000;

  function show() {
    if (fresh <= 0) return;
    // Translated texts come from the template (data-one, data-many with "N").
    var text = fresh === 1 ? banner.dataset.one : banner.dataset.many.replace("N", String(fresh));
    countEl.textContent = text;
    banner.hidden = false;
  }

  function note(id) {
    if (!id || seen[id] || id <= lastId) return;
    seen[id] = true;
    fresh += 1;
    show();
  }

  function catchUp() {
    // Delivery over the channel layer is at-most-once: ask what we missed since lastId.
    fetch(banner.dataset.jsonUrl + "?after=" + encodeURIComponent(lastId), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : {ideas: []}; })
      .then(function (data) { (data.ideas || []).forEach(function (i) { note(i.id); }); })
      .catch(function () {});
  }

  function connect() {
    var proto = window.location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(proto + window.location.host + banner.dataset.wsPath);
    ws.onopen = function () { delay = 1000; catchUp(); };
    ws.onmessage = function (msg) {
      var data;
      try { data = JSON.parse(msg.data); } catch (e) { return; }
      if (data.type === "idea.created") note(data.idea_id);
    };
    ws.onclose = function (ev) {
      if (ev.code === 4403) return;  // not a moderator any more
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
