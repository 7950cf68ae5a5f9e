// sayso workbench: our own script, served by the app (no CDN, no inline script).
// On a document page, keys move between figures: j or n next, k or p previous, r reviews the
// current one. A click on a figure in the text selects it and its card in the side panel.
(function () {
  "use strict";
  var text = document.getElementById("doctext");
  if (!text) { return; }
  var ids = [];
  Array.prototype.forEach.call(text.querySelectorAll("[data-fig]"), function (el) {
    var id = el.getAttribute("data-fig");
    if (ids.indexOf(id) < 0) { ids.push(id); }
  });
  var at = -1;

  function select(index, scroll) {
    if (!ids.length) { return; }
    at = (index + ids.length) % ids.length;
    var id = ids[at];
    Array.prototype.forEach.call(document.querySelectorAll(".current"), function (el) { el.classList.remove("current"); });
    Array.prototype.forEach.call(text.querySelectorAll('[data-fig="' + id + '"]'), function (el) { el.classList.add("current"); });
    var card = document.getElementById("card-" + id);
    if (card) { card.classList.add("current"); }
    if (scroll) {
      var first = document.getElementById("fig-" + id);
      if (first) { first.scrollIntoView({block: "center"}); }
      if (card) { card.scrollIntoView({block: "nearest"}); }
    }
    document.body.setAttribute("data-current-figure", id);
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var tag = (event.target && event.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") { return; }
    if (event.key === "j" || event.key === "n") { select(at + 1, true); event.preventDefault(); }
    else if (event.key === "k" || event.key === "p") { select(at - 1, true); event.preventDefault(); }
    else if (event.key === "r" && at >= 0) { window.location.href = "/review/" + encodeURIComponent(ids[at]); }
  });
  text.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-fig]") : null;
    if (el) { select(ids.indexOf(el.getAttribute("data-fig")), false); }
  });
  var hash = window.location.hash.match(/^#fig-(\d+)$/);
  if (hash && ids.indexOf(hash[1]) >= 0) { select(ids.indexOf(hash[1]), true); }
}());

// On a document page: select text that sayso missed, then "Add the selected text as a figure".
// The offsets are counted in the text as stored (the article holds exactly the document's text).
(function () {
  "use strict";
  var text = document.getElementById("doctext");
  var button = document.getElementById("add-button");
  if (!text || !button) { return; }
  var start = document.getElementById("add-start"), end = document.getElementById("add-end");
  var hint = document.getElementById("add-hint");
  function offset(node, at) {
    var range = document.createRange();
    range.selectNodeContents(text);
    range.setEnd(node, at);
    return range.toString().length;
  }
  document.addEventListener("selectionchange", function () {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return; }
    var r = sel.getRangeAt(0);
    if (!text.contains(r.startContainer) || !text.contains(r.endContainer)) { return; }
    var a = offset(r.startContainer, r.startOffset), b = offset(r.endContainer, r.endOffset);
    var picked = r.toString(), lead = picked.length - picked.replace(/^\s+/, "").length;
    var trail = picked.length - picked.replace(/\s+$/, "").length;
    a += lead; b -= trail;
    if (b <= a) { return; }
    start.value = String(a); end.value = String(b);
    button.disabled = false;
    hint.textContent = "Selected: \u201c" + picked.trim() + "\u201d";
  });
}());

// On a review page: a accept, c save the correction, x reject, n the next unreviewed figure.
(function () {
  "use strict";
  var form = document.getElementById("review-form");
  if (!form) { return; }
  function press(action) {
    var button = form.querySelector('button[name="action"][value="' + action + '"]');
    if (button) { button.click(); }
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var tag = (event.target && event.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") { return; }
    if (event.key === "a") { press("accept"); event.preventDefault(); }
    else if (event.key === "c") { press("correct"); event.preventDefault(); }
    else if (event.key === "x") { press("reject"); event.preventDefault(); }
    else if (event.key === "n") {
      var next = document.getElementById("next-unreviewed");
      if (next) { window.location.href = next.getAttribute("href"); event.preventDefault(); }
    }
  });
}());
