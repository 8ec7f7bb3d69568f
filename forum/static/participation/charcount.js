/* Live character counter for long texts (idea, thread message, public answer).
 *
 * Progressive enhancement: the fields carry data-maxlength instead of maxlength, because a
 * browser's maxlength cuts a pasted text at the limit without a word and the cut text gets saved.
 * Without this script the text may run over and the server answers with its own clear error,
 * keeping the text in the form. With it, people see how much room is left, and by how much they
 * are over, before they send. Nothing here blocks sending: the server has the last word.
 *
 * Counts code points, as the server does (an emoji is one character, not two UTF-16 units).
 * The visible count changes on every keystroke; screen readers hear it through a separate
 * polite live region, updated a moment after typing stops.
 */
(function () {
  "use strict";
  var gettext = window.gettext || function (s) { return s; };
  var ngettext = window.ngettext || function (s, p, n) { return n === 1 ? s : p; };
  var interpolate = window.interpolate || function (fmt, obj) {
    return fmt.replace(/%\((\w+)\)s/g, function (_, key) { return String(obj[key]); });
  };

  function length(text) {
    // Line breaks arrive as CRLF but the server stores (and counts) them as one character.
    return Array.from(text.replace(/\r\n/g, "\n")).length;
  }

  function message(count, max) {
    if (count > max) {
      var over = count - max;
      return interpolate(
        ngettext(
          "Sobra %(over)s carácter: acorta el texto antes de enviarlo.",
          "Sobran %(over)s caracteres: acorta el texto antes de enviarlo.",
          over
        ),
        { over: over },
        true
      );
    }
    return interpolate(gettext("%(count)s de %(max)s caracteres"), { count: count, max: max }, true);
  }

  function attach(field) {
    var max = parseInt(field.getAttribute("data-maxlength"), 10);
    if (!max || field.getAttribute("data-counter-ready")) return;
    field.setAttribute("data-counter-ready", "1");
    var id = (field.id || "field") + "_counter";
    var visible = document.createElement("p");
    visible.className = "char-count small";
    visible.id = id;
    visible.setAttribute("aria-hidden", "true");
    var live = document.createElement("span");
    live.className = "visually-hidden";
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", visible);
    visible.insertAdjacentElement("afterend", live);
    var timer = null;
    var last = null;

    function update(quiet) {
      var value = field.value;
      if (value === last) return;
      last = value;
      var count = length(value);
      var text = message(count, max);
      visible.textContent = text;
      visible.classList.toggle("is-over", count > max);
      if (count > max) field.setAttribute("aria-invalid", "true");
      else if (!field.closest(".field-error")) field.removeAttribute("aria-invalid");
      clearTimeout(timer);
      if (quiet !== true) timer = setTimeout(function () { live.textContent = text; }, 800);
    }

    field.addEventListener("input", update);
    // Other scripts empty the field after sending (no input event): catch up now and then.
    setInterval(function () { update(true); }, 1000);
    update(true);
  }

  function init() {
    var fields = document.querySelectorAll("textarea[data-maxlength], input[data-maxlength]");
    Array.prototype.forEach.call(fields, attach);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
