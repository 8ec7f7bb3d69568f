// Web chat over a WebSocket; without JavaScript the page's forms post to /chat/ instead.
// Text from the server is inserted with textContent only (never innerHTML).
(function () {
  "use strict";
  var root = document.getElementById("chat");
  if (!root || !window.WebSocket) { return; }
  var log = document.getElementById("chat-log");
  var buttons = document.getElementById("chat-buttons");
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-text");
  var lastId = 0;
  var sentText = ""; // the last text sent, given back if the bot refuses it for its length
  var socket = null;
  var retry = 1000;

  function addMessage(m) {
    if (m.id && document.querySelector('.chat-msg[data-id="' + m.id + '"]')) { return; }
    var li = document.createElement("li");
    li.className = "chat-msg chat-msg-" + (m.from === "me" ? "me" : "bot");
    if (m.id) { li.setAttribute("data-id", String(m.id)); lastId = Math.max(lastId, m.id); }
    appendLinkified(li, m.text || "");
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
  }

  // http(s) addresses become links; everything else stays text nodes (no HTML is parsed).
  // Trailing punctuation and closing quotes belong to the sentence, not to the address.
  var URL_RE = /https?:\/\/[^\s<>"«»]+/g;
  function appendLinkified(el, text) {
    var last = 0;
    text.replace(URL_RE, function (match, offset) {
      var url = match.replace(/[.,;:!?)\]'’]+$/, "");
      if (offset > last) { el.appendChild(document.createTextNode(text.slice(last, offset))); }
      var a = document.createElement("a");
      a.href = url;
      a.textContent = url;
      a.rel = "noopener noreferrer nofollow";
      if (url.indexOf(location.origin + "/") !== 0) { a.target = "_blank"; }
      el.appendChild(a);
      last = offset + url.length;
      return match;
    });
    if (last < text.length) { el.appendChild(document.createTextNode(text.slice(last))); }
  }

  function showButtons(list) {
    while (buttons.firstChild) { buttons.removeChild(buttons.firstChild); }
    (list || []).forEach(function (b) {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "btn";
      btn.textContent = b.label;
      btn.addEventListener("click", function () {
        addMessage({from: "me", text: "» " + b.label});
        send({data: b.data, label: b.label});
        showButtons([]);
      });
      buttons.appendChild(btn);
    });
  }

  function send(obj) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(obj)); }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.getAttribute("data-ws-path"));
    socket.onopen = function () {
      retry = 1000;
      if (lastId) { send({since: lastId}); }
    };
    socket.onmessage = function (ev) {
      var payload = JSON.parse(ev.data);
      if (payload.type !== "messages") { return; }
      if (payload.history) {
        while (log.firstChild) { log.removeChild(log.firstChild); }
        if (!payload.messages.length) { send({data: "start"}); }
      }
      var last = null;
      payload.messages.forEach(function (m) {
        if (m.from === "me" && !payload.history) { return; } // already shown when sent
        addMessage(m);
        if (m.from === "bot") { last = m; }
        if (m.refused_too_long && !payload.history && sentText) {
          // Refused whole: put the text back so the person can shorten it, unless they
          // already started typing something else.
          if (!input.value) { input.value = sentText; input.focus(); }
          sentText = "";
        }
      });
      if (last) { showButtons(last.buttons); }
    };
    socket.onclose = function (ev) {
      // 4001: this signed-in account was just erased (/borrar); the confirmation stays on the
      // page, and a new message goes by the form's POST as the anonymous visitor.
      if (ev.code === 4001) { return; }
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 15000);
    };
  }

  // Enter sends, Shift+Enter adds a line, as in the messaging apps this imitates. Not while an
  // input method is composing (Enter there confirms the composed characters).
  var keysHint = document.getElementById("chat-keys");
  if (keysHint) { keysHint.hidden = false; }
  input.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" || ev.shiftKey || ev.isComposing || ev.keyCode === 229) { return; }
    ev.preventDefault();
    if (!input.value.trim()) { return; }
    if (form.requestSubmit) { form.requestSubmit(); } else { form.querySelector("[type=submit]").click(); }
  });

  form.addEventListener("submit", function (ev) {
    if (!socket || socket.readyState !== WebSocket.OPEN) { return; } // fall back to the POST
    ev.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    addMessage({from: "me", text: text});
    send({text: text});
    sentText = text;
    input.value = "";
    showButtons([]);
  });
  connect();
}());
