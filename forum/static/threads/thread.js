/* Live thread page (docs/realtime.md).
 *
 * Progressive enhancement of the plain thread page: new posts, edits and hides appear without
 * reloading, the post form sends over the socket, and the socket reconnects by itself with
 * exponential backoff, asking the server for what it missed ({"type": "resume", "after": id}).
 *
 * Safety: user text is inserted with textContent / createTextNode only. The server also sends
 * the post body as a small tree (body_tree) built from HTML already sanitised server-side by an
 * nh3 allow-list; this script turns that tree into elements from a fixed tag list and never
 * assigns innerHTML.
 */
(function () {
  "use strict";
  var root = document.getElementById("thread");
  if (!root || !("WebSocket" in window)) return;

  var _ = window.gettext || function (s) { return s; };
  var ngettext = window.ngettext || function (s, p, n) { return n === 1 ? s : p; };
  var interpolate = window.interpolate || function (fmt, obj) {
    return fmt.replace(/%\((\w+)\)s/g, function (m, k) { return String(obj[k]); });
  };
  var postsEl = document.getElementById("posts");
  var statusEl = document.getElementById("live-status");
  var announceEl = document.getElementById("posts-announce");
  var form = document.getElementById("post-form");
  var errorEl = document.getElementById("post-error");
  var me = root.dataset.personId || "";
  var canPost = root.dataset.canPost === "1";
  var canModerate = root.dataset.canModerate === "1";
  var canReport = root.dataset.canReport === "1";
  // The site's time zone (not the browser's), as the server-rendered posts show times.
  var timeZone = root.dataset.timeZone || undefined;
  var lastSeen = parseInt(root.dataset.lastPostId || "0", 10) || 0;
  // Server time from which to replay changes (edits, hides, deletes) of posts we already have.
  var changedSince = root.dataset.serverTime || null;
  var pendingSince = null;
  var socket = null;
  var attempt = 0;
  var stopped = false;
  var clientSeq = 0;
  var TAGS = { p: 1, em: 1, strong: 1, ul: 1, ol: 1, li: 1, a: 1, br: 1 };
  var SAFE_HREF = /^(https?:|mailto:)/i;

  function setStatus(text) {
    if (!statusEl) return;
    statusEl.hidden = !text;
    statusEl.textContent = text || "";
  }

  // Screen readers hear new posts from others politely, one sentence per burst: «Nuevo mensaje de
  // Ana», or «3 mensajes nuevos» when several arrive together (a catch-up after a reconnection).
  // Edits, hides and one's own posts are not announced.
  var arrivals = [];
  var announceTimer = null;

  function announceArrival(author) {
    if (!announceEl) return;
    arrivals.push(author);
    if (announceTimer) return;
    announceTimer = window.setTimeout(function () {
      var n = arrivals.length;
      var text = n === 1
        ? interpolate(_("Nuevo mensaje de %(author)s"), { author: arrivals[0] }, true)
        : interpolate(ngettext("%(n)s mensaje nuevo", "%(n)s mensajes nuevos", n), { n: n }, true);
      arrivals = [];
      announceTimer = null;
      // Emptied first, so the same sentence twice in a row is read twice.
      announceEl.textContent = "";
      window.setTimeout(function () { announceEl.textContent = text; }, 100);
    }, 800);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function buildTree(nodes, parent) {
    (nodes || []).forEach(function (node) {
      if (typeof node === "string") {
        parent.appendChild(document.createTextNode(node));
        return;
      }
      if (!node || !Object.prototype.hasOwnProperty.call(TAGS, node.tag)) return;
      var child = document.createElement(node.tag);
      if (node.tag === "a") {
        if (typeof node.href === "string" && SAFE_HREF.test(node.href)) {
          child.setAttribute("href", node.href);
        }
        child.setAttribute("rel", "nofollow noopener ugc");
      }
      buildTree(node.children, child);
      parent.appendChild(child);
    });
  }

  // Same shape as the template's date:"j M Y, H:i" ("24 Nov 2026, 00:49"), in the site's zone.
  function formatDate(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return iso;
    var options = { day: "numeric", month: "short", year: "numeric", hour: "2-digit",
      minute: "2-digit", hourCycle: "h23", timeZone: timeZone };
    var parts = {};
    try {
      new Intl.DateTimeFormat(document.documentElement.lang || undefined, options)
        .formatToParts(d).forEach(function (part) { parts[part.type] = part.value; });
    } catch (e) {  // an unknown zone name: the browser's zone rather than nothing
      delete options.timeZone;
      return d.toLocaleString(document.documentElement.lang || undefined, options);
    }
    // Django's "M": three letters, capitalised ("nov." / "Sept" become "Nov" / "Sep").
    var month = (parts.month || "").replace(/\./g, "").slice(0, 3);
    month = month.charAt(0).toUpperCase() + month.slice(1);
    return parts.day + " " + month + " " + parts.year + ", " + parts.hour + ":" + parts.minute;
  }

  function link(href, text, className) {
    var a = el("a", className, text);
    a.setAttribute("href", href);
    return a;
  }

  // As the template: a moderator restores a hidden post with a small POST form (CSRF token
  // from the page; the URL from data-restore-url, with 0 standing for the post's id).
  function restoreForm(postId) {
    var restore = el("form", "inline-form");
    restore.method = "post";
    restore.setAttribute("action",
      root.dataset.restoreUrl.replace(/\/0\/restaurar\/$/, "/" + postId + "/restaurar/"));
    var token = el("input");
    token.type = "hidden";
    token.name = "csrfmiddlewaretoken";
    token.value = root.dataset.csrfToken || "";
    restore.appendChild(token);
    var button = el("button", "link-button", _("Restaurar"));
    button.type = "submit";
    restore.appendChild(button);
    return restore;
  }

  function renderPost(msg) {
    var article = el("article", "post card" + (msg.is_minutes ? " post-minutes" : "") + " post-live");
    article.id = "post-" + msg.post_id;
    article.dataset.postId = String(msg.post_id);
    article.dataset.state = msg.state;

    var header = el("header", "post-meta");
    header.appendChild(el("strong", "post-author", msg.author));
    header.appendChild(document.createTextNode(" "));
    var time = el("time", null, formatDate(msg.created_at));
    time.setAttribute("datetime", msg.created_at);
    var timeLink = link("#post-" + msg.post_id, null, "muted post-time");
    timeLink.appendChild(time);
    header.appendChild(timeLink);
    if (msg.is_minutes) {
      header.appendChild(document.createTextNode(" "));
      header.appendChild(el("span", "badge badge-minutes", _("Acta de reunión")));
    }
    if (msg.edited_at && msg.state === "visible") {
      header.appendChild(document.createTextNode(" "));
      header.appendChild(link("/hilos/mensajes/" + msg.post_id + "/historial/", _("editado"),
        "post-edited muted"));
    }
    article.appendChild(header);

    if (msg.quote) {
      var quote = el("blockquote", "post-quote");
      var label = msg.quote.author ? _("En respuesta a") + " " + msg.quote.author : _("En respuesta a");
      quote.appendChild(link("#post-" + msg.quote.post_id, label));
      quote.appendChild(document.createTextNode(": "));
      quote.appendChild(el("span", "post-quote-text", msg.quote.text));
      article.appendChild(quote);
    }

    if (msg.state === "deleted") {
      article.appendChild(el("p", "post-removed muted", _("mensaje eliminado")));
    } else if (msg.state === "hidden") {
      var p = el("p", "post-removed muted", _("oculto por moderación:") + " ");
      p.appendChild(el("span", "post-hidden-reason", msg.hidden_reason));
      article.appendChild(p);
    } else {
      var body = el("div", "post-body");
      buildTree(msg.body_tree, body);
      article.appendChild(body);
    }

    var actions = el("footer", "post-actions small");
    if (canPost && msg.state !== "deleted") {
      var reply = link("?responder=" + msg.post_id + "#post-form", _("Responder"), "post-reply");
      reply.dataset.postId = String(msg.post_id);
      reply.dataset.author = msg.author;
      actions.appendChild(reply);
      actions.appendChild(document.createTextNode(" "));
    }
    if (me && String(msg.author_id) === me && msg.state !== "deleted") {
      if (msg.state === "visible") {
        actions.appendChild(link("/hilos/mensajes/" + msg.post_id + "/editar/", _("Editar")));
        actions.appendChild(document.createTextNode(" "));
      }
      actions.appendChild(link("/hilos/mensajes/" + msg.post_id + "/eliminar/", _("Eliminar")));
      actions.appendChild(document.createTextNode(" "));
    }
    // As the template: anyone signed in may report a visible post that is not their own.
    if (canReport && msg.state === "visible" && (!me || String(msg.author_id) !== me)) {
      actions.appendChild(link(root.dataset.reportUrl.replace(/\/0\/$/, "/" + msg.post_id + "/"),
        _("Reportar"), "post-report"));
      actions.appendChild(document.createTextNode(" "));
    }
    if (canModerate && msg.state === "visible") {
      actions.appendChild(link("/hilos/mensajes/" + msg.post_id + "/ocultar/", _("Ocultar")));
    } else if (canModerate && msg.state === "hidden" && root.dataset.restoreUrl) {
      actions.appendChild(restoreForm(msg.post_id));
    }
    article.appendChild(actions);
    return article;
  }

  function upsert(msg) {
    if (String(msg.thread_id) !== root.dataset.threadId) return;
    var fresh = renderPost(msg);
    var existing = document.getElementById("post-" + msg.post_id);
    if (existing) {
      existing.replaceWith(fresh);
    } else {
      // Keep id order even when two commits' events arrive swapped.
      var after = null;
      var items = postsEl.querySelectorAll("article.post");
      for (var i = 0; i < items.length; i++) {
        if (parseInt(items[i].dataset.postId, 10) > msg.post_id) { after = items[i]; break; }
      }
      postsEl.insertBefore(fresh, after);
      var empty = document.getElementById("no-posts");
      if (empty) empty.remove();
      if (msg.type === "post.created" && !(me && String(msg.author_id) === me)) {
        announceArrival(msg.author);
      }
    }
    if (msg.type === "post.created" && msg.post_id > lastSeen) lastSeen = msg.post_id;
  }

  function showError(text) {
    if (!errorEl) return;
    errorEl.hidden = !text;
    errorEl.textContent = text || "";
  }

  function onMessage(event) {
    var msg;
    try { msg = JSON.parse(event.data); } catch (e) { return; }
    switch (msg.type) {
      case "post.created":
      case "post.edited":
      case "post.deleted":
      case "post.hidden":
      case "post.restored":
        upsert(msg);
        break;
      case "hello":
        pendingSince = msg.server_time || null;
        break;
      case "resume.done":
        if (msg.last_post_id > lastSeen) lastSeen = msg.last_post_id;
        if (pendingSince) { changedSince = pendingSince; pendingSince = null; }
        if (!msg.complete) send({ type: "resume", after: lastSeen, changed_since: null });
        break;
      case "post.ack":
        if (form) {
          form.querySelector("textarea").value = "";
          clearReply();
        }
        showError("");
        break;
      case "error":
        if (msg.client_id) showError(msg.message);
        break;
      default:
        break;
    }
  }

  function send(obj) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(obj));
      return true;
    }
    return false;
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.dataset.wsPath);
    socket.addEventListener("open", function () {
      attempt = 0;
      setStatus(_("En vivo"));
      root.dataset.live = "1";
      // Also on the first connection: covers posts written between page load and now.
      send({ type: "resume", after: lastSeen, changed_since: changedSince });
    });
    socket.addEventListener("message", onMessage);
    socket.addEventListener("close", function (event) {
      root.dataset.live = "0";
      if (stopped) return;
      if (event.code === 4403 || event.code === 4404) {
        setStatus(_("Sin acceso en vivo a este hilo; recarga la página."));
        return;
      }
      var delay = Math.min(30000, 500 * Math.pow(2, attempt)) * (0.75 + Math.random() * 0.5);
      attempt += 1;
      setStatus(_("Conexión perdida; reconectando…"));
      window.setTimeout(connect, delay);
    });
  }

  function clearReply() {
    if (!form) return;
    form.querySelector("input[name=reply_to]").value = "";
    var target = document.getElementById("reply-target");
    if (target) target.hidden = true;
  }

  postsEl.addEventListener("click", function (event) {
    var a = event.target.closest ? event.target.closest("a.post-reply") : null;
    if (!a || !form) return;
    event.preventDefault();
    var article = a.closest("article.post");
    var id = article ? article.dataset.postId : a.dataset.postId;
    form.querySelector("input[name=reply_to]").value = id;
    var target = document.getElementById("reply-target");
    var targetLink = document.getElementById("reply-target-link");
    if (target && targetLink) {
      var author = article ? article.querySelector(".post-author") : null;
      targetLink.textContent = author ? author.textContent : "#" + id;
      targetLink.setAttribute("href", "#post-" + id);
      target.hidden = false;
    }
    form.querySelector("textarea").focus();
  });

  var cancel = document.getElementById("reply-cancel");
  if (cancel) cancel.addEventListener("click", function (event) {
    event.preventDefault();
    clearReply();
  });

  if (form) {
    form.addEventListener("submit", function (event) {
      var minutes = form.querySelector("input[name=is_minutes]");
      if (minutes && minutes.checked) return; // minutes go through the plain form
      var body = form.querySelector("textarea").value;
      var replyTo = form.querySelector("input[name=reply_to]").value || null;
      clientSeq += 1;
      if (send({ type: "post.create", body: body, reply_to: replyTo, client_id: "c" + clientSeq })) {
        event.preventDefault();
      }
    });
  }

  window.addEventListener("pagehide", function () {
    stopped = true;
    if (socket) socket.close();
  });

  connect();
})();
