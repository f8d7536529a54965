// Keyboard shortcuts for the queue and the lead page. No inline scripts: the page's
// Content-Security-Policy allows only this file.
(function () {
  "use strict";
  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("tr.row")); }
  function move(step) {
    var all = rows();
    if (!all.length) { return; }
    var current = all.findIndex(function (row) { return row.classList.contains("selected"); });
    var next = Math.min(all.length - 1, Math.max(0, current + step));
    all.forEach(function (row) { row.classList.remove("selected"); });
    all[next].classList.add("selected");
    all[next].scrollIntoView({ block: "nearest" });
  }
  function submit(id) {
    var form = document.getElementById(id);
    if (form) { form.submit(); }
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var key = event.key;
    if (key === "/") {
      var search = document.getElementById("search");
      if (search) { event.preventDefault(); search.focus(); }
    } else if (key === "j") { move(1); }
    else if (key === "k") { move(-1); }
    else if (key === "Enter") {
      var selected = document.querySelector("tr.row.selected");
      if (selected) { window.location.href = selected.getAttribute("data-href"); }
    } else if (key === "a") { submit("form-accept"); }
    else if (key === "h") { submit("form-hold"); }
    else if (key === "d") {
      var reason = document.getElementById("dismiss-reason");
      if (reason) { event.preventDefault(); reason.focus(); }
    } else if (key === "c") {
      var comment = document.getElementById("comment-text");
      if (comment) { event.preventDefault(); comment.focus(); }
    }
  });
})();
