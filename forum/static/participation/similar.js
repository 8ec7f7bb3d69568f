/* Similar ideas while a person types a new one (/ideas/nueva/).
 *
 * Progressive enhancement: without this script the server shows the same ideas after «Enviar»
 * («¿Es alguna de estas?»). With it, a moment after typing stops, the title and the text are
 * sent to the similar-ideas endpoint (the matcher the bots use) and the ideas it finds are
 * listed in the form, each with its link and an «Apoyarla» button (a submit button whose
 * formaction is the support URL). Text from the server is inserted with textContent only.
 */
(function () {
  "use strict";
  var box = document.getElementById("similar-live");
  var form = document.getElementById("idea-submit-form");
  if (!box || !form || !window.fetch) { return; }
  var list = box.querySelector(".similar-list");
  var title = form.querySelector("[name=title]");
  var body = form.querySelector("[name=body]");
  var timer = null;
  var lastQuery = "";
  var seq = 0;

  function render(ideas) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    ideas.forEach(function (idea) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = idea.url;
      a.textContent = idea.title;
      li.appendChild(a);
      var meta = document.createElement("span");
      meta.className = "small";
      meta.textContent = " " + idea.code + " · " + idea.status + " · " + idea.supports + " ";
      li.appendChild(meta);
      // A submit button of the idea form itself that posts to the support URL instead
      // (formaction): no form nested in the form, and the form's own CSRF token goes along.
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "btn btn-primary btn-small";
      button.formAction = idea.support_url + "?next=" + encodeURIComponent(idea.url);
      button.formNoValidate = true;
      button.textContent = box.getAttribute("data-support-label");
      li.appendChild(button);
      list.appendChild(li);
    });
    box.hidden = ideas.length === 0;
  }

  function lookUp() {
    var query = "title=" + encodeURIComponent(title.value) +
      "&body=" + encodeURIComponent(body ? body.value.slice(0, 1000) : "");
    if (query === lastQuery) { return; }
    lastQuery = query;
    var mine = ++seq;
    fetch(box.getAttribute("data-url") + "?" + query, {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {ideas: []}; })
      .then(function (data) { if (mine === seq) { render(data.ideas || []); } })
      .catch(function () { /* suggestions are a help, never in the way */ });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(lookUp, 400);
  }
  title.addEventListener("input", schedule);
  if (body) { body.addEventListener("input", schedule); }
}());
